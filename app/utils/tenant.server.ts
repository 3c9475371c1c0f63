/**
 * ██  THE TENANT GUARD  ██
 * `requireTenant` is the only maker of a `TenantScope` (a member, for a request);
 * `systemScope` (scope.server.ts) is the only maker of a `SystemScope` (the system, for a job). Every model
 * function takes a scope first and puts `organizationId: scope.organizationId` in its first
 * query (docs/decisions/018-one-scope-and-vocabulary.md). Change this file with care and with
 * tests: tests/tenant-isolation.test.ts calls every route as an outsider and as every role.
 *
 * - not signed in            → redirect to /login
 * - not an active member     → 404 (whether the organisation exists does not leak)
 * - member lacking `can`     → 403, and a `security.permission_denied` audit event
 */
import { redirect } from '@remix-run/node'
import { prisma } from './db.server.ts'
import { can as roleCan, type Capability } from './permissions.ts'
import { ROLE_LABELS, type Role } from '#app/models/people/vocabulary.ts'
import { getSession, type SessionUser } from './session.server.ts'
import { memoPerRequest } from './request-context.server.ts'
import { recordAudit } from '#app/models/audit/audit.server.ts'

export type TenantScope = {
  readonly organizationId: string
  readonly orgSlug: string
  readonly orgName: string
  readonly timeZone: string
  readonly userId: string
  readonly userEmail: string
  readonly role: Role
  readonly membershipId: string
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const session = await getSession(request)
  if (!session) {
    const url = new URL(request.url)
    const redirectTo = `${url.pathname}${url.search}`
    throw redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`)
  }
  return session.user
}

export async function requireTenant(
  request: Request,
  params: { orgSlug?: string },
  options: { can: Capability },
): Promise<TenantScope> {
  const user = await requireUser(request)
  const slug = params.orgSlug ?? ''
  const membership = await memoPerRequest(`membership:${user.id}:${slug}`, () =>
    prisma.membership.findFirst({
      where: { userId: user.id, status: 'active', organization: { slug } },
      select: { id: true, role: true, organization: { select: { id: true, slug: true, name: true, timeZone: true } } },
    }),
  )
  if (!membership) throw new Response('Not found', { status: 404, statusText: 'Not Found' })
  const scope: TenantScope = {
    organizationId: membership.organization.id,
    orgSlug: membership.organization.slug,
    orgName: membership.organization.name,
    timeZone: membership.organization.timeZone,
    userId: user.id,
    userEmail: user.email,
    role: membership.role,
    membershipId: membership.id,
  }
  if (!roleCan(scope.role, options.can)) {
    const url = new URL(request.url)
    await recordAudit({
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      actorEmail: scope.userEmail,
      action: 'security.permission_denied',
      targetType: 'route',
      targetLabel: `${request.method} ${url.pathname}`,
      metadata: { capability: options.can, role: scope.role },
    })
    throw new Response(`Your role (${ROLE_LABELS[scope.role]}) cannot do this.`, { status: 403, statusText: 'Forbidden' })
  }
  return scope
}
