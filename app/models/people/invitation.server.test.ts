import { afterEach, describe, expect, test, vi } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { logIn } from './user.server.ts'
import {
  INVITATION_TTL_MS,
  acceptInvitation,
  createInvitation,
  getInvitationByToken,
  listPendingInvitations,
  resendInvitation,
  revokeInvitation,
  type InvitationInput,
} from './invitation.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { expectDomainError, tokenFromLink } from '#tests/helpers.ts'

afterEach(() => {
  vi.useRealTimers()
})

const TOKEN_IN_LINK = /\/invitations\/([A-Za-z0-9_-]+)/

function newAddress() {
  return `invitee-${uniqueSuffix()}@example.test`
}

/** Invites, then reads the token the way the invitee would: from the email. */
async function invite(scope: TenantScope, input: Partial<InvitationInput> & { email: string }) {
  const invitation = await createInvitation(
    scope,
    { role: 'analyst', function: 'it', ...input },
    { inviterName: 'Olive Owner' },
  )
  const mail = await prisma.emailOutbox.findUniqueOrThrow({ where: { dedupeKey: `invitation:${invitation.id}` } })
  expect(mail.toEmail).toBe(input.email)
  const fromHtml = tokenFromLink(mail.html, TOKEN_IN_LINK)
  const fromText = tokenFromLink(mail.text, TOKEN_IN_LINK)
  expect(fromText).toBe(fromHtml)
  return { invitation, token: fromHtml, mail }
}

describe('inviting someone', () => {
  test('the emailed link makes them a member with the role, function and unit they were invited with', async () => {
    const { org, scope } = await createOrgWithOwner({ orgName: 'St. Elsewhere' })
    const email = newAddress()
    const { token, mail, invitation } = await invite(scope, { email, role: 'clinical_lead', function: 'clinical', unit: 'Cardiology' })
    expect(mail.subject).toBe("You're invited to St. Elsewhere on Liaison")
    expect(mail.html).toContain(`${process.env.APP_URL}/invitations/${token}`)
    // Only the hash is stored: the table alone does not let anyone accept.
    expect(JSON.stringify(await prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } }))).not.toContain(token)

    expect(await getInvitationByToken(token)).toMatchObject({ email, state: 'open', accountExists: false, organization: { slug: org.slug } })

    const accepted = await acceptInvitation(token, { newAccount: { name: 'Dr. Nia Ward', password: 'heart rhythm 2030' } })
    expect(accepted.membership).toMatchObject({ organizationId: org.id, role: 'clinical_lead', function: 'clinical', unit: 'Cardiology', status: 'active' })
    expect(await logIn({ email, password: 'heart rhythm 2030' })).toMatchObject({ ok: true })
    expect(await listPendingInvitations(scope)).toEqual([])
    const audit = await prisma.auditEvent.findMany({ where: { organizationId: org.id, action: { in: ['member.invited', 'invitation.accepted'] } } })
    expect(audit.map((a) => a.action).sort()).toEqual(['invitation.accepted', 'member.invited'])
  })

  test('someone who already has an account accepts while signed in', async () => {
    const { org, scope } = await createOrgWithOwner()
    const consultant = await createTestUser()
    const { token } = await invite(scope, { email: consultant.email, role: 'manager', function: 'operations' })
    expect((await getInvitationByToken(token))?.accountExists).toBe(true)
    const { membership } = await acceptInvitation(token, { userId: consultant.id })
    expect(membership).toMatchObject({ organizationId: org.id, userId: consultant.id, role: 'manager', function: 'operations', unit: null })
  })

  test('a link works once', async () => {
    const { scope } = await createOrgWithOwner()
    const user = await createTestUser()
    const { token } = await invite(scope, { email: user.email })
    await acceptInvitation(token, { userId: user.id })
    await expectDomainError(acceptInvitation(token, { userId: user.id }), 'CONFLICT', /already used/)
    expect((await getInvitationByToken(token))?.state).toBe('accepted')
  })

  test('a link expires after seven days', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const now = Date.now()
    vi.setSystemTime(now)
    const { scope } = await createOrgWithOwner()
    const email = newAddress()
    const { token } = await invite(scope, { email })
    vi.setSystemTime(now + INVITATION_TTL_MS + 1000)
    expect((await getInvitationByToken(token))?.state).toBe('expired')
    await expectDomainError(acceptInvitation(token, { newAccount: { name: 'Late Larry', password: 'better late than never' } }), 'RULE_VIOLATION', /expired/)
    expect(await prisma.user.findUnique({ where: { email } })).toBeNull()
  })

  test('a signed-in user with another email cannot take someone else’s invitation', async () => {
    const { org, scope } = await createOrgWithOwner()
    const intended = newAddress()
    const interloper = await createTestUser()
    const { token } = await invite(scope, { email: intended })
    await expectDomainError(acceptInvitation(token, { userId: interloper.id }), 'FORBIDDEN', new RegExp(intended))
    expect(await prisma.membership.findFirst({ where: { organizationId: org.id, userId: interloper.id } })).toBeNull()
    expect((await getInvitationByToken(token))?.state).toBe('open')
  })

  test('inviting the same address again withdraws the earlier link', async () => {
    const { scope } = await createOrgWithOwner()
    const email = newAddress()
    const first = await invite(scope, { email, role: 'staff', function: 'operations' })
    const second = await invite(scope, { email, role: 'analyst', function: 'it' })
    expect(second.token).not.toBe(first.token)

    const pending = await listPendingInvitations(scope)
    expect(pending.map((p) => p.id)).toEqual([second.invitation.id])
    expect((await getInvitationByToken(first.token))?.state).toBe('revoked')
    await expectDomainError(acceptInvitation(first.token, { newAccount: { name: 'Sam', password: 'old link password' } }), 'NOT_FOUND')

    const { membership } = await acceptInvitation(second.token, { newAccount: { name: 'Sam', password: 'new link password' } })
    expect(membership.role).toBe('analyst')
  })

  test('a revoked link cannot be used', async () => {
    const { scope } = await createOrgWithOwner()
    const { token, invitation } = await invite(scope, { email: newAddress() })
    expect(await revokeInvitation(scope, invitation.id)).toMatchObject({ id: invitation.id })
    await expectDomainError(acceptInvitation(token, { newAccount: { name: 'Nope', password: 'withdrawn already' } }), 'NOT_FOUND')
  })

  test('an existing member cannot be invited again', async () => {
    const { org, scope } = await createOrgWithOwner()
    const member = await createTestUser()
    await addMember(org, member, 'staff')
    await expectDomainError(createInvitation(scope, { email: member.email, role: 'analyst', function: 'it' }, { inviterName: 'Olive' }), 'CONFLICT')
  })

  test('a manager cannot invite an admin; an admin cannot invite an owner', async () => {
    const { org } = await createOrgWithOwner()
    const manager = await createTestUser()
    const admin = await createTestUser()
    await addMember(org, manager, 'manager', 'operations')
    await addMember(org, admin, 'admin')
    await expectDomainError(createInvitation(await scopeFor(org, manager), { email: newAddress(), role: 'admin', function: 'it' }, { inviterName: 'M' }), 'FORBIDDEN')
    await expectDomainError(createInvitation(await scopeFor(org, admin), { email: newAddress(), role: 'owner', function: 'it' }, { inviterName: 'A' }), 'FORBIDDEN')
    expect(await createInvitation(await scopeFor(org, admin), { email: newAddress(), role: 'admin', function: 'it' }, { inviterName: 'A' })).toMatchObject({ role: 'admin' })
  })
})

describe('another organisation', () => {
  test('cannot list or revoke this organisation’s invitations', async () => {
    const ours = await createOrgWithOwner()
    const theirs = await createOrgWithOwner()
    const { invitation, token } = await invite(ours.scope, { email: newAddress() })

    expect(await listPendingInvitations(theirs.scope)).toEqual([])
    expect(await revokeInvitation(theirs.scope, invitation.id)).toBeNull()

    expect((await listPendingInvitations(ours.scope)).map((i) => i.id)).toEqual([invitation.id])
    expect((await getInvitationByToken(token))?.state).toBe('open')
    expect(await prisma.auditEvent.count({ where: { organizationId: theirs.org.id, action: 'invitation.revoked' } })).toBe(0)
  })
})

describe('sending an invitation again', () => {
  test('a fresh link with a new 7-day window; the old link stops working; another organisation gets null', async () => {
    const { scope } = await createOrgWithOwner()
    const email = newAddress()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-01T09:00:00Z'))
    const first = await invite(scope, { email, role: 'staff', function: 'clinical', unit: 'ICU' })
    vi.setSystemTime(new Date('2026-11-10T09:00:00Z')) // the first link has expired
    expect((await getInvitationByToken(first.token))?.state).toBe('expired')

    const again = await resendInvitation(scope, { invitationId: first.invitation.id, inviterName: 'Olive Owner' })
    expect(again).toMatchObject({ email, role: 'staff', function: 'clinical', unit: 'ICU' })
    expect(again!.expiresAt.getTime()).toBe(new Date('2026-11-10T09:00:00Z').getTime() + INVITATION_TTL_MS)
    const mail = await prisma.emailOutbox.findUniqueOrThrow({ where: { dedupeKey: `invitation:${again!.id}` } })
    const token = tokenFromLink(mail.text, TOKEN_IN_LINK)
    expect(token).not.toBe(first.token)
    expect((await getInvitationByToken(first.token))?.state).toBe('revoked')
    expect((await getInvitationByToken(token))?.state).toBe('open')
    expect((await listPendingInvitations(scope)).map((i) => i.id)).toEqual([again!.id])

    const other = await createOrgWithOwner()
    expect(await resendInvitation(other.scope, { invitationId: again!.id, inviterName: 'Mallory' })).toBeNull()
    expect((await listPendingInvitations(scope)).map((i) => i.id)).toEqual([again!.id])
  })
})
