import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { scenarioInput, setUpUat, signOff } from '#tests/uat-fixtures.ts'
import { RunSchema } from './schemas.ts'
import { createScenario, listScenarios } from './scenarios.server.ts'
import { listRuns, recordRun } from './runs.server.ts'
import { uatSummary } from './summary.server.ts'

const run = (fields: Record<string, unknown> = {}) => RunSchema.parse({ result: 'pass', environment: 'test', ...fields })

describe('UAT runs', () => {
  test('are history: recorded with the actor as tester by default, listed newest first, the latest is the scenario’s result; the database refuses an edit', async () => {
    const { scope, project, iface, as } = await setUpUat()
    const analyst = await as('analyst')
    const lead = await as('clinical_lead')
    const s = (await createScenario(analyst, { projectId: project.id, ...scenarioInput({ interfaceId: iface.id }) }))!
    const first = (await recordRun(analyst, { projectId: project.id, scenarioId: s.id, ...run({ result: 'fail', executedOn: '2026-01-10', notes: 'H flag lost' }) }))!
    expect(first.testerId).toBe(analyst.membershipId)
    expect(first.executedAt.toISOString()).toBe('2026-01-10T12:00:00.000Z')
    await recordRun(analyst, { projectId: project.id, scenarioId: s.id, ...run({ testerId: lead.membershipId, evidenceUrl: 'https://wiki.example/run/2' }) })
    const runs = await listRuns(scope, { projectId: project.id, scenarioId: s.id })
    expect(runs.map((r) => r.result)).toEqual(['pass', 'fail'])
    expect(runs[0]!.testerId).toBe(lead.membershipId)
    expect((await listScenarios(scope, { projectId: project.id })).scenarios[0]!.latest).toMatchObject({ result: 'pass', environment: 'test' })
    expect((await uatSummary(scope, { projectId: project.id }))!.counts).toMatchObject({ scenarios: 1, executed: 1, pass: 1, fail: 0, notRun: 0 })
    await expect(prisma.uatRun.update({ where: { id: first.id }, data: { result: 'pass' } })).rejects.toThrow(/history/)
    expect(await prisma.auditEvent.count({ where: { organizationId: scope.organizationId, action: 'uat.run_recorded' } })).toBe(2)
  })

  test('a day in the future, a tester of another organisation, a plain http link are refused', async () => {
    const { project, as } = await setUpUat()
    const analyst = await as('analyst')
    const s = (await createScenario(analyst, { projectId: project.id, ...scenarioInput() }))!
    const now = new Date('2027-03-01T10:00:00Z')
    const future = await expectDomainError(recordRun(analyst, { projectId: project.id, scenarioId: s.id, ...run({ executedOn: '2027-03-02' }) }, { now }), 'RULE_VIOLATION', /not come yet/)
    expect(future.field).toBe('executedOn')
    const today = (await recordRun(analyst, { projectId: project.id, scenarioId: s.id, ...run({ executedOn: '2027-03-01' }) }, { now }))!
    expect(today.executedAt.toISOString()).toBe(now.toISOString())
    const foreign = await setUpUat()
    expect((await expectDomainError(recordRun(analyst, { projectId: project.id, scenarioId: s.id, ...run({ testerId: foreign.scope.membershipId }) }), 'RULE_VIOLATION')).field).toBe('testerId')
    expect(RunSchema.safeParse({ result: 'pass', environment: 'test', evidenceUrl: 'http://wiki.example' }).success).toBe(false)
    expect(RunSchema.safeParse({ result: 'pass', environment: 'test', evidenceUrl: 'javascript:alert(1)' }).success).toBe(false)
    await expectDomainError(recordRun(await foreign.as('staff'), { projectId: project.id, scenarioId: s.id, ...run() }), 'FORBIDDEN')
  })

  test('another organisation’s scope can neither record nor read runs', async () => {
    const mine = await setUpUat()
    const theirs = await setUpUat()
    const s = (await createScenario(mine.scope, { projectId: mine.project.id, ...scenarioInput() }))!
    await recordRun(mine.scope, { projectId: mine.project.id, scenarioId: s.id, ...run() })
    expect(await recordRun(theirs.scope, { projectId: mine.project.id, scenarioId: s.id, ...run() })).toBeNull()
    expect(await recordRun(theirs.scope, { projectId: theirs.project.id, scenarioId: s.id, ...run() })).toBeNull()
    expect(await listRuns(theirs.scope, { projectId: mine.project.id, scenarioId: s.id })).toEqual([])
    expect(await uatSummary(theirs.scope, { projectId: mine.project.id })).toBeNull()
    expect(await prisma.uatRun.count({ where: { scenarioId: s.id } })).toBe(1)
  })

  test('a run makes the sign-offs covering its scenario stale, in the same transaction', async () => {
    const { scope, project, as } = await setUpUat()
    const lead = await as('clinical_lead')
    const s = (await createScenario(scope, { projectId: project.id, ...scenarioInput() }))!
    const signoff = await signOff({ organizationId: scope.organizationId, projectId: project.id, signerId: lead.membershipId, scenarioIds: [s.id] })
    await recordRun(scope, { projectId: project.id, scenarioId: s.id, ...run({ result: 'blocked' }) })
    expect((await prisma.uatSignoffStale.findUniqueOrThrow({ where: { signoffId: signoff.id } })).reason).toBe('a run of S-1 was recorded (blocked)')
    expect(await prisma.notification.count({ where: { organizationId: scope.organizationId, kind: 'gate.signoff_stale', membershipId: lead.membershipId } })).toBe(1)
  })
})
