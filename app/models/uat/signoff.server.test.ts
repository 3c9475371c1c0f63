import { describe, expect, test } from 'vitest'
import { createInterface } from '#app/models/inventory/interface.server.ts'
import { InterfaceSchema, SystemSchema } from '#app/models/inventory/inventory.ts'
import { createSystem } from '#app/models/inventory/system.server.ts'
import { confirmPassword } from '#app/models/people/user.server.ts'
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { reauthenticatedAt, reauthenticatedWithin, recordReauthentication } from '#app/utils/session.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, DEFAULT_TEST_PASSWORD, requestAs, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { holdUat, makeDefect, makeRun, makeScenario } from '#tests/signoff-fixtures.ts'
import { markSignoffsStale } from './signoff-stale.server.ts'
import { canonicalContent, getSignoff, listSignoffs, requestSignoff, signOff, signoffContent, uatSignoffState, verifySignoff, type SignOffInput } from './signoff.server.ts'

const MIN = 60_000

async function setUp() {
  const { org, scope: owner } = await createOrgWithOwner()
  const member = async (role: 'manager' | 'analyst' | 'clinical_lead', name: string) => {
    const user = await createTestUser({ name: `${name} ${uniqueSuffix()}` })
    await addMember(org, user, role)
    return scopeFor(org, user)
  }
  const manager = await member('manager', 'Maya Manager')
  const analyst = await member('analyst', 'Arjun Analyst')
  const lead = await member('clinical_lead', 'Grace Lead')
  const otherLead = await member('clinical_lead', 'Colin Consulted')
  const lis = await createSystem(owner, SystemSchema.parse({ name: `LIS ${uniqueSuffix()}`, kind: 'lis', vendor: 'Northwind' }))
  const ehr = await createSystem(owner, SystemSchema.parse({ name: `EHR ${uniqueSuffix()}`, kind: 'ehr', vendor: 'Meridian' }))
  const results = await createInterface(owner, InterfaceSchema.parse({ name: `Results ${uniqueSuffix()}`, sourceSystemId: lis.id, targetSystemId: ehr.id, standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine' }))
  const orders = await createInterface(owner, InterfaceSchema.parse({ name: `Orders ${uniqueSuffix()}`, sourceSystemId: ehr.id, targetSystemId: lis.id, standard: 'hl7v2', messageTypes: ['ORM^O01'], transport: 'mllp', approach: 'via_engine' }))
  const project = await createProject(
    owner,
    ProjectSchema.parse({ name: `Lab results ${uniqueSuffix()}`, goal: 'Results in the chart', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', ownerId: manager.membershipId, interfaceIds: [results.id, orders.id] }),
  )
  await holdUat(owner, { projectId: project.id, membershipId: lead.membershipId, letter: 'A' })
  await holdUat(owner, { projectId: project.id, membershipId: otherLead.membershipId, letter: 'C' })
  const s1 = await makeScenario(owner, { projectId: project.id, interfaceId: results.id, authorId: analyst.membershipId, title: 'Potassium result files to the chart' })
  const s2 = await makeScenario(owner, { projectId: project.id, interfaceId: results.id, authorId: analyst.membershipId, title: 'Unknown local code is held, not filed' })
  const s3 = await makeScenario(owner, { projectId: project.id, interfaceId: orders.id, authorId: analyst.membershipId, title: 'Order reaches the LIS' })
  await makeRun(owner, { projectId: project.id, scenarioId: s1.id, result: 'fail', executedAt: new Date(Date.now() - 3 * 86400_000), testerId: lead.membershipId })
  await makeRun(owner, { projectId: project.id, scenarioId: s1.id, result: 'pass', executedAt: new Date(Date.now() - 86400_000), testerId: lead.membershipId, notes: 'Filed with LOINC 2823-3.' })
  await makeRun(owner, { projectId: project.id, scenarioId: s3.id, result: 'pass' })
  return { org, owner, manager, analyst, lead, otherLead, project, results, orders, s1, s2, s3 }
}

type World = Awaited<ReturnType<typeof setUp>>

async function sign(w: World, scope: TenantScope, fields: Partial<SignOffInput> = {}, now = new Date()) {
  const set = { projectId: w.project.id, interfaceId: fields.interfaceId === undefined ? w.results.id : fields.interfaceId }
  const read = (await signoffContent(scope, set))!
  return signOff(scope, { ...set, decision: 'signed', contentHash: read.hash, stepUpAt: new Date(now.getTime() - 2 * MIN), ...fields }, { now })
}

const denials = (w: World, scope: TenantScope) =>
  prisma.auditEvent.count({ where: { organizationId: w.org.id, actorUserId: scope.userId, action: 'security.permission_denied', targetId: w.project.id } })

describe('the content a signer reads', () => {
  test('each scenario of the set with its latest run, the open defects, in a canonical form with a stable SHA-256', async () => {
    const w = await setUp()
    const d1 = await makeDefect(w.owner, { projectId: w.project.id, scenarioId: w.s2.id, severity: 2, title: 'Held results not shown to the lab' })
    await makeDefect(w.owner, { projectId: w.project.id, scenarioId: null, severity: 3, title: 'Project-wide: slow filing' })
    await makeDefect(w.owner, { projectId: w.project.id, scenarioId: w.s3.id, severity: 1, title: 'Orders defect (other interface)' })
    await makeDefect(w.owner, { projectId: w.project.id, scenarioId: w.s1.id, severity: 2, status: 'fixed', title: 'Fixed already' })

    const iface = (await signoffContent(w.lead, { projectId: w.project.id, interfaceId: w.results.id }))!
    expect(iface.content.scenarios.map((s) => s.label)).toEqual(['S-1', 'S-2'])
    expect(iface.content.scenarios[0]!.latestRun).toMatchObject({ result: 'pass', environment: 'test', notes: 'Filed with LOINC 2823-3.', tester: expect.stringContaining('Grace Lead') })
    expect(iface.content.scenarios[0]!.latestRun!.executedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/)
    expect(iface.content.scenarios[1]!.latestRun).toBeNull()
    expect(iface.content.scenarios[0]!.edgeCases).toEqual(['null_values', 'unexpected_codes'])
    // The interface's open defects and the project-wide ones; not the other interface's, not a fixed one.
    expect(iface.content.openDefects.map((d) => d.title)).toEqual(['Held results not shown to the lab', 'Project-wide: slow filing'])
    expect(iface.content.openDefects[0]).toMatchObject({ label: `DEF-${d1.number}`, severity: 2, scenario: 'S-2' })
    expect(iface.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(iface.statements.signed).toBe(`I have reviewed S-1 and S-2 with their latest results and the open defects listed, and accept the UAT scenarios of the interface “${w.results.name}” for go-live in the project “${w.project.name}”.`)

    const whole = (await signoffContent(w.lead, { projectId: w.project.id }))!
    expect(whole.content.scenarios.map((s) => s.label)).toEqual(['S-1', 'S-2', 'S-3'])
    expect(whole.content.openDefects).toHaveLength(3)

    // Stable: the same content gives the same text and hash; key order does not matter; a new run changes it.
    const again = (await signoffContent(w.lead, { projectId: w.project.id, interfaceId: w.results.id }))!
    expect(again.canonical).toBe(iface.canonical)
    expect(again.hash).toBe(iface.hash)
    const reversed = Object.fromEntries(Object.entries(iface.content).reverse())
    expect(canonicalContent(reversed).hash).toBe(iface.hash)
    expect(iface.canonical.startsWith('{"openDefects":[')).toBe(true)
    await makeRun(w.owner, { projectId: w.project.id, scenarioId: w.s2.id, result: 'pass' })
    expect((await signoffContent(w.lead, { projectId: w.project.id, interfaceId: w.results.id }))!.hash).not.toBe(iface.hash)
  })

  test('names the pilot in the statement when the project has one', async () => {
    const w = await setUp()
    await prisma.projectWave.create({ data: { organizationId: w.org.id, projectId: w.project.id, kind: 'pilot', name: 'ED pilot', position: 0, units: ['Emergency Department'] } })
    const read = (await signoffContent(w.lead, { projectId: w.project.id }))!
    expect(read.statements.signed).toMatch(/for go-live in the pilot “ED pilot” \(Emergency Department\)\.$/)
    expect(read.statements.refused).toMatch(/and do not accept/)
  })
})

describe('signing off', () => {
  test('a clinical lead who is A on UAT signs: the record, its scenarios, the audit and the owner’s notice; the stored hash recomputes', async () => {
    const w = await setUp()
    const row = (await sign(w, w.lead))!
    expect(row).toMatchObject({ decision: 'signed', interfaceId: w.results.id, signerName: expect.stringContaining('Grace Lead') })
    expect(canonicalContent(row.content).hash).toBe(row.contentHash)
    const stored = await prisma.uatSignoff.findUniqueOrThrow({ where: { id: row.id } })
    expect(canonicalContent(stored.content).hash).toBe(stored.contentHash)
    expect(await prisma.uatSignoffScenario.count({ where: { signoffId: row.id } })).toBe(2)
    expect(await prisma.auditEvent.count({ where: { organizationId: w.org.id, action: 'uat.signed_off', targetId: row.id } })).toBe(1)
    const notice = await prisma.notification.findFirstOrThrow({ where: { membershipId: w.manager.membershipId, kind: 'gate.signed_off' } })
    expect(notice.link).toBe(`/o/${w.org.slug}/projects/${w.project.id}/uat/signoffs/${row.id}`)
    const verified = (await verifySignoff(w.manager, { projectId: w.project.id, signoffId: row.id }))!
    expect(verified).toMatchObject({ intact: true, matchesLive: true, changes: [], stale: null })
    const got = (await getSignoff(w.manager, { projectId: w.project.id, signoffId: row.id }))!
    expect(got.content.scenarios.map((s) => s.label)).toEqual(['S-1', 'S-2'])
    expect((await listSignoffs(w.manager, { projectId: w.project.id }))!.signoffs.map((s) => s.id)).toEqual([row.id])
  })

  test('a refusal needs a reason and is recorded with it', async () => {
    const w = await setUp()
    await expectDomainError(sign(w, w.lead, { decision: 'refused', refusalReason: '  ' }), 'RULE_VIOLATION', /Say why/)
    const row = (await sign(w, w.lead, { decision: 'refused', refusalReason: 'S-2 has never been run.' }))!
    expect(row).toMatchObject({ decision: 'refused', refusalReason: 'S-2 has never been run.' })
    expect(row.statement).toMatch(/and do not accept/)
    expect(await prisma.auditEvent.count({ where: { organizationId: w.org.id, action: 'uat.signoff_refused', targetId: row.id } })).toBe(1)
    expect(await prisma.notification.count({ where: { membershipId: w.manager.membershipId, kind: 'gate.signoff_refused' } })).toBe(1)
  })

  test('the step-up is required and expires after 15 minutes (injected clock); refusals are audited as permission denied', async () => {
    const w = await setUp()
    const now = new Date('2027-03-01T10:00:00Z')
    await expectDomainError(sign(w, w.lead, { stepUpAt: null }, now), 'FORBIDDEN', /Re-enter your password/)
    await expectDomainError(sign(w, w.lead, { stepUpAt: new Date(now.getTime() - 16 * MIN) }, now), 'FORBIDDEN', /within the last 15 minutes/)
    expect(await denials(w, w.lead)).toBe(2)
    expect(await prisma.uatSignoff.count({ where: { projectId: w.project.id } })).toBe(0)
    const row = (await sign(w, w.lead, { stepUpAt: new Date(now.getTime() - 14 * MIN) }, now))!
    expect(row.stepUpAt.toISOString()).toBe('2027-03-01T09:46:00.000Z')
    expect(row.signedAt.toISOString()).toBe(now.toISOString())
    expect(reauthenticatedWithin(new Date(now.getTime() - 15 * MIN), 15, now)).toBe(true)
    expect(reauthenticatedWithin(new Date(now.getTime() - 15 * MIN - 1), 15, now)).toBe(false)
    expect(reauthenticatedWithin(new Date(now.getTime() + 10 * MIN), 15, now)).toBe(false)
  })

  test('the author of a scenario cannot sign it off', async () => {
    const w = await setUp()
    await makeScenario(w.owner, { projectId: w.project.id, interfaceId: w.results.id, authorId: w.lead.membershipId, title: 'Written by the lead' })
    await expectDomainError(sign(w, w.lead), 'FORBIDDEN', /The author of a scenario cannot sign it off: you wrote S-4/)
    expect(await denials(w, w.lead)).toBe(1)
    expect(await prisma.uatSignoff.count({ where: { projectId: w.project.id } })).toBe(0)
    // The other interface's set has none of hers: she may sign that.
    expect(await sign(w, w.lead, { interfaceId: w.orders.id })).toMatchObject({ decision: 'signed' })
  })

  test('a clinical lead who is only C on UAT, and a role without uat:signoff, are refused and audited', async () => {
    const w = await setUp()
    await expectDomainError(sign(w, w.otherLead), 'FORBIDDEN', /Responsible or Accountable/)
    expect(await denials(w, w.otherLead)).toBe(1)
    await holdUat(w.owner, { projectId: w.project.id, membershipId: w.manager.membershipId, letter: 'R' })
    await expectDomainError(sign(w, w.manager), 'FORBIDDEN', /Only clinical leads/)
    expect(await denials(w, w.manager)).toBe(1)
    // R is as good as A.
    await holdUat(w.owner, { projectId: w.project.id, membershipId: w.otherLead.membershipId, letter: 'R' })
    expect(await sign(w, w.otherLead)).toMatchObject({ decision: 'signed' })
  })

  test('content that changed while reading, and an empty set, are refused; nothing is written', async () => {
    const w = await setUp()
    const read = (await signoffContent(w.lead, { projectId: w.project.id, interfaceId: w.results.id }))!
    await makeRun(w.owner, { projectId: w.project.id, scenarioId: w.s2.id, result: 'fail' })
    await expectDomainError(
      signOff(w.lead, { projectId: w.project.id, interfaceId: w.results.id, decision: 'signed', contentHash: read.hash, stepUpAt: new Date() }),
      'CONFLICT',
      /the content changed while you were reading — read it again/i,
    )
    const empty = await prisma.projectInterface.findFirstOrThrow({ where: { projectId: w.project.id, interfaceId: w.orders.id } })
    await prisma.uatScenario.delete({ where: { id: w.s3.id } })
    await expectDomainError(sign(w, w.lead, { interfaceId: empty.interfaceId }), 'RULE_VIOLATION', /nothing to sign/)
    expect(await prisma.uatSignoff.count({ where: { projectId: w.project.id } })).toBe(0)
  })
})

describe('integrity', () => {
  test('the database refuses UPDATE and DELETE of a sign-off and of its scenario rows', async () => {
    const w = await setUp()
    const row = (await sign(w, w.lead))!
    await expect(prisma.$executeRaw`UPDATE "UatSignoff" SET "statement" = 'rewritten' WHERE id = ${row.id}`).rejects.toThrow(/immutable/)
    await expect(prisma.$executeRaw`DELETE FROM "UatSignoff" WHERE id = ${row.id}`).rejects.toThrow(/immutable/)
    await expect(prisma.$executeRaw`DELETE FROM "UatSignoffScenario" WHERE "signoffId" = ${row.id}`).rejects.toThrow(/immutable/)
    expect((await prisma.uatSignoff.findUniqueOrThrow({ where: { id: row.id } })).statement).toBe(row.statement)
  })

  test('a tampered row (written with the trigger disabled) no longer matches its hash', async () => {
    const w = await setUp()
    const row = (await sign(w, w.lead))!
    const content = row.content as { scenarios: { latestRun: unknown }[] }
    content.scenarios[1]!.latestRun = { id: 'forged', result: 'pass', environment: 'test', tester: 'Someone', executedAt: new Date().toISOString(), notes: null, evidence: null, evidenceUrl: null }
    await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('ALTER TABLE "UatSignoff" DISABLE TRIGGER "UatSignoff_immutable"')
      await tx.$executeRaw`UPDATE "UatSignoff" SET "content" = ${JSON.stringify(content)}::jsonb WHERE id = ${row.id}`
      await tx.$executeRawUnsafe('ALTER TABLE "UatSignoff" ENABLE TRIGGER "UatSignoff_immutable"')
    })
    const verified = (await verifySignoff(w.lead, { projectId: w.project.id, signoffId: row.id }))!
    expect(verified.intact).toBe(false)
    expect(verified.recomputedHash).not.toBe(verified.storedHash)
    // The stored hash is still that of what was signed, so it still matches the live content.
    expect(verified.matchesLive).toBe(true)
  })
})

describe('staleness', () => {
  const cases = [
    { kind: 'a scenario edited', change: async (w: World) => {
      await prisma.uatScenario.update({ where: { id: w.s2.id }, data: { steps: 'Send an ORU^R01 with an unknown local code.' } })
      return { scenarioIds: [w.s2.id], reason: 'S-2 was edited' }
    }, expectChange: /S-2 was edited \(steps\)/ },
    { kind: 'a run recorded', change: async (w: World) => {
      await makeRun(w.owner, { projectId: w.project.id, scenarioId: w.s1.id, result: 'fail' })
      return { scenarioIds: [w.s1.id], reason: 'a run of S-1 was recorded' }
    }, expectChange: /S-1 has a newer run \(fail/ },
    { kind: 'a severity-2 defect opened', change: async (w: World) => {
      const d = await makeDefect(w.owner, { projectId: w.project.id, severity: 2, title: 'Results file to the wrong encounter' })
      return { reason: `DEF-${d.number} (severity 2) was opened` }
    }, expectChange: /DEF-\d+ \(severity 2\) was opened/ },
  ]
  for (const c of cases) {
    test(`${c.kind} makes the sign-off stale: the state, the verification, the signer’s and owner’s inboxes say so`, async () => {
      const w = await setUp()
      const row = (await sign(w, w.lead))!
      let state = (await uatSignoffState(w.manager, { projectId: w.project.id }))!
      const ifaceSet = () => state.sets.find((s) => s.interfaceId === w.results.id)!
      expect(ifaceSet()).toMatchObject({ coversAll: true, latestSigned: { id: row.id, stale: false } })
      expect(state.uncovered).toEqual(['S-3'])

      const cause = await c.change(w)
      expect(await markSignoffsStale(systemScope(w.org.id), { projectId: w.project.id, ...cause })).toBe(1)
      state = (await uatSignoffState(w.manager, { projectId: w.project.id }))!
      expect(ifaceSet().latestSigned).toMatchObject({ id: row.id, stale: true, staleReason: cause.reason })
      expect(state.anyStale).toBe(true)
      expect(state.uncovered).toEqual(['S-1', 'S-2', 'S-3'])
      const verified = (await verifySignoff(w.manager, { projectId: w.project.id, signoffId: row.id }))!
      expect(verified).toMatchObject({ intact: true, matchesLive: false, stale: { reason: cause.reason } })
      expect(verified.changes.join('; ')).toMatch(c.expectChange)
      const told = await prisma.notification.findMany({ where: { organizationId: w.org.id, kind: 'gate.signoff_stale' }, select: { membershipId: true, link: true } })
      expect(told.map((n) => n.membershipId).sort()).toEqual([w.lead.membershipId, w.manager.membershipId].sort())
      expect(told[0]!.link).toBe(`/o/${w.org.slug}/projects/${w.project.id}/uat/signoffs/${row.id}`)
      // The sign-off row itself did not change.
      expect(canonicalContent((await prisma.uatSignoff.findUniqueOrThrow({ where: { id: row.id } })).content).hash).toBe(row.contentHash)
    })
  }

  test('the project is signed when every current scenario is covered by fresh signatures of its sets; a later refusal withdraws one', async () => {
    const w = await setUp()
    expect((await uatSignoffState(w.manager, { projectId: w.project.id }))!.signed).toBe(false)
    await sign(w, w.lead)
    await sign(w, w.lead, { interfaceId: w.orders.id })
    let state = (await uatSignoffState(w.manager, { projectId: w.project.id }))!
    expect(state).toMatchObject({ signed: true, uncovered: [], scenarioCount: 3 })
    expect(state.sets.find((s) => s.kind === 'project')).toMatchObject({ latest: null, coversAll: false })
    // A new scenario is not covered until signed.
    const s4 = await makeScenario(w.owner, { projectId: w.project.id, interfaceId: null, authorId: w.analyst.membershipId })
    state = (await uatSignoffState(w.manager, { projectId: w.project.id }))!
    expect(state).toMatchObject({ signed: false, uncovered: [`S-${s4.number}`] })
    await sign(w, w.lead, { interfaceId: null })
    expect((await uatSignoffState(w.manager, { projectId: w.project.id }))!.signed).toBe(true)
    await sign(w, w.lead, { interfaceId: null, decision: 'refused', refusalReason: 'Found a problem.' })
    state = (await uatSignoffState(w.manager, { projectId: w.project.id }))!
    expect(state.signed).toBe(false)
    expect(state.uncovered).toEqual([`S-${s4.number}`])
  })
})

describe('asking for a sign-off', () => {
  test('tells the clinical leads who are R or A on UAT; nobody eligible is a clear error', async () => {
    const w = await setUp()
    const asked = (await requestSignoff(w.manager, { projectId: w.project.id, interfaceId: w.results.id }))!
    expect(asked.asked).toEqual([expect.stringContaining('Grace Lead')])
    const notice = await prisma.notification.findFirstOrThrow({ where: { membershipId: w.lead.membershipId, kind: 'gate.signoff_requested' } })
    expect(notice.link).toBe(`/o/${w.org.slug}/projects/${w.project.id}/uat/signoff?interface=${w.results.id}`)
    expect(notice.body).toMatch(/2 scenarios, 0 open defects/)
    expect(await prisma.notification.count({ where: { membershipId: w.otherLead.membershipId } })).toBe(0)
    expect(await prisma.auditEvent.count({ where: { organizationId: w.org.id, action: 'uat.signoff_requested' } })).toBe(1)

    await prisma.raciAssignment.deleteMany({ where: { projectId: w.project.id, membershipId: w.lead.membershipId } })
    await expectDomainError(requestSignoff(w.manager, { projectId: w.project.id }), 'RULE_VIOLATION', /nobody can sign: make a clinical lead R or A on UAT in the RACI/i)
  })
})

describe('step-up', () => {
  test('a right password stamps the session; a wrong one is audited and counts toward the sign-in lockout', async () => {
    const w = await setUp()
    const request = await requestAs(w.lead.userId)
    expect(await reauthenticatedAt(request)).toBeNull()
    await confirmPassword(w.lead, { password: DEFAULT_TEST_PASSWORD, purpose: 'UAT sign-off' })
    expect(await recordReauthentication(request, new Date('2027-03-01T10:00:00Z'))).toBe(true)
    expect((await reauthenticatedAt(request))!.toISOString()).toBe('2027-03-01T10:00:00.000Z')
    expect(await prisma.auditEvent.count({ where: { organizationId: w.org.id, actorUserId: w.lead.userId, action: 'auth.step_up' } })).toBe(1)
    // Another session of the same person is not stamped.
    expect(await reauthenticatedAt(await requestAs(w.lead.userId))).toBeNull()

    for (let i = 1; i <= 4; i++) await expectDomainError(confirmPassword(w.lead, { password: 'wrong', purpose: 'UAT sign-off' }), 'RULE_VIOLATION', /not your password/)
    await expectDomainError(confirmPassword(w.lead, { password: 'wrong', purpose: 'UAT sign-off' }), 'RATE_LIMITED', /Too many wrong passwords/)
    // Locked: even the right password is refused now, at step-up and at sign-in alike.
    await expectDomainError(confirmPassword(w.lead, { password: DEFAULT_TEST_PASSWORD, purpose: 'UAT sign-off' }), 'RATE_LIMITED')
    expect(await prisma.auditEvent.count({ where: { organizationId: w.org.id, actorUserId: w.lead.userId, action: 'auth.step_up_failed' } })).toBe(5)
    expect(await prisma.auditEvent.count({ where: { organizationId: w.org.id, actorUserId: w.lead.userId, action: 'auth.lockout' } })).toBe(1)
    const { logIn } = await import('#app/models/people/user.server.ts')
    expect(await logIn({ email: w.lead.userEmail, password: DEFAULT_TEST_PASSWORD })).toMatchObject({ ok: false, reason: 'locked' })
  })
})

describe('tenant isolation', () => {
  test('another organisation reads nothing, signs nothing, asks nothing', async () => {
    const w = await setUp()
    const row = (await sign(w, w.lead))!
    const { org: other, scope: stranger } = await createOrgWithOwner()
    const strangerLead = await createTestUser()
    await addMember(other, strangerLead, 'clinical_lead')
    const lead2 = await scopeFor(other, strangerLead)
    const ids = { projectId: w.project.id, signoffId: row.id }
    expect(await signoffContent(stranger, { projectId: w.project.id })).toBeNull()
    expect(await signoffContent(stranger, { projectId: w.project.id, interfaceId: w.results.id })).toBeNull()
    expect(await getSignoff(stranger, ids)).toBeNull()
    expect(await verifySignoff(stranger, ids)).toBeNull()
    expect(await listSignoffs(stranger, { projectId: w.project.id })).toBeNull()
    expect(await uatSignoffState(stranger, { projectId: w.project.id })).toBeNull()
    expect(await requestSignoff(stranger, { projectId: w.project.id })).toBeNull()
    expect(await signOff(lead2, { projectId: w.project.id, decision: 'signed', contentHash: row.contentHash, stepUpAt: new Date() })).toBeNull()
    expect(await markSignoffsStale(systemScope(other.id), { projectId: w.project.id, reason: 'forged' })).toBe(0)
    expect(await prisma.uatSignoff.count({ where: { projectId: w.project.id } })).toBe(1)
    expect(await prisma.uatSignoffStale.count({ where: { signoffId: row.id } })).toBe(0)
    // An interface of this organisation that is not in the project's scope is not a set of it.
    expect(await signoffContent(w.lead, { projectId: w.project.id, interfaceId: 'nope' })).toBeNull()
  })
})
