/**
 * Go/no-go records: the votes validated, conditions required for a "go with conditions", another
 * organisation's member refused, what the record froze unchanged after the data moves on, and
 * another organisation's scope seeing nothing.
 */
import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { readyProject } from '#tests/readiness-factories.ts'
import { GoNoGoSchema, type GoNoGoInput } from './gonogo.ts'
import { getMeeting, listMeetings, panelDefaults, recordMeeting } from './gonogo.server.ts'

const NOW = new Date('2027-03-10T15:00:00Z')

async function setup() {
  const { org, scope } = await createOrgWithOwner()
  const ready = await readyProject({ org, ownerScope: scope, now: NOW })
  const it = await addMember(org, await createTestUser({ name: 'Ivan IT' }), 'analyst', 'it')
  // The clinical lead is R on the project's UAT step (the panel's default clinical seat).
  const uat = await prisma.raciActivity.findFirstOrThrow({ where: { projectId: ready.project.id, step: { standardKey: 'uat' } } })
  await prisma.raciAssignment.create({ data: { organizationId: org.id, projectId: ready.project.id, activityId: uat.id, membershipId: ready.clinical.id, letter: 'R' } })
  const defect = await prisma.uatDefect.create({
    data: { organizationId: org.id, projectId: ready.project.id, number: 1, title: 'Units missing on potassium', severity: 2, ownerId: it.id, scenarioId: ready.scenario.id },
  })
  return { org, scope, ready, it, defect }
}
type Setup = Awaited<ReturnType<typeof setup>>

const form = (s: Setup, fields: Record<string, unknown> = {}) =>
  GoNoGoSchema.parse({
    heldOn: '2027-03-09',
    decision: 'go_with_conditions',
    conditions: 'DEF-1 fixed and verified before go-live.',
    notes: 'Board room, 10:00.',
    votes: {
      project_accountable: { membershipId: s.ready.manager.id, vote: 'go', comment: 'Ready once DEF-1 is fixed.' },
      clinical_lead: { membershipId: s.ready.clinical.id, vote: 'go' },
      it: { membershipId: s.it.id, vote: 'abstain', comment: 'Fix in test, not yet in production.' },
      compliance: { membershipId: s.ready.compliance.id, vote: 'go' },
    },
    ...fields,
  })

const withVote = (s: Setup, role: keyof GoNoGoInput['votes'], membershipId: string) => {
  const f = form(s)
  return { ...f, votes: { ...f.votes, [role]: { ...f.votes[role], membershipId } } }
}

describe('recording a go/no-go meeting', () => {
  test('records the decision and four votes, freezes the scorecard, sign-offs and open defects, and writes a go_no_go snapshot (audited)', async () => {
    const s = await setup()
    const meeting = (await recordMeeting(s.scope, { projectId: s.ready.project.id, waveId: s.ready.pilot.id, ...form(s) }, { now: NOW }))!
    const m = (await getMeeting(s.scope, { projectId: s.ready.project.id, meetingId: meeting.id }))!
    expect(m).toMatchObject({ heldOn: '2027-03-09', decision: 'go_with_conditions', conditions: 'DEF-1 fixed and verified before go-live.', wave: { name: s.ready.pilot.name } })
    expect(m.votes.map((v) => [v.panelRole, v.vote])).toEqual([
      ['project_accountable', 'go'],
      ['clinical_lead', 'go'],
      ['it', 'abstain'],
      ['compliance', 'go'],
    ])
    expect(m.votes.find((v) => v.panelRole === 'it')!.name).toBe('Ivan IT')
    // The open severity-2 defect fails the UAT check: the scorecard as the panel saw it.
    expect(m.snapshot.scorecard.checks.find((c) => c.key === 'uat')).toMatchObject({ status: 'fail', why: expect.stringMatching(/DEF-1/) })
    expect(m.snapshot.scorecard.scorePct).toBeLessThan(100)
    expect(m.snapshot.openDefects).toEqual([{ number: 1, title: 'Units missing on potassium', severity: 2, owner: 'Ivan IT' }])
    expect(m.snapshot.signoffs).toEqual([expect.objectContaining({ id: s.ready.signoff.id, set: 'The whole project', decision: 'signed', stale: false, staleReason: null })])
    const snaps = await prisma.readinessSnapshot.findMany({ where: { projectId: s.ready.project.id } })
    expect(snaps).toEqual([expect.objectContaining({ kind: 'go_no_go', waveId: s.ready.pilot.id, daysBefore: null, scorePct: m.snapshot.scorecard.scorePct })])
    expect(await prisma.auditEvent.count({ where: { organizationId: s.org.id, action: 'gonogo.recorded', targetId: s.ready.project.id } })).toBe(1)
    expect(await listMeetings(s.scope, { projectId: s.ready.project.id })).toHaveLength(1)
  })

  test('a go with conditions needs its conditions (the form and the model); a plain go takes none', () => {
    const s = { ready: { manager: { id: 'a' }, clinical: { id: 'b' }, compliance: { id: 'd' } }, it: { id: 'c' } } as unknown as Setup
    const bad = GoNoGoSchema.safeParse({ ...form(s), conditions: '' })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['conditions'])
    expect(GoNoGoSchema.safeParse({ ...form(s), decision: 'go', conditions: 'x' }).success).toBe(false)
    expect(GoNoGoSchema.safeParse({ ...form(s), decision: 'go', conditions: undefined }).success).toBe(true)
    // A vote without a voter or with an unknown vote is refused by the schema.
    const f = form(s)
    expect(GoNoGoSchema.safeParse({ ...f, votes: { ...f.votes, it: { membershipId: '', vote: 'go' } } }).success).toBe(false)
    expect(GoNoGoSchema.safeParse({ ...f, votes: { ...f.votes, it: { membershipId: 'c', vote: 'maybe' } } }).success).toBe(false)
  })

  test('the model refuses, as field errors and writing nothing: missing conditions, another organisation’s member, the accountable seat to someone else, one person twice, a future day, a foreign wave', async () => {
    const s = await setup()
    const projectId = s.ready.project.id
    await expectDomainError(recordMeeting(s.scope, { projectId, ...form(s), conditions: undefined }, { now: NOW }), 'RULE_VIOLATION', /conditions/)
    const other = await createOrgWithOwner()
    const outsider = await addMember(other.org, await createTestUser(), 'analyst', 'it')
    const refused = recordMeeting(s.scope, { projectId, ...withVote(s, 'it', outsider.id) }, { now: NOW })
    await expect(refused).rejects.toMatchObject({ code: 'RULE_VIOLATION', field: 'votes.it.membershipId', message: /member of this organisation/ })
    await expect(recordMeeting(s.scope, { projectId, ...withVote(s, 'project_accountable', s.ready.ops.id) }, { now: NOW })).rejects.toMatchObject({ field: 'votes.project_accountable.membershipId', message: /accountable seat/ })
    await expect(recordMeeting(s.scope, { projectId, ...withVote(s, 'compliance', s.it.id) }, { now: NOW })).rejects.toMatchObject({ field: 'votes.compliance.membershipId', message: /one seat each/ })
    await expect(recordMeeting(s.scope, { projectId, ...form(s, { heldOn: '2027-03-11' }) }, { now: NOW })).rejects.toMatchObject({ field: 'heldOn' })
    const elsewhere = await readyProject({ org: s.org, ownerScope: s.scope, now: NOW })
    await expect(recordMeeting(s.scope, { projectId, waveId: elsewhere.pilot.id, ...form(s) }, { now: NOW })).rejects.toMatchObject({ field: 'waveId' })
    // A deactivated member is not a voter either.
    await prisma.membership.update({ where: { id: s.it.id }, data: { status: 'deactivated' } })
    await expect(recordMeeting(s.scope, { projectId, ...form(s) }, { now: NOW })).rejects.toMatchObject({ field: 'votes.it.membershipId' })
    expect(await prisma.goNoGoMeeting.count({ where: { projectId } })).toBe(0)
    expect(await prisma.readinessSnapshot.count({ where: { projectId } })).toBe(0)
  })

  test('only gonogo:write records: a clinical lead is refused', async () => {
    const s = await setup()
    const lead = await createTestUser()
    await addMember(s.org, lead, 'clinical_lead')
    await expectDomainError(recordMeeting(await scopeFor(s.org, lead), { projectId: s.ready.project.id, ...form(s) }, { now: NOW }), 'FORBIDDEN')
  })

  test('what the record froze does not move when the data does: defect fixed, sign-off stale, project renamed, voter removed', async () => {
    const s = await setup()
    const meeting = (await recordMeeting(s.scope, { projectId: s.ready.project.id, ...form(s) }, { now: NOW }))!
    const before = (await getMeeting(s.scope, { projectId: s.ready.project.id, meetingId: meeting.id }))!
    await prisma.uatDefect.update({ where: { id: s.defect.id }, data: { status: 'verified', title: 'Renamed' } })
    await prisma.uatSignoffStale.create({ data: { organizationId: s.org.id, signoffId: s.ready.signoff.id, reason: 'A scenario changed' } })
    await prisma.project.update({ where: { id: s.ready.project.id }, data: { name: 'Renamed project' } })
    await prisma.membership.delete({ where: { id: s.it.id } })
    const after = (await getMeeting(s.scope, { projectId: s.ready.project.id, meetingId: meeting.id }))!
    expect(after.snapshot).toEqual(before.snapshot)
    expect(after.snapshot.openDefects[0]!.title).toBe('Units missing on potassium')
    expect(after.snapshot.signoffs[0]!.stale).toBe(false)
    expect(after.snapshot.project.name).toBe(s.ready.project.name)
    // The removed IT member's vote keeps their name as it was.
    expect(after.votes.find((v) => v.panelRole === 'it')).toMatchObject({ name: 'Ivan IT', vote: 'abstain' })
  })

  test('the panel’s defaults: the accountable person, the clinical lead on UAT, an IT member, a compliance member', async () => {
    const s = await setup()
    const d = (await panelDefaults(s.scope, { projectId: s.ready.project.id }))!
    expect(d.project_accountable).toBe(s.ready.manager.id)
    expect(d.clinical_lead).toBe(s.ready.clinical.id)
    expect(d.compliance).toBe(s.ready.compliance.id)
    const it = await prisma.membership.findUniqueOrThrow({ where: { id: d.it! } })
    expect(it.function).toBe('it')
    expect(d.it).not.toBe(s.ready.manager.id)
  })

  test('another organisation’s scope reads and records nothing of this one', async () => {
    const s = await setup()
    const meeting = (await recordMeeting(s.scope, { projectId: s.ready.project.id, ...form(s) }, { now: NOW }))!
    const other = await createOrgWithOwner()
    expect(await getMeeting(other.scope, { projectId: s.ready.project.id, meetingId: meeting.id })).toBeNull()
    expect(await listMeetings(other.scope, { projectId: s.ready.project.id })).toEqual([])
    expect(await panelDefaults(other.scope, { projectId: s.ready.project.id })).toBeNull()
    expect(await recordMeeting(other.scope, { projectId: s.ready.project.id, ...form(s) }, { now: NOW })).toBeNull()
    expect(await prisma.goNoGoMeeting.count({ where: { projectId: s.ready.project.id } })).toBe(1)
  })
})
