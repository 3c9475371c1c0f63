/**
 * Small factories for tests and for the seed (prisma/seed.ts builds the demo from them).
 * Every call makes unique emails and slugs (random suffix), so test files can run in parallel
 * against one database without cleaning up. They write through Prisma directly: a factory sets
 * up a situation, it does not exercise the product's rules (tests call the models for that).
 */
import { randomBytes } from 'node:crypto'
import type { MemberFunction, Membership, Organization, Role, User } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { hashPassword } from '#app/utils/password.server.ts'
import { createSession } from '#app/utils/session.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'

export const DEFAULT_TEST_PASSWORD = 'correct horse battery staple'

export function uniqueSuffix() {
  return randomBytes(5).toString('hex')
}

// argon2 takes ~50 ms; most users share the default password, so hash it once per process.
let defaultHash: Promise<string> | undefined
function passwordHashFor(password: string) {
  if (password !== DEFAULT_TEST_PASSWORD) return hashPassword(password)
  return (defaultHash ??= hashPassword(DEFAULT_TEST_PASSWORD))
}

export type TestUser = User & { password: string }

export async function createTestUser(input: { email?: string; name?: string; password?: string; isOperator?: boolean } = {}): Promise<TestUser> {
  const suffix = uniqueSuffix()
  const password = input.password ?? DEFAULT_TEST_PASSWORD
  const user = await prisma.user.create({
    data: {
      email: (input.email ?? `user-${suffix}@example.test`).toLowerCase(),
      name: input.name ?? `Test User ${suffix}`,
      passwordHash: await passwordHashFor(password),
      isOperator: input.isOperator ?? false,
    },
  })
  return { ...user, password }
}

export async function createTestOrg(input: { name?: string; slug?: string; timeZone?: string } = {}): Promise<Organization> {
  const suffix = uniqueSuffix()
  const name = input.name ?? `Test Hospital ${suffix}`
  return prisma.organization.create({
    data: {
      name,
      slug: input.slug ?? `test-${suffix}`,
      timeZone: input.timeZone ?? 'UTC',
    },
  })
}

export async function addMember(
  org: { id: string },
  user: { id: string },
  role: Role,
  fn: MemberFunction = defaultFunctionFor(role),
  unit?: string,
): Promise<Membership> {
  return prisma.membership.create({
    data: { organizationId: org.id, userId: user.id, role, function: fn, unit: unit ?? null },
  })
}

function defaultFunctionFor(role: Role): MemberFunction {
  switch (role) {
    case 'clinical_lead':
      return 'clinical'
    case 'executive':
      return 'executive'
    case 'compliance':
      return 'compliance'
    case 'staff':
      return 'operations'
    default:
      return 'it'
  }
}

/**
 * The TenantScope `requireTenant` would build for this user in this organisation, read from the
 * membership (whatever its status: a test may want to act as a member who was just deactivated).
 */
export async function scopeFor(org: { id: string }, user: { id: string }): Promise<TenantScope> {
  const m = await prisma.membership.findUniqueOrThrow({
    where: { organizationId_userId: { organizationId: org.id, userId: user.id } },
    include: { organization: true, user: { select: { email: true } } },
  })
  return {
    organizationId: m.organizationId,
    orgSlug: m.organization.slug,
    orgName: m.organization.name,
    timeZone: m.organization.timeZone,
    userId: m.userId,
    userEmail: m.user.email,
    role: m.role,
    membershipId: m.id,
  }
}

/** A new session for the user; returns the `cookie` request header value (name=value). */
export async function sessionCookieFor(userId: string) {
  const { cookie } = await createSession(userId)
  return cookie.split(';')[0]!
}

/** A Request carrying the user's session cookie (for guards and loaders). */
export async function requestAs(userId: string, url = '/', init: RequestInit = {}) {
  const cookie = await sessionCookieFor(userId)
  const headers = new Headers(init.headers)
  headers.set('cookie', cookie)
  return new Request(new URL(url, process.env.APP_URL ?? 'http://127.0.0.1:3999'), { ...init, headers })
}

/** An organisation with an owner: the starting point of most tests. */
export async function createOrgWithOwner(input: { orgName?: string; email?: string } = {}) {
  const org = await createTestOrg({ name: input.orgName })
  const owner = await createTestUser({ email: input.email })
  await addMember(org, owner, 'owner', 'executive')
  return { org, owner, scope: await scopeFor(org, owner) }
}
