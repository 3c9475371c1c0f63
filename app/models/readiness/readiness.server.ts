/**
 * The readiness scorecard of a project and the portfolio of an organisation's projects
 * (docs/decisions/028-readiness-gate.md). Every check of the registry (./checks/) loads what it
 * needs for ALL the projects being scored at once, then judges each project purely; the
 * exemptions and the override standing are applied on top. `projectReadiness` is one project's
 * scorecard; `portfolioReadiness` runs the same checks over every project of the organisation in
 * the same number of queries. The gate (gate.server.ts) reads the same result.
 */
import { allOn, dbOf, type Db, type TxOption } from '#app/utils/db.server.ts'
import { pageCountOf, pageWindow } from '#app/utils/list.ts'
import { zonedParts } from '#app/utils/org.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import { dayOf, type Day } from '#app/models/projects/plan.ts'
import { PHASE_ORDER } from '#app/models/projects/vocabulary.ts'
import { CHECKS } from './checks/index.server.ts'
import { linksFor, type LoadContext, type ProjectFacts } from './checks/define.server.ts'
import { bandOf, counts, levelOf, scoreOf, type Band, type CheckResult, type Level } from './readiness.ts'

export type ReadinessOptions = TxOption & { now?: Date }

const OPEN_PROJECT = ['planned', 'active', 'on_hold'] as const

// ───────────────────────────── the facts every check shares ─────────────────────────────

async function orgOf(db: Db, organizationId: string) {
  return db.organization.findFirst({ where: { id: organizationId }, select: { id: true, slug: true, timeZone: true } })
}

/** The projects (scope, waves, phases) in three queries, whatever their number. */
async function projectFacts(db: Db, organizationId: string, where: { ids?: string[] }): Promise<ProjectFacts[]> {
  const rows = await db.project.findMany({
    where: { organizationId, ...(where.ids ? { id: { in: where.ids } } : {}) },
    select: {
      id: true,
      name: true,
      status: true,
      ownerId: true,
      startDate: true,
      targetGoLive: true,
      interfaces: {
        select: { interface: { select: { id: true, name: true, lifecycle: true, standard: true, approach: true, sourceSystemId: true, targetSystemId: true, standardsException: true } } },
        orderBy: { interface: { name: 'asc' } },
      },
      waves: { select: { id: true, name: true, kind: true, status: true, goLive: true, units: true, position: true, _count: { select: { members: true } } } },
      phases: { select: { kind: true, status: true, plannedStart: true, plannedEnd: true } },
    },
    orderBy: { name: 'asc' },
  })
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    status: p.status,
    ownerId: p.ownerId,
    startDate: dayOf(p.startDate)!,
    targetGoLive: dayOf(p.targetGoLive)!,
    interfaces: p.interfaces.map((i) => i.interface),
    waves: p.waves
      .map((w) => ({ id: w.id, name: w.name, kind: w.kind, status: w.status, goLive: dayOf(w.goLive), units: w.units, members: w._count.members, position: w.position }))
      .sort((a, b) => (a.kind === 'pilot' ? -1 : 0) - (b.kind === 'pilot' ? -1 : 0) || (a.goLive ?? '9999').localeCompare(b.goLive ?? '9999') || a.position - b.position)
      .map(({ position: _p, ...w }) => w),
    phases: p.phases
      .map((ph) => ({ kind: ph.kind, status: ph.status, planned: { start: dayOf(ph.plannedStart), end: dayOf(ph.plannedEnd) } }))
      .sort((a, b) => PHASE_ORDER.indexOf(a.kind) - PHASE_ORDER.indexOf(b.kind)),
  }))
}

/** The exemptions and override standing (not revoked), with who granted them. */
async function waivers(db: Db, organizationId: string, projectIds: string[]) {
  const who = { select: { id: true, user: { select: { name: true } } } } as const
  const [exemptions, overrides] = await allOn(db, [
    () => db.gateExemption.findMany({ where: { organizationId, projectId: { in: projectIds }, revokedAt: null }, include: { grantedBy: who }, orderBy: { createdAt: 'asc' } }),
    () => db.gateOverride.findMany({ where: { organizationId, projectId: { in: projectIds }, revokedAt: null }, include: { grantedBy: who }, orderBy: { createdAt: 'desc' } }),
  ])
  return { exemptions, overrides }
}

/**
 * The people of a project's rollout: the A (accountable for the gate: the A of the "Phased
 * rollout" step's RACI row, else the project's owner) and the R's of that row. One query for
 * every project.
 */
export async function rolloutPeople(db: Db, organizationId: string, projects: readonly { id: string; ownerId: string | null }[]) {
  const cells = await db.raciAssignment.findMany({
    where: { organizationId, projectId: { in: projects.map((p) => p.id) }, letter: { in: ['A', 'R'] }, membershipId: { not: null }, activity: { step: { standardKey: 'phased_rollout' } }, membership: { status: 'active' } },
    select: { projectId: true, letter: true, membershipId: true },
  })
  return new Map(
    projects.map((p) => {
      const mine = cells.filter((c) => c.projectId === p.id)
      const a = mine.find((c) => c.letter === 'A')?.membershipId ?? null
      return [p.id, { accountableId: a ?? p.ownerId, accountableFrom: a ? ('raci' as const) : p.ownerId ? ('owner' as const) : null, responsibleIds: mine.filter((c) => c.letter === 'R').map((c) => c.membershipId!) }]
    }),
  )
}

// ───────────────────────────── scoring ─────────────────────────────


/** The next go-live: the first wave not live yet (the pilot first), else the target go-live while the project is open. */
function nextGoLiveOf(p: ProjectFacts): Day | null {
  const wave = p.waves.find((w) => w.status !== 'live' && w.goLive)
  if (wave) return wave.goLive
  const deployment = p.phases.find((ph) => ph.kind === 'deployment')
  return (OPEN_PROJECT as readonly string[]).includes(p.status) && deployment?.status !== 'done' && !p.waves.length ? p.targetGoLive : null
}

async function scoreProjects(db: Db, organizationId: string, projects: ProjectFacts[], now: Date) {
  const org = await orgOf(db, organizationId)
  const today = zonedParts(now, org?.timeZone ?? 'UTC').date
  const ctx: LoadContext = { db, organizationId, projects, now, today }
  const ids = projects.map((p) => p.id)
  // Every check's loader: each is one or a few queries for all the projects, together on the pool (one by one in a transaction).
  const loaded = await allOn(db, CHECKS.map((c) => () => (c.load && projects.length ? c.load(ctx) : Promise.resolve(new Map<string, unknown>()))))
  const w = await waivers(db, organizationId, ids)
  return projects.map((project) => {
    const links = linksFor(org?.slug ?? '', project.id)
    const exemptions = w.exemptions.filter((e) => e.projectId === project.id)
    const override = w.overrides.find((o) => o.projectId === project.id) ?? null
    const checks: CheckResult[] = CHECKS.map((check, n) => {
      const v = check.evaluate(project, loaded[n]!.get(project.id), { now, today, links })
      const base: CheckResult = { key: check.key, title: check.title, level: check.level, weight: check.weight, appliesTo: check.appliesTo, status: v.status, why: v.why, link: v.link, items: v.items ?? [] }
      const exemption = exemptions.find((e) => e.checkKey === check.key && dayOf(e.expiresOn)! >= today)
      if (v.status !== 'fail' || !exemption) return base
      // An exempted check counts as passing, and says why, until when and by whom.
      return { ...base, status: 'exempted', exemptedStatus: 'fail', why: `Exempted until ${dayOf(exemption.expiresOn)} by ${exemption.grantedBy.user.name}: ${exemption.reason} (without it: ${v.why})` }
    })
    const scorePct = scoreOf(checks)
    const failing = checks.filter((c) => !counts(c.status))
    return {
      project: { id: project.id, name: project.name, status: project.status, ownerId: project.ownerId, targetGoLive: project.targetGoLive },
      scorePct,
      band: bandOf(scorePct) as Band,
      level: levelOf(checks) as Level | null,
      checks,
      failing,
      /** The gate: every check passes (or is exempted), or an override stands. */
      gateOpen: !failing.length || !!override,
      override: override ? { id: override.id, reason: override.reason, by: override.grantedBy.user.name, byId: override.grantedBy.id, at: override.createdAt.toISOString() } : null,
      exemptions: exemptions.map((e) => ({
        id: e.id,
        checkKey: e.checkKey,
        reason: e.reason,
        expiresOn: dayOf(e.expiresOn)!,
        expired: dayOf(e.expiresOn)! < today,
        by: e.grantedBy.user.name,
        at: e.createdAt.toISOString(),
      })),
      nextGoLive: nextGoLiveOf(project),
      today,
      facts: project,
    }
  })
}
export type ProjectReadiness = Awaited<ReturnType<typeof scoreProjects>>[number]

/** One project's scorecard, with its per-interface and per-wave rows; null when the project is not the organisation's. */
export async function projectReadiness(scope: Scope, input: { projectId: string }, options: ReadinessOptions = {}) {
  const db = dbOf(options)
  const projects = await projectFacts(db, scope.organizationId, { ids: [input.projectId] })
  if (!projects.length) return null
  const [r] = await scoreProjects(db, scope.organizationId, projects, options.now ?? new Date())
  const result = r!
  const cell = (key: string, id: string) => {
    const check = result.checks.find((c) => c.key === key)!
    const item = check.items.find((i) => i.id === id)
    return { key, title: check.title, status: item?.status ?? 'na', why: item?.why ?? '', link: item?.link ?? null }
  }
  const interfaceChecks = result.checks.filter((c) => c.appliesTo === 'interface').map((c) => c.key)
  const waveChecks = result.checks.filter((c) => c.appliesTo === 'wave').map((c) => c.key)
  const people = (await rolloutPeople(db, scope.organizationId, [result.project])).get(result.project.id)!
  return {
    ...result,
    accountable: people,
    interfaces: result.facts.interfaces.map((i) => ({ id: i.id, name: i.name, lifecycle: i.lifecycle, checks: interfaceChecks.map((k) => cell(k, i.id)) })),
    waves: result.facts.waves.map((w) => ({ id: w.id, name: w.name, kind: w.kind, status: w.status, goLive: w.goLive, checks: waveChecks.map((k) => cell(k, w.id)) })),
  }
}
export type Scorecard = NonNullable<Awaited<ReturnType<typeof projectReadiness>>>

/** The readiness of several projects of the organisation (every open one by default), in the same queries as one. */
export async function readinessOfProjects(scope: Scope, input: { projectIds?: string[]; openOnly?: boolean }, options: ReadinessOptions = {}) {
  const db = dbOf(options)
  const all = await projectFacts(db, scope.organizationId, { ids: input.projectIds })
  const wanted = input.openOnly ? all.filter((p) => (OPEN_PROJECT as readonly string[]).includes(p.status)) : all
  return scoreProjects(db, scope.organizationId, wanted, options.now ?? new Date())
}

// ───────────────────────────── the portfolio ─────────────────────────────

export const PORTFOLIO_SORTS = ['name', 'score', 'level', 'nextGoLive'] as const
export type PortfolioSort = (typeof PORTFOLIO_SORTS)[number]
export type PortfolioFilter = { q?: string; band?: Band; level?: Level | 'none'; status?: string; sort?: PortfolioSort; dir?: 'asc' | 'desc'; page?: number }
export const PORTFOLIO_PAGE_SIZE = 50

const levelRank = (l: Level | null) => (l === null ? 0 : l === 'design' ? 1 : l === 'uat' ? 2 : 3)

/** Every project of the organisation with its score, band, level and next go-live: the checks' loaders once for all of them. */
export async function portfolioReadiness(scope: Scope, filter: PortfolioFilter = {}, options: ReadinessOptions = {}) {
  const db = dbOf(options)
  const all = await projectFacts(db, scope.organizationId, {})
  const q = filter.q?.toLowerCase()
  const wanted = all.filter((p) => (!q || p.name.toLowerCase().includes(q)) && (!filter.status || p.status === filter.status))
  const scored = await scoreProjects(db, scope.organizationId, wanted, options.now ?? new Date())
  const rows = scored
    .map((r) => ({ id: r.project.id, name: r.project.name, status: r.project.status, scorePct: r.scorePct, band: r.band, level: r.level, nextGoLive: r.nextGoLive, failing: r.failing.map((c) => c.title), gateOpen: r.gateOpen, overridden: !!r.override && r.failing.length > 0, exemptions: r.exemptions.filter((e) => !e.expired).length }))
    .filter((r) => (!filter.band || r.band === filter.band) && (!filter.level || (filter.level === 'none' ? r.level === null : r.level === filter.level)))
  const sort = filter.sort ?? 'name'
  const sign = (filter.dir ?? (sort === 'score' ? 'asc' : 'asc')) === 'desc' ? -1 : 1
  const key = (r: (typeof rows)[number]) => (sort === 'score' ? r.scorePct : sort === 'level' ? levelRank(r.level) : sort === 'nextGoLive' ? (r.nextGoLive ?? '9999') : r.name.toLowerCase())
  rows.sort((a, b) => {
    const x = key(a)
    const y = key(b)
    return (x < y ? -1 : x > y ? 1 : 0) * sign || a.name.localeCompare(b.name)
  })
  const total = rows.length
  const { skip, take } = pageWindow(filter.page ?? 1, PORTFOLIO_PAGE_SIZE)
  const bands = { failing: 0, attention: 0, passing: 0 } as Record<Band, number>
  for (const r of rows) bands[r.band]++
  return { projects: rows.slice(skip, skip + take), total, pageCount: pageCountOf(total, PORTFOLIO_PAGE_SIZE), bands }
}
