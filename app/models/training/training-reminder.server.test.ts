import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { createOrgWithOwner, uniqueSuffix } from '#tests/factories.ts'
import { assign, createModule, createStaff, daysFrom } from '#tests/training-factories.ts'
import { isQuietHour, listOrganizationsWithOpenTraining, runTrainingReminders } from './training-reminder.server.ts'

const HOUR = 3_600_000
/** A fixed clock: 10:00 UTC on a Tuesday. */
const T0 = new Date('2026-11-10T10:00:00.000Z')

/** An organisation in UTC without quiet hours (unless asked), with a manager and one member reporting to them. */
async function setup(opts: { timeZone?: string; quiet?: [number, number] } = {}) {
  const { org, owner } = await createOrgWithOwner()
  await prisma.organization.update({
    where: { id: org.id },
    data: { timeZone: opts.timeZone ?? 'UTC', quietHoursStart: opts.quiet?.[0] ?? 0, quietHoursEnd: opts.quiet?.[1] ?? 0 },
  })
  const manager = await createStaff(org, { name: `Manager ${uniqueSuffix()}`, role: 'manager' })
  const member = await createStaff(org, { name: `Member ${uniqueSuffix()}`, managerId: manager.membership.id })
  return { org, owner, manager, member }
}

const remindersOf = (assignmentId: string) =>
  prisma.trainingReminder.findMany({ where: { assignmentId }, orderBy: { createdAt: 'asc' } }).then((rs) => rs.map((r) => r.kind))
const inboxOf = (membershipId: string) => prisma.notification.findMany({ where: { membershipId }, orderBy: { createdAt: 'asc' } })
const digestsTo = (email: string) => prisma.emailOutbox.findMany({ where: { toEmail: email, template: 'training-digest' }, orderBy: { createdAt: 'asc' } })

describe('the reminder ladder', () => {
  test('7 days and 1 day before, at due, every 3 days after (3 times), then the manager; each rung once', async () => {
    const { org, manager, member } = await setup()
    const module = await createModule(org, { title: 'Epic inbasket basics' })
    const due = daysFrom(T0, 10)
    const a = await assign(org, member.membership.id, module.id, { dueAt: due, createdAt: daysFrom(T0, -5) })
    const at = (days: number) => new Date(due.getTime() + days * 86_400_000 + HOUR)

    expect((await runTrainingReminders(systemScope(org.id), { now: T0 })).recorded).toBe(0) // due in 10 days: nothing yet
    const first = await runTrainingReminders(systemScope(org.id), { now: at(-7) })
    expect(first).toMatchObject({ recorded: 1, emailed: 1, failed: 0, more: false })
    // Run again at the same moment (a retry, a second worker): nothing new.
    expect(await runTrainingReminders(systemScope(org.id), { now: at(-7) })).toMatchObject({ recorded: 0, emailed: 0 })

    for (const d of [-1, 0, 3, 6, 9]) await runTrainingReminders(systemScope(org.id), { now: at(d) })
    // And a day after the escalation: nothing more to send.
    expect(await runTrainingReminders(systemScope(org.id), { now: at(10) })).toMatchObject({ recorded: 0, emailed: 0 })
    expect(await remindersOf(a.id)).toEqual(['due_7', 'due_1', 'overdue_1', 'overdue_2', 'overdue_3', 'escalation'])

    const inbox = await inboxOf(member.membership.id)
    expect(inbox.map((n) => n.kind)).toEqual(['training.due_7', 'training.due_1', 'training.overdue_1', 'training.overdue_2', 'training.overdue_3', 'training.escalated'])
    // The escalation is also in the member's inbox (not in their email).
    expect(inbox[5]).toMatchObject({ title: 'Training overdue: Epic inbasket basics', body: '9 days overdue (due 20 Nov 2026). Your manager has been told.' })
    expect(inbox[0]).toMatchObject({ title: 'Training due soon: Epic inbasket basics', link: `/o/${org.slug}/training`, readAt: null })
    expect(inbox[0]!.body).toMatch(/^Due 20 Nov 2026, in 7 days\.$/)
    expect(inbox[4]!.body).toMatch(/6 days overdue \(due 20 Nov 2026\)\. Reminder 3 of 3\./)

    // The escalation goes to the member's manager, not to the member.
    const managerInbox = await inboxOf(manager.membership.id)
    expect(managerInbox).toHaveLength(1)
    expect(managerInbox[0]).toMatchObject({
      kind: 'training.escalation',
      title: `${member.user.name} is overdue: Epic inbasket basics`,
      link: `/o/${org.slug}/training/adoption`,
    })

    // One digest per rung day (six different days) to the member, and the manager's one with the team section.
    const mine = await digestsTo(member.user.email)
    expect(mine).toHaveLength(5)
    expect(mine[0]!.subject).toBe(`Training in ${org.name}: 1 due soon`)
    expect(mine[2]!.subject).toBe(`Training in ${org.name}: 1 overdue`)
    const theirs = await digestsTo(manager.user.email)
    expect(theirs).toHaveLength(1)
    expect(theirs[0]!.subject).toBe(`Training in ${org.name}: 1 overdue in your team`)
    expect(theirs[0]!.text).toContain(member.user.name)
    expect(theirs[0]!.text).toContain('9 days overdue')
    // Every reminder was carried by exactly one email.
    const reminders = await prisma.trainingReminder.findMany({ where: { assignmentId: a.id } })
    expect(reminders.every((r) => r.emailId && r.digestDate)).toBe(true)
    expect(new Set(reminders.map((r) => r.emailId)).size).toBe(6)
  })

  test('a run after a gap sends only the rung that is due now, not the ones it missed', async () => {
    const { org, member } = await setup()
    const module = await createModule(org)
    const a = await assign(org, member.membership.id, module.id, { dueAt: daysFrom(T0, -4) })
    await runTrainingReminders(systemScope(org.id), { now: T0 })
    expect(await remindersOf(a.id)).toEqual(['overdue_2'])
  })

  test('a new due date starts the ladder again; completed and cancelled assignments get nothing', async () => {
    const { org, member } = await setup()
    const [m1, m2, m3] = await Promise.all([createModule(org), createModule(org), createModule(org)])
    const a = await assign(org, member.membership.id, m1.id, { dueAt: daysFrom(T0, 5) })
    await assign(org, member.membership.id, m2.id, { dueAt: daysFrom(T0, 1), status: 'completed', completedAt: T0 })
    await assign(org, member.membership.id, m3.id, { dueAt: daysFrom(T0, 1), status: 'cancelled' })
    await runTrainingReminders(systemScope(org.id), { now: T0 })
    await prisma.trainingAssignment.update({ where: { id: a.id }, data: { dueAt: daysFrom(T0, 6) } })
    await runTrainingReminders(systemScope(org.id), { now: daysFrom(T0, 1) })
    const rows = await prisma.trainingReminder.findMany({ where: { organizationId: org.id }, orderBy: { createdAt: 'asc' } })
    expect(rows.map((r) => [r.assignmentId, r.kind, r.dueAt.toISOString()])).toEqual([
      [a.id, 'due_7', daysFrom(T0, 5).toISOString()],
      [a.id, 'due_7', daysFrom(T0, 6).toISOString()],
    ])
  })

  test('without a manager the escalation goes to the longest-serving project manager, else the owner', async () => {
    const { org, owner } = await createOrgWithOwner()
    await prisma.organization.update({ where: { id: org.id }, data: { quietHoursStart: 0, quietHoursEnd: 0 } })
    const module = await createModule(org)
    const loner = await createStaff(org)
    const a = await assign(org, loner.membership.id, module.id, { dueAt: daysFrom(T0, -10) })
    await runTrainingReminders(systemScope(org.id), { now: T0 })
    const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
    expect(await inboxOf(ownerMembership.id)).toMatchObject([{ kind: 'training.escalation' }])

    const pm = await createStaff(org, { role: 'manager' })
    await createStaff(org, { role: 'manager' }) // joined later: not the one
    const other = await createStaff(org)
    await assign(org, other.membership.id, module.id, { dueAt: daysFrom(T0, -10) })
    await runTrainingReminders(systemScope(org.id), { now: T0 })
    expect(await inboxOf(pm.membership.id)).toMatchObject([{ kind: 'training.escalation', title: expect.stringContaining(other.user.name) }])
    expect(await remindersOf(a.id)).toEqual(['escalation'])

    // A line manager who may not open the adoption report (a charge nurse in the "staff" role) is pointed at the inbox.
    const charge = await createStaff(org)
    const report = await createStaff(org, { managerId: charge.membership.id })
    await assign(org, report.membership.id, module.id, { dueAt: daysFrom(T0, -10) })
    await runTrainingReminders(systemScope(org.id), { now: T0 })
    expect(await inboxOf(charge.membership.id)).toMatchObject([{ kind: 'training.escalation', link: `/o/${org.slug}/inbox` }])
  })

  test('a member deactivated after their escalation was recorded is not emailed about to their manager', async () => {
    // Quiet 08:00–12:00 UTC: the escalation is recorded at 10:00 and waits for the 13:00 run.
    const { org, manager, member } = await setup({ quiet: [8, 12] })
    const module = await createModule(org)
    // A refresher stays open when its member is deactivated (only rule assignments are cancelled).
    await assign(org, member.membership.id, module.id, { dueAt: daysFrom(T0, -9), reason: 'refresher_expiry', reasonDetail: 'Your completion expired', createdAt: daysFrom(T0, -30) })
    expect(await runTrainingReminders(systemScope(org.id), { now: T0 })).toMatchObject({ recorded: 1, emailed: 0, quietHours: true })
    await prisma.membership.update({ where: { id: member.membership.id }, data: { status: 'deactivated' } })
    expect(await runTrainingReminders(systemScope(org.id), { now: new Date(T0.getTime() + 3 * HOUR) })).toMatchObject({ emailed: 0 })
    expect(await digestsTo(manager.user.email)).toHaveLength(0)
  })

  test('a refresher is announced when assigned, with its reason, then climbs the ladder', async () => {
    const { org, member } = await setup()
    const module = await createModule(org, { title: 'Lab results in Epic' })
    const a = await assign(org, member.membership.id, module.id, {
      dueAt: daysFrom(T0, 14),
      reason: 'refresher_change',
      reasonDetail: 'Epic upgraded from 2025.2 to 2026.1',
      createdAt: T0,
    })
    const run = await runTrainingReminders(systemScope(org.id), { now: new Date(T0.getTime() + HOUR) })
    expect(run).toMatchObject({ recorded: 1, emailed: 1 })
    const [n] = await inboxOf(member.membership.id)
    expect(n).toMatchObject({ kind: 'training.refresher_due', title: 'Refresher assigned: Lab results in Epic' })
    expect(n!.body).toContain('Epic upgraded from 2025.2 to 2026.1.')
    const [mail] = await digestsTo(member.user.email)
    expect(mail!.subject).toBe(`Training in ${org.name}: 1 refresher`)
    expect(mail!.text).toContain('Epic upgraded from 2025.2 to 2026.1')
    await runTrainingReminders(systemScope(org.id), { now: daysFrom(T0, 8) })
    expect(await remindersOf(a.id)).toEqual(['refresher_due', 'due_7'])
  })

  test('one digest a day combines everything new for a person; what comes later that day waits for tomorrow', async () => {
    const { org, member } = await setup()
    const m1 = await createModule(org, { title: 'Overdue one' })
    const m2 = await createModule(org, { title: 'Soon one' })
    const m3 = await createModule(org, { title: 'Refresher one' })
    const m4 = await createModule(org, { title: 'Later one' })
    await assign(org, member.membership.id, m1.id, { dueAt: daysFrom(T0, -1) })
    await assign(org, member.membership.id, m2.id, { dueAt: daysFrom(T0, 3) })
    await assign(org, member.membership.id, m3.id, { dueAt: daysFrom(T0, 20), reason: 'refresher_expiry', reasonDetail: 'Your completion expires on 30 Nov 2026', createdAt: daysFrom(T0, -1) })
    const later = await assign(org, member.membership.id, m4.id, { dueAt: new Date(T0.getTime() + 7 * 86_400_000 + 5 * HOUR) })

    expect(await runTrainingReminders(systemScope(org.id), { now: T0 })).toMatchObject({ recorded: 3, emailed: 1 })
    const [mail] = await digestsTo(member.user.email)
    expect(mail!.subject).toBe(`Training in ${org.name}: 1 overdue, 1 due soon, 1 refresher`)
    expect(mail!.dedupeKey).toBe(`training-digest:${member.membership.id}:2026-11-10`)
    for (const text of ['Overdue one', '1 day overdue', 'Soon one', 'in 3 days', 'Refresher one', 'Your completion expires on 30 Nov 2026']) {
      expect(mail!.text).toContain(text)
    }
    expect(mail!.text).not.toContain('Later one')

    // Six hours later the fourth comes within 7 days: inbox now, email tomorrow.
    expect(await runTrainingReminders(systemScope(org.id), { now: new Date(T0.getTime() + 6 * HOUR) })).toMatchObject({ recorded: 1, emailed: 0 })
    expect(await inboxOf(member.membership.id)).toHaveLength(4)
    expect(await digestsTo(member.user.email)).toHaveLength(1)
    expect(await runTrainingReminders(systemScope(org.id), { now: daysFrom(T0, 1) })).toMatchObject({ recorded: 0, emailed: 1 })
    const second = (await digestsTo(member.user.email))[1]!
    expect(second.subject).toBe(`Training in ${org.name}: 1 due soon`)
    expect(second.text).toContain('Later one')
    const r = await prisma.trainingReminder.findFirstOrThrow({ where: { assignmentId: later.id } })
    expect(r).toMatchObject({ emailId: second.id, digestDate: '2026-11-11' })
  })
})

describe('quiet hours', () => {
  test.each([
    [21, 20, 7, true],
    [6, 20, 7, true],
    [7, 20, 7, false],
    [19, 20, 7, false],
    [13, 12, 14, true],
    [14, 12, 14, false],
    [3, 0, 0, false],
  ])('local hour %i with quiet hours %i–%i: quiet = %s', (hour, start, end, quiet) => {
    expect(isQuietHour(hour, start, end)).toBe(quiet)
  })

  test('nothing is emailed inside quiet hours (the inbox still gets it); the first run after them sends it', async () => {
    const { org, member } = await setup({ timeZone: 'America/Chicago', quiet: [20, 7] })
    const module = await createModule(org)
    await assign(org, member.membership.id, module.id, { dueAt: new Date('2026-11-15T18:00:00Z') })
    // 21:00 in Chicago on 11 November (03:00 UTC on the 12th).
    const night = await runTrainingReminders(systemScope(org.id), { now: new Date('2026-11-12T03:00:00Z') })
    expect(night).toMatchObject({ recorded: 1, emailed: 0, quietHours: true, localDate: '2026-11-11' })
    expect(await inboxOf(member.membership.id)).toHaveLength(1)
    // 06:59 local: still quiet.
    expect(await runTrainingReminders(systemScope(org.id), { now: new Date('2026-11-12T12:59:00Z') })).toMatchObject({ emailed: 0, quietHours: true })
    expect(await digestsTo(member.user.email)).toHaveLength(0)
    // 07:00 local: sent, dated the local day.
    const morning = await runTrainingReminders(systemScope(org.id), { now: new Date('2026-11-12T13:00:00Z') })
    expect(morning).toMatchObject({ recorded: 0, emailed: 1, quietHours: false, localDate: '2026-11-12' })
    const mails = await digestsTo(member.user.email)
    expect(mails.map((m) => m.dedupeKey)).toEqual([`training-digest:${member.membership.id}:2026-11-12`])
    expect(mails[0]!.text).toContain('Thursday, 12 November 2026')
    expect(mails[0]!.text).toContain('due 15 Nov 2026, in 3 days') // calendar days in Chicago
  })
})

describe('exactly once', () => {
  async function crowd(n: number) {
    const { org } = await setup()
    const module = await createModule(org)
    const people = []
    for (let i = 0; i < n; i++) {
      const p = await createStaff(org)
      await assign(org, p.membership.id, module.id, { dueAt: daysFrom(T0, 2) })
      people.push(p)
    }
    return { org, people }
  }

  async function expectOneDigestEach(org: { id: string }, people: { user: { email: string } }[]) {
    for (const p of people) expect(await digestsTo(p.user.email), p.user.email).toHaveLength(1)
    const reminders = await prisma.trainingReminder.findMany({ where: { organizationId: org.id } })
    expect(reminders).toHaveLength(people.length)
    expect(reminders.every((r) => r.emailId)).toBe(true)
  }

  test('a run stopped part-way, then run again, emails everyone once', async () => {
    const { org, people } = await crowd(8)
    const controller = new AbortController()
    const first = await runTrainingReminders(systemScope(org.id), {
      now: T0,
      signal: controller.signal,
      onProgress: (p) => p.emailed >= 2 && controller.abort(),
    })
    expect(first.recorded).toBe(8)
    expect(first.emailed).toBeGreaterThanOrEqual(2)
    expect(first.emailed).toBeLessThan(8)
    expect(first.more).toBe(true)
    const second = await runTrainingReminders(systemScope(org.id), { now: new Date(T0.getTime() + HOUR) })
    expect(second).toMatchObject({ recorded: 0, emailed: 8 - first.emailed, more: false })
    await expectOneDigestEach(org, people)
  })

  test('a bounded run leaves the rest to the next run', async () => {
    const { org, people } = await crowd(5)
    const first = await runTrainingReminders(systemScope(org.id), { now: T0, recordLimit: 3, limit: 2 })
    expect(first).toMatchObject({ recorded: 3, emailed: 2, more: true })
    const second = await runTrainingReminders(systemScope(org.id), { now: T0, recordLimit: 3, limit: 2 })
    expect(second).toMatchObject({ recorded: 2, emailed: 2, more: true })
    const third = await runTrainingReminders(systemScope(org.id), { now: T0, recordLimit: 3, limit: 2 })
    expect(third).toMatchObject({ recorded: 0, emailed: 1, more: false })
    await expectOneDigestEach(org, people)
  })

  test('a digest whose transaction fails half-way leaves nothing behind and is sent once on the next run', async () => {
    const { org, people } = await crowd(3)
    const victim = people[1]!
    // A real failure inside the person's transaction, after the outbox insert was attempted.
    const fn = `t2_fail_${uniqueSuffix()}`
    await prisma.$executeRawUnsafe(`CREATE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN
      IF NEW."toEmail" = '${victim.user.email}' THEN RAISE EXCEPTION 'disk full (simulated)'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`)
    await prisma.$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON "EmailOutbox" FOR EACH ROW EXECUTE FUNCTION ${fn}()`)
    let first
    try {
      first = await runTrainingReminders(systemScope(org.id), { now: T0 })
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER ${fn} ON "EmailOutbox"`)
      await prisma.$executeRawUnsafe(`DROP FUNCTION ${fn}()`)
    }
    expect(first).toMatchObject({ recorded: 3, emailed: 2, failed: 1, more: true })
    expect(await digestsTo(victim.user.email)).toHaveLength(0)
    expect(await prisma.trainingReminder.count({ where: { organizationId: org.id, emailId: null } })).toBe(1)
    expect(await runTrainingReminders(systemScope(org.id), { now: T0 })).toMatchObject({ recorded: 0, emailed: 1, failed: 0 })
    await expectOneDigestEach(org, people)
  })

  test('two runs at the same time record and email each reminder once', async () => {
    const { org, people } = await crowd(6)
    const runs = await Promise.all([runTrainingReminders(systemScope(org.id), { now: T0 }), runTrainingReminders(systemScope(org.id), { now: T0 })])
    expect(runs[0]!.recorded + runs[1]!.recorded).toBe(6)
    expect(runs[0]!.emailed + runs[1]!.emailed).toBe(6)
    expect(await prisma.notification.count({ where: { organizationId: org.id } })).toBe(6)
    await expectOneDigestEach(org, people)
  })

  test('every run that records something is audited, as the system', async () => {
    const { org } = await crowd(2)
    await runTrainingReminders(systemScope(org.id), { now: T0 })
    const events = await prisma.auditEvent.findMany({ where: { organizationId: org.id, action: { startsWith: 'training.' } }, orderBy: { seq: 'asc' } })
    expect(events.map((e) => e.action)).toEqual(['training.reminders_recorded', 'training.reminder_digests_queued'])
    expect(events[0]).toMatchObject({ actorUserId: null, metadata: expect.objectContaining({ recorded: 2, byKind: { due_7: 2 } }) })
    expect(await listOrganizationsWithOpenTraining()).toContain(org.id)
  })
})
