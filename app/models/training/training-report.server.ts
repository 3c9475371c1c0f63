import { Prisma } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { ROLES, type Role } from '#app/models/people/vocabulary.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { isRefresherReason, READINESS_THRESHOLD_PCT } from '#app/models/training/vocabulary.ts'

/**
 * Adoption figures (capability training:report), computed in SQL over the organisation's rows.
 *
 * The unit of counting is a *training need*: an active member × a live (not archived) module
 * they have an assignment of (open or completed; cancelled ones are not needs). A need is met
 * when the member holds a completion that has not expired — a refresher that is open beside a
 * still-valid completion does not make them untrained. Completion % = met needs / needs.
 *
 * `members` narrows every figure to a group of members: a project's or a wave's people
 * (`projectGroup` in app/models/projects/waves.server.ts — the active members of its units and
 * its named members). Without it the figures are the organisation's.
 */

const DAY = 24 * 3600_000
const OVERDUE_LIST_LIMIT = 200

export type CompletionRow = { key: string; label: string; needs: number; met: number; overdue: number; pct: number }

const pct = (met: number, needs: number) => (needs ? Math.round((met / needs) * 1000) / 10 : 0)

export type ReportOptions = { now?: Date; members?: string[] }

const inGroup = (members: string[] | undefined) => (members ? Prisma.sql`AND m."id" = ANY(${members}::text[])` : Prisma.empty)

/** The needs of the organisation (or of a group of its members) as a SQL CTE named "needs" (membershipId, moduleId, met, overdue). */
function needsCte(organizationId: string, now: Date, members?: string[]) {
  return Prisma.sql`needs AS (
    SELECT a."membershipId", a."moduleId",
           bool_or(a."status" = 'completed' AND (a."expiresAt" IS NULL OR a."expiresAt" > ${now})) AS met,
           bool_or(a."status" = 'open' AND a."dueAt" < ${now}) AS overdue
      FROM "TrainingAssignment" a
      JOIN "Membership" m ON m."id" = a."membershipId" AND m."organizationId" = ${organizationId} AND m."status" = 'active' ${inGroup(members)}
      JOIN "TrainingModule" mod ON mod."id" = a."moduleId" AND mod."organizationId" = ${organizationId} AND mod."archivedAt" IS NULL
     WHERE a."organizationId" = ${organizationId} AND a."status" <> 'cancelled'
     GROUP BY a."membershipId", a."moduleId"
  )`
}

type GroupRow = { key: string | null; label: string | null; needs: bigint; met: bigint; overdue: bigint }
type GroupingRow = {
  g_role: number
  g_unit: number
  g_module: number
  role: string | null
  unit: string | null
  unit_label: string | null
  module_id: string | null
  title: string | null
  required: boolean | null
  needs: bigint
  met: bigint
  overdue: bigint
  people: bigint
}
const toRows = (rows: GroupRow[]): CompletionRow[] =>
  rows.map((r) => {
    const needs = Number(r.needs)
    const met = Number(r.met)
    return { key: r.key ?? '', label: r.label ?? '', needs, met, overdue: Number(r.overdue), pct: pct(met, needs) }
  })

export async function getAdoptionReport(scope: TenantScope, opts: ReportOptions = {}) {
  const now = opts.now ?? new Date()
  const org = scope.organizationId
  const needs = needsCte(org, now, opts.members)
  const memberFilter = opts.members ? { id: { in: opts.members } } : {}
  // One pass over the needs: grouped by role, by unit, by module and in total (GROUPING SETS).
  const [groups, overdue, overdueCount, activity] = await Promise.all([
    prisma.$queryRaw<GroupingRow[]>`WITH ${needs}
      SELECT GROUPING(m."role") AS g_role, GROUPING(lower(coalesce(btrim(m."unit"), ''))) AS g_unit, GROUPING(mod."id") AS g_module,
             m."role"::text AS role, lower(coalesce(btrim(m."unit"), '')) AS unit, min(btrim(m."unit")) AS unit_label,
             mod."id" AS module_id, mod."title" AS title, mod."requiredForGoLive" AS required,
             count(*) AS needs, count(*) FILTER (WHERE n.met) AS met, count(*) FILTER (WHERE n.overdue AND NOT n.met) AS overdue,
             count(DISTINCT n."membershipId") AS people
        FROM needs n
        JOIN "Membership" m ON m."id" = n."membershipId"
        JOIN "TrainingModule" mod ON mod."id" = n."moduleId"
       -- Units as the rules compare them (case-insensitive, trimmed): "Ward 7" and "ward 7 " are one unit.
       GROUP BY GROUPING SETS ((m."role"), (lower(coalesce(btrim(m."unit"), ''))), (mod."id", mod."title", mod."requiredForGoLive"), ())`,
    prisma.trainingAssignment.findMany({
      where: { organizationId: org, status: 'open', dueAt: { lt: now }, membership: { status: 'active', ...memberFilter }, module: { archivedAt: null } },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      take: OVERDUE_LIST_LIMIT,
      select: {
        id: true,
        dueAt: true,
        reason: true,
        module: { select: { title: true } },
        membership: {
          select: {
            role: true,
            unit: true,
            user: { select: { name: true, email: true } },
            manager: { select: { user: { select: { name: true, email: true } } } },
          },
        },
      },
    }),
    prisma.trainingAssignment.count({ where: { organizationId: org, status: 'open', dueAt: { lt: now }, membership: { status: 'active', ...memberFilter }, module: { archivedAt: null } } }),
    prisma.$queryRaw<{ role: Role; members: bigint; seen7: bigint; seen30: bigint }[]>`
      SELECT m."role" AS role, count(*) AS members,
             count(*) FILTER (WHERE m."lastSeenAt" >= ${new Date(now.getTime() - 7 * DAY)}) AS seen7,
             count(*) FILTER (WHERE m."lastSeenAt" >= ${new Date(now.getTime() - 30 * DAY)}) AS seen30
        FROM "Membership" m
       WHERE m."organizationId" = ${org} AND m."status" = 'active' ${inGroup(opts.members)}
       GROUP BY m."role" ORDER BY m."role"`,
  ])
  const byRole = groups.filter((g) => g.g_role === 0).map((g) => ({ ...g, key: g.role, label: g.role }))
  const byUnit = groups.filter((g) => g.g_unit === 0).map((g) => ({ ...g, key: g.unit, label: g.unit_label || 'No unit' }))
  const byModule = groups.filter((g) => g.g_module === 0).map((g) => ({ ...g, key: g.module_id, label: g.title }))
  const sortBy = <T extends { label: string | null }>(rows: T[]) => rows.sort((a, b) => (a.label ?? '').localeCompare(b.label ?? ''))
  byRole.sort((a, b) => ROLES.indexOf(a.role as Role) - ROLES.indexOf(b.role as Role))
  sortBy(byUnit)
  sortBy(byModule)
  const t = groups.find((g) => g.g_role === 1 && g.g_unit === 1 && g.g_module === 1) ?? { needs: 0n, met: 0n, overdue: 0n, people: 0n }
  return {
    generatedAt: now,
    totals: { needs: Number(t.needs), met: Number(t.met), overdue: Number(t.overdue), people: Number(t.people), pct: pct(Number(t.met), Number(t.needs)) },
    byRole: toRows(byRole),
    byUnit: toRows(byUnit),
    byModule: toRows(byModule).map((r, i) => ({ ...r, required: Boolean(byModule[i]!.required) })),
    overdue: overdue.map((a) => ({
      id: a.id,
      member: a.membership.user.name,
      email: a.membership.user.email,
      role: a.membership.role,
      unit: a.membership.unit,
      module: a.module.title,
      dueAt: a.dueAt,
      daysLate: Math.max(1, Math.floor((now.getTime() - a.dueAt.getTime()) / DAY)),
      manager: a.membership.manager ? { name: a.membership.manager.user.name, email: a.membership.manager.user.email } : null,
      refresher: isRefresherReason(a.reason),
    })),
    overdueCount,
    activity: activity.map((r) => ({ role: r.role, members: Number(r.members), seen7: Number(r.seen7), seen30: Number(r.seen30) })),
  }
}

/** The completion of a group of members (a wave's people) as the report counts it, in one query. */
export async function groupCompletion(scope: TenantScope, members: string[], opts: { now?: Date } = {}) {
  if (!members.length) return { people: 0, trained: 0, needs: 0, met: 0, pct: 0 }
  const [row] = await prisma.$queryRaw<{ trained: bigint; needs: bigint; met: bigint }[]>`
    WITH ${needsCte(scope.organizationId, opts.now ?? new Date(), members)}
    SELECT count(DISTINCT "membershipId") AS trained, count(*) AS needs, count(*) FILTER (WHERE met) AS met FROM needs`
  const needs = Number(row?.needs ?? 0)
  const met = Number(row?.met ?? 0)
  /** people: the group; trained: those of them with training assigned. */
  return { people: members.length, trained: Number(row?.trained ?? 0), needs, met, pct: pct(met, needs) }
}

export { READINESS_THRESHOLD_PCT }

/**
 * "≥ 90 % of the pilot group has completed the modules required for go-live; 100 % of the
 * members in high-risk roles." The group is every active member with a required module assigned
 * (of `members`, a project's or a wave's people, when given); a member is ready when every required module assigned to
 * them has a completion that has not expired.
 */
export async function trainingReadiness(scope: TenantScope, opts: ReportOptions = {}) {
  const now = opts.now ?? new Date()
  const org = scope.organizationId
  const [orgRow, requiredModules, members] = await Promise.all([
    prisma.organization.findFirst({ where: { id: org }, select: { highRiskRoles: true } }),
    prisma.trainingModule.count({ where: { organizationId: org, archivedAt: null, requiredForGoLive: true } }),
    prisma.$queryRaw<{ membershipId: string; role: Role; name: string; unit: string | null; required: bigint; met: bigint }[]>`
      WITH ${needsCte(org, now, opts.members)}
      SELECT m."id" AS "membershipId", m."role" AS role, u."name" AS name, m."unit" AS unit,
             count(*) AS required, count(*) FILTER (WHERE n.met) AS met
        FROM needs n
        JOIN "TrainingModule" mod ON mod."id" = n."moduleId" AND mod."requiredForGoLive"
        JOIN "Membership" m ON m."id" = n."membershipId"
        JOIN "User" u ON u."id" = m."userId"
       GROUP BY m."id", m."role", u."name", m."unit"
       ORDER BY u."name"`,
  ])
  const highRiskRoles = (orgRow?.highRiskRoles ?? []) as Role[]
  const ready = members.filter((m) => m.met === m.required)
  // NOTE: judged on the counts, not on the rounded percentage (89.96 % shows as 90 % but does not pass).
  const overallPass = ready.length * 100 >= READINESS_THRESHOLD_PCT * members.length
  const overall = { ready: ready.length, total: members.length, pct: pct(ready.length, members.length) }
  const highRisk = highRiskRoles.map((role) => {
    const group = members.filter((m) => m.role === role)
    const r = group.filter((m) => m.met === m.required).length
    return { role, ready: r, total: group.length, pct: group.length ? pct(r, group.length) : 100, pass: r === group.length }
  })
  const state: 'no_required_modules' | 'pass' | 'fail' = !requiredModules || !members.length
    ? 'no_required_modules'
    : overallPass && highRisk.every((h) => h.pass)
      ? 'pass'
      : 'fail'
  return {
    state,
    threshold: READINESS_THRESHOLD_PCT,
    requiredModules,
    overall: { ...overall, pass: overallPass },
    highRiskRoles,
    highRisk,
    notReady: members
      .filter((m) => m.met !== m.required)
      .slice(0, 100)
      .map((m) => ({ membershipId: m.membershipId, name: m.name, role: m.role, unit: m.unit, missing: Number(m.required - m.met) })),
  }
}
