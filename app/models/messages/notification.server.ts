import { Prisma } from '#app/generated/prisma/client.ts'
import { newId } from '#app/utils/bulk-sql.server.ts'
import { pageCountOf, pageWindow } from '#app/utils/list.ts'
import { dbOf, prisma, type TxOption } from '#app/utils/db.server.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'

/**
 * The inbox: one per person and organisation (a membership). Producers (training reminders
 * now; alerts, gate tasks and sign-off requests later) write notices with a `dedupeKey`, so the
 * same logical notice is stored once however often its producer runs. Readers only ever see
 * and mark their own: every read and update filters by the caller's organisation and
 * membership in its first (and only) query.
 *
 * NOTE: reading a notice (or all of them) changes nobody's data but the reader's own view of
 * their inbox, like "last seen": it is not written to the audit trail
 * (docs/decisions/014-training-reminders.md).
 */

export type NewNotification = {
  membershipId: string
  /** What produced it, e.g. "training.overdue_1"; the inbox shows an icon/label per kind family. */
  kind: string
  title: string
  body?: string | null
  /** A path inside the organisation (`/o/<slug>/…`). */
  link?: string | null
  dedupeKey: string
}

export const INBOX_PAGE_SIZE = 30

/**
 * Stores notices for members of the scope's organisation in one statement (in the caller's
 * transaction with `{ tx }`). A notice whose dedupeKey is stored already is left as it was
 * (read or not); a membership of another organisation is ignored. Returns how many are new.
 */
export async function createNotifications(scope: Scope, notices: NewNotification[], opts: TxOption = {}): Promise<number> {
  if (!notices.length) return 0
  const db = dbOf(opts)
  const rows = notices.map((n) => ({
    id: newId(),
    membershipId: n.membershipId,
    kind: n.kind,
    title: n.title.slice(0, 300),
    body: n.body?.slice(0, 2000) ?? null,
    link: n.link ?? null,
    dedupeKey: n.dedupeKey,
  }))
  const createdAt = new Date()
  let created = 0
  for (let i = 0; i < rows.length; i += 5000) {
    created += await db.$executeRaw`
      INSERT INTO "Notification" ("id", "organizationId", "membershipId", "kind", "title", "body", "link", "dedupeKey", "createdAt")
      SELECT v."id", m."organizationId", m."id", v."kind", v."title", v."body", v."link", v."dedupeKey", ${createdAt}
        FROM jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 5000))}::jsonb)
             AS v("id" text, "membershipId" text, "kind" text, "title" text, "body" text, "link" text, "dedupeKey" text)
        JOIN "Membership" m ON m."id" = v."membershipId" AND m."organizationId" = ${scope.organizationId}
      ON CONFLICT ("dedupeKey") DO NOTHING`
  }
  return created
}

/** One notice (see createNotifications). Returns whether it is new. */
export async function createNotification(scope: Scope, notice: NewNotification, opts: TxOption = {}) {
  return (await createNotifications(scope, [notice], opts)) === 1
}

function mine(scope: TenantScope): Prisma.NotificationWhereInput {
  return { organizationId: scope.organizationId, membershipId: scope.membershipId }
}

/** The caller's own notices, newest first. */
export async function listNotifications(scope: TenantScope, input: { unread?: boolean; page?: number } = {}) {
  const { page = 1, ...filter } = input
  const where: Prisma.NotificationWhereInput = { ...mine(scope), ...(filter.unread ? { readAt: null } : {}) }
  const [notifications, total, unread] = await Promise.all([
    prisma.notification.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      ...pageWindow(page, INBOX_PAGE_SIZE),
      select: { id: true, kind: true, title: true, body: true, link: true, readAt: true, createdAt: true },
    }),
    prisma.notification.count({ where }),
    countUnreadNotifications(scope),
  ])
  return { notifications, total, unread, pageCount: pageCountOf(total, INBOX_PAGE_SIZE) }
}

/** For the badge in the header: one count over the (organisation, membership, readAt) index. */
export function countUnreadNotifications(scope: TenantScope) {
  return prisma.notification.count({ where: { ...mine(scope), readAt: null } })
}

/**
 * Marks one of the caller's notices read (reading it again changes nothing). Returns its link,
 * or null when it is not in the caller's inbox (someone else's, another organisation's, or no
 * such notice: the same answer for all).
 */
export async function markNotificationRead(scope: TenantScope, id: string, options: { now?: Date } = {}) {
  const now = options.now ?? new Date()
  const rows = await prisma.$queryRaw<{ id: string; link: string | null }[]>`
    UPDATE "Notification"
       SET "readAt" = COALESCE("readAt", ${now})
     WHERE "id" = ${id} AND "organizationId" = ${scope.organizationId} AND "membershipId" = ${scope.membershipId}
    RETURNING "id", "link"`
  return rows[0] ?? null
}

/** Marks every unread notice of the caller read. Returns how many there were. */
export async function markAllNotificationsRead(scope: TenantScope, now = new Date()) {
  const { count } = await prisma.notification.updateMany({ where: { ...mine(scope), readAt: null }, data: { readAt: now } })
  return count
}
