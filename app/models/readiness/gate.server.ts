/**
 * The go-live gate (docs/decisions/028-readiness-gate.md). Phase 4 cannot start, a wave cannot go
 * live and an interface of an open project cannot be set live until the project's readiness checks
 * all pass — or the failing ones are exempted (not expired) — or the project's accountable person
 * has overridden the gate. Every path that can do one of those three things calls a function of
 * this file inside its own transaction; tests/architecture.test.ts fails when a new path does not.
 *
 *   startDeployment (projects.server.ts)  → assertGateOpen(…, { path: 'start_deployment' })
 *   markWaveLive (waves.server.ts)        → assertGateOpen(…, { path: 'wave_live' })
 *   createInterface / updateInterface, the inventory CSV import apply
 *                                         → assertInterfacesMayGoLive
 *
 * A refusal throws CONFLICT (409) naming the failing checks, and is written to the audit trail
 * (`gate.refused`) OUTSIDE the caller's transaction, so it stays when that rolls back.
 * NOTE: the guards are called before the caller writes its own audit events, so the caller's
 * transaction does not hold the audit chain's lock while the refusal is appended beside it.
 *
 * Overrides: the project's accountable person — the A of the "Phased rollout" step in the RACI,
 * else the project's owner — overrides the whole gate with a written reason; revocable by them or
 * by whoever granted it. Exemptions: a member with `gate:exempt` (compliance) exempts one check
 * until a date in the future, with a reason; revocable by `gate:exempt`. Both audited.
 */
import { inTx, dbOf, type Db, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { zonedParts } from '#app/utils/org.ts'
import { can } from '#app/utils/permissions.ts'
import { isSystemScope, type Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope } from '../audit/audit.server.ts'
import { dateOf } from '#app/models/projects/plan.ts'
import { checkByKey } from './checks/index.server.ts'
import { projectReadiness, rolloutPeople, type ProjectReadiness } from './readiness.server.ts'
import { namesOf, type ExemptionInput, type OverrideInput } from './readiness.ts'

export type GatePath = 'start_deployment' | 'wave_live' | 'interface_live' | 'inventory_import'
const PATH_WORDS: Record<GatePath, string> = {
  start_deployment: 'Deployment & training cannot start',
  wave_live: 'This wave cannot go live',
  interface_live: 'This interface cannot be set live',
  inventory_import: 'The import cannot set these interfaces live',
}

type GateOptions = TxOption & { now?: Date; path: GatePath; what?: string }

/** The failing checks in words: "Mapping coverage (Lab results: 1 required row not approved); …". */
function refusalOf(r: Pick<ProjectReadiness, 'failing' | 'project'>, path: GatePath) {
  const detail = r.failing.map((c) => `${c.title} — ${c.why.replace(/\.$/, '')}`).join('; ')
  return `${PATH_WORDS[path]}: the go-live gate of “${r.project.name}” is closed. Failing: ${namesOf(r.failing)}. ${detail}. See the readiness scorecard to fix them, or ask for an exemption or an override.`
}

async function refuse(scope: Scope, r: ProjectReadiness, options: GateOptions): Promise<never> {
  // Outside the caller's transaction: the refusal stays in the trail when the change rolls back.
  await auditInScope(scope, {
    action: 'gate.refused',
    targetType: 'project',
    targetId: r.project.id,
    targetLabel: r.project.name,
    metadata: { path: options.path, what: options.what ?? null, failing: r.failing.map((c) => c.key), scorePct: r.scorePct },
  })
  throw new DomainError('CONFLICT', refusalOf(r, options.path))
}

/** Throws CONFLICT (audited) unless the project's gate is open. Returns the readiness it judged; null when not the organisation's project. */
export async function assertGateOpen(scope: Scope, input: { projectId: string }, options: GateOptions) {
  const r = await projectReadiness(scope, input, { tx: options.tx, now: options.now })
  if (!r) return null
  if (!r.gateOpen) await refuse(scope, r, options)
  return r
}

/**
 * Setting interfaces live: each open project (planned, active, on hold) with one of them in
 * scope must have its gate open. An interface in no open project is not gated.
 */
export async function assertInterfacesMayGoLive(scope: Scope, input: { interfaceIds: string[] }, options: GateOptions) {
  if (!input.interfaceIds.length) return
  const db = dbOf(options)
  const projects = await db.project.findMany({
    where: { organizationId: scope.organizationId, status: { in: ['planned', 'active', 'on_hold'] }, interfaces: { some: { interfaceId: { in: input.interfaceIds } } } },
    select: { id: true },
    orderBy: { name: 'asc' },
  })
  for (const p of projects) await assertGateOpen(scope, { projectId: p.id }, options)
}

// ───────────────────────────── overrides ─────────────────────────────

type Options = TxOption & { now?: Date }

async function projectFor(db: Db, scope: Scope, projectId: string) {
  return db.project.findFirst({ where: { id: projectId, organizationId: scope.organizationId }, select: { id: true, name: true, ownerId: true } })
}

/** The membership accountable for the project's gate (see the file's comment), or null. */
export async function gateAccountable(scope: Scope, input: { projectId: string }, options: TxOption = {}) {
  const db = dbOf(options)
  const project = await projectFor(db, scope, input.projectId)
  if (!project) return null
  return (await rolloutPeople(db, scope.organizationId, [project])).get(project.id)!
}

async function denied(scope: TenantScope, project: { id: string; name: string }, capability: string, message: string): Promise<never> {
  await auditInScope(scope, { action: 'security.permission_denied', targetType: 'project', targetId: project.id, targetLabel: `Go-live gate of ${project.name}`, metadata: { capability, role: scope.role } })
  throw new DomainError('FORBIDDEN', message)
}

/** The accountable person overrides the whole gate, with a written reason. Null when not the organisation's project. */
export async function overrideGate(scope: TenantScope, input: OverrideInput & { projectId: string }, options: TxOption = {}) {
  const project = await projectFor(dbOf(options), scope, input.projectId)
  if (!project) return null
  const people = (await rolloutPeople(dbOf(options), scope.organizationId, [project])).get(project.id)!
  if (people.accountableId !== scope.membershipId) await denied(scope, project, 'gate:override', 'Only the project’s accountable person (the A of “Phased rollout” in the RACI, else the project’s owner) overrides the gate.')
  const reason = input.reason.trim()
  if (!reason) throw new DomainError('RULE_VIOLATION', 'Write why the gate is overridden.', 'reason')
  return inTx(options, async (tx) => {
    await lockProject(tx, scope, project.id)
    const standing = await tx.gateOverride.findFirst({ where: { organizationId: scope.organizationId, projectId: project.id, revokedAt: null }, select: { id: true } })
    if (standing) throw new DomainError('CONFLICT', 'An override already stands: revoke it first to write a new one.')
    const override = await tx.gateOverride.create({ data: { organizationId: scope.organizationId, projectId: project.id, reason, grantedById: scope.membershipId } })
    await auditInScope(scope, { action: 'gate.overridden', targetType: 'project', targetId: project.id, targetLabel: project.name, metadata: { overrideId: override.id, reason } }, { tx })
    return override
  })
}

export async function revokeOverride(scope: TenantScope, input: { projectId: string; overrideId: string }, options: TxOption = {}) {
  return inTx(options, async (tx) => {
    const override = await tx.gateOverride.findFirst({ where: { id: input.overrideId, projectId: input.projectId, organizationId: scope.organizationId }, include: { project: { select: { id: true, name: true, ownerId: true } } } })
    if (!override) return null
    if (override.revokedAt) throw new DomainError('CONFLICT', 'This override has already been revoked.')
    const people = (await rolloutPeople(tx, scope.organizationId, [override.project])).get(override.project.id)!
    if (people.accountableId !== scope.membershipId && override.grantedById !== scope.membershipId) {
      await denied(scope, override.project, 'gate:override', 'Only the project’s accountable person, or whoever wrote the override, revokes it.')
    }
    await tx.gateOverride.updateMany({ where: { id: override.id, organizationId: scope.organizationId }, data: { revokedAt: new Date(), revokedById: scope.membershipId } })
    await auditInScope(scope, { action: 'gate.override_revoked', targetType: 'project', targetId: override.project.id, targetLabel: override.project.name, metadata: { overrideId: override.id } }, { tx })
    return override
  })
}

// ───────────────────────────── exemptions ─────────────────────────────

async function lockProject(tx: Tx, scope: Scope, projectId: string) {
  await tx.$queryRaw`SELECT "id" FROM "Project" WHERE "id" = ${projectId} AND "organizationId" = ${scope.organizationId} FOR UPDATE`
}

async function timeZoneOf(db: Db, scope: Scope) {
  if (!isSystemScope(scope)) return scope.timeZone
  return (await db.organization.findFirst({ where: { id: scope.organizationId }, select: { timeZone: true } }))?.timeZone ?? 'UTC'
}

/** The project when the member may grant and revoke its exemptions (`gate:exempt`); a 403 (audited) otherwise; null when not the organisation's project. */
export async function assertMayExempt(scope: TenantScope, input: { projectId: string }, options: TxOption = {}) {
  const project = await projectFor(dbOf(options), scope, input.projectId)
  if (!project) return null
  if (!can(scope.role, 'gate:exempt')) await denied(scope, project, 'gate:exempt', 'Only compliance grants and revokes exemptions from a readiness check.')
  return project
}

/** Compliance exempts one check until a future date, with a reason. Null when not the organisation's project. */
export async function grantExemption(scope: TenantScope, input: ExemptionInput & { projectId: string }, options: Options = {}) {
  const db = dbOf(options)
  const project = await assertMayExempt(scope, input, options)
  if (!project) return null
  const check = checkByKey(input.checkKey)
  if (!check) throw new DomainError('RULE_VIOLATION', 'Choose one of the readiness checks.', 'checkKey')
  const reason = input.reason.trim()
  if (!reason) throw new DomainError('RULE_VIOLATION', 'Write why the check is exempted.', 'reason')
  const today = zonedParts(options.now ?? new Date(), await timeZoneOf(db, scope)).date
  if (input.expiresOn <= today) throw new DomainError('RULE_VIOLATION', `The expiry must be in the future (after ${today}).`, 'expiresOn')
  return inTx(options, async (tx) => {
    await lockProject(tx, scope, project.id)
    const standing = await tx.gateExemption.findFirst({ where: { organizationId: scope.organizationId, projectId: project.id, checkKey: check.key, revokedAt: null, expiresOn: { gte: dateOf(today)! } }, select: { id: true } })
    if (standing) throw new DomainError('CONFLICT', `“${check.title}” is already exempted: revoke that exemption first.`, 'checkKey')
    const exemption = await tx.gateExemption.create({
      data: { organizationId: scope.organizationId, projectId: project.id, checkKey: check.key, reason, expiresOn: dateOf(input.expiresOn)!, grantedById: scope.membershipId },
    })
    await auditInScope(scope, { action: 'gate.exemption_granted', targetType: 'project', targetId: project.id, targetLabel: `${project.name}: ${check.title}`, metadata: { exemptionId: exemption.id, checkKey: check.key, reason, expiresOn: input.expiresOn } }, { tx })
    return exemption
  })
}

export async function revokeExemption(scope: TenantScope, input: { projectId: string; exemptionId: string }, options: TxOption = {}) {
  return inTx(options, async (tx) => {
    const exemption = await tx.gateExemption.findFirst({ where: { id: input.exemptionId, projectId: input.projectId, organizationId: scope.organizationId }, include: { project: { select: { id: true, name: true } } } })
    if (!exemption) return null
    if (!can(scope.role, 'gate:exempt')) await denied(scope, exemption.project, 'gate:exempt', 'Only compliance revokes exemptions.')
    if (exemption.revokedAt) throw new DomainError('CONFLICT', 'This exemption has already been revoked.')
    await tx.gateExemption.updateMany({ where: { id: exemption.id, organizationId: scope.organizationId }, data: { revokedAt: new Date(), revokedById: scope.membershipId } })
    await auditInScope(scope, { action: 'gate.exemption_revoked', targetType: 'project', targetId: exemption.project.id, targetLabel: `${exemption.project.name}: ${checkByKey(exemption.checkKey)?.title ?? exemption.checkKey}`, metadata: { exemptionId: exemption.id, checkKey: exemption.checkKey } }, { tx })
    return exemption
  })
}

