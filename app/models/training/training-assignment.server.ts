import { Prisma } from '#app/generated/prisma/client.ts'
import { inTx, prisma, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMonths } from '#app/models/training/training.ts'
import { auditInScope } from '../audit/audit.server.ts'

/**
 * Training assignments made by rules (docs/decisions/013-training-assignments.md).
 *
 * A module's audience is its active rules: a member matches a rule when each non-empty list
 * (roles, functions, units) contains the member's value. `syncTrainingAssignments` makes the
 * table agree with the rules, for the whole organisation or for some members, in two
 * set-based statements:
 *
 * - create: an open assignment (reason "rule") for each active member × live module that some
 *   active rule of the module matches, unless the member already has an open assignment of the
 *   module, or a completed one that has not expired. Due `dueInDays` after now (the most
 *   urgent matching rule wins). The partial unique index (one open assignment per member and
 *   module) makes a concurrent second run a no-op.
 * - cancel: open assignments made by a rule whose member no longer matches any active rule of
 *   the module (member left the audience, was deactivated, the rule changed or was switched
 *   off, the module was archived). Completed assignments are history and stay; manual and
 *   refresher assignments are someone's explicit decision and stay.
 *
 * Idempotent: a second run with nothing changed creates and cancels nothing and writes no audit.
 * Called on rule changes, when a member joins or their role/function/unit changes, after a
 * roster import, and by the assignment-sync job (which repairs anything missed).
 */

export type SyncResult = { created: number; cancelled: number }
export type SyncInput = {
  /** Only these members (the rest of the organisation is left alone). */
  membershipIds?: string[]
  /** Why, for the audit event: "rule_changed", "member_joined", "roster_import", "job" … */
  trigger?: string
}
export type SyncOptions = TxOption & { now?: Date }

/** The member `m` has a role and function the rule `r` names (an empty list names any). */
const roleAndFunction = Prisma.sql`(cardinality(r."roles") = 0 OR m."role" = ANY(r."roles"))
  AND (cardinality(r."functions") = 0 OR m."function" = ANY(r."functions"))`

/**
 * `eligible`: (membershipId, moduleId, ruleId, dueInDays, ruleCreatedAt) for every active member
 * (of `membershipIds` when given) that an active rule of a live module matches. Rules naming
 * units are expanded to one row per unit first (`rule_units`), then joined to members by unit
 * (case-insensitive, trimmed) with an equality a hash join can use, instead of testing every
 * member against every rule.
 */
function eligibleCte(organizationId: string, membershipIds?: string[]) {
  const memberFilter = membershipIds ? Prisma.sql`AND m."id" = ANY(${membershipIds}::text[])` : Prisma.empty
  return Prisma.sql`rule_units AS MATERIALIZED (
    SELECT DISTINCT r."id", r."moduleId", r."roles", r."functions", r."dueInDays", r."createdAt", lower(btrim(x)) AS unit
      FROM "TrainingRule" r
      JOIN "TrainingModule" mod ON mod."id" = r."moduleId" AND mod."organizationId" = ${organizationId} AND mod."archivedAt" IS NULL
      CROSS JOIN unnest(r."units") AS x
     WHERE r."organizationId" = ${organizationId} AND r."active" AND cardinality(r."units") > 0
  ),
  eligible AS MATERIALIZED (
    SELECT m."id" AS "membershipId", r."moduleId", r."id" AS "ruleId", r."dueInDays", r."createdAt" AS "ruleCreatedAt"
      FROM "TrainingRule" r
      JOIN "TrainingModule" mod ON mod."id" = r."moduleId" AND mod."organizationId" = ${organizationId} AND mod."archivedAt" IS NULL
      JOIN "Membership" m ON m."organizationId" = ${organizationId} AND m."status" = 'active' ${memberFilter}
     WHERE r."organizationId" = ${organizationId} AND r."active" AND cardinality(r."units") = 0
       AND ${roleAndFunction}
    UNION ALL
    SELECT m."id", r."moduleId", r."id", r."dueInDays", r."createdAt"
      FROM rule_units r
      JOIN "Membership" m ON m."organizationId" = ${organizationId} AND m."status" = 'active' AND lower(btrim(m."unit")) = r.unit ${memberFilter}
     WHERE ${roleAndFunction}
  )`
}

// How many ids of each kind the summary audit event lists (the counts are always exact).
const AUDIT_LIST_LIMIT = 200

/**
 * Makes the assignments agree with the rules. Audited as the scope's actor: the member whose
 * change caused it, or the system (the job). With `{ tx }` it runs in the caller's transaction,
 * so a membership change and its assignments commit together.
 */
export async function syncTrainingAssignments(scope: Scope, input: SyncInput = {}, opts: SyncOptions = {}): Promise<SyncResult> {
  if (input.membershipIds && input.membershipIds.length === 0) return { created: 0, cancelled: 0 }
  return inTx(opts, (tx) => sync(tx, scope, input, opts.now ?? new Date()), { timeout: 120_000 })
}

async function sync(tx: Tx, scope: Scope, input: SyncInput, now: Date): Promise<SyncResult> {
  const { organizationId } = scope
  // One sync per organisation at a time: the counts and the audit event then describe what happened.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'training-sync:' + organizationId}, 0))`

  // NOTE: an organisation-wide sync joins thousands of members to rules and assignments. Right
  // after a bulk change the planner's row estimates are stale (1 row per table) and it picks
  // nested loops that compare every member with every rule (minutes at 1,000 × 1,000); hash
  // joins are right at any size. Switched off for this transaction's statements only (JIT too:
  // the "disabled" cost would otherwise trigger a second of JIT compilation), then restored.
  const orgWide = !input.membershipIds
  const [previous] = orgWide ? await tx.$queryRaw<{ nestloop: string; jit: string }[]>`SELECT current_setting('enable_nestloop') AS nestloop, current_setting('jit') AS jit` : []
  if (previous) await tx.$queryRaw`SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)`
  const assignmentMemberFilter = input.membershipIds ? Prisma.sql`AND a."membershipId" = ANY(${input.membershipIds}::text[])` : Prisma.empty
  const eligible = eligibleCte(organizationId, input.membershipIds)

  const cancelled = await tx.$queryRaw<{ id: string; membershipId: string; moduleId: string }[]>`
    WITH ${eligible}
    UPDATE "TrainingAssignment" AS a
       SET "status" = 'cancelled', "updatedAt" = ${now}
     WHERE a."organizationId" = ${organizationId}
       AND a."status" = 'open'
       AND a."reason" = 'rule'
       ${assignmentMemberFilter}
       AND NOT EXISTS (SELECT 1 FROM eligible e WHERE e."membershipId" = a."membershipId" AND e."moduleId" = a."moduleId")
    RETURNING a."id", a."membershipId", a."moduleId"`

  const created = await tx.$queryRaw<{ id: string; membershipId: string; moduleId: string }[]>`
    WITH ${eligible}
    INSERT INTO "TrainingAssignment"
      ("id", "organizationId", "moduleId", "membershipId", "ruleId", "reason", "status", "dueAt", "createdAt", "updatedAt")
    SELECT DISTINCT ON (e."membershipId", e."moduleId")
           'c' || substr(md5(random()::text || clock_timestamp()::text || e."membershipId" || e."moduleId"), 1, 24),
           ${organizationId}, e."moduleId", e."membershipId", e."ruleId", 'rule', 'open',
           ${now}::timestamp(3) + make_interval(days => e."dueInDays"), ${now}, ${now}
      FROM eligible e
     WHERE NOT EXISTS (
         SELECT 1 FROM "TrainingAssignment" x
          WHERE x."organizationId" = ${organizationId}
            AND x."membershipId" = e."membershipId" AND x."moduleId" = e."moduleId"
            AND (x."status" = 'open' OR (x."status" = 'completed' AND (x."expiresAt" IS NULL OR x."expiresAt" > ${now})))
       )
     ORDER BY e."membershipId", e."moduleId", e."dueInDays", e."ruleCreatedAt"
    ON CONFLICT ("membershipId", "moduleId") WHERE "status" = 'open' DO NOTHING
    RETURNING "id", "membershipId", "moduleId"`

  if (previous) await tx.$queryRaw`SELECT set_config('enable_nestloop', ${previous.nestloop}, true), set_config('jit', ${previous.jit}, true)`

  if (created.length || cancelled.length) {
    await auditInScope(scope, {
      action: 'training.assignments_synced',
      targetType: 'organization',
      targetId: organizationId,
      metadata: {
        trigger: input.trigger ?? 'sync',
        created: created.length,
        cancelled: cancelled.length,
        createdAssignments: created.slice(0, AUDIT_LIST_LIMIT).map((a) => ({ id: a.id, membershipId: a.membershipId, moduleId: a.moduleId })),
        cancelledAssignments: cancelled.slice(0, AUDIT_LIST_LIMIT).map((a) => ({ id: a.id, membershipId: a.membershipId, moduleId: a.moduleId })),
        ...(created.length > AUDIT_LIST_LIMIT || cancelled.length > AUDIT_LIST_LIMIT ? { listsTruncatedAt: AUDIT_LIST_LIMIT } : {}),
      },
    }, { tx })
  }
  return { created: created.length, cancelled: cancelled.length }
}

// ─── my training (the member's own assignments) ──────────────────────────────────────────

/**
 * The member's training: open assignments (soonest due first, with progress) and the latest
 * completion of each module (with its expiry). Only the member's own rows.
 */
export async function listMyTraining(scope: TenantScope) {
  const [open, completed] = await Promise.all([
    prisma.trainingAssignment.findMany({
      where: { organizationId: scope.organizationId, membershipId: scope.membershipId, status: 'open' },
      orderBy: [{ dueAt: 'asc' }, { createdAt: 'asc' }],
      select: {
        id: true,
        dueAt: true,
        reason: true,
        reasonDetail: true,
        module: { select: { id: true, title: true, estimatedMinutes: true, contentUrl: true, requiredForGoLive: true, _count: { select: { items: true } } } },
        checks: { select: { verifiedAt: true, item: { select: { verifierRole: true } } } },
      },
    }),
    prisma.trainingAssignment.findMany({
      where: { organizationId: scope.organizationId, membershipId: scope.membershipId, status: 'completed' },
      orderBy: { completedAt: 'desc' },
      distinct: ['moduleId'],
      select: { id: true, completedAt: true, expiresAt: true, module: { select: { id: true, title: true } } },
    }),
  ])
  return {
    open: open.map((a) => {
      const total = a.module._count.items
      const done = a.checks.filter((c) => !c.item.verifierRole || c.verifiedAt).length
      const pending = a.checks.filter((c) => c.item.verifierRole && !c.verifiedAt).length
      return {
        id: a.id,
        dueAt: a.dueAt,
        reason: a.reason,
        reasonDetail: a.reasonDetail,
        module: { id: a.module.id, title: a.module.title, estimatedMinutes: a.module.estimatedMinutes, contentUrl: a.module.contentUrl, requiredForGoLive: a.module.requiredForGoLive },
        total,
        done,
        pending,
      }
    }),
    completed,
  }
}

/** The member's open assignments, how many are overdue and the next one due (for the home page). */
export async function countMyOpenTraining(scope: TenantScope, now: Date = new Date()) {
  const where = { organizationId: scope.organizationId, membershipId: scope.membershipId, status: 'open' as const }
  const [open, overdue, next] = await Promise.all([
    prisma.trainingAssignment.count({ where }),
    prisma.trainingAssignment.count({ where: { ...where, dueAt: { lt: now } } }),
    prisma.trainingAssignment.findFirst({ where, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], select: { id: true, dueAt: true, module: { select: { title: true } } } }),
  ])
  return { open, overdue, now, next: next ? { id: next.id, dueAt: next.dueAt, title: next.module.title } : null }
}

/**
 * An assignment of the organisation with its checklist and ticks; `mine` says whether it is the
 * caller's own (only the learner ticks; the page shows others' read-only to those who report).
 */
export async function getAssignment(scope: TenantScope, assignmentId: string) {
  const a = await prisma.trainingAssignment.findFirst({
    where: { id: assignmentId, organizationId: scope.organizationId },
    select: {
      id: true,
      membershipId: true,
      membership: { select: { user: { select: { name: true } } } },
      status: true,
      reason: true,
      reasonDetail: true,
      dueAt: true,
      completedAt: true,
      expiresAt: true,
      module: {
        select: {
          id: true,
          title: true,
          description: true,
          contentUrl: true,
          sandboxUrl: true,
          estimatedMinutes: true,
          refresherMonths: true,
          requiredForGoLive: true,
          items: { orderBy: { position: 'asc' }, select: { id: true, label: true, verifierRole: true } },
          systems: { select: { system: { select: { name: true } } } },
        },
      },
      checks: { select: { itemId: true, checkedAt: true, verifiedAt: true, verifiedBy: { select: { user: { select: { name: true } } } } } },
    },
  })
  if (!a) return null
  const byItem = new Map(a.checks.map((c) => [c.itemId, c]))
  const items = a.module.items.map((item) => {
    const check = byItem.get(item.id)
    const state = !check ? 'todo' : item.verifierRole && !check.verifiedAt ? 'pending' : 'done'
    return { ...item, state, checkedAt: check?.checkedAt ?? null, verifiedAt: check?.verifiedAt ?? null, verifiedBy: check?.verifiedBy?.user.name ?? null }
  })
  const { membership, membershipId, ...rest } = a
  const mine = membershipId === scope.membershipId
  return { ...rest, mine, learner: membership.user.name, items, canComplete: mine && a.status === 'open' && items.every((i) => i.state === 'done') }
}

/** The caller's own assignment, or null. */
export async function getMyAssignment(scope: TenantScope, assignmentId: string) {
  const a = await getAssignment(scope, assignmentId)
  return a?.mine ? a : null
}

/** The caller's own assignment, or null: a colleague's is "not found or not yours" (only the learner ticks their checklist). */
async function findMyOpenAssignment(tx: Tx, scope: TenantScope, assignmentId: string) {
  return tx.trainingAssignment.findFirst({
    where: { id: assignmentId, organizationId: scope.organizationId, membershipId: scope.membershipId },
    select: { id: true, status: true, moduleId: true, membershipId: true, module: { select: { title: true, refresherMonths: true } } },
  })
}

function assertOpen(a: { status: string }) {
  if (a.status !== 'open') throw new DomainError('CONFLICT', 'This training is no longer open: nothing on it can change.')
}

export type ItemCheckInput = { assignmentId: string; itemId: string }

/** Ticks an item of the member's own open assignment (twice is harmless). */
export async function checkItem(scope: TenantScope, { assignmentId, itemId }: ItemCheckInput) {
  return prisma.$transaction(async (tx) => {
    const a = await findMyOpenAssignment(tx, scope, assignmentId)
    if (!a) return null
    assertOpen(a)
    const item = await tx.trainingChecklistItem.findFirst({ where: { id: itemId, moduleId: a.moduleId, organizationId: scope.organizationId }, select: { id: true, label: true, verifierRole: true } })
    if (!item) return null
    const inserted = await tx.trainingItemCheck.createMany({
      data: [{ organizationId: scope.organizationId, assignmentId: a.id, itemId: item.id, checkedById: scope.membershipId }],
      skipDuplicates: true,
    })
    if (inserted.count) {
      await auditInScope(scope, {
        action: 'training.item_checked',
        targetType: 'training_assignment',
        targetId: a.id,
        targetLabel: a.module.title,
        metadata: { itemId: item.id, label: item.label, needsVerification: item.verifierRole },
      }, { tx })
    }
    return { item, pendingVerification: Boolean(item.verifierRole) }
  })
}

/** Unticks an item (its verification, if any, goes with it). */
export async function uncheckItem(scope: TenantScope, { assignmentId, itemId }: ItemCheckInput) {
  return prisma.$transaction(async (tx) => {
    const a = await findMyOpenAssignment(tx, scope, assignmentId)
    if (!a) return null
    assertOpen(a)
    const check = await tx.trainingItemCheck.findFirst({
      where: { assignmentId: a.id, itemId, organizationId: scope.organizationId },
      select: { id: true, verifiedAt: true, item: { select: { label: true } } },
    })
    if (!check) return { removed: false }
    await tx.trainingItemCheck.deleteMany({ where: { id: check.id, organizationId: scope.organizationId } })
    await auditInScope(scope, {
      action: 'training.item_unchecked',
      targetType: 'training_assignment',
      targetId: a.id,
      targetLabel: a.module.title,
      metadata: { itemId, label: check.item.label, wasVerified: Boolean(check.verifiedAt) },
    }, { tx })
    return { removed: true }
  })
}

/**
 * Marks the member's own assignment complete: every item ticked, and verified where the item
 * asks for it. The completion expires after the module's refresher interval.
 */
export async function completeAssignment(scope: TenantScope, { assignmentId }: { assignmentId: string }, opts: { now?: Date } = {}) {
  const now = opts.now ?? new Date()
  return prisma.$transaction(async (tx) => {
    const a = await findMyOpenAssignment(tx, scope, assignmentId)
    if (!a) return null
    assertOpen(a)
    const [items, checks] = await Promise.all([
      tx.trainingChecklistItem.findMany({ where: { moduleId: a.moduleId, organizationId: scope.organizationId }, select: { id: true, verifierRole: true } }),
      tx.trainingItemCheck.findMany({ where: { assignmentId: a.id, organizationId: scope.organizationId }, select: { itemId: true, verifiedAt: true } }),
    ])
    const byItem = new Map(checks.map((c) => [c.itemId, c]))
    const todo = items.filter((i) => !byItem.has(i.id)).length
    const pending = items.filter((i) => i.verifierRole && byItem.has(i.id) && !byItem.get(i.id)!.verifiedAt).length
    if (todo) throw new DomainError('RULE_VIOLATION', `Tick every item first (${todo} left).`)
    if (pending) throw new DomainError('RULE_VIOLATION', `${pending === 1 ? 'One item waits' : `${pending} items wait`} for verification before you can complete this module.`)
    const expiresAt = a.module.refresherMonths ? addMonths(now, a.module.refresherMonths) : null
    const done = await tx.trainingAssignment.updateMany({
      where: { id: a.id, organizationId: scope.organizationId, status: 'open' },
      data: { status: 'completed', completedAt: now, expiresAt },
    })
    if (!done.count) throw new DomainError('CONFLICT', 'This training is no longer open.')
    await auditInScope(scope, {
      action: 'training.completed',
      targetType: 'training_assignment',
      targetId: a.id,
      targetLabel: a.module.title,
      metadata: { moduleId: a.moduleId, completedAt: now.toISOString(), expiresAt: expiresAt?.toISOString() ?? null },
    }, { tx })
    return { completedAt: now, expiresAt }
  })
}

// ─── verification (a super-user confirms an at-the-elbow session, …) ────────────────────────

/** Whether some live module has an item that the member's role verifies. */
export async function isVerifier(scope: TenantScope) {
  const n = await prisma.trainingChecklistItem.count({
    where: { organizationId: scope.organizationId, verifierRole: scope.role, module: { archivedAt: null } },
  })
  return n > 0
}

/** Ticks waiting for a member of the caller's role to verify them — never the caller's own. */
export async function listVerificationQueue(scope: TenantScope) {
  const checks = await prisma.trainingItemCheck.findMany({
    where: {
      organizationId: scope.organizationId,
      verifiedAt: null,
      item: { verifierRole: scope.role },
      assignment: { status: 'open', membershipId: { not: scope.membershipId } },
    },
    orderBy: { checkedAt: 'asc' },
    take: 500,
    select: {
      id: true,
      checkedAt: true,
      item: { select: { label: true } },
      assignment: {
        select: {
          dueAt: true,
          module: { select: { title: true } },
          membership: { select: { unit: true, role: true, user: { select: { name: true, email: true } } } },
        },
      },
    },
  })
  return checks.map((c) => ({
    id: c.id,
    checkedAt: c.checkedAt,
    label: c.item.label,
    module: c.assignment.module.title,
    dueAt: c.assignment.dueAt,
    member: { name: c.assignment.membership.user.name, email: c.assignment.membership.user.email, unit: c.assignment.membership.unit, role: c.assignment.membership.role },
  }))
}

async function findVerifiableCheck(tx: Tx, scope: TenantScope, checkId: string) {
  const check = await tx.trainingItemCheck.findFirst({
    where: { id: checkId, organizationId: scope.organizationId },
    select: {
      id: true,
      verifiedAt: true,
      item: { select: { label: true, verifierRole: true } },
      assignment: { select: { id: true, status: true, membershipId: true, module: { select: { title: true } }, membership: { select: { user: { select: { email: true } } } } } },
    },
  })
  if (!check) return null
  if (!check.item.verifierRole || check.item.verifierRole !== scope.role) {
    throw new DomainError('RULE_VIOLATION', `Only a member with the role this item names can verify it.`)
  }
  if (check.assignment.membershipId === scope.membershipId) throw new DomainError('RULE_VIOLATION', 'You cannot verify your own training: ask a colleague with the same role.')
  if (check.assignment.status !== 'open') throw new DomainError('CONFLICT', 'This training is no longer open.')
  return check
}

/** Confirms a tick (a member with the item's verifier role, never the learner). */
export async function verifyCheck(scope: TenantScope, checkId: string, opts: { now?: Date } = {}) {
  return prisma.$transaction(async (tx) => {
    const check = await findVerifiableCheck(tx, scope, checkId)
    if (!check) return null
    if (check.verifiedAt) return check
    await tx.trainingItemCheck.updateMany({
      where: { id: check.id, organizationId: scope.organizationId, verifiedAt: null },
      data: { verifiedAt: opts.now ?? new Date(), verifiedById: scope.membershipId },
    })
    await auditInScope(scope, {
      action: 'training.item_verified',
      targetType: 'training_assignment',
      targetId: check.assignment.id,
      targetLabel: `${check.assignment.module.title} · ${check.assignment.membership.user.email}`,
      metadata: { checkId: check.id, label: check.item.label },
    }, { tx })
    return check
  })
}

/** "Not yet": the tick is withdrawn, so the learner ticks it again after doing it. */
export async function returnCheck(scope: TenantScope, checkId: string) {
  return prisma.$transaction(async (tx) => {
    const check = await findVerifiableCheck(tx, scope, checkId)
    if (!check) return null
    if (check.verifiedAt) throw new DomainError('CONFLICT', 'This item was verified already.')
    await tx.trainingItemCheck.deleteMany({ where: { id: check.id, organizationId: scope.organizationId } })
    await auditInScope(scope, {
      action: 'training.item_returned',
      targetType: 'training_assignment',
      targetId: check.assignment.id,
      targetLabel: `${check.assignment.module.title} · ${check.assignment.membership.user.email}`,
      metadata: { checkId: check.id, label: check.item.label },
    }, { tx })
    return check
  })
}
