import type { Prisma } from '#app/generated/prisma/client.ts'
import { pageCountOf, pageWindow } from '#app/utils/list.ts'
import { prisma, type Tx } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { assignableRoles } from '#app/utils/permissions.ts'
import { type MemberFunction, type Role } from '#app/models/people/vocabulary.ts'
import { destroyUserSessions } from '#app/utils/session.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope } from '../audit/audit.server.ts'
import { syncTrainingAssignments } from '../training/training-assignment.server.ts'

export const MEMBERS_PAGE_SIZE = 50

const MEMBER_SELECT = {
  id: true,
  role: true,
  function: true,
  unit: true,
  status: true,
  lastSeenAt: true,
  createdAt: true,
  user: { select: { id: true, name: true, email: true } },
} satisfies Prisma.MembershipSelect

export type MemberFilter = { q?: string; role?: Role; status?: 'active' | 'deactivated' }

export async function listMembers(scope: TenantScope, input: MemberFilter & { page?: number } = {}) {
  const { page = 1, ...filter } = input
  const where: Prisma.MembershipWhereInput = {
    organizationId: scope.organizationId,
    ...(filter.role ? { role: filter.role } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.q
      ? {
          OR: [
            { user: { name: { contains: filter.q, mode: 'insensitive' } } },
            { user: { email: { contains: filter.q, mode: 'insensitive' } } },
            { unit: { contains: filter.q, mode: 'insensitive' } },
          ],
        }
      : {}),
  }
  const [members, total] = await Promise.all([
    prisma.membership.findMany({
      where,
      select: MEMBER_SELECT,
      orderBy: [{ status: 'asc' }, { user: { name: 'asc' } }],
      ...pageWindow(page, MEMBERS_PAGE_SIZE),
    }),
    prisma.membership.count({ where }),
  ])
  return { members, total, pageCount: pageCountOf(total, MEMBERS_PAGE_SIZE) }
}

async function lockMember(tx: Tx, scope: TenantScope, membershipId: string) {
  // Serialise owner changes per organisation, so two admins can't each remove "the other" last owner.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'owners:' + scope.organizationId}, 0))`
  return tx.membership.findFirst({
    where: { id: membershipId, organizationId: scope.organizationId },
    include: { user: { select: { id: true, email: true, name: true } } },
  })
}

async function assertNotLastOwner(tx: Tx, scope: TenantScope, member: { id: string; role: Role; status: string }) {
  if (member.role !== 'owner' || member.status !== 'active') return
  const otherOwners = await tx.membership.count({
    where: { organizationId: scope.organizationId, role: 'owner', status: 'active', id: { not: member.id } },
  })
  if (otherOwners === 0) {
    throw new DomainError('RULE_VIOLATION', 'An organisation needs at least one active owner. Make someone else an owner first.')
  }
}

function assertMayManage(scope: TenantScope, target: { role: Role }, newRole?: Role) {
  const allowed = assignableRoles(scope.role)
  if (!allowed.includes(target.role) || (newRole && !allowed.includes(newRole))) {
    throw new DomainError('FORBIDDEN', 'Only an owner can change owners or make someone an owner.')
  }
}

export async function changeMemberRole(scope: TenantScope, { membershipId, role }: { membershipId: string; role: Role }) {
  return prisma.$transaction(async (tx) => {
    const member = await lockMember(tx, scope, membershipId)
    if (!member) return null
    if (member.role === role) return member
    assertMayManage(scope, member, role)
    await assertNotLastOwner(tx, scope, member)
    const updated = await tx.membership.update({ where: { id: member.id }, data: { role } })
    await auditInScope(scope, {
      action: 'member.role_changed',
      targetType: 'membership',
      targetId: member.id,
      targetLabel: member.user.email,
      metadata: { from: member.role, to: role },
    }, { tx })
    // Training follows the role: new modules are assigned, ones no longer for them released.
    await syncTrainingAssignments(scope, { membershipIds: [member.id], trigger: 'member_changed' }, { tx })
    return updated
  })
}

export async function updateMemberDetails(scope: TenantScope, membershipId: string, input: { function: MemberFunction; unit?: string }) {
  return prisma.$transaction(async (tx) => {
    const member = await tx.membership.findFirst({
      where: { id: membershipId, organizationId: scope.organizationId },
      include: { user: { select: { email: true } } },
    })
    if (!member) return null
    const updated = await tx.membership.update({
      where: { id: member.id },
      data: { function: input.function, unit: input.unit ?? null },
    })
    await auditInScope(scope, {
      action: 'member.details_changed',
      targetType: 'membership',
      targetId: member.id,
      targetLabel: member.user.email,
      metadata: { from: { function: member.function, unit: member.unit }, to: { function: input.function, unit: input.unit ?? null } },
    }, { tx })
    await syncTrainingAssignments(scope, { membershipIds: [member.id], trigger: 'member_changed' }, { tx })
    return updated
  })
}

/** Deactivates a member: their access to this organisation and all their sessions end at once. */
export async function deactivateMember(scope: TenantScope, membershipId: string) {
  const result = await prisma.$transaction(async (tx) => {
    const member = await lockMember(tx, scope, membershipId)
    if (!member) return null
    if (member.status === 'deactivated') return member
    assertMayManage(scope, member)
    await assertNotLastOwner(tx, scope, member)
    const updated = await tx.membership.update({ where: { id: member.id }, data: { status: 'deactivated' } })
    await auditInScope(scope, {
      action: 'member.deactivated',
      targetType: 'membership',
      targetId: member.id,
      targetLabel: member.user.email,
    }, { tx })
    await syncTrainingAssignments(scope, { membershipIds: [member.id], trigger: 'member_deactivated' }, { tx })
    return { ...updated, userId: member.user.id }
  })
  if (result && 'userId' in result) await destroyUserSessions(result.userId)
  return result
}

export async function reactivateMember(scope: TenantScope, membershipId: string) {
  return prisma.$transaction(async (tx) => {
    const member = await lockMember(tx, scope, membershipId)
    if (!member) return null
    assertMayManage(scope, member)
    const updated = await tx.membership.update({ where: { id: member.id }, data: { status: 'active' } })
    await auditInScope(scope, {
      action: 'member.reactivated',
      targetType: 'membership',
      targetId: member.id,
      targetLabel: member.user.email,
    }, { tx })
    await syncTrainingAssignments(scope, { membershipIds: [member.id], trigger: 'member_reactivated' }, { tx })
    return updated
  })
}

/** Removes a member from the organisation (the user account stays; other memberships are untouched). */
export async function removeMember(scope: TenantScope, membershipId: string) {
  const result = await prisma.$transaction(async (tx) => {
    const member = await lockMember(tx, scope, membershipId)
    if (!member) return null
    assertMayManage(scope, member)
    await assertNotLastOwner(tx, scope, member)
    await tx.membership.deleteMany({ where: { id: member.id, organizationId: scope.organizationId } })
    await auditInScope(scope, {
      action: 'member.removed',
      targetType: 'membership',
      targetId: member.id,
      targetLabel: member.user.email,
      metadata: { role: member.role },
    }, { tx })
    return { id: member.id, userId: member.user.id }
  })
  if (result) await destroyUserSessions(result.userId)
  return result
}

// When this process last recorded each membership's use: skips the UPDATE on most requests.
const touchedAt = new Map<string, number>()

/** Records that the member used the organisation (for adoption figures), at most once a minute. */
export async function touchMembership(scope: TenantScope) {
  const now = Date.now()
  if (now - (touchedAt.get(scope.membershipId) ?? 0) < 60_000) return
  touchedAt.set(scope.membershipId, now)
  if (touchedAt.size > 50_000) touchedAt.clear()
  await prisma.membership.updateMany({
    where: {
      id: scope.membershipId,
      organizationId: scope.organizationId,
      OR: [{ lastSeenAt: null }, { lastSeenAt: { lt: new Date(now - 60_000) } }],
    },
    data: { lastSeenAt: new Date(now) },
  })
}

export function getMember(scope: TenantScope, membershipId: string) {
  return prisma.membership.findFirst({
    where: { id: membershipId, organizationId: scope.organizationId },
    select: MEMBER_SELECT,
  })
}

/** Active members for owner pickers (systems, interfaces, later RACI). */
export function listMemberOptions(scope: TenantScope) {
  return prisma.membership
    .findMany({
      where: { organizationId: scope.organizationId, status: 'active' },
      select: { id: true, role: true, unit: true, user: { select: { name: true } } },
      orderBy: { user: { name: 'asc' } },
    })
    .then((rows) => rows.map((m) => ({ id: m.id, name: m.user.name, role: m.role, unit: m.unit })))
}
