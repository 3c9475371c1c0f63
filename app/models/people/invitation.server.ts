import { prisma, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { generateToken, sha256 } from '#app/utils/crypto.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { hashPassword } from '#app/utils/password.server.ts'
import { assignableRoles } from '#app/utils/permissions.ts'
import { ROLE_LABELS, type MemberFunction, type Role } from '#app/models/people/vocabulary.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope } from '../audit/audit.server.ts'
import { dispatchEmail, queueEmail } from '../messages/email-outbox.server.ts'
import { syncTrainingAssignments } from '../training/training-assignment.server.ts'

export const INVITATION_TTL_MS = 7 * 24 * 3600_000

export type InvitationInput = {
  email: string
  role: Role
  function: MemberFunction
  unit?: string
  /** Their line manager (a membership of this organisation), set on the membership when they accept. */
  managerId?: string | null
}

/**
 * Invites someone by email. The one-time token is only in the email; the table keeps its hash.
 * A newer invitation to the same address replaces any pending one. Returns the invitation and
 * the id of its outbox email, which is dispatched after the commit; with `{ tx }` (the roster
 * import invites many people, all or none) the caller dispatches it after its own commit.
 */
export async function createInvitation(scope: TenantScope, input: InvitationInput, opts: TxOption & { inviterName: string }) {
  if (opts.tx) return invite(opts.tx, scope, input, opts.inviterName)
  const created = await prisma.$transaction((tx) => invite(tx, scope, input, opts.inviterName))
  await dispatchEmail(scope, created.emailId)
  return created
}

async function invite(tx: Tx, scope: TenantScope, input: InvitationInput, inviterName: string) {
  if (!assignableRoles(scope.role).includes(input.role)) {
    throw new DomainError('FORBIDDEN', `Your role cannot invite someone as ${ROLE_LABELS[input.role]}.`, 'role')
  }
  const token = generateToken()
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS)
  const member = await tx.membership.findFirst({
    where: { organizationId: scope.organizationId, status: 'active', user: { email: input.email } },
    select: { id: true },
  })
  if (member) throw new DomainError('CONFLICT', 'This person is already a member.', 'email')
  if (input.managerId) {
    const manager = await tx.membership.findFirst({ where: { id: input.managerId, organizationId: scope.organizationId }, select: { id: true } })
    if (!manager) throw new DomainError('RULE_VIOLATION', 'Choose the manager from the people of this organisation.', 'managerId')
  }
  await tx.invitation.updateMany({
    where: { organizationId: scope.organizationId, email: input.email, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  })
  const invitation = await tx.invitation.create({
    data: {
      organizationId: scope.organizationId,
      email: input.email,
      role: input.role,
      function: input.function,
      unit: input.unit ?? null,
      managerId: input.managerId ?? null,
      tokenHash: sha256(token),
      invitedById: scope.userId,
      expiresAt,
    },
  })
  const email = await queueEmail(scope, {
    dedupeKey: `invitation:${invitation.id}`,
    to: input.email,
    template: 'invitation',
    props: {
      orgName: scope.orgName,
      inviterName,
      roleLabel: ROLE_LABELS[input.role],
      acceptUrl: `${getEnv().APP_URL}/invitations/${token}`,
      expiresAt: expiresAt.toLocaleString('en-GB', { timeZone: scope.timeZone, dateStyle: 'long', timeStyle: 'short' }),
    },
  })
  await auditInScope(scope, {
    action: 'member.invited',
    targetType: 'invitation',
    targetId: invitation.id,
    targetLabel: input.email,
    metadata: { role: input.role, function: input.function, unit: input.unit ?? null },
  }, { tx })
  return { ...invitation, emailId: email.id }
}

export function listPendingInvitations(scope: TenantScope) {
  return prisma.invitation.findMany({
    where: { organizationId: scope.organizationId, acceptedAt: null, revokedAt: null },
    orderBy: { createdAt: 'desc' },
    select: { id: true, email: true, role: true, function: true, unit: true, expiresAt: true, createdAt: true },
  })
}

export async function revokeInvitation(scope: TenantScope, invitationId: string) {
  return prisma.$transaction(async (tx) => {
    const revoked = await tx.invitation.updateMany({
      where: { id: invitationId, organizationId: scope.organizationId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    })
    if (!revoked.count) return null
    const inv = await tx.invitation.findFirstOrThrow({ where: { id: invitationId, organizationId: scope.organizationId } })
    await auditInScope(scope, { action: 'invitation.revoked', targetType: 'invitation', targetId: inv.id, targetLabel: inv.email }, { tx })
    return inv
  })
}

/**
 * Sends a pending (or expired) invitation again with a fresh link and a new 7-day window; the
 * old link stops working. Null when it is not this organisation's or was already accepted.
 */
export async function resendInvitation(scope: TenantScope, { invitationId, inviterName }: { invitationId: string; inviterName: string }) {
  const inv = await prisma.invitation.findFirst({
    where: { id: invitationId, organizationId: scope.organizationId, acceptedAt: null, revokedAt: null },
  })
  if (!inv) return null
  return createInvitation(scope, { email: inv.email, role: inv.role, function: inv.function, unit: inv.unit ?? undefined, managerId: inv.managerId }, { inviterName })
}

/** The public view of an invitation link: enough to show who invites whom, nothing more. */
export async function getInvitationByToken(token: string) {
  const inv = await prisma.invitation.findUnique({
    where: { tokenHash: sha256(token) },
    select: {
      id: true,
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      organization: { select: { name: true, slug: true } },
    },
  })
  if (!inv) return null
  const state = inv.acceptedAt ? 'accepted' : inv.revokedAt ? 'revoked' : inv.expiresAt.getTime() <= Date.now() ? 'expired' : 'open'
  const accountExists = Boolean(await prisma.user.findUnique({ where: { email: inv.email }, select: { id: true } }))
  return { ...inv, state, accountExists } as const
}

/**
 * Accepts an invitation once. The signed-in user must own the invited address; someone without
 * an account creates one here (`newAccount`). Re-inviting a deactivated member reactivates them.
 */
export async function acceptInvitation(
  token: string,
  who: { userId: string } | { newAccount: { name: string; password: string } },
) {
  const tokenHash = sha256(token)
  const passwordHash = 'newAccount' in who ? await hashPassword(who.newAccount.password) : null
  return prisma.$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { tokenHash }, include: { organization: true } })
    if (!inv || inv.revokedAt) throw new DomainError('NOT_FOUND', 'This invitation was withdrawn or does not exist.')
    if (inv.acceptedAt) throw new DomainError('CONFLICT', 'This invitation was already used.')
    if (inv.expiresAt.getTime() <= Date.now()) throw new DomainError('RULE_VIOLATION', 'This invitation has expired. Ask for a new one.')
    let user
    if ('userId' in who) {
      user = await tx.user.findUniqueOrThrow({ where: { id: who.userId } })
      if (user.email !== inv.email) {
        throw new DomainError('FORBIDDEN', `This invitation is for ${inv.email}. Sign in with that address to accept it.`)
      }
    } else {
      const exists = await tx.user.findUnique({ where: { email: inv.email } })
      if (exists) throw new DomainError('CONFLICT', 'An account with this email exists: sign in to accept.')
      user = await tx.user.create({ data: { email: inv.email, name: who.newAccount.name, passwordHash: passwordHash! } })
    }
    // Single use even under concurrent clicks: only one UPDATE finds acceptedAt still null.
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null },
      data: { acceptedAt: new Date(), acceptedById: user.id },
    })
    if (!claimed.count) throw new DomainError('CONFLICT', 'This invitation was already used.')
    const membership = await tx.membership.upsert({
      where: { organizationId_userId: { organizationId: inv.organizationId, userId: user.id } },
      create: { organizationId: inv.organizationId, userId: user.id, role: inv.role, function: inv.function, unit: inv.unit },
      update: { role: inv.role, function: inv.function, unit: inv.unit, status: 'active' },
    })
    // The manager named by the roster import, when they are still of this organisation.
    if (inv.managerId) {
      await tx.membership.updateMany({
        where: { id: membership.id, organizationId: inv.organizationId, organization: { memberships: { some: { id: inv.managerId } } } },
        data: { managerId: inv.managerId },
      })
    }
    // NOTE: the scope requireTenant would build for the new member on their next request: from
    // here on they act in the organisation (and the audit trail names them as the actor).
    const scope: TenantScope = {
      organizationId: inv.organizationId,
      orgSlug: inv.organization.slug,
      orgName: inv.organization.name,
      timeZone: inv.organization.timeZone,
      userId: user.id,
      userEmail: user.email,
      role: membership.role,
      membershipId: membership.id,
    }
    await auditInScope(scope, {
      action: 'invitation.accepted',
      targetType: 'membership',
      targetId: membership.id,
      targetLabel: user.email,
      metadata: { role: inv.role, invitationId: inv.id },
    }, { tx })
    // A new member gets the training their role, function and unit call for, from day one.
    await syncTrainingAssignments(scope, { membershipIds: [membership.id], trigger: 'member_joined' }, { tx })
    return { user, organization: inv.organization, membership }
  })
}
