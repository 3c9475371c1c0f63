import { Prisma } from '#app/generated/prisma/client.ts'
import type { DigestItem, DigestTeamItem, TrainingDigestEmailProps } from '#app/emails/training-digest.tsx'
import { newId } from '#app/utils/bulk-sql.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { formatDateTime, zonedParts } from '#app/utils/org.ts'
import { can } from '#app/utils/permissions.ts'
import { type Role } from '#app/models/people/vocabulary.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import { isRefresherReason } from '#app/models/training/vocabulary.ts'
import { auditInScope } from '../audit/audit.server.ts'
import { queueEmail } from '../messages/email-outbox.server.ts'
import { createNotifications, type NewNotification } from '../messages/notification.server.ts'

/**
 * Training reminders (docs/decisions/014-training-reminders.md).
 *
 * **The ladder.** Each open assignment climbs one rung at a time, timed from its due date D:
 * `due_7` (D − 7 days), `due_1` (D − 1 day), `overdue_1` (D), `overdue_2` (D + 3 days),
 * `overdue_3` (D + 6 days), then `escalation` to the member's manager (D + 9 days); a refresher
 * assignment also has `refresher_due`, at its creation. A run records the latest rung whose time
 * has come (rungs skipped while the job was down are not sent late). One TrainingReminder row per
 * (assignment, rung, due date): its unique key makes a second run a no-op, and a new due date
 * starts the ladder again.
 *
 * **Who hears it.** The member, except the escalation: their manager (Membership.managerId, if
 * active); without one, the organisation's longest-serving active project manager, else its
 * longest-serving owner — one accountable person, never the member themself unless nobody else
 * is left. The recipient is fixed when the reminder is recorded, on its inbox notice.
 *
 * **Two phases, each idempotent by key.**
 * 1. *Record*: reminder rows and their inbox notices (dedupeKey `training-reminder:<reminderId>`),
 *    written together in one transaction per chunk. Runs at any hour: an inbox wakes nobody.
 * 2. *Email*: outside the organisation's quiet hours, one digest per recipient per local day
 *    (dedupeKey `training-digest:<membershipId>:<local date>`) with every reminder of theirs not
 *    emailed yet; in one transaction per person the digest goes into the outbox and its
 *    reminders get its `emailId`. A run killed mid-way loses at most uncommitted work; a re-run
 *    finds today's digests and emailed reminders and does not repeat them. Reminders that come
 *    after today's digest wait for tomorrow's. Inside quiet hours nothing is emailed; the first
 *    run after them sends what waited.
 *
 * Bounded: at most `recordLimit` reminders and `limit` digests per run; `more` says there is
 * work left (the job queues itself again).
 */

const DAY = 86_400_000

/** The rungs in time order; `refresher_due` is placed by the refresher's creation time. */
export const LADDER = [
  { kind: 'due_7', offsetDays: -7 },
  { kind: 'due_1', offsetDays: -1 },
  { kind: 'overdue_1', offsetDays: 0 },
  { kind: 'overdue_2', offsetDays: 3 },
  { kind: 'overdue_3', offsetDays: 6 },
  { kind: 'escalation', offsetDays: 9 },
] as const
export type ReminderKind = (typeof LADDER)[number]['kind'] | 'refresher_due'

/** Reminders recorded per statement and transaction (a run selects up to its limit once, then writes in chunks). */
export const RECORD_CHUNK = 2_000
/** Default bounds of one run. */
export const DEFAULT_RECORD_LIMIT = 20_000
export const DEFAULT_DIGEST_LIMIT = 500
/** People emailed at once (each in a transaction of their own; the pool has 10 connections). */
const DIGEST_CONCURRENCY = 4

/** A reminder's inbox notice has this dedupeKey prefix, then the reminder's id: the notice is how a reminder finds its recipient. */
const REMINDER_KEY_PREFIX = 'training-reminder:'

const REFRESHER_REASONS = Prisma.sql`('refresher_expiry', 'refresher_change')`

export type ReminderRunOptions = {
  /** The clock (tests inject one). */
  now?: Date
  /** At most this many reminders recorded in this run. */
  recordLimit?: number
  /** At most this many digest emails queued in this run. */
  limit?: number
  /** false only for the demo seed, which wants digests in the outbox whatever the hour. */
  respectQuietHours?: boolean
  /** Stops between people (a worker shutting down); what is committed stays, the rest is left for the next run. */
  signal?: AbortSignal
  onProgress?: (p: { recorded: number; emailed: number }) => void
}

export type ReminderRunResult = {
  recorded: number
  emailed: number
  /** Outbox rows queued by this run, for the caller to dispatch after commit. */
  emailIds: string[]
  /** People whose digest failed (an error each, logged); they are tried again on the next run. */
  failed: number
  quietHours: boolean
  localDate: string
  more: boolean
}

// ─── time in the organisation's zone ─────────────────────────────────────────────────────

const localParts = zonedParts

/** Quiet between `start` (inclusive) and `end` (exclusive) local hours; across midnight when start > end; none when equal. */
export function isQuietHour(hour: number, start: number, end: number) {
  if (start === end) return false
  return start < end ? hour >= start && hour < end : hour >= start || hour < end
}

const day = (d: Date, tz: string) => formatDateTime(d, tz, { day: 'numeric', month: 'short', year: 'numeric' })

/** Calendar days from `a` to `b` in the organisation's zone (what "in 3 days" means to a reader). */
function localDaysBetween(a: Date, b: Date, tz: string) {
  const n = (d: Date) => Date.parse(`${localParts(d, tz).date}T00:00:00Z`) / DAY
  return n(b) - n(a)
}

function whenText(kind: string, dueAt: Date, now: Date, tz: string) {
  const days = localDaysBetween(now, dueAt, tz)
  if (kind.startsWith('overdue') || kind === 'escalation' || dueAt <= now) {
    return days <= -1 ? `${-days} day${days === -1 ? '' : 's'} overdue (due ${day(dueAt, tz)})` : `due today (${day(dueAt, tz)})`
  }
  if (days <= 0) return `due today (${day(dueAt, tz)})`
  return days === 1 ? `due tomorrow (${day(dueAt, tz)})` : `due ${day(dueAt, tz)}, in ${days} days`
}

const capitalised = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`

function links(slug: string) {
  const base = `/o/${slug}`
  return { training: `${base}/training`, team: `${base}/training/adoption`, inbox: `${base}/inbox` }
}

// ─── phase 1: record ─────────────────────────────────────────────────────────────────────

type Org = { id: string; slug: string; name: string; timeZone: string; quietHoursStart: number; quietHoursEnd: number; scope: Scope }

type Candidate = {
  id: string
  membershipId: string
  dueAt: Date
  reason: string
  reasonDetail: string | null
  moduleTitle: string
  memberName: string
  managerId: string | null
  managerRole: Role | null
  kind: ReminderKind
}

/** The rung each open assignment should be on at `now`, for those whose rung is not recorded yet. */
function candidates(org: Org, now: Date, take: number) {
  const horizon = new Date(now.getTime() + 7 * DAY)
  const rungs = Prisma.join(
    LADDER.map((r) => Prisma.sql`(${r.kind}, a."dueAt" + make_interval(days => ${r.offsetDays}::int), 0)`),
    ', ',
  )
  return prisma.$queryRaw<Candidate[]>`
    SELECT a."id", a."membershipId", a."dueAt", a."reason"::text AS "reason", a."reasonDetail",
           mod."title" AS "moduleTitle", u."name" AS "memberName",
           CASE WHEN mgr."status" = 'active' AND mgr."id" <> m."id" THEN mgr."id" END AS "managerId",
           mgr."role"::text AS "managerRole",
           rung."kind"
      FROM "TrainingAssignment" a
      JOIN "Membership" m ON m."id" = a."membershipId" AND m."organizationId" = ${org.id} AND m."status" = 'active'
      JOIN "User" u ON u."id" = m."userId"
      LEFT JOIN "Membership" mgr ON mgr."id" = m."managerId" AND mgr."organizationId" = ${org.id}
      JOIN "TrainingModule" mod ON mod."id" = a."moduleId" AND mod."organizationId" = ${org.id} AND mod."archivedAt" IS NULL
      CROSS JOIN LATERAL (
        SELECT s."kind" FROM (VALUES ${rungs},
               ('refresher_due', CASE WHEN a."reason" IN ${REFRESHER_REASONS} THEN a."createdAt" END, 1)
             ) AS s("kind", "at", "tie")
         WHERE s."at" <= ${now}
         ORDER BY s."at" DESC, s."tie" DESC
         LIMIT 1
      ) rung
     WHERE a."organizationId" = ${org.id}
       AND a."status" = 'open'
       AND (a."dueAt" <= ${horizon} OR a."reason" IN ${REFRESHER_REASONS})
       AND NOT EXISTS (
         SELECT 1 FROM "TrainingReminder" r
          WHERE r."assignmentId" = a."id" AND r."kind" = rung."kind"::"ReminderKind" AND r."dueAt" = a."dueAt"
       )
     ORDER BY a."dueAt", a."id"
     LIMIT ${take}`
}

/** Escalations without an active manager go to the longest-serving project manager, else owner (not the member). */
async function fallbackRecipients(orgId: string) {
  const rows = await prisma.membership.findMany({
    where: { organizationId: orgId, status: 'active', role: { in: ['manager', 'owner'] } },
    select: { id: true, role: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  })
  return [...rows.filter((r) => r.role === 'manager'), ...rows.filter((r) => r.role === 'owner')].map((r) => r.id)
}

function notice(org: Org, c: Candidate, recipient: string, recipientRole: Role | null, reminderId: string, now: Date): NewNotification {
  const l = links(org.slug)
  const when = whenText(c.kind, c.dueAt, now, org.timeZone)
  const refresher = isRefresherReason(c.reason)
  const why = refresher && c.reasonDetail ? `${c.reasonDetail}. ` : ''
  const base = { membershipId: recipient, kind: `training.${c.kind}`, dedupeKey: `${REMINDER_KEY_PREFIX}${reminderId}`, link: l.training }
  switch (c.kind) {
    case 'escalation':
      // A line manager without the report capability (a charge nurse is often "staff") gets the notice, not a 403.
      return { ...base, link: can(recipientRole, 'training:report') ? l.team : l.inbox, title: `${c.memberName} is overdue: ${c.moduleTitle}`, body: `${when}, after three reminders. A word from you usually does it.` }
    case 'refresher_due':
      return { ...base, title: `Refresher assigned: ${c.moduleTitle}`, body: `${why}Complete it — ${when}.` }
    case 'overdue_1':
    case 'overdue_2':
    case 'overdue_3':
      return { ...base, title: `Training overdue: ${c.moduleTitle}`, body: `${why}${capitalised(when)}. Reminder ${c.kind.slice(-1)} of 3.` }
    default:
      return { ...base, title: `Training ${c.kind === 'due_1' ? 'due tomorrow' : 'due soon'}: ${c.moduleTitle}`, body: `${why}${capitalised(when)}.` }
  }
}

async function recordReminders(org: Org, now: Date, limit: number) {
  // One selection per run (the rung computation is the expensive part), written in chunks.
  const found = limit > 0 ? await candidates(org, now, limit) : []
  // Fallback recipients are project managers and owners: they may all read the adoption report.
  const fallback = found.some((c) => c.kind === 'escalation' && !c.managerId) ? await fallbackRecipients(org.id) : []
  let recorded = 0
  for (let start = 0; start < found.length; start += RECORD_CHUNK) {
    const chunk = found.slice(start, start + RECORD_CHUNK)
    const rows = chunk.map((c) => ({ id: newId(), assignmentId: c.id, kind: c.kind }))
    const byAssignment = new Map(chunk.map((c) => [c.id, c]))
    recorded += await prisma.$transaction(
      async (tx) => {
        // The assignment is read again here: still open, and its current due date is the key's.
        const ins = await tx.$queryRaw<{ id: string; assignmentId: string; kind: ReminderKind }[]>`
          INSERT INTO "TrainingReminder" ("id", "organizationId", "assignmentId", "kind", "dueAt", "createdAt")
          SELECT v."id", a."organizationId", a."id", v."kind"::"ReminderKind", a."dueAt", ${now}
            FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v("id" text, "assignmentId" text, "kind" text)
            JOIN "TrainingAssignment" a ON a."id" = v."assignmentId" AND a."organizationId" = ${org.id} AND a."status" = 'open'
          ON CONFLICT ("assignmentId", "kind", "dueAt") DO NOTHING
          RETURNING "id", "assignmentId", "kind"::text AS "kind"`
        const notices = ins.flatMap((r) => {
          const c = { ...byAssignment.get(r.assignmentId)!, kind: r.kind }
          if (r.kind !== 'escalation') return [notice(org, c, c.membershipId, null, r.id, now)]
          const [to, role] = c.managerId ? [c.managerId, c.managerRole] : ([fallback.find((id) => id !== c.membershipId) ?? c.membershipId, 'manager'] as const)
          if (to === c.membershipId) return [notice(org, c, to, null, r.id, now)]
          // The member hears it too, in the inbox only (their emails stop with the ladder's third overdue).
          const fyi: NewNotification = {
            membershipId: c.membershipId,
            kind: 'training.escalated',
            title: `Training overdue: ${c.moduleTitle}`,
            body: `${capitalised(whenText('escalation', c.dueAt, now, org.timeZone))}. ${c.managerId ? 'Your manager' : 'Your training lead'} has been told.`,
            link: links(org.slug).training,
            dedupeKey: `${REMINDER_KEY_PREFIX}${r.id}:member`,
          }
          return [notice(org, c, to, role, r.id, now), fyi]
        })
        await createNotifications(org.scope, notices, { tx })
        if (ins.length) {
          const byKind: Record<string, number> = {}
          for (const r of ins) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1
          await auditInScope(org.scope, {
            action: 'training.reminders_recorded',
            targetType: 'organization',
            targetId: org.id,
            metadata: { recorded: ins.length, byKind, reminders: ins.slice(0, 200).map((r) => ({ id: r.id, assignmentId: r.assignmentId, kind: r.kind })) },
          }, { tx })
        }
        return ins.length
      },
      { timeout: 60_000 },
    )
  }
  return { recorded, more: found.length === limit }
}

// ─── phase 2: the daily digest ───────────────────────────────────────────────────────────

const digestKey = (membershipId: string, localDate: string) => `training-digest:${membershipId}:${localDate}`

/**
 * Reminders of open assignments (at their current due date) waiting for an email, with their
 * recipient (`n."membershipId"`, from the inbox notice the reminder was recorded with).
 */
const pendingFrom = (orgId: string) => Prisma.sql`
  FROM "TrainingReminder" r
  JOIN "TrainingAssignment" a ON a."id" = r."assignmentId" AND a."organizationId" = ${orgId} AND a."status" = 'open' AND a."dueAt" = r."dueAt"
  -- The member the training is for is still active (a manager is not told about someone deactivated since).
  JOIN "Membership" am ON am."id" = a."membershipId" AND am."organizationId" = ${orgId} AND am."status" = 'active'
  JOIN "Notification" n ON n."dedupeKey" = ${REMINDER_KEY_PREFIX} || r."id" AND n."organizationId" = ${orgId}
  JOIN "Membership" rm ON rm."id" = n."membershipId" AND rm."organizationId" = ${orgId} AND rm."status" = 'active'`
// NOTE: only reminders of the last STALE_AFTER_DAYS: the (organizationId, createdAt) index then
// bounds the scan however many reminders the organisation has had, and a reminder that waited
// longer for an email (the ladder spans 16 days) has been overtaken by newer ones anyway.
const STALE_AFTER_DAYS = 14
const pendingWhere = (orgId: string, now: Date) =>
  Prisma.sql`r."organizationId" = ${orgId} AND r."emailId" IS NULL AND r."createdAt" >= ${new Date(now.getTime() - STALE_AFTER_DAYS * DAY)}`

/** Go-live gate tasks (inbox notices of kind gate.*, app/models/readiness/gate-tasks.server.ts) go in the digest of the day after them. */
const GATE_TASK_WINDOW_MS = DAY

function recipientsToEmail(org: Org, now: Date, localDate: string, take: number) {
  return prisma.$queryRaw<{ membershipId: string }[]>`
    SELECT "membershipId" FROM (
      SELECT n."membershipId" ${pendingFrom(org.id)}
       WHERE ${pendingWhere(org.id, now)}
      UNION
      SELECT n."membershipId" FROM "Notification" n
        JOIN "Membership" rm ON rm."id" = n."membershipId" AND rm."organizationId" = ${org.id} AND rm."status" = 'active'
       WHERE n."organizationId" = ${org.id} AND n."kind" LIKE 'gate.%' AND n."createdAt" > ${new Date(now.getTime() - GATE_TASK_WINDOW_MS)} AND n."createdAt" <= ${now}
    ) r
     WHERE NOT EXISTS (SELECT 1 FROM "EmailOutbox" e WHERE e."dedupeKey" = 'training-digest:' || r."membershipId" || ':' || ${localDate})
     ORDER BY r."membershipId"
     LIMIT ${take}`
}

const RUNG_ORDER: Record<string, number> = { refresher_due: 0, due_7: 1, due_1: 2, overdue_1: 3, overdue_2: 4, overdue_3: 5, escalation: 6 }

type PendingItem = {
  id: string
  recipientName: string
  recipientEmail: string
  recipientRole: Role
  kind: string
  assignmentId: string
  dueAt: Date
  reason: string
  reasonDetail: string | null
  moduleTitle: string
  memberName: string
  own: boolean
}

/** The digest's sections: per assignment its latest rung; own training by urgency, the team's escalations apart. */
export function digestSections(items: PendingItem[], now: Date, timeZone: string) {
  const latest = new Map<string, PendingItem>()
  for (const i of items) {
    const key = `${i.own ? 'own' : 'team'}:${i.assignmentId}`
    const had = latest.get(key)
    if (!had || RUNG_ORDER[i.kind]! > RUNG_ORDER[had.kind]!) latest.set(key, i)
  }
  const overdue: DigestItem[] = []
  const dueSoon: DigestItem[] = []
  const refreshers: DigestItem[] = []
  const team: DigestTeamItem[] = []
  const sorted = [...latest.values()].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.moduleTitle.localeCompare(b.moduleTitle))
  for (const i of sorted) {
    const refresher = isRefresherReason(i.reason)
    const item: DigestItem = { module: i.moduleTitle, when: whenText(i.kind, i.dueAt, now, timeZone), why: refresher ? i.reasonDetail : null }
    if (!i.own) team.push({ ...item, member: i.memberName, why: null })
    else if (i.dueAt <= now) overdue.push(item)
    else if (i.kind === 'refresher_due') refreshers.push(item)
    else dueSoon.push(item)
  }
  return { overdue, dueSoon, refreshers, team }
}

function dateLabel(now: Date, timeZone: string) {
  return formatDateTime(now, timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
}

/** One person's digest: outbox row and its reminders marked, in one transaction. Null when there is nothing (left) to send. */
async function emailDigest(org: Org, membershipId: string, now: Date, localDate: string) {
  const key = digestKey(membershipId, localDate)
  return prisma.$transaction(
    async (tx) => {
      // Two runs at once: the second waits here, then finds today's digest.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`
      if (await tx.emailOutbox.findUnique({ where: { dedupeKey: key }, select: { id: true } })) return null
      // From the person's own notices (indexed by membership) to their reminders by id: never a scan of the organisation's reminders.
      const items = await tx.$queryRaw<PendingItem[]>`
        SELECT r."id", r."kind"::text AS "kind", a."id" AS "assignmentId", a."dueAt", a."reason"::text AS "reason", a."reasonDetail",
               mod."title" AS "moduleTitle", u."name" AS "memberName",
               (a."membershipId" = n."membershipId" AND r."kind" <> 'escalation') AS "own",
               ru."name" AS "recipientName", ru."email" AS "recipientEmail", rm."role"::text AS "recipientRole"
          FROM "Notification" n
          JOIN "Membership" rm ON rm."id" = n."membershipId" AND rm."organizationId" = ${org.id} AND rm."status" = 'active'
          JOIN "User" ru ON ru."id" = rm."userId"
          JOIN "TrainingReminder" r ON r."id" = substr(n."dedupeKey", ${REMINDER_KEY_PREFIX.length + 1}) AND ${pendingWhere(org.id, now)}
          JOIN "TrainingAssignment" a ON a."id" = r."assignmentId" AND a."organizationId" = ${org.id} AND a."status" = 'open' AND a."dueAt" = r."dueAt"
          JOIN "TrainingModule" mod ON mod."id" = a."moduleId"
          JOIN "Membership" am ON am."id" = a."membershipId" AND am."organizationId" = ${org.id} AND am."status" = 'active'
          JOIN "User" u ON u."id" = am."userId"
         WHERE n."organizationId" = ${org.id} AND n."membershipId" = ${membershipId} AND n."dedupeKey" LIKE ${REMINDER_KEY_PREFIX + '%'}`
      const gateTasks = await tx.notification.findMany({
        where: { organizationId: org.id, membershipId, kind: { startsWith: 'gate.' }, createdAt: { gt: new Date(now.getTime() - GATE_TASK_WINDOW_MS), lte: now } },
        select: { title: true, body: true, link: true },
        orderBy: { createdAt: 'asc' },
        take: 50,
      })
      if (!items.length && !gateTasks.length) return null
      const who = items.length
        ? { name: items[0]!.recipientName, email: items[0]!.recipientEmail, role: items[0]!.recipientRole }
        : await tx.membership.findFirst({ where: { id: membershipId, organizationId: org.id, status: 'active' }, select: { role: true, user: { select: { name: true, email: true } } } }).then((m) => (m ? { name: m.user.name, email: m.user.email, role: m.role } : null))
      if (!who) return null
      const recipient = { user: { name: who.name, email: who.email } }
      const appUrl = getEnv().APP_URL.replace(/\/$/, '')
      const l = links(org.slug)
      const props: TrainingDigestEmailProps = {
        name: recipient.user.name,
        orgName: org.name,
        dateLabel: dateLabel(now, org.timeZone),
        ...digestSections(items, now, org.timeZone),
        trainingUrl: `${appUrl}${l.training}`,
        teamUrl: can(who.role, 'training:report') ? `${appUrl}${l.team}` : null,
        inboxUrl: `${appUrl}${l.inbox}`,
        gateTasks: gateTasks.map((t) => ({ title: t.title, body: t.body, url: `${appUrl}${t.link ?? l.inbox}` })),
      }
      const { id: emailId } = await queueEmail(org.scope, { dedupeKey: key, to: recipient.user.email, template: 'training-digest', props }, { tx })
      await tx.trainingReminder.updateMany({
        where: { organizationId: org.id, id: { in: items.map((i) => i.id) }, emailId: null },
        data: { emailId, digestDate: localDate },
      })
      return emailId
    },
    { timeout: 30_000 },
  )
}

// ─── a run ───────────────────────────────────────────────────────────────────────────────

/**
 * Records due reminders and emails the day's digests for the scope's organisation (the job's
 * system scope; audited as its actor). Idempotent; safe to run often and concurrently.
 */
export async function runTrainingReminders(scope: Scope, opts: ReminderRunOptions = {}): Promise<ReminderRunResult> {
  const now = opts.now ?? new Date()
  const found = await prisma.organization.findUnique({
    where: { id: scope.organizationId },
    select: { id: true, slug: true, name: true, timeZone: true, quietHoursStart: true, quietHoursEnd: true },
  })
  const org = found ? { ...found, scope } : null
  const local = org ? localParts(now, org.timeZone) : { date: '', hour: 0 }
  const result: ReminderRunResult = { recorded: 0, emailed: 0, emailIds: [], failed: 0, quietHours: false, localDate: local.date, more: false }
  if (!org) return result

  const phase1 = await recordReminders(org, now, opts.recordLimit ?? DEFAULT_RECORD_LIMIT)
  result.recorded = phase1.recorded
  result.more = phase1.more
  opts.onProgress?.({ recorded: result.recorded, emailed: 0 })

  result.quietHours = isQuietHour(local.hour, org.quietHoursStart, org.quietHoursEnd)
  if (!result.quietHours || opts.respectQuietHours === false) {
    const limit = opts.limit ?? DEFAULT_DIGEST_LIMIT
    const recipients = await recipientsToEmail(org, now, local.date, limit)
    let next = 0
    const worker = async () => {
      while (next < recipients.length && !opts.signal?.aborted) {
        const { membershipId } = recipients[next++]!
        // One person's failure must not hold back everybody else's digest.
        const emailId = await emailDigest(org, membershipId, now, local.date).catch((e: unknown) => {
          result.failed++
          logger.warn({ err: e, organizationId: org.id, membershipId }, 'training digest failed; it is tried again on the next run')
          return null
        })
        if (emailId) {
          result.emailIds.push(emailId)
          result.emailed++
          opts.onProgress?.({ recorded: result.recorded, emailed: result.emailed })
        }
      }
    }
    await Promise.all(Array.from({ length: DIGEST_CONCURRENCY }, worker))
    if (recipients.length === limit || opts.signal?.aborted || result.failed) result.more = true
    if (result.emailed) {
      await auditInScope(org.scope, {
        action: 'training.reminder_digests_queued',
        targetType: 'organization',
        targetId: org.id,
        metadata: { emailed: result.emailed, localDate: local.date, emails: result.emailIds.slice(0, 200) },
      })
    }
  }
  return result
}

/** Organisations with open assignments: the hourly job runs reminders for each. */
export async function listOrganizationsWithOpenTraining() {
  const rows = await prisma.$queryRaw<{ organizationId: string }[]>`
    SELECT DISTINCT "organizationId" FROM "TrainingAssignment" WHERE "status" = 'open' ORDER BY 1`
  return rows.map((r) => r.organizationId)
}
