/**
 * The go-live gate on every path (startDeployment, a wave going live, an interface set live by
 * its form — created or updated — and by the inventory import), the refusal audited and naming
 * the failing checks with nothing changed; the override (the accountable person, a reason) and the
 * exemptions (compliance, one check, a future expiry; an expired one stops counting).
 */
import { describe, expect, test } from 'vitest'
import { InterfaceSchema } from '#app/models/inventory/inventory.ts'
import { createInterface, updateInterface } from '#app/models/inventory/interface.server.ts'
import { applyImport, previewImport } from '#app/models/inventory/inventory-csv.server.ts'
import { startDeployment } from '#app/models/projects/projects.server.ts'
import { markWaveLive } from '#app/models/projects/waves.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { createOrgWithOwner, scopeFor } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { readyProject } from '#tests/readiness-factories.ts'
import { assertGateOpen, gateAccountable, grantExemption, overrideGate, revokeExemption, revokeOverride } from './gate.server.ts'
import { projectReadiness } from './readiness.server.ts'

const DAY = 86_400_000
const day = (d: Date) => d.toISOString().slice(0, 10)

async function setup() {
  const { org, scope } = await createOrgWithOwner()
  const ready = await readyProject({ org, ownerScope: scope })
  // Every step before deployment done: startDeployment's own rule is met, only the gate decides.
  await prisma.projectStep.updateMany({ where: { projectId: ready.project.id, phase: { kind: { in: ['discovery', 'design', 'testing'] } } }, data: { status: 'done' } })
  const userOf = async (membershipId: string) => (await prisma.membership.findUniqueOrThrow({ where: { id: membershipId } })).userId
  const as = async (membershipId: string) => scopeFor(org, { id: await userOf(membershipId) })
  return { org, scope, ready, manager: await as(ready.manager.id), compliance: await as(ready.compliance.id) }
}
/** Breaks two checks: a required mapping row back in review, the security attestation cleared. */
async function breakIt(projectId: string, rowId: string) {
  await prisma.mappingRow.update({ where: { id: rowId }, data: { reviewState: 'in_review' } })
  await prisma.securityAssessment.updateMany({ where: { projectId }, data: { attestedAt: null } })
}
const refusals = (orgId: string) => prisma.auditEvent.findMany({ where: { organizationId: orgId, action: 'gate.refused' }, orderBy: { seq: 'asc' } })

describe('the gate on every path', () => {
  test('startDeployment: refused naming the failing checks, nothing changed, the refusal audited; open once they pass', async () => {
    const { org, scope, ready } = await setup()
    await breakIt(ready.project.id, ready.row.id)
    await expectDomainError(startDeployment(scope, { projectId: ready.project.id }), 'CONFLICT', /Deployment & training cannot start: .*Failing: Mapping coverage, Security risk assessment complete and attested\. Mapping coverage — Results .*1 required row not approved/)
    const phases = await prisma.projectPhase.findMany({ where: { projectId: ready.project.id }, select: { kind: true, status: true } })
    expect(phases.find((p) => p.kind === 'deployment')!.status).toBe('not_started')
    expect(phases.find((p) => p.kind === 'testing')!.status).not.toBe('done')
    const [refusal] = await refusals(org.id)
    expect(refusal).toMatchObject({ targetId: ready.project.id, metadata: { path: 'start_deployment', failing: ['mapping_coverage', 'security'] } })
    expect(await prisma.auditEvent.count({ where: { organizationId: org.id, action: 'project.deployment_started' } })).toBe(0)
    // Fixed: it starts.
    await prisma.mappingRow.update({ where: { id: ready.row.id }, data: { reviewState: 'approved' } })
    await prisma.securityAssessment.updateMany({ where: { projectId: ready.project.id }, data: { attestedAt: new Date() } })
    await startDeployment(scope, { projectId: ready.project.id })
    expect((await prisma.projectPhase.findFirstOrThrow({ where: { projectId: ready.project.id, kind: 'deployment' } })).status).toBe('in_progress')
  })

  test('a wave going live: refused while the gate is closed, nothing changed, audited', async () => {
    const { org, scope, ready } = await setup()
    await breakIt(ready.project.id, ready.row.id)
    await expectDomainError(markWaveLive(scope, { waveId: ready.pilot.id }), 'CONFLICT', /This wave cannot go live: .*Failing: Mapping coverage/)
    expect((await prisma.projectWave.findUniqueOrThrow({ where: { id: ready.pilot.id } })).status).toBe('planned')
    expect((await refusals(org.id)).map((e) => (e.metadata as { path: string }).path)).toEqual(['wave_live'])
  })

  test('an interface set live by its form: refused while a project with it in scope fails its gate; not gated in no open project', async () => {
    const { org, scope, ready } = await setup()
    await breakIt(ready.project.id, ready.row.id)
    const form = (fields: Record<string, unknown>) =>
      InterfaceSchema.parse({ name: ready.iface.name, sourceSystemId: ready.source.id, targetSystemId: ready.target.id, standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine', criticality: 'high', ...fields })
    await expectDomainError(updateInterface(scope, { interfaceId: ready.iface.id, ...form({ lifecycle: 'live' }) }), 'CONFLICT', /This interface cannot be set live: the go-live gate of “Ready/)
    expect((await prisma.interface.findUniqueOrThrow({ where: { id: ready.iface.id } })).lifecycle).toBe('test')
    expect((await refusals(org.id)).map((e) => (e.metadata as { path: string; what: string }).path)).toEqual(['interface_live'])
    // Other changes are not gated.
    await updateInterface(scope, { interfaceId: ready.iface.id, ...form({ lifecycle: 'test', description: 'Glucose and more' }) })
    // A project on hold still gates; a project done does not.
    await prisma.project.update({ where: { id: ready.project.id }, data: { status: 'on_hold' } })
    await expectDomainError(updateInterface(scope, { interfaceId: ready.iface.id, ...form({ lifecycle: 'live' }) }), 'CONFLICT')
    await prisma.project.update({ where: { id: ready.project.id }, data: { status: 'done' } })
    await updateInterface(scope, { interfaceId: ready.iface.id, ...form({ lifecycle: 'live' }) })
    expect((await prisma.interface.findUniqueOrThrow({ where: { id: ready.iface.id } })).lifecycle).toBe('live')
    // Created live: in no project's scope yet, so not gated.
    const created = await createInterface(scope, form({ name: `New ${ready.unit}`, lifecycle: 'live' }))
    expect(created.lifecycle).toBe('live')
  })

  test('the inventory import cannot set an interface live through a closed gate: the whole file refused, nothing changed, audited', async () => {
    const { org, scope, ready } = await setup()
    await breakIt(ready.project.id, ready.row.id)
    const csv = (lifecycle: string, description: string) =>
      `name,source_system,target_system,standard,message_types,transport,approach,direction,lifecycle,criticality,owner_email,standards_exception,description\n${ready.iface.name},${ready.source.name},${ready.target.name},hl7v2,ORU^R01,mllp,via_engine,one_way,${lifecycle},high,,,${description}\n`
    const preview = await previewImport(scope, { kind: 'interfaces', fileName: 'interfaces.csv', content: csv('live', 'Set live by the file') })
    expect(preview.plan.errors).toEqual([])
    await expectDomainError(applyImport(scope, preview.batchId!), 'CONFLICT', /The import cannot set these interfaces live: the go-live gate of “Ready .*Failing: Mapping coverage/)
    const after = await prisma.interface.findUniqueOrThrow({ where: { id: ready.iface.id } })
    expect([after.lifecycle, after.description]).toEqual(['test', null])
    expect(await prisma.auditEvent.count({ where: { organizationId: org.id, action: 'inventory.imported' } })).toBe(0)
    expect((await refusals(org.id)).map((e) => e.metadata)).toEqual([expect.objectContaining({ path: 'inventory_import', failing: ['mapping_coverage', 'security'] })])
    // A file that does not set anything live is not gated.
    const other = await previewImport(scope, { kind: 'interfaces', fileName: 'interfaces.csv', content: csv('test', 'Only words') })
    expect(await applyImport(scope, other.batchId!)).toMatchObject({ status: 'applied' })
  })
})

describe('override and exemptions', () => {
  test('the accountable person overrides with a reason (required); anyone else is refused (audited); revoked, the gate closes again', async () => {
    const { org, scope, ready, manager, compliance } = await setup()
    await breakIt(ready.project.id, ready.row.id)
    expect(await gateAccountable(scope, { projectId: ready.project.id })).toMatchObject({ accountableId: ready.manager.id, accountableFrom: 'raci', responsibleIds: [ready.ops.id] })
    await expectDomainError(overrideGate(manager, { projectId: ready.project.id, reason: '   ' }), 'RULE_VIOLATION', /Write why/)
    await expectDomainError(overrideGate(compliance, { projectId: ready.project.id, reason: 'Because' }), 'FORBIDDEN', /accountable person/)
    await expectDomainError(overrideGate(scope, { projectId: ready.project.id, reason: 'Because' }), 'FORBIDDEN')
    expect(await prisma.gateOverride.count({ where: { projectId: ready.project.id } })).toBe(0)
    expect(await prisma.auditEvent.count({ where: { organizationId: org.id, action: 'security.permission_denied' } })).toBe(2)
    const override = (await overrideGate(manager, { projectId: ready.project.id, reason: 'Lab downtime window agreed with the CMO; mapping fix follows.' }))!
    await expectDomainError(overrideGate(manager, { projectId: ready.project.id, reason: 'Again' }), 'CONFLICT')
    const card = (await projectReadiness(scope, { projectId: ready.project.id }))!
    expect(card).toMatchObject({ gateOpen: true, band: 'attention', override: { reason: 'Lab downtime window agreed with the CMO; mapping fix follows.' } })
    expect(await assertGateOpen(scope, { projectId: ready.project.id }, { path: 'wave_live' })).not.toBeNull()
    await revokeOverride(manager, { projectId: ready.project.id, overrideId: override.id })
    await expectDomainError(assertGateOpen(scope, { projectId: ready.project.id }, { path: 'wave_live' }), 'CONFLICT')
    expect((await prisma.auditEvent.findMany({ where: { organizationId: org.id, action: { startsWith: 'gate.' } }, orderBy: { seq: 'asc' } })).map((e) => e.action)).toEqual(['gate.overridden', 'gate.override_revoked', 'gate.refused'])
  })

  test('without an A on “Phased rollout”, the project’s owner is accountable', async () => {
    const { scope, ready } = await setup()
    const rollout = await prisma.raciActivity.findFirstOrThrow({ where: { projectId: ready.project.id, step: { standardKey: 'phased_rollout' } } })
    await prisma.raciAssignment.deleteMany({ where: { activityId: rollout.id } })
    await prisma.project.update({ where: { id: ready.project.id }, data: { ownerId: ready.ops.id } })
    expect(await gateAccountable(scope, { projectId: ready.project.id })).toMatchObject({ accountableId: ready.ops.id, accountableFrom: 'owner', responsibleIds: [] })
  })

  test('compliance exempts one check until a future date: it counts as passing and says so; a past date is a field error; expired (an injected clock) it stops counting', async () => {
    const { org, ready, manager, compliance } = await setup()
    await breakIt(ready.project.id, ready.row.id)
    const today = day(new Date())
    const input = (fields: Record<string, string>) => ({ projectId: ready.project.id, checkKey: 'mapping_coverage', reason: 'One optional-looking row; approved by the lab on paper.', expiresOn: day(new Date(Date.now() + 20 * DAY)), ...fields })
    await expectDomainError(grantExemption(manager, input({})), 'FORBIDDEN', /Only compliance/)
    for (const past of [today, day(new Date(Date.now() - DAY))]) {
      const e = await grantExemption(compliance, input({ expiresOn: past })).then(() => null, (err: unknown) => err)
      expect(e).toMatchObject({ code: 'RULE_VIOLATION', field: 'expiresOn' })
    }
    await expectDomainError(grantExemption(compliance, input({ checkKey: 'nope' })), 'RULE_VIOLATION', /Choose one of the readiness checks/)
    await expectDomainError(grantExemption(compliance, input({ reason: ' ' })), 'RULE_VIOLATION', /Write why/)
    const mapping = (await grantExemption(compliance, input({})))!
    await expectDomainError(grantExemption(compliance, input({})), 'CONFLICT', /already exempted/)
    let card = (await projectReadiness(manager, { projectId: ready.project.id }))!
    const exempted = card.checks.find((c) => c.key === 'mapping_coverage')!
    expect(exempted.status).toBe('exempted')
    expect(exempted.why).toMatch(new RegExp(`^Exempted until ${input({}).expiresOn} by .*: One optional-looking row`))
    expect(card.gateOpen).toBe(false) // security still fails
    await grantExemption(compliance, input({ checkKey: 'security', reason: 'Attestation meeting on Friday.' }))
    card = (await projectReadiness(manager, { projectId: ready.project.id }))!
    expect(card).toMatchObject({ gateOpen: true, scorePct: 100 })
    await markWaveLive(manager, { waveId: ready.pilot.id })
    // 21 days on, the exemptions have expired: they stop counting.
    const later = new Date(Date.now() + 21 * DAY)
    card = (await projectReadiness(manager, { projectId: ready.project.id }, { now: later }))!
    expect(card.checks.find((c) => c.key === 'mapping_coverage')!.status).toBe('fail')
    expect(card.exemptions.every((e) => e.expired)).toBe(true)
    await expectDomainError(assertGateOpen(manager, { projectId: ready.project.id }, { path: 'start_deployment', now: later }), 'CONFLICT')
    // Revoked, at once.
    await revokeExemption(compliance, { projectId: ready.project.id, exemptionId: mapping.id })
    await expectDomainError(revokeExemption(compliance, { projectId: ready.project.id, exemptionId: mapping.id }), 'CONFLICT')
    expect((await projectReadiness(manager, { projectId: ready.project.id }))!.checks.find((c) => c.key === 'mapping_coverage')!.status).toBe('fail')
    expect((await prisma.auditEvent.findMany({ where: { organizationId: org.id, action: { startsWith: 'gate.exemption' } } })).map((e) => e.action).sort()).toEqual(['gate.exemption_granted', 'gate.exemption_granted', 'gate.exemption_revoked'])
  })

  test('another organisation cannot read the scorecard, override, exempt or revoke', async () => {
    const { ready, compliance } = await setup()
    const other = await createOrgWithOwner()
    expect(await projectReadiness(other.scope, { projectId: ready.project.id })).toBeNull()
    expect(await overrideGate(other.scope, { projectId: ready.project.id, reason: 'x' })).toBeNull()
    expect(await grantExemption({ ...other.scope, role: 'compliance' }, { projectId: ready.project.id, checkKey: 'security', reason: 'x', expiresOn: '2099-01-01' })).toBeNull()
    const ex = (await grantExemption(compliance, { projectId: ready.project.id, checkKey: 'security', reason: 'x', expiresOn: '2099-01-01' }))!
    expect(await revokeExemption({ ...other.scope, role: 'compliance' }, { projectId: ready.project.id, exemptionId: ex.id })).toBeNull()
    expect(await prisma.gateExemption.count({ where: { id: ex.id, revokedAt: null } })).toBe(1)
  })
})
