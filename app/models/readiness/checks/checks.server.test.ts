/**
 * Every readiness check, passing and failing: `readyProject` (tests/readiness-factories.ts)
 * passes them all; each "fails" test breaks the one thing its check is about and reads the
 * check's status and WHY from the scorecard, as a user would.
 */
import { readdirSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser } from '#tests/factories.ts'
import { readyProject, type ReadyProject } from '#tests/readiness-factories.ts'
import { projectReadiness } from '../readiness.server.ts'
import { uatSignoffState } from '#app/models/uat/signoff.server.ts'
import { CHECKS } from './index.server.ts'

const DAY = 86_400_000

async function setup() {
  const { org, scope } = await createOrgWithOwner()
  const ready = await readyProject({ org, ownerScope: scope })
  return { org, scope, ready }
}
async function check(scope: TenantScope, r: ReadyProject, key: string, now?: Date) {
  const card = (await projectReadiness(scope, { projectId: r.project.id }, { now }))!
  return card.checks.find((c) => c.key === key)!
}

describe('the registry', () => {
  test('every check file of the folder is listed once, with a unique key, a level and a positive weight', () => {
    const files = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.server.ts') && !['define.server.ts', 'index.server.ts'].includes(f))
    expect(CHECKS.length).toBe(files.length)
    expect(new Set(CHECKS.map((c) => c.key)).size).toBe(CHECKS.length)
    for (const c of CHECKS) {
      expect(c.weight).toBeGreaterThan(0)
      expect(['design', 'uat', 'golive']).toContain(c.level)
    }
  })

  test('a ready project passes every check: 100 %, passing, go-live ready, the gate open', async () => {
    const { scope, ready } = await setup()
    const card = (await projectReadiness(scope, { projectId: ready.project.id }))!
    expect(card.checks.filter((c) => c.status !== 'pass' && c.status !== 'na').map((c) => `${c.key}: ${c.why}`)).toEqual([])
    expect(card.checks.find((c) => c.key === 'regression_tested')!.status).toBe('na')
    expect(card).toMatchObject({ scorePct: 100, band: 'passing', level: 'golive', gateOpen: true })
    expect(card.interfaces[0]!.checks.map((c) => c.status)).not.toContain('fail')
    expect(card.waves[0]!.checks.map((c) => [c.key, c.status])).toEqual([['pilot_defined', 'pass'], ['training', 'pass']])
  })
})

describe('each check fails for its reason', () => {
  test('standards: a proprietary interface without an exception fails; an accepted decision linked to it, or a written exception, passes', async () => {
    const { org, scope, ready } = await setup()
    await prisma.interface.update({ where: { id: ready.iface.id }, data: { standard: 'proprietary' } })
    const fail = await check(scope, ready, 'standards')
    expect(fail.status).toBe('fail')
    expect(fail.why).toMatch(/non-standard format without a written exception/)
    expect(fail.link).toBe(`/o/${scope.orgSlug}/interfaces/${ready.iface.id}/edit`)
    await prisma.projectDecision.create({ data: { organizationId: org.id, projectId: ready.project.id, number: 1, title: 'Proprietary feed', decision: 'The vendor has no HL7', status: 'proposed', interfaceId: ready.iface.id } })
    expect((await check(scope, ready, 'standards')).status).toBe('fail') // proposed is not written down yet
    await prisma.projectDecision.updateMany({ where: { projectId: ready.project.id }, data: { status: 'accepted', acceptedAt: new Date() } })
    expect((await check(scope, ready, 'standards')).status).toBe('pass')
    await prisma.projectDecision.deleteMany({ where: { projectId: ready.project.id } })
    await prisma.interface.update({ where: { id: ready.iface.id }, data: { standardsException: 'Vendor API only; agreed with the CMIO until 2028.' } })
    expect((await check(scope, ready, 'standards')).status).toBe('pass')
  })

  test('no sprawl: an interface in scope wired point-to-point among three systems fails', async () => {
    const { org, scope, ready } = await setup()
    await prisma.interface.update({ where: { id: ready.iface.id }, data: { approach: 'point_to_point' } })
    expect((await check(scope, ready, 'no_sprawl')).status).toBe('pass') // two systems: fine
    const third = await prisma.system.create({ data: { organizationId: org.id, name: `Pharmacy ${ready.unit}`, kind: 'pharmacy' } })
    await prisma.interface.create({ data: { organizationId: org.id, name: `Orders ${ready.unit}`, sourceSystemId: ready.target.id, targetSystemId: third.id, standard: 'hl7v2', transport: 'mllp', approach: 'point_to_point', direction: 'one_way', lifecycle: 'live', criticality: 'low' } })
    const fail = await check(scope, ready, 'no_sprawl')
    expect(fail.status).toBe('fail')
    expect(fail.why).toMatch(/3 systems are wired point-to-point/)
  })

  test('mapping coverage: a required row not approved, a code map unmapped, no mapping at all', async () => {
    const { scope, ready } = await setup()
    await prisma.mappingRow.update({ where: { id: ready.row.id }, data: { reviewState: 'in_review' } })
    let c = await check(scope, ready, 'mapping_coverage')
    expect(c.status).toBe('fail')
    expect(c.why).toMatch(/1 required row not approved/)
    expect(c.link).toBe(`/o/${scope.orgSlug}/mapping/${ready.iface.id}`)
    await prisma.mappingRow.update({ where: { id: ready.row.id }, data: { reviewState: 'approved' } })
    await prisma.codeMap.updateMany({ where: { versionId: ready.version.id }, data: { targetCode: null, equivalence: 'unmatched' } })
    expect((await check(scope, ready, 'mapping_coverage')).why).toMatch(/1 code map not mapped/)
    await prisma.mappingVersion.delete({ where: { id: ready.version.id } })
    c = await check(scope, ready, 'mapping_coverage')
    expect(c.why).toMatch(/No mapping yet/)
  })

  test('testing share: testing cut below 30 % of the timeline fails, with the share in words', async () => {
    const { scope, ready } = await setup()
    const phases = await prisma.projectPhase.findMany({ where: { projectId: ready.project.id } })
    const testing = phases.find((p) => p.kind === 'testing')!
    await prisma.projectPhase.update({ where: { id: testing.id }, data: { plannedEnd: new Date(testing.plannedStart!.getTime() + 5 * DAY) } })
    const c = await check(scope, ready, 'testing_share')
    expect(c.status).toBe('fail')
    expect(c.why).toMatch(/Testing has [\d.]+ % of the timeline: give it at least 30 %/)
    expect(c.link).toMatch(/\/plan$/)
  })

  test('RACI: an activity without an A fails pointing at its row; operations not involved anywhere fails', async () => {
    const { scope, ready } = await setup()
    const activity = (await prisma.raciActivity.findFirst({ where: { projectId: ready.project.id }, orderBy: { position: 'asc' } }))!
    await prisma.raciAssignment.deleteMany({ where: { activityId: activity.id, letter: 'A' } })
    let c = await check(scope, ready, 'raci_valid')
    expect(c.status).toBe('fail')
    expect(c.why).toMatch(/No one is accountable/)
    expect(c.link).toMatch(/\/raci#row-/)
    await prisma.raciAssignment.create({ data: { organizationId: ready.project.organizationId, projectId: ready.project.id, activityId: activity.id, membershipId: ready.manager.id, letter: 'A' } })
    expect((await check(scope, ready, 'raci_valid')).status).toBe('pass')
    await prisma.raciAssignment.updateMany({ where: { projectId: ready.project.id, membershipId: ready.ops.id }, data: { letter: 'I' } })
    c = await check(scope, ready, 'raci_valid')
    expect(c.status).toBe('fail')
    expect(c.why).toMatch(/operations not involved/)
  })

  test('UAT: no scenario; a failed latest run; an open severity-2 defect; a stale sign-off — each fails', async () => {
    const { org, scope, ready } = await setup()
    await prisma.uatRun.create({ data: { organizationId: org.id, projectId: ready.project.id, scenarioId: ready.scenario.id, result: 'fail', environment: 'test', executedAt: new Date() } })
    const c = await check(scope, ready, 'uat')
    expect(c.status).toBe('fail')
    expect(c.why).toMatch(/latest run did not pass \(S-1 Glucose result files: fail\)/)
    expect(c.link).toBe(`/o/${scope.orgSlug}/projects/${ready.project.id}/uat`)
    await prisma.uatRun.create({ data: { organizationId: org.id, projectId: ready.project.id, scenarioId: ready.scenario.id, result: 'pass', environment: 'test', executedAt: new Date(Date.now() + 1000) } })
    expect((await check(scope, ready, 'uat')).status).toBe('pass')
    const defect = await prisma.uatDefect.create({ data: { organizationId: org.id, projectId: ready.project.id, number: 1, title: 'Units dropped', severity: 2 } })
    expect((await check(scope, ready, 'uat')).why).toMatch(/1 open severity 1–2 defect \(DEF-1 Units dropped, severity 2\)/)
    await prisma.uatDefect.update({ where: { id: defect.id }, data: { severity: 3 } })
    expect((await check(scope, ready, 'uat')).status).toBe('pass')
    await prisma.uatSignoffStale.create({ data: { organizationId: org.id, signoffId: ready.signoff.id, reason: 'A run was added.' } })
    expect((await check(scope, ready, 'uat')).why).toMatch(/not covered by a current sign-off/)
    // A project without scenarios: not UAT-ready.
    const bare = await createProject(scope, ProjectSchema.parse({ name: `Bare ${ready.unit}`, goal: 'Nothing yet', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30' }))
    const none = (await projectReadiness(scope, { projectId: bare.id }))!.checks.find((x) => x.key === 'uat')!
    expect(none.status).toBe('fail')
    expect(none.why).toMatch(/No UAT scenario yet/)
  })

  test('UAT: another interface’s sign-off does not cover a scenario; the scenario’s own interface’s does', async () => {
    const { org, scope, ready } = await setup()
    const other = await prisma.interface.create({ data: { organizationId: org.id, name: `Other ${ready.unit}`, sourceSystemId: ready.source.id, targetSystemId: ready.target.id, standard: 'fhir', transport: 'https_rest', approach: 'api_first', direction: 'one_way', lifecycle: 'design', criticality: 'low' } })
    // A second scenario of the interface, passed, not in the project-level sign-off.
    const second = await prisma.uatScenario.create({ data: { organizationId: org.id, projectId: ready.project.id, interfaceId: ready.iface.id, number: 2, title: 'Unknown code', steps: 'Send an unknown code', expectedResult: 'Flagged' } })
    await prisma.uatRun.create({ data: { organizationId: org.id, projectId: ready.project.id, scenarioId: second.id, result: 'pass', environment: 'test' } })
    const signoff = (interfaceId: string) =>
      prisma.uatSignoff.create({ data: { organizationId: org.id, projectId: ready.project.id, interfaceId, decision: 'signed', statement: 'I accept.', content: {}, contentHash: 'y'.repeat(64), signerId: ready.clinical.id, signerName: 'Lead', stepUpAt: new Date() } })
    const wrong = await signoff(other.id)
    await prisma.uatSignoffScenario.create({ data: { organizationId: org.id, signoffId: wrong.id, scenarioId: second.id } })
    expect((await check(scope, ready, 'uat')).status).toBe('fail')
    const right = await signoff(ready.iface.id)
    await prisma.uatSignoffScenario.create({ data: { organizationId: org.id, signoffId: right.id, scenarioId: second.id } })
    expect((await check(scope, ready, 'uat')).status).toBe('pass')
  })

  test('UAT: a refusal after a signature withdraws it, as the sign-off pages say (one coverage rule)', async () => {
    const { org, scope, ready } = await setup()
    expect((await check(scope, ready, 'uat')).status).toBe('pass')
    // The project-level set's latest decision is now a refusal: the older signature no longer counts.
    const refusal = await prisma.uatSignoff.create({
      data: { organizationId: org.id, projectId: ready.project.id, interfaceId: ready.signoff.interfaceId, decision: 'refused', statement: 'I refuse.', refusalReason: 'Units dropped on the ward', content: {}, contentHash: 'z'.repeat(64), signerId: ready.clinical.id, signerName: 'Lead', stepUpAt: new Date(), signedAt: new Date(Date.now() + 1000) },
    })
    await prisma.uatSignoffScenario.create({ data: { organizationId: org.id, signoffId: refusal.id, scenarioId: ready.scenario.id } })
    expect((await check(scope, ready, 'uat')).why).toMatch(/not covered by a current sign-off/)
    expect((await uatSignoffState(scope, { projectId: ready.project.id }))!.signed).toBe(false)
  })

  test('regression: a live interface needs a passing run within 12 months (an injected clock ages it)', async () => {
    const { scope, ready } = await setup()
    await prisma.interface.update({ where: { id: ready.iface.id }, data: { lifecycle: 'live' } })
    expect((await check(scope, ready, 'regression_tested')).status).toBe('pass')
    const later = new Date(Date.now() + 370 * DAY)
    const c = await check(scope, ready, 'regression_tested', later)
    expect(c.status).toBe('fail')
    expect(c.why).toMatch(/live without a passing UAT run in the last 12 months/)
  })

  test('security: an open item, then complete but not attested — each fails', async () => {
    const { scope, ready } = await setup()
    await prisma.securityAssessment.updateMany({ where: { projectId: ready.project.id }, data: { attestedAt: null } })
    expect((await check(scope, ready, 'security')).why).toMatch(/compliance has not attested/)
    await prisma.securityItem.updateMany({ where: { projectId: ready.project.id, kind: 'tls' }, data: { status: 'open' } })
    const c = await check(scope, ready, 'security')
    expect(c.why).toMatch(/1 item of the security risk assessment still open/)
    expect(c.link).toMatch(/\/security$/)
  })

  test('pilot: no pilot group fails; a pilot without a go-live date fails', async () => {
    const { scope, ready } = await setup()
    await prisma.projectWave.update({ where: { id: ready.pilot.id }, data: { goLive: null } })
    expect((await check(scope, ready, 'pilot_defined')).why).toMatch(/needs a go-live date/)
    await prisma.projectWave.delete({ where: { id: ready.pilot.id } })
    const c = await check(scope, ready, 'pilot_defined')
    expect(c.status).toBe('fail')
    expect(c.why).toMatch(/No pilot group/)
  })

  test('training: below 90 % of the pilot fails; one untrained member of a high-risk role fails at 90 %+; then the next wave is judged', async () => {
    const { org, scope, ready } = await setup()
    // Nine more trained people and one untrained: 10 of 11 (90.9 %) passes…
    const people = []
    for (let i = 0; i < 10; i++) people.push(await addMember(org, await createTestUser(), i === 0 ? 'clinical_lead' : 'staff', 'clinical', ready.unit))
    for (const [i, m] of people.entries()) {
      await prisma.trainingAssignment.create({ data: { organizationId: org.id, membershipId: m.id, moduleId: ready.module.id, dueAt: new Date(), status: i === 0 ? 'open' : 'completed', completedAt: i === 0 ? null : new Date() } })
    }
    expect((await check(scope, ready, 'training')).status).toBe('pass')
    // …unless the untrained one holds a high-risk role.
    await prisma.organization.update({ where: { id: org.id }, data: { highRiskRoles: ['clinical_lead'] } })
    let c = await check(scope, ready, 'training')
    expect(c.status).toBe('fail')
    expect(c.why).toMatch(/Clinical lead \(high-risk\) 0 of 1/)
    await prisma.organization.update({ where: { id: org.id }, data: { highRiskRoles: [] } })
    await prisma.trainingAssignment.updateMany({ where: { membershipId: { in: people.slice(1, 3).map((m) => m.id) } }, data: { status: 'open', completedAt: null } })
    c = await check(scope, ready, 'training')
    expect(c.status).toBe('fail')
    expect(c.why).toMatch(/The pilot .*: 72.7 % trained \(8 of 11\), below 90 %/)
    expect(c.link).toMatch(/\/training\/adoption\?project=.*&wave=/)
    // The pilot live: the next wave (nobody trained in it) is judged.
    await prisma.projectWave.update({ where: { id: ready.pilot.id }, data: { status: 'live' } })
    await prisma.projectWave.create({ data: { organizationId: org.id, projectId: ready.project.id, kind: 'expansion', name: 'Wave 1', position: 1, units: ['Nowhere'], goLive: new Date(Date.now() + 90 * DAY) } })
    c = await check(scope, ready, 'training')
    expect(c.why).toMatch(/The next wave, “Wave 1”: Nobody in it has training required/)
  })

  test('training: a named member of the pilot from another unit counts once, beside its unit’s people', async () => {
    const { org, scope, ready } = await setup()
    const named = await addMember(org, await createTestUser(), 'staff', 'clinical', 'Elsewhere')
    await prisma.trainingAssignment.create({ data: { organizationId: org.id, membershipId: named.id, moduleId: ready.module.id, dueAt: new Date(), status: 'open' } })
    await prisma.projectWaveMember.create({ data: { organizationId: org.id, waveId: ready.pilot.id, membershipId: named.id } })
    // A named member who is also in the unit is not counted twice.
    await prisma.projectWaveMember.create({ data: { organizationId: org.id, waveId: ready.pilot.id, membershipId: ready.ops.id } })
    const c = await check(scope, ready, 'training')
    expect(c.status).toBe('fail')
    expect(c.why).toMatch(/50 % trained \(1 of 2\), below 90 %/)
  })
})
