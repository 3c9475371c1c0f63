import { dbOf, inTx, prisma, type Tx, type TxOption } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope, recordAudit } from '../audit/audit.server.ts'

export function slugify(name: string) {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return base || 'org'
}

export async function uniqueSlug(name: string, opts: TxOption = {}) {
  const base = slugify(name)
  const taken = new Set(
    (await dbOf(opts).organization.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((o) => o.slug),
  )
  if (!taken.has(base)) return base
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`
}

/** The organisations a user can switch to (active memberships), for the switcher. */
export function listMyOrganizations(userId: string) {
  return prisma.membership
    .findMany({
      where: { userId, status: 'active' },
      select: { role: true, organization: { select: { id: true, slug: true, name: true } } },
      orderBy: { organization: { name: 'asc' } },
    })
    .then((rows) => rows.map((r) => ({ ...r.organization, role: r.role })))
}

export function getOrganization(scope: TenantScope) {
  return prisma.organization.findFirst({
    where: { id: scope.organizationId },
    select: { id: true, slug: true, name: true, timeZone: true, createdAt: true },
  })
}

export async function updateOrganization(scope: TenantScope, input: { name: string; timeZone: string }) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.organization.findFirstOrThrow({ where: { id: scope.organizationId } })
    const org = await tx.organization.update({ where: { id: scope.organizationId }, data: input })
    await auditInScope(scope, {
      action: 'org.settings_changed',
      targetType: 'organization',
      targetId: org.id,
      targetLabel: org.name,
      metadata: { before: { name: before.name, timeZone: before.timeZone }, after: input },
    }, { tx })
    return org
  })
}

/** What the home page shows: people, pending invitations, recent activity. */
export async function getOrganizationOverview(scope: TenantScope) {
  const where = { organizationId: scope.organizationId }
  const [members, byRole, pendingInvitations, recent] = await Promise.all([
    prisma.membership.count({ where: { ...where, status: 'active' } }),
    prisma.membership.groupBy({ by: ['role'], where: { ...where, status: 'active' }, _count: { _all: true } }),
    prisma.invitation.count({ where: { ...where, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } } }),
    prisma.auditEvent.findMany({
      where: { ...where, action: { notIn: ['security.permission_denied'] } },
      orderBy: { seq: 'desc' },
      take: 8,
      select: { id: true, action: true, actorEmail: true, targetLabel: true, createdAt: true },
    }),
  ])
  return {
    members,
    byRole: Object.fromEntries(byRole.map((r) => [r.role, r._count._all])) as Partial<Record<string, number>>,
    pendingInvitations,
    recent,
  }
}

/** Valid IANA zones for the settings form. */
export function listTimeZones(): string[] {
  return Intl.supportedValuesOf('timeZone')
}

/**
 * Creates an organisation with `user` as its owner (a signed-in user, or sign-up in its own
 * transaction: `{ tx }`). No scope yet: the organisation is what is being made.
 */
export async function createOrganization(user: { id: string; email: string }, input: { name: string; timeZone?: string }, opts: TxOption = {}) {
  return inTx(opts, (tx) => createWithOwner(tx, user, input.name, input.timeZone ?? 'UTC'))
}

async function createWithOwner(tx: Tx, user: { id: string; email: string }, name: string, timeZone: string) {
  const org = await tx.organization.create({ data: { name, slug: await uniqueSlug(name, { tx }), timeZone } })
  await tx.membership.create({ data: { organizationId: org.id, userId: user.id, role: 'owner', function: 'executive' } })
  await recordAudit({
    organizationId: org.id,
    actorUserId: user.id,
    actorEmail: user.email,
    action: 'org.created',
    targetType: 'organization',
    targetId: org.id,
    targetLabel: org.name,
  }, { tx })
  return org
}
