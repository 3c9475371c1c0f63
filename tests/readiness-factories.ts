/**
 * Readiness and gate helpers for tests written before the gate existed, or about something else:
 * `openGate` records an override standing on a project (as the "the project's A overrides
 * the gate with a reason"), so startDeployment and markWaveLive reach what those tests check.
 * Written through Prisma like the other factories: the gate's own tests go through the model.
 */
import type { MemberFunction, Role } from '#app/generated/prisma/client.ts'
import { addDays } from '#app/models/projects/plan.ts'
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createTestUser, uniqueSuffix } from './factories.ts'

export async function openGate(project: { id: string }, reason = 'Test: the readiness checks are not what this test is about.') {
  const p = await prisma.project.findUniqueOrThrow({ where: { id: project.id }, select: { id: true, organizationId: true, ownerId: true } })
  const by = p.ownerId ?? (await prisma.membership.findFirstOrThrow({ where: { organizationId: p.organizationId, status: 'active' }, orderBy: { createdAt: 'asc' }, select: { id: true } })).id
  return prisma.gateOverride.create({ data: { organizationId: p.organizationId, projectId: p.id, reason, grantedById: by } })
}

/**
 * A project whose every readiness check passes (regression "not applicable": its interface is not
 * live yet), built row by row: the check tests break one thing each, the gate tests start here.
 * Interface HL7 v2 through the engine; a RACI with one A (the manager) and one R (an operations
 * member) on every activity and the clinical and compliance functions consulted; an approved
 * mapping (a required row approved, a code map mapped); a scenario passed and signed off; the
 * security assessment complete and attested; a pilot (unit "Ward R <tag>") whose one member has
 * completed the one module required for go-live.
 */
export async function readyProject(input: { org: { id: string }; ownerScope: TenantScope; now?: Date; names?: { project?: string; interface?: string; pilot?: string; unit?: string; systems?: [string, string] } }) {
  const { org, ownerScope } = input
  const now = input.now ?? new Date()
  const tag = uniqueSuffix()
  const names = input.names ?? {}
  const unit = names.unit ?? `Ward R ${tag}`
  const member = async (role: Role, fn: MemberFunction, unitName?: string) => addMember(org, await createTestUser(), role, fn, unitName)
  const [manager, ops, clinical, compliance] = [await member('manager', 'it'), await member('staff', 'operations', unit), await member('clinical_lead', 'clinical'), await member('compliance', 'compliance')]
  const [source, target] = await Promise.all(
    ['EHR', 'LIS'].map((k, n) => prisma.system.create({ data: { organizationId: org.id, name: names.systems?.[n] ?? `${k} ${tag}`, kind: k === 'EHR' ? 'ehr' : 'lis' } })),
  )
  const iface = await prisma.interface.create({
    data: { organizationId: org.id, name: names.interface ?? `Results ${tag}`, sourceSystemId: source!.id, targetSystemId: target!.id, standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine', direction: 'one_way', lifecycle: 'test', criticality: 'high' },
  })
  const today = now.toISOString().slice(0, 10)
  const project = await createProject(
    ownerScope,
    ProjectSchema.parse({ name: names.project ?? `Ready ${tag}`, goal: 'Results into the EHR', approach: 'via_engine', startDate: addDays(today, -120), targetGoLive: addDays(today, 60), ownerId: manager.id, interfaceIds: [iface.id] }),
  )
  // RACI: every activity A manager, R operations, C clinical and compliance (functions).
  const activities = await prisma.raciActivity.findMany({ where: { projectId: project.id }, select: { id: true } })
  await prisma.raciAssignment.createMany({
    data: activities.flatMap((a) => [
      { organizationId: org.id, projectId: project.id, activityId: a.id, membershipId: manager.id, letter: 'A' as const },
      { organizationId: org.id, projectId: project.id, activityId: a.id, membershipId: ops.id, letter: 'R' as const },
      { organizationId: org.id, projectId: project.id, activityId: a.id, function: 'clinical' as const, letter: 'C' as const },
      { organizationId: org.id, projectId: project.id, activityId: a.id, function: 'compliance' as const, letter: 'C' as const },
    ]),
  })
  // Mapping: a required row approved and a code map mapped.
  const version = await prisma.mappingVersion.create({ data: { organizationId: org.id, interfaceId: iface.id, number: 1 } }) // a draft: still editable by the tests; coverage reads the current version either way
  const row = await prisma.mappingRow.create({
    data: { organizationId: org.id, versionId: version.id, lineageId: `lin-${tag}`, position: 1, sourceField: 'OBX-3', sourcePath: 'OBX-3', targetField: 'code', targetPath: 'Observation.code', dataType: 'CWE', requirement: 'required', reviewState: 'approved' },
  })
  await prisma.codeMap.create({ data: { organizationId: org.id, versionId: version.id, rowId: row.id, sourceSystem: 'LAB', localCode: 'GLU', targetSystem: 'http://loinc.org', targetCode: '2345-7', equivalence: 'equal' } })
  // UAT: one scenario, passed, signed off at project level.
  const scenario = await prisma.uatScenario.create({ data: { organizationId: org.id, projectId: project.id, interfaceId: iface.id, number: 1, title: 'Glucose result files', steps: 'Send an ORU', expectedResult: 'Result in the chart' } })
  await prisma.uatRun.create({ data: { organizationId: org.id, projectId: project.id, scenarioId: scenario.id, result: 'pass', environment: 'test', testerId: clinical.id, executedAt: new Date(now.getTime() - 86_400_000) } })
  const signoff = await prisma.uatSignoff.create({
    data: { organizationId: org.id, projectId: project.id, decision: 'signed', statement: 'I accept.', content: {}, contentHash: 'x'.repeat(64), signerId: clinical.id, signerName: 'Clinical lead', stepUpAt: now },
  })
  await prisma.uatSignoffScenario.create({ data: { organizationId: org.id, signoffId: signoff.id, scenarioId: scenario.id } })
  // Security: every item done, attested.
  await prisma.securityItem.updateMany({ where: { projectId: project.id }, data: { status: 'done' } })
  await prisma.securityAssessment.updateMany({ where: { projectId: project.id }, data: { attestedAt: now, attestedById: compliance.id } })
  // The pilot: its one member trained in the module required for go-live.
  const pilot = await prisma.projectWave.create({ data: { organizationId: org.id, projectId: project.id, kind: 'pilot', name: names.pilot ?? `Pilot ${tag}`, position: 0, units: [unit], goLive: new Date(`${addDays(today, 60)}T00:00:00Z`) } })
  const module = await prisma.trainingModule.create({ data: { organizationId: org.id, title: `Results module ${tag}`, requiredForGoLive: true } })
  await prisma.trainingAssignment.create({ data: { organizationId: org.id, membershipId: ops.id, moduleId: module.id, dueAt: now, status: 'completed', completedAt: now } })
  return { project, iface, manager, ops, clinical, compliance, scenario, signoff, pilot, module, version, row, unit, source: source!, target: target! }
}
export type ReadyProject = Awaited<ReturnType<typeof readyProject>>
