import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { createSession, getSession } from '#app/utils/session.server.ts'
import {
  changeMemberRole,
  deactivateMember,
  listMembers,
  reactivateMember,
  removeMember,
  updateMemberDetails,
} from './membership.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { expectDomainError, requestWithCookie } from '#tests/helpers.ts'

const LAST_OWNER = /at least one active owner/

describe('the last owner', () => {
  test('cannot be demoted, deactivated or removed', async () => {
    const { org, owner, scope } = await createOrgWithOwner()
    const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })

    await expectDomainError(changeMemberRole(scope, { membershipId: ownerMembership.id, role: 'admin' }), 'RULE_VIOLATION', LAST_OWNER)
    await expectDomainError(deactivateMember(scope, ownerMembership.id), 'RULE_VIOLATION', LAST_OWNER)
    await expectDomainError(removeMember(scope, ownerMembership.id), 'RULE_VIOLATION', LAST_OWNER)

    expect(await prisma.membership.findUniqueOrThrow({ where: { id: ownerMembership.id } })).toMatchObject({ role: 'owner', status: 'active' })
  })

  test('can step down once there is another active owner', async () => {
    const { org, owner, scope } = await createOrgWithOwner()
    const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
    const colleague = await createTestUser()
    const colleagueMembership = await addMember(org, colleague, 'admin')

    // An admin promoted to owner by an owner…
    expect(await changeMemberRole(scope, { membershipId: colleagueMembership.id, role: 'owner' })).toMatchObject({ role: 'owner' })
    // …lets the first owner step down.
    expect(await changeMemberRole(scope, { membershipId: ownerMembership.id, role: 'manager' })).toMatchObject({ role: 'manager' })
    // Now the colleague is the last owner.
    const colleagueScope = await scopeFor(org, colleague)
    await expectDomainError(removeMember(colleagueScope, colleagueMembership.id), 'RULE_VIOLATION', LAST_OWNER)

    const audit = await prisma.auditEvent.findMany({ where: { organizationId: org.id, action: 'member.role_changed' }, orderBy: { seq: 'asc' } })
    expect(audit.map((a) => a.metadata)).toEqual([
      { from: 'admin', to: 'owner' },
      { from: 'owner', to: 'manager' },
    ])
  })

  test('a deactivated owner does not count as the other owner', async () => {
    const { org, owner, scope } = await createOrgWithOwner()
    const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
    const second = await createTestUser()
    const secondMembership = await addMember(org, second, 'owner', 'executive')
    await deactivateMember(scope, secondMembership.id)
    await expectDomainError(removeMember(scope, ownerMembership.id), 'RULE_VIOLATION', LAST_OWNER)
  })

  test('two owners removing each other at the same moment leave one owner', async () => {
    const { org, owner, scope } = await createOrgWithOwner()
    const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
    const second = await createTestUser()
    const secondMembership = await addMember(org, second, 'owner', 'executive')
    const results = await Promise.allSettled([
      removeMember(scope, secondMembership.id),
      removeMember(await scopeFor(org, second), ownerMembership.id),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await prisma.membership.count({ where: { organizationId: org.id, role: 'owner', status: 'active' } })).toBe(1)
  })
})

describe('deactivating a member', () => {
  test('signs them out at once', async () => {
    const { org, scope } = await createOrgWithOwner()
    const member = await createTestUser()
    const membership = await addMember(org, member, 'analyst')
    const theirBrowser = requestWithCookie((await createSession(member.id)).cookie)
    expect(await getSession(theirBrowser)).not.toBeNull()

    expect(await deactivateMember(scope, membership.id)).toMatchObject({ status: 'deactivated' })
    expect(await getSession(theirBrowser)).toBeNull()
    const active = await listMembers(scope, { status: 'active' })
    expect(active.members.map((m) => m.user.id)).not.toContain(member.id)

    expect(await reactivateMember(scope, membership.id)).toMatchObject({ status: 'active' })
  })
})

describe('admins', () => {
  test('cannot make owners or change an owner', async () => {
    const { org, owner } = await createOrgWithOwner()
    const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
    const admin = await createTestUser()
    await addMember(org, admin, 'admin')
    const adminScope = await scopeFor(org, admin)
    const analyst = await createTestUser()
    const analystMembership = await addMember(org, analyst, 'analyst')

    await expectDomainError(changeMemberRole(adminScope, { membershipId: analystMembership.id, role: 'owner' }), 'FORBIDDEN')
    await expectDomainError(changeMemberRole(adminScope, { membershipId: ownerMembership.id, role: 'analyst' }), 'FORBIDDEN')
    await expectDomainError(removeMember(adminScope, ownerMembership.id), 'FORBIDDEN')
    await expectDomainError(deactivateMember(adminScope, ownerMembership.id), 'FORBIDDEN')

    // What an admin may do still works.
    expect(await changeMemberRole(adminScope, { membershipId: analystMembership.id, role: 'manager' })).toMatchObject({ role: 'manager' })
    expect(await prisma.membership.findUniqueOrThrow({ where: { id: ownerMembership.id } })).toMatchObject({ role: 'owner', status: 'active' })
  })
})

describe('another organisation', () => {
  test('sees none of the members and changes nothing', async () => {
    const ours = await createOrgWithOwner()
    const theirs = await createOrgWithOwner()
    const member = await createTestUser()
    const membership = await addMember(ours.org, member, 'analyst', 'it', 'Lab')
    const memberBrowser = requestWithCookie((await createSession(member.id)).cookie)

    const listed = await listMembers(theirs.scope)
    expect(listed.members.map((m) => m.user.id)).toEqual([theirs.owner.id])

    expect(await changeMemberRole(theirs.scope, { membershipId: membership.id, role: 'owner' })).toBeNull()
    expect(await updateMemberDetails(theirs.scope, membership.id, { function: 'vendor', unit: 'Elsewhere' })).toBeNull()
    expect(await deactivateMember(theirs.scope, membership.id)).toBeNull()
    expect(await reactivateMember(theirs.scope, membership.id)).toBeNull()
    expect(await removeMember(theirs.scope, membership.id)).toBeNull()

    expect(await prisma.membership.findUniqueOrThrow({ where: { id: membership.id } })).toMatchObject({
      role: 'analyst',
      function: 'it',
      unit: 'Lab',
      status: 'active',
    })
    expect(await getSession(memberBrowser)).not.toBeNull()
    expect(await prisma.auditEvent.count({ where: { targetId: membership.id } })).toBe(0)
  })
})
