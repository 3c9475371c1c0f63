/**
 * A project's decision log: decisions numbered D-1, D-2 … per project, proposed → accepted or
 * rejected. An accepted decision is immutable — no edit, no delete (this file has no delete at
 * all); changing it means a new decision that supersedes it, and accepting that one marks the
 * old one superseded, the only change an accepted row ever gets. A database trigger
 * (migration 20261203180000_accepted_decisions_immutable) refuses any other UPDATE of an
 * accepted or superseded row's content, whoever writes it (ADR 024).
 *
 * Who may log, propose and accept: a role with `decisions:write`, or a member who holds R or A
 * on any RACI activity of the project. Routes guard with `projects:read` and call
 * `assertMayDecide` (which audits a refusal as the tenant guard does); every writing function
 * here checks again.
 */
import type { Prisma } from '#app/generated/prisma/client.ts'
import { dbOf, inTx, type Db, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { can } from '#app/utils/permissions.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope, diffFields, recordAudit } from '../audit/audit.server.ts'
import { dateOf, dayOf } from './plan.ts'
import type { DecisionInput } from './decision-schemas.ts'
import type { DecisionStatus } from './vocabulary.ts'

export const decisionLabel = (d: { number: number }) => `D-${d.number}`

/** May this member log, propose and accept decisions of the project? */
export async function mayDecide(scope: TenantScope, input: { projectId: string }, opts: TxOption = {}) {
  if (can(scope.role, 'decisions:write')) return true
  const holds = await dbOf(opts).raciAssignment.count({
    where: { organizationId: scope.organizationId, projectId: input.projectId, membershipId: scope.membershipId, letter: { in: ['R', 'A'] } },
  })
  return holds > 0
}

/**
 * Refuses (403, audited as `security.permission_denied` like the tenant guard's refusals) a
 * member who may not decide. Called before any write; with a caller's transaction the denial
 * is written in it (and so rolls back with the caller's work).
 */
export async function assertMayDecide(scope: TenantScope, input: { projectId: string }, opts: TxOption = {}) {
  if (await mayDecide(scope, input, opts)) return
  await recordAudit(
    {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      actorEmail: scope.userEmail,
      action: 'security.permission_denied',
      targetType: 'project',
      targetId: input.projectId,
      targetLabel: 'decision log',
      metadata: { capability: 'decisions:write', role: scope.role, reason: 'not R or A on the project' },
    },
    opts,
  )
  throw new DomainError('FORBIDDEN', 'Only managers and members who are Responsible or Accountable on this project may log or accept its decisions.')
}

const person = { select: { id: true, status: true, user: { select: { name: true } } } } as const
const decisionInclude = {
  owner: person,
  createdBy: person,
  acceptedBy: person,
  supersedes: { select: { id: true, number: true, title: true } },
  supersededBy: { select: { id: true, number: true, title: true, status: true } },
  activity: { select: { id: true, kind: true, title: true, step: { select: { title: true } }, interface: { select: { name: true } } } },
  interface: { select: { id: true, name: true } },
} satisfies Prisma.ProjectDecisionInclude

type DecisionRow = Prisma.ProjectDecisionGetPayload<{ include: typeof decisionInclude }>

export const activityTitle = (a: { kind: string; title: string | null; step: { title: string } | null; interface: { name: string } | null }) =>
  a.title ?? a.step?.title ?? a.interface?.name ?? 'Activity'

/** A decision as the pages show it: days instead of instants, names instead of rows. */
export function decisionView(d: DecisionRow) {
  const name = (p: { status: string; user: { name: string } } | null) => (p ? `${p.user.name}${p.status === 'active' ? '' : ' (deactivated)'}` : null)
  return {
    id: d.id,
    number: d.number,
    label: decisionLabel(d),
    title: d.title,
    decision: d.decision,
    rationale: d.rationale,
    alternatives: d.alternatives,
    status: d.status as DecisionStatus,
    decidedOn: dayOf(d.decidedOn),
    ownerId: d.ownerId,
    owner: name(d.owner),
    createdBy: name(d.createdBy),
    acceptedBy: name(d.acceptedBy),
    acceptedAt: d.acceptedAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    supersedes: d.supersedes ? { id: d.supersedes.id, label: decisionLabel(d.supersedes), title: d.supersedes.title } : null,
    supersededBy: d.supersededBy ? { id: d.supersededBy.id, label: decisionLabel(d.supersededBy), title: d.supersededBy.title, status: d.supersededBy.status as DecisionStatus } : null,
    activityId: d.activityId,
    activity: d.activity ? activityTitle(d.activity) : null,
    interfaceId: d.interfaceId,
    interface: d.interface?.name ?? null,
  }
}
export type DecisionView = ReturnType<typeof decisionView>

export async function listDecisions(scope: TenantScope, input: { projectId: string; status?: DecisionStatus }, opts: TxOption = {}) {
  const rows = await dbOf(opts).projectDecision.findMany({
    where: { organizationId: scope.organizationId, projectId: input.projectId, ...(input.status ? { status: input.status } : {}) },
    include: decisionInclude,
    orderBy: { number: 'desc' },
  })
  return rows.map(decisionView)
}

export async function getDecision(scope: TenantScope, input: { projectId: string; decisionId: string }, opts: TxOption = {}) {
  const row = await dbOf(opts).projectDecision.findFirst({
    where: { id: input.decisionId, organizationId: scope.organizationId, projectId: input.projectId },
    include: decisionInclude,
  })
  return row ? decisionView(row) : null
}

/** What a decision may be linked to: the project's RACI activities and its scope's interfaces. */
export async function listDecisionLinks(scope: TenantScope, input: { projectId: string }, opts: TxOption = {}) {
  const db = dbOf(opts)
  const [activities, interfaces] = await Promise.all([
    db.raciActivity.findMany({
      where: { organizationId: scope.organizationId, projectId: input.projectId },
      select: { id: true, kind: true, title: true, step: { select: { title: true } }, interface: { select: { name: true } } },
      orderBy: { position: 'asc' },
    }),
    db.projectInterface.findMany({
      where: { organizationId: scope.organizationId, projectId: input.projectId },
      select: { interface: { select: { id: true, name: true } } },
      orderBy: { interface: { name: 'asc' } },
    }),
  ])
  return { activities: activities.map((a) => ({ id: a.id, title: activityTitle(a) })), interfaces: interfaces.map((i) => i.interface) }
}

// ───────────────────────────── writing ─────────────────────────────

async function checkLinks(db: Db, scope: TenantScope, projectId: string, input: DecisionInput) {
  const org = scope.organizationId
  if (input.ownerId && !(await db.membership.count({ where: { id: input.ownerId, organizationId: org, status: 'active' } }))) {
    throw new DomainError('RULE_VIOLATION', 'Choose an active member of this organisation.', 'ownerId')
  }
  if (input.activityId && !(await db.raciActivity.count({ where: { id: input.activityId, organizationId: org, projectId } }))) {
    throw new DomainError('RULE_VIOLATION', 'Choose an activity of this project’s RACI.', 'activityId')
  }
  if (input.interfaceId && !(await db.projectInterface.count({ where: { interfaceId: input.interfaceId, organizationId: org, projectId } }))) {
    throw new DomainError('RULE_VIOLATION', 'Choose an interface in this project’s scope.', 'interfaceId')
  }
}

const contentOf = (input: DecisionInput) => ({
  title: input.title,
  decision: input.decision,
  rationale: input.rationale ?? null,
  alternatives: input.alternatives ?? null,
  ownerId: input.ownerId ?? null,
  decidedOn: dateOf(input.decidedOn),
  activityId: input.activityId ?? null,
  interfaceId: input.interfaceId ?? null,
})

/**
 * Logs a proposed decision with the project's next number. With `supersedesId` it is the
 * proposed replacement of an accepted decision (which stays accepted until this one is).
 */
export async function createDecision(scope: TenantScope, input: DecisionInput & { projectId: string; supersedesId?: string }, opts: TxOption = {}) {
  await assertMayDecide(scope, input, opts)
  return inTx(opts, async (tx) => {
    // The project's row lock numbers its decisions one at a time (two people logging at once
    // get D-4 and D-5, never a unique violation), and is the scoped first query.
    const [project] = await tx.$queryRaw<{ id: string; name: string }[]>`
      SELECT id, name FROM "Project" WHERE id = ${input.projectId} AND "organizationId" = ${scope.organizationId} FOR UPDATE`
    if (!project) return null
    let supersedes: { id: string; number: number } | null = null
    if (input.supersedesId) {
      const old = await tx.projectDecision.findFirst({
        where: { id: input.supersedesId, organizationId: scope.organizationId, projectId: project.id },
        select: { id: true, number: true, status: true, supersededBy: { select: { number: true } } },
      })
      if (!old) return null
      if (old.status !== 'accepted') throw new DomainError('RULE_VIOLATION', 'Only an accepted decision is superseded; a proposed one is edited.')
      if (old.supersededBy) throw new DomainError('CONFLICT', `D-${old.supersededBy.number} already supersedes D-${old.number}.`)
      supersedes = old
    }
    await checkLinks(tx, scope, project.id, input)
    const last = await tx.projectDecision.aggregate({ where: { organizationId: scope.organizationId, projectId: project.id }, _max: { number: true } })
    const decision = await tx.projectDecision.create({
      data: {
        ...contentOf(input),
        organizationId: scope.organizationId,
        projectId: project.id,
        number: (last._max.number ?? 0) + 1,
        status: 'proposed',
        supersedesId: supersedes?.id ?? null,
        createdById: scope.membershipId,
      },
    })
    await auditInScope(scope, {
      action: supersedes ? 'decision.supersede_proposed' : 'decision.created',
      targetType: 'project',
      targetId: project.id,
      targetLabel: `${project.name}: ${decisionLabel(decision)} ${decision.title}`,
      metadata: { decisionId: decision.id, number: decision.number, ...(supersedes ? { supersedes: decisionLabel(supersedes) } : {}) },
    }, { tx })
    return decision
  })
}

/** The scoped decision, locked for the change about to be made. */
async function lockDecision(db: Db, scope: TenantScope, input: { projectId: string; decisionId: string }) {
  const [row] = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "ProjectDecision" WHERE id = ${input.decisionId} AND "organizationId" = ${scope.organizationId} AND "projectId" = ${input.projectId} FOR UPDATE`
  if (!row) return null
  return db.projectDecision.findFirst({ where: { id: row.id, organizationId: scope.organizationId }, include: { project: { select: { name: true } } } })
}

const immutable = (status: string) =>
  new DomainError('RULE_VIOLATION', status === 'rejected' ? 'A rejected decision is kept as it was: log a new one.' : 'An accepted decision cannot be changed: supersede it with a new decision.')

/** Edits a proposed decision (an accepted, superseded or rejected one is kept as it was). */
export async function updateDecision(scope: TenantScope, input: DecisionInput & { projectId: string; decisionId: string }, opts: TxOption = {}) {
  await assertMayDecide(scope, input, opts)
  return inTx(opts, async (tx) => {
    const before = await lockDecision(tx, scope, input)
    if (!before) return null
    if (before.status !== 'proposed') throw immutable(before.status)
    await checkLinks(tx, scope, before.projectId, input)
    const data = contentOf(input)
    const changes = diffFields({ ...before, decidedOn: dayOf(before.decidedOn) } as unknown as Record<string, unknown>, { ...data, decidedOn: input.decidedOn ?? null })
    if (!Object.keys(changes).length) return before
    const updated = await tx.projectDecision.update({ where: { id: before.id }, data })
    await auditInScope(scope, {
      action: 'decision.updated',
      targetType: 'project',
      targetId: before.projectId,
      targetLabel: `${before.project.name}: ${decisionLabel(before)} ${updated.title}`,
      metadata: { decisionId: before.id, number: before.number, changes },
    }, { tx })
    return updated
  })
}

/** Accepts a proposed decision; when it supersedes one, that one becomes superseded in the same transaction. */
export async function acceptDecision(scope: TenantScope, input: { projectId: string; decisionId: string }, opts: TxOption = {}) {
  await assertMayDecide(scope, input, opts)
  return inTx(opts, async (tx) => {
    const before = await lockDecision(tx, scope, input)
    if (!before) return null
    if (before.status !== 'proposed') throw new DomainError('CONFLICT', `${decisionLabel(before)} is ${before.status}, not proposed.`)
    const now = new Date()
    const accepted = await tx.projectDecision.update({
      where: { id: before.id },
      data: { status: 'accepted', acceptedById: scope.membershipId, acceptedAt: now, decidedOn: before.decidedOn ?? now },
    })
    const label = `${before.project.name}: ${decisionLabel(before)} ${before.title}`
    await auditInScope(scope, { action: 'decision.accepted', targetType: 'project', targetId: before.projectId, targetLabel: label, metadata: { decisionId: before.id, number: before.number } }, { tx })
    if (before.supersedesId) {
      const old = await tx.projectDecision.updateMany({
        where: { id: before.supersedesId, organizationId: scope.organizationId, projectId: before.projectId, status: 'accepted' },
        data: { status: 'superseded' },
      })
      if (old.count !== 1) throw new DomainError('CONFLICT', 'The decision this one supersedes is no longer accepted.')
      const oldRow = await tx.projectDecision.findFirstOrThrow({ where: { id: before.supersedesId, organizationId: scope.organizationId }, select: { number: true, title: true } })
      await auditInScope(scope, {
        action: 'decision.superseded',
        targetType: 'project',
        targetId: before.projectId,
        targetLabel: `${before.project.name}: ${decisionLabel(oldRow)} ${oldRow.title}`,
        metadata: { decisionId: before.supersedesId, number: oldRow.number, supersededBy: decisionLabel(before) },
      }, { tx })
    }
    return accepted
  })
}

export async function rejectDecision(scope: TenantScope, input: { projectId: string; decisionId: string }, opts: TxOption = {}) {
  await assertMayDecide(scope, input, opts)
  return inTx(opts, async (tx) => {
    const before = await lockDecision(tx, scope, input)
    if (!before) return null
    if (before.status !== 'proposed') throw new DomainError('CONFLICT', `${decisionLabel(before)} is ${before.status}, not proposed.`)
    const rejected = await tx.projectDecision.update({ where: { id: before.id }, data: { status: 'rejected' } })
    await auditInScope(scope, {
      action: 'decision.rejected',
      targetType: 'project',
      targetId: before.projectId,
      targetLabel: `${before.project.name}: ${decisionLabel(before)} ${before.title}`,
      metadata: { decisionId: before.id, number: before.number },
    }, { tx })
    return rejected
  })
}

/** The decision log page: the project, its decisions (newest first, optionally of one status), what they may link to, and whether this member may decide. */
export async function getDecisionLog(scope: TenantScope, input: { projectId: string; status?: DecisionStatus }) {
  const project = await dbOf({}).project.findFirst({ where: { id: input.projectId, organizationId: scope.organizationId }, select: { id: true, name: true } })
  if (!project) return null
  const [decisions, links, may, counts] = await Promise.all([
    listDecisions(scope, { projectId: project.id, status: input.status }),
    listDecisionLinks(scope, { projectId: project.id }),
    mayDecide(scope, { projectId: project.id }),
    dbOf({}).projectDecision.groupBy({ by: ['status'], where: { organizationId: scope.organizationId, projectId: project.id }, _count: { _all: true } }),
  ])
  return { project, decisions, links, mayDecide: may, counts: Object.fromEntries(counts.map((c) => [c.status, c._count._all])) as Partial<Record<DecisionStatus, number>> }
}
