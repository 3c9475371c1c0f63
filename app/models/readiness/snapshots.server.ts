/**
 * Readiness snapshots (docs/decisions/030-go-no-go-snapshots.md): the project's scorecard frozen
 * at a moment — by the daily job 120, 90, 60 and 30 days before each wave's go-live, by hand
 * ("take a snapshot now"), or with a go/no-go record — so the project can show its score's trend.
 *
 * The scheduled ones are idempotent by the unique key (waveId, daysBefore): the job may run any
 * number of times a day, and two runs at once insert one row. A missed day is caught up with
 * the nearest offset passed and not taken (never the older ones: a trend point from "120 days
 * before" taken at 95 days would be a lie about when it was measured).
 */
import type { Prisma } from '#app/generated/prisma/client.ts'
import { dbOf, inTx, prisma, type Db, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { zonedParts } from '#app/utils/org.ts'
import { can } from '#app/utils/permissions.ts'
import { isSystemScope, type Scope } from '#app/utils/scope.server.ts'
import { addDays, dateOf, dayOf, type Day } from '#app/models/projects/plan.ts'
import { auditInScope } from '../audit/audit.server.ts'
import { projectReadiness, type Scorecard } from './readiness.server.ts'
import type { SnapshotKind } from './vocabulary.ts'

/** Days before a wave's go-live at which the job takes a snapshot, farthest first. */
export const SNAPSHOT_OFFSETS = [120, 90, 60, 30] as const

type Options = TxOption & { now?: Date }

/** The checks as a snapshot keeps them: the verdict and its reason, without links into today's pages. */
export function frozenChecks(card: Pick<Scorecard, 'checks'>) {
  return card.checks.map((c) => ({ key: c.key, title: c.title, level: c.level, weight: c.weight, status: c.status, why: c.why }))
}

async function todayOf(db: Db, scope: Scope, now: Date) {
  const timeZone = isSystemScope(scope) ? ((await db.organization.findFirst({ where: { id: scope.organizationId }, select: { timeZone: true } }))?.timeZone ?? 'UTC') : scope.timeZone
  return zonedParts(now, timeZone).date
}

/** Writes one snapshot row from a scorecard already computed (the go/no-go record shares its scorecard). */
export async function writeSnapshot(scope: Scope, input: { card: Scorecard; kind: SnapshotKind; waveId?: string | null; daysBefore?: number | null; takenAt: Date }, options: TxOption = {}) {
  const data: Prisma.ReadinessSnapshotCreateManyInput = {
    organizationId: scope.organizationId,
    projectId: input.card.project.id,
    waveId: input.waveId ?? null,
    kind: input.kind,
    daysBefore: input.kind === 'scheduled' ? (input.daysBefore ?? null) : null,
    takenAt: input.takenAt,
    scorePct: input.card.scorePct,
    level: input.card.level ?? 'none',
    checks: frozenChecks(input.card),
  }
  // NOTE: ON CONFLICT DO NOTHING, not a caught unique violation: inside a transaction that would abort it.
  const [row] = await dbOf(options).readinessSnapshot.createManyAndReturn({ data: [data], skipDuplicates: true })
  return row ?? null
}

/**
 * Takes one snapshot of the project's readiness now (or at `options.now`). A member needs
 * `gonogo:write`; the job acts as the system. A scheduled snapshot already taken for the wave and
 * offset is not taken again (returns null). Null too when the project or wave is not the
 * organisation's.
 */
export async function takeSnapshot(scope: Scope, input: { projectId: string; kind: SnapshotKind; waveId?: string; daysBefore?: number }, options: Options = {}) {
  if (!isSystemScope(scope) && !can(scope.role, 'gonogo:write')) throw new DomainError('FORBIDDEN', 'Only managers take readiness snapshots.')
  if (input.kind === 'scheduled' && (!input.waveId || !input.daysBefore)) throw new DomainError('RULE_VIOLATION', 'A scheduled snapshot belongs to a wave and an offset.')
  const now = options.now ?? new Date()
  return inTx(options, async (tx) => {
    const project = await tx.project.findFirst({ where: { id: input.projectId, organizationId: scope.organizationId }, select: { id: true, name: true } })
    if (!project) return null
    if (input.waveId && !(await tx.projectWave.count({ where: { id: input.waveId, organizationId: scope.organizationId, projectId: project.id } }))) return null
    const card = await projectReadiness(scope, { projectId: project.id }, { tx, now })
    if (!card) return null
    const row = await writeSnapshot(scope, { card, kind: input.kind, waveId: input.waveId, daysBefore: input.daysBefore, takenAt: now }, { tx })
    if (row && input.kind === 'manual') {
      await auditInScope(scope, { action: 'readiness.snapshot_taken', targetType: 'project', targetId: project.id, targetLabel: project.name, metadata: { snapshotId: row.id, scorePct: row.scorePct, level: row.level } }, { tx })
    }
    return row
  })
}

/**
 * Which (wave, offset) snapshots are due today: per wave, the nearest offset already reached
 * (today on or after go-live − offset, go-live not passed), unless it was taken. Pure.
 */
export function dueSnapshots(waves: readonly { id: string; goLive: Day | null; taken: readonly number[] }[], today: Day) {
  const due: { waveId: string; daysBefore: number }[] = []
  for (const w of waves) {
    if (!w.goLive || today > w.goLive) continue
    const reached = SNAPSHOT_OFFSETS.filter((d) => today >= addDays(w.goLive!, -d))
    const nearest = reached[reached.length - 1]
    if (nearest !== undefined && !w.taken.includes(nearest)) due.push({ waveId: w.id, daysBefore: nearest })
  }
  return due
}

const SCHEDULED_PROJECT = ['active', 'planned'] as const

/** The waves (not live) of active or planned projects whose go-live is within the farthest offset. */
function upcomingWaves(db: Db, where: { organizationId: string; today: Day }) {
  return db.projectWave.findMany({
    where: {
      organizationId: where.organizationId,
      status: { not: 'live' },
      goLive: { gte: dateOf(where.today)!, lte: dateOf(addDays(where.today, SNAPSHOT_OFFSETS[0]))! },
      project: { status: { in: [...SCHEDULED_PROJECT] } },
    },
    select: { id: true, projectId: true, goLive: true, organizationId: true },
    orderBy: [{ projectId: 'asc' }, { position: 'asc' }],
  })
}

/**
 * The daily job's work for one organisation: every due scheduled snapshot, with one scorecard
 * per project. Returns how many were taken (0 on a second run the same day).
 */
export async function takeScheduledSnapshots(scope: Scope, _input: Record<string, never> = {}, options: Options = {}) {
  const now = options.now ?? new Date()
  const db = dbOf(options)
  const today = await todayOf(db, scope, now)
  const waves = await upcomingWaves(db, { organizationId: scope.organizationId, today })
  if (!waves.length) return { taken: 0, due: 0 }
  const taken = await db.readinessSnapshot.findMany({
    where: { organizationId: scope.organizationId, kind: 'scheduled', waveId: { in: waves.map((w) => w.id) } },
    select: { waveId: true, daysBefore: true },
  })
  const due = dueSnapshots(
    waves.map((w) => ({ id: w.id, goLive: dayOf(w.goLive), taken: taken.filter((t) => t.waveId === w.id).map((t) => t.daysBefore!) })),
    today,
  )
  let count = 0
  for (const projectId of new Set(due.map((d) => waves.find((w) => w.id === d.waveId)!.projectId))) {
    const card = await projectReadiness(scope, { projectId }, { tx: options.tx, now })
    if (!card) continue
    for (const d of due.filter((x) => waves.find((w) => w.id === x.waveId)!.projectId === projectId)) {
      if (await writeSnapshot(scope, { card, kind: 'scheduled', waveId: d.waveId, daysBefore: d.daysBefore, takenAt: now }, options)) count++
    }
  }
  return { taken: count, due: due.length }
}

/** Organisations with a wave within the farthest offset of its go-live: the daily job runs for each. */
export async function listOrganizationsWithUpcomingWaves(input: { now?: Date } = {}) {
  // A day's margin either side: each organisation's own "today" (its time zone) is decided in its run.
  const utc = zonedParts(input.now ?? new Date(), 'UTC').date
  const rows = await prisma.projectWave.findMany({
    where: {
      status: { not: 'live' },
      goLive: { gte: dateOf(addDays(utc, -1))!, lte: dateOf(addDays(utc, SNAPSHOT_OFFSETS[0] + 1))! },
      project: { status: { in: [...SCHEDULED_PROJECT] } },
    },
    distinct: ['organizationId'],
    select: { organizationId: true },
    orderBy: { organizationId: 'asc' },
  })
  return rows.map((r) => r.organizationId)
}

/** The project's snapshots, oldest first (the trend), at most the last `take`. */
export async function listSnapshots(scope: Scope, input: { projectId: string; take?: number }, options: TxOption = {}) {
  const rows = await dbOf(options).readinessSnapshot.findMany({
    where: { organizationId: scope.organizationId, projectId: input.projectId },
    select: { id: true, kind: true, waveId: true, daysBefore: true, takenAt: true, scorePct: true, level: true },
    orderBy: { takenAt: 'desc' },
    take: Math.min(input.take ?? 200, 500),
  })
  return rows.reverse().map((r) => ({ ...r, kind: r.kind as SnapshotKind, takenAt: r.takenAt.toISOString() }))
}
