import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import {
  countUnreadNotifications,
  createNotification,
  createNotifications,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from './notification.server.ts'

async function twoMembers() {
  const { org, owner, scope: ownerScope } = await createOrgWithOwner()
  const user = await createTestUser()
  await addMember(org, user, 'staff')
  return { org, owner, ownerScope, memberScope: await scopeFor(org, user) }
}

const notice = (membershipId: string, title = `Notice ${uniqueSuffix()}`) => ({
  membershipId,
  kind: 'training.due_7',
  title,
  body: 'Due soon',
  link: '/o/x/training',
  dedupeKey: `test:${uniqueSuffix()}`,
})

describe('the inbox', () => {
  test('the same logical notice is stored once, however often it is produced', async () => {
    const { org, memberScope } = await twoMembers()
    const n = notice(memberScope.membershipId)
    expect(await createNotification(systemScope(org.id), n)).toBe(true)
    expect(await createNotification(systemScope(org.id), { ...n, title: 'Changed' })).toBe(false)
    expect(await createNotifications(systemScope(org.id), [n, notice(memberScope.membershipId)])).toBe(1)
    const { notifications, total, unread } = await listNotifications(memberScope)
    expect(total).toBe(2)
    expect(unread).toBe(2)
    expect(notifications.map((x) => x.title)).toContain(n.title)
  })

  test('lists, counts and marks only the caller’s own notices', async () => {
    const { org, ownerScope, memberScope } = await twoMembers()
    await createNotifications(systemScope(org.id), [notice(memberScope.membershipId, 'Mine 1'), notice(memberScope.membershipId, 'Mine 2'), notice(ownerScope.membershipId, 'Owner’s')])
    const mine = await listNotifications(memberScope)
    expect(mine.notifications.map((n) => n.title).sort()).toEqual(['Mine 1', 'Mine 2'])
    expect(await countUnreadNotifications(ownerScope)).toBe(1)

    const [first] = mine.notifications
    // A colleague in the same organisation can neither read nor mark it.
    expect(await markNotificationRead(ownerScope, first!.id)).toBeNull()
    expect(await markAllNotificationsRead(ownerScope)).toBe(1)
    expect(await countUnreadNotifications(memberScope)).toBe(2)

    expect(await markNotificationRead(memberScope, first!.id)).toEqual({ id: first!.id, link: '/o/x/training' })
    const readAt = (await prisma.notification.findUniqueOrThrow({ where: { id: first!.id } })).readAt
    expect(readAt).toBeInstanceOf(Date)
    // Reading it again keeps the first time it was read.
    await markNotificationRead(memberScope, first!.id, { now: new Date(Date.now() + 60_000) })
    expect((await prisma.notification.findUniqueOrThrow({ where: { id: first!.id } })).readAt).toEqual(readAt)
    expect((await listNotifications(memberScope, { unread: true })).notifications.map((n) => n.title)).toEqual([mine.notifications[1]!.title])
    expect(await markAllNotificationsRead(memberScope)).toBe(1)
    expect(await countUnreadNotifications(memberScope)).toBe(0)
  })

  test('a page far beyond the last (a hand-edited ?page=) is an empty page, not an error', async () => {
    const { memberScope } = await twoMembers()
    await createNotification(systemScope(memberScope.organizationId), notice(memberScope.membershipId))
    const far = await listNotifications(memberScope, { page: 1e20 })
    expect(far).toMatchObject({ notifications: [], total: 1, pageCount: 1 })
  })

  test('another organisation’s scope cannot read or mark them, nor write into them', async () => {
    const { org, memberScope } = await twoMembers()
    const other = await createOrgWithOwner()
    await createNotification(systemScope(org.id), notice(memberScope.membershipId, 'Private'))
    const [n] = (await listNotifications(memberScope)).notifications
    expect((await listNotifications(other.scope)).total).toBe(0)
    expect(await countUnreadNotifications(other.scope)).toBe(0)
    expect(await markNotificationRead(other.scope, n!.id)).toBeNull()
    expect(await markAllNotificationsRead(other.scope)).toBe(0)
    // The same person as a member of another organisation: a different inbox.
    const consultant = await prisma.membership.create({
      data: { organizationId: other.org.id, userId: memberScope.userId, role: 'analyst', function: 'vendor' },
    })
    const consultantScope = await scopeFor(other.org, { id: memberScope.userId })
    expect(consultantScope.membershipId).toBe(consultant.id)
    expect(await markNotificationRead(consultantScope, n!.id)).toBeNull()
    expect((await listNotifications(consultantScope)).total).toBe(0)
    // A producer naming a membership of another organisation writes nothing.
    expect(await createNotification(systemScope(other.org.id), notice(memberScope.membershipId))).toBe(false)
    expect(await prisma.notification.findUniqueOrThrow({ where: { id: n!.id } })).toMatchObject({ readAt: null, organizationId: org.id })
  })
})
