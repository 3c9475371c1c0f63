import { addDays, dayOf } from '#app/models/projects/plan.ts'
import { overrideGate } from '#app/models/readiness/gate.server.ts'
import { createProject, getProject, setBaseline, startDeployment, todayIn, updatePhase, updateStep, type ProjectDetail } from '#app/models/projects/projects.server.ts'
import { ProjectSchema, StepSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'

/**
 * The demo's project portfolio, built through the models (audited, validated) by the project
 * manager, with dates relative to today so the demo always looks current:
 * - the send-out lab results project in phase 3 (testing), its plan re-planned since the
 *   baseline (the mapping matrix slipped two weeks), UAT under way;
 * - the patient portal on FHIR in phase 2 (design), API-first;
 * - the PACS upgrade done and in ongoing maintenance.
 * Runs once per organisation (a project of that name already there: skipped).
 */
export async function seedProjects(manager: TenantScope, now = new Date()) {
  const today = todayIn(manager, now)
  const interfaceIds = async (names: string[]) =>
    (await prisma.interface.findMany({ where: { organizationId: manager.organizationId, name: { in: names } }, select: { id: true } })).map((i) => i.id)
  const systemIds = async (names: string[]) =>
    (await prisma.system.findMany({ where: { organizationId: manager.organizationId, name: { in: names } }, select: { id: true } })).map((s) => s.id)
  const exists = async (name: string) => (await prisma.project.count({ where: { organizationId: manager.organizationId, name } })) > 0

  const lab = 'Send-out lab results into the EHR via the engine'
  if (!(await exists(lab))) {
    const start = addDays(today, -120)
    const project = await createProject(
      manager,
      ProjectSchema.parse({
        name: lab,
        goal: 'Results from the Statewide Reference Lab arrive in the EHR’s results inbox through the engine, instead of as faxes re-keyed by the lab’s clerks.',
        benefits: 'No re-keying of send-out results (about 240 a week); results in the chart within minutes instead of a day; coded results (LOINC) for decision support and the data warehouse.',
        approach: 'via_engine',
        approachReason: 'The engine already routes every lab feed: one more route, monitored in the same place, instead of a direct link the LIS vendor would have to maintain.',
        ownerId: manager.membershipId,
        startDate: start,
        targetGoLive: addDays(today, 45),
        status: 'active',
        interfaceIds: await interfaceIds(['LIS → engine: results', 'Engine → EHR: results']),
        systemIds: await systemIds(['LabTrack LIS', 'Open Integration Engine', 'Riverside EHR', 'Statewide Reference Lab']),
      }),
    )
    let p = (await getProject(manager, project.id))!
    await finishUpTo(manager, p, ['discovery', 'design'], 3)
    // Re-planned since the baseline: the mapping matrix took two weeks longer (code maps for the reference lab's tests).
    p = (await getProject(manager, project.id))!
    const design = p.phases.find((ph) => ph.kind === 'design')!
    const matrix = design.steps.find((s) => s.standardKey === 'mapping_matrix')!
    await updateStep(manager, { stepId: matrix.id, ...StepSchema.parse({ ...stepFields(matrix), status: 'done', plannedEnd: addDays(dayOf(matrix.plannedEnd)!, 14), actualEnd: addDays(dayOf(matrix.plannedEnd)!, 14) }) })
    const testing = p.phases.find((ph) => ph.kind === 'testing')!
    await updatePhase(manager, { phaseId: testing.id, status: 'in_progress', plannedStart: dayOf(testing.plannedStart)!, plannedEnd: dayOf(testing.plannedEnd)!, actualStart: dayOf(testing.plannedStart)! })
    const [unit, integration, uat] = testing.steps
    await updateStep(manager, { stepId: unit!.id, ...StepSchema.parse({ ...stepFields(unit!), status: 'done', actualStart: dayOf(unit!.plannedStart), actualEnd: dayOf(unit!.plannedEnd) }) })
    await updateStep(manager, { stepId: integration!.id, ...StepSchema.parse({ ...stepFields(integration!), status: 'in_progress', actualStart: dayOf(integration!.plannedStart) }) })
    void uat
  }

  const portal = 'Patient portal on FHIR'
  if (!(await exists(portal))) {
    const project = await createProject(
      manager,
      ProjectSchema.parse({
        name: portal,
        goal: 'Patients fill in pre-visit questionnaires and see upcoming appointments and results in MyRiverside, read from and written to the EHR over FHIR R4.',
        benefits: 'Shorter check-in (questionnaires done at home); fewer calls to Patient Access about appointments; results released to patients under the hospital’s release rules.',
        approach: 'api_first',
        approachReason: 'The EHR exposes a FHIR R4 API and the portal is a patient-facing app: API-first is the long-term path; the engine stays for the HL7 v2 feeds.',
        ownerId: manager.membershipId,
        startDate: addDays(today, -60),
        targetGoLive: addDays(today, 150),
        status: 'active',
        interfaceIds: await interfaceIds(['Portal ↔ EHR: patient API']),
        systemIds: await systemIds(['MyRiverside Portal', 'Riverside EHR']),
      }),
    )
    const p = (await getProject(manager, project.id))!
    await finishUpTo(manager, p, ['discovery'], 0)
    const design = p.phases.find((ph) => ph.kind === 'design')!
    await updatePhase(manager, { phaseId: design.id, status: 'in_progress', plannedStart: dayOf(design.plannedStart)!, plannedEnd: dayOf(design.plannedEnd)!, actualStart: dayOf(design.plannedStart)! })
    const matrix = design.steps[0]!
    await updateStep(manager, { stepId: matrix.id, ...StepSchema.parse({ ...stepFields(matrix), status: 'in_progress', actualStart: dayOf(matrix.plannedStart) }) })
  }

  const pacs = 'PACS upgrade to ClearView 7.2'
  if (!(await exists(pacs))) {
    const project = await createProject(
      manager,
      ProjectSchema.parse({
        name: pacs,
        goal: 'ClearView RIS/PACS upgraded from 6.8 to 7.2 with the imaging order and report feeds re-tested, without a radiology downtime longer than four hours.',
        benefits: 'Vendor support restored; faster image retrieval in the ED; the report feed carries structured findings.',
        approach: 'via_engine',
        approachReason: 'The PACS feeds already run through the engine: the upgrade re-tests the routes, no new connection.',
        ownerId: manager.membershipId,
        startDate: addDays(today, -300),
        targetGoLive: addDays(today, -90),
        status: 'active',
        interfaceIds: await interfaceIds(['Engine → PACS: imaging orders', 'PACS → engine: radiology reports']),
        systemIds: await systemIds(['ClearView PACS']),
      }),
    )
    let p = (await getProject(manager, project.id))!
    await finishUpTo(manager, p, ['discovery', 'design', 'testing'], 0)
    // It went live before Liaison had a go-live gate: its owner's override says so (shown on its scorecard).
    await overrideGate(manager, { projectId: project.id, reason: 'Went live before the go-live gate existed: re-tested and signed off under the change board’s paper process (CAB-2291).' })
    await startDeployment(manager, { projectId: project.id })
    p = (await getProject(manager, project.id))!
    await finishUpTo(manager, p, ['deployment'], 0)
    const deployment = p.phases.find((ph) => ph.kind === 'deployment')!
    const maintenance = p.phases.find((ph) => ph.kind === 'maintenance')!
    await updatePhase(manager, { phaseId: deployment.id, status: 'done', plannedStart: dayOf(deployment.plannedStart)!, plannedEnd: dayOf(deployment.plannedEnd)!, actualStart: dayOf(deployment.plannedStart)!, actualEnd: dayOf(deployment.plannedEnd)! })
    // Maintenance is ongoing: re-planned for the year after go-live.
    await updatePhase(manager, { phaseId: maintenance.id, status: 'in_progress', plannedStart: dayOf(maintenance.plannedStart)!, plannedEnd: addDays(dayOf(maintenance.plannedStart)!, 364), actualStart: dayOf(maintenance.plannedStart)! })
    const monitor = maintenance.steps[0]!
    await updateStep(manager, { stepId: monitor.id, ...StepSchema.parse({ ...stepFields(monitor), status: 'in_progress', plannedEnd: addDays(dayOf(maintenance.plannedStart)!, 364), actualStart: dayOf(monitor.plannedStart) }) })
    await setBaseline(manager, { projectId: project.id })
  }
}

type StepRow = ProjectDetail['phases'][number]['steps'][number]

const stepFields = (s: StepRow) => ({
  title: s.title,
  description: s.description ?? undefined,
  ownerId: s.ownerId ?? undefined,
  status: s.status,
  skipReason: s.skipReason ?? undefined,
  plannedStart: dayOf(s.plannedStart) ?? undefined,
  plannedEnd: dayOf(s.plannedEnd) ?? undefined,
  actualStart: dayOf(s.actualStart) ?? undefined,
  actualEnd: dayOf(s.actualEnd) ?? undefined,
})

/** Marks the phases' steps done with actual dates (a few days late where `lateDays`), and the phases done. */
async function finishUpTo(scope: TenantScope, p: ProjectDetail, kinds: string[], lateDays: number) {
  for (const phase of p.phases.filter((ph) => kinds.includes(ph.kind))) {
    for (const s of phase.steps) {
      await updateStep(scope, { stepId: s.id, ...StepSchema.parse({ ...stepFields(s), status: 'done', actualStart: dayOf(s.plannedStart), actualEnd: addDays(dayOf(s.plannedEnd)!, s === phase.steps[phase.steps.length - 1] ? 0 : lateDays) }) })
    }
    if (phase.kind !== 'deployment') {
      await updatePhase(scope, { phaseId: phase.id, status: 'done', plannedStart: dayOf(phase.plannedStart)!, plannedEnd: dayOf(phase.plannedEnd)!, actualStart: dayOf(phase.plannedStart)!, actualEnd: dayOf(phase.plannedEnd)! })
    }
  }
}
