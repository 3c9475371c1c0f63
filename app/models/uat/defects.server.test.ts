import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { scenarioInput, setUpUat, signOff } from '#tests/uat-fixtures.ts'
import { createDefect, getDefect, listDefects, setDefectStatus, updateDefect } from './defects.server.ts'
import { recordRun } from './runs.server.ts'
import { DefectSchema, DefectStatusSchema, RunSchema } from './schemas.ts'
import { createScenario } from './scenarios.server.ts'
import { uatSummary } from './summary.server.ts'

const defect = (fields: Record<string, unknown> = {}) => DefectSchema.parse({ title: 'Abnormal flag H lost when OBX-8 is empty', severity: '2', ...fields })
const status = (fields: Record<string, unknown>) => DefectStatusSchema.parse(fields)

async function withFailedRun() {
  const u = await setUpUat()
  const analyst = await u.as('analyst')
  const s = (await createScenario(analyst, { projectId: u.project.id, ...scenarioInput({ interfaceId: u.iface.id }) }))!
  const run = (await recordRun(analyst, { projectId: u.project.id, scenarioId: s.id, ...RunSchema.parse({ result: 'fail', environment: 'test' }) }))!
  return { ...u, analyst, scenario: s, run }
}

describe('UAT defects', () => {
  test('are numbered DEF-1 … per project, linked to the scenario and run they came from; the summary counts open ones by severity', async () => {
    const { scope, project, analyst, scenario, run, iface } = await withFailedRun()
    const made = await Promise.all([1, 2, 3].map((n) => createDefect(analyst, { projectId: project.id, ...defect({ severity: String(n + 1), runId: run.id }) })))
    expect(made.map((d) => d!.number).sort()).toEqual([1, 2, 3])
    const d = (await getDefect(scope, { projectId: project.id, defectId: made[0]!.id }))!
    expect(d.scenario).toMatchObject({ id: scenario.id, label: 'S-1' })
    expect(d.run).toMatchObject({ id: run.id, result: 'fail' })
    expect(d.createdBy).not.toBeNull()
    const summary = (await uatSummary(scope, { projectId: project.id }))!
    expect(summary.counts).toMatchObject({ fail: 1, openDefects: { 1: 0, 2: 1, 3: 1, 4: 1 }, openBlocking: 1 })
    expect(summary.interfaces.find((i) => i.interfaceId === iface.id)!.counts.openBlocking).toBe(1)
    expect(await prisma.auditEvent.count({ where: { organizationId: scope.organizationId, action: 'uat.defect_opened' } })).toBe(3)
  })

  test('status: open → fixed → verified, won’t fix needs a reason, reopening clears the dates; wrong moves refused', async () => {
    const { project, analyst, run } = await withFailedRun()
    const d = (await createDefect(analyst, { projectId: project.id, ...defect({ severity: '3', runId: run.id }) }))!
    const at = new Date('2027-02-01T09:00:00Z')
    await expectDomainError(setDefectStatus(analyst, { projectId: project.id, defectId: d.id, ...status({ status: 'verified' }) }), 'RULE_VIOLATION', /fixed/)
    const fixed = (await setDefectStatus(analyst, { projectId: project.id, defectId: d.id, ...status({ status: 'fixed' }) }, { now: at }))!
    expect(fixed).toMatchObject({ status: 'fixed', fixedAt: at })
    const verified = (await setDefectStatus(analyst, { projectId: project.id, defectId: d.id, ...status({ status: 'verified' }) }))!
    expect(verified.status).toBe('verified')
    expect(verified.verifiedAt).not.toBeNull()
    await expectDomainError(setDefectStatus(analyst, { projectId: project.id, defectId: d.id, ...status({ status: 'verified' }) }), 'CONFLICT')
    const reopened = (await setDefectStatus(analyst, { projectId: project.id, defectId: d.id, ...status({ status: 'open' }) }))!
    expect(reopened).toMatchObject({ status: 'open', fixedAt: null, verifiedAt: null })
    expect(DefectStatusSchema.safeParse({ status: 'wont_fix' }).success).toBe(false)
    await expectDomainError(setDefectStatus(analyst, { projectId: project.id, defectId: d.id, status: 'wont_fix', wontFixReason: undefined }), 'RULE_VIOLATION', /why/)
    const wont = (await setDefectStatus(analyst, { projectId: project.id, defectId: d.id, ...status({ status: 'wont_fix', wontFixReason: 'Cosmetic; the EHR upgrade replaces the screen.' }) }))!
    expect(wont.wontFixReason).toMatch(/EHR upgrade/)
    expect((await listDefects(analyst, { projectId: project.id, status: 'wont_fix' })).map((x) => x.label)).toEqual(['DEF-1'])
  })

  test('links must be the project’s: a scenario or run elsewhere, a run of another scenario, an owner of another organisation are field errors', async () => {
    const { project, analyst, run } = await withFailedRun()
    const other = (await createScenario(analyst, { projectId: project.id, ...scenarioInput() }))!
    const foreign = await withFailedRun()
    expect((await expectDomainError(createDefect(analyst, { projectId: project.id, ...defect({ scenarioId: foreign.scenario.id }) }), 'RULE_VIOLATION')).field).toBe('scenarioId')
    expect((await expectDomainError(createDefect(analyst, { projectId: project.id, ...defect({ runId: foreign.run.id }) }), 'RULE_VIOLATION')).field).toBe('runId')
    expect((await expectDomainError(createDefect(analyst, { projectId: project.id, ...defect({ scenarioId: other.id, runId: run.id }) }), 'RULE_VIOLATION')).field).toBe('runId')
    expect((await expectDomainError(createDefect(analyst, { projectId: project.id, ...defect({ ownerId: foreign.analyst.membershipId }) }), 'RULE_VIOLATION')).field).toBe('ownerId')
    expect(DefectSchema.safeParse({ title: 'x', severity: '5' }).success).toBe(false)
    expect(await prisma.uatDefect.count({ where: { projectId: project.id } })).toBe(0)
  })

  test('another organisation’s scope can neither read nor change a defect', async () => {
    const mine = await withFailedRun()
    const theirs = await withFailedRun()
    const d = (await createDefect(mine.analyst, { projectId: mine.project.id, ...defect({ severity: '3' }) }))!
    expect(await getDefect(theirs.scope, { projectId: mine.project.id, defectId: d.id })).toBeNull()
    expect(await listDefects(theirs.scope, { projectId: mine.project.id })).toEqual([])
    expect(await updateDefect(theirs.analyst, { projectId: mine.project.id, defectId: d.id, title: 'Theirs', severity: 1, description: undefined, ownerId: undefined })).toBeNull()
    expect(await setDefectStatus(theirs.analyst, { projectId: theirs.project.id, defectId: d.id, ...status({ status: 'fixed' }) })).toBeNull()
    expect(await createDefect(theirs.analyst, { projectId: mine.project.id, ...defect() })).toBeNull()
    expect(await prisma.uatDefect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ title: d.title, status: 'open', severity: 3 })
  })

  test('a severity 1–2 defect opened, raised to 1–2 or reopened makes sign-offs stale; a minor one does not', async () => {
    const { scope, project, analyst, scenario, run, as } = await withFailedRun()
    const lead = await as('clinical_lead')
    const sign = () => signOff({ organizationId: scope.organizationId, projectId: project.id, signerId: lead.membershipId, scenarioIds: [scenario.id] })
    const staleOf = async (id: string) => (await prisma.uatSignoffStale.findUnique({ where: { signoffId: id } }))?.reason ?? null

    let signoff = await sign()
    const minor = (await createDefect(analyst, { projectId: project.id, ...defect({ severity: '3', runId: run.id }) }))!
    expect(await staleOf(signoff.id)).toBeNull()
    await updateDefect(analyst, { projectId: project.id, defectId: minor.id, title: minor.title, severity: 2, description: undefined, ownerId: undefined })
    expect(await staleOf(signoff.id)).toBe('DEF-1 (severity 2) was raised to severity 2')

    signoff = await sign()
    // With no scenario, a severe defect concerns the whole project.
    await createDefect(analyst, { projectId: project.id, ...defect({ severity: '1' }) })
    expect(await staleOf(signoff.id)).toBe('DEF-2 (severity 1) was opened')

    await setDefectStatus(analyst, { projectId: project.id, defectId: minor.id, ...status({ status: 'fixed' }) })
    signoff = await sign()
    await setDefectStatus(analyst, { projectId: project.id, defectId: minor.id, ...status({ status: 'open' }) })
    expect(await staleOf(signoff.id)).toBe('DEF-1 (severity 2) was reopened')
  })
})
