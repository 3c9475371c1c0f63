import type { TenantScope } from './tenant.server.ts'

/*
 * One scope for every caller (docs/decisions/018-one-scope-and-vocabulary.md): a request acts
 * as a member (`TenantScope`, made by `requireTenant`), a job as the system (`SystemScope`, made
 * here). A model function that both call takes a `Scope` first, its input second and one options
 * object last (`{ tx }`, see db.server.ts).
 */

declare const systemBrand: unique symbol

/**
 * The scope of work the system does for one organisation (a job, the seed): no member acts, so
 * the audit trail records the actor as the system (no user, no email; shown as "system"). The
 * brand makes `systemScope` its only maker: an object literal with the same fields is refused.
 */
export type SystemScope = {
  readonly organizationId: string
  readonly actor: 'system'
  readonly [systemBrand]: true
}

/** What a model function that both requests and jobs call accepts. */
export type Scope = TenantScope | SystemScope

/** The one way a job gets a scope: from the organisation id of its payload. */
export function systemScope(organizationId: string): SystemScope {
  if (!organizationId) throw new Error('systemScope needs an organisation id')
  return Object.freeze({ organizationId, actor: 'system' }) as SystemScope
}

export function isSystemScope(scope: Scope): scope is SystemScope {
  return 'actor' in scope && scope.actor === 'system'
}

/** Who acted, as the audit trail stores it: the member, or nobody (the system). */
export function actorOf(scope: Scope): { actorUserId: string | null; actorEmail: string | null } {
  return isSystemScope(scope) ? { actorUserId: null, actorEmail: null } : { actorUserId: scope.userId, actorEmail: scope.userEmail }
}
