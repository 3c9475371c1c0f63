/**
 * What a readiness check is (docs/decisions/028-readiness-gate.md). A check is ONE file in this
 * folder, listed once in ./index.server.ts:
 *
 *   export default defineCheck({
 *     key: 'kpi_baselines', title: 'Every KPI has a baseline', weight: 2, level: 'golive', appliesTo: 'project',
 *     load: async ({ db, organizationId, projects }) => … one or few queries for ALL the projects …,
 *     evaluate: (project, data, ctx) => ({ status: 'pass' | 'fail' | 'na', why: '…', link: ctx.links.… }),
 *   })
 *
 * `load` is batched: it gets every project being scored (one project for a scorecard, the whole
 * organisation for the portfolio) and answers a map by project id, so the cost of a check does not
 * grow with the number of projects or interfaces. `evaluate` is pure: the same facts give the same
 * verdict, which is what the check's pass and fail tests pin down.
 */
import type { Db } from '#app/utils/db.server.ts'
import type { AppliesTo, Level, Verdict } from '../readiness.ts'
import type { Day } from '#app/models/projects/plan.ts'
import type { IntegrationApproach, InterfaceStandard, Lifecycle, PlanStatus, ProjectPhaseKind, ProjectStatus, WaveKind, WaveStatus } from '#app/generated/prisma/client.ts'

/** What every check knows about a project (read once, by readiness.server.ts). */
export type ProjectFacts = {
  id: string
  name: string
  status: ProjectStatus
  ownerId: string | null
  startDate: Day
  targetGoLive: Day
  interfaces: {
    id: string
    name: string
    lifecycle: Lifecycle
    standard: InterfaceStandard
    approach: IntegrationApproach
    sourceSystemId: string
    targetSystemId: string
    standardsException: string | null
  }[]
  /** In go-live order, the pilot first. */
  waves: { id: string; name: string; kind: WaveKind; status: WaveStatus; goLive: Day | null; units: string[]; members: number }[]
  phases: { kind: ProjectPhaseKind; status: PlanStatus; planned: { start: Day | null; end: Day | null } }[]
}

export type LoadContext = {
  db: Db
  organizationId: string
  projects: readonly ProjectFacts[]
  now: Date
  /** Today in the organisation's zone. */
  today: Day
}

export type Links = ReturnType<typeof linksFor>

/** The pages that fix what a check finds. */
export function linksFor(orgSlug: string, projectId: string) {
  const o = `/o/${orgSlug}`
  const p = `${o}/projects/${projectId}`
  return {
    plan: `${p}/plan`,
    raci: (activityId?: string) => `${p}/raci${activityId ? `#row-${activityId}` : ''}`,
    uat: `${p}/uat`,
    security: `${p}/security`,
    waves: `${p}/waves`,
    decisions: `${p}/decisions`,
    training: `${o}/training/adoption?project=${projectId}`,
    mapping: (interfaceId: string) => `${o}/mapping/${interfaceId}`,
    interfaceEdit: (interfaceId: string) => `${o}/interfaces/${interfaceId}/edit`,
    estate: `${o}/estate`,
  }
}

export type EvalContext = { now: Date; today: Day; links: Links }

export type ReadinessCheck<T = unknown> = {
  key: string
  title: string
  /** What passing means, in a sentence (the scorecard shows it). */
  description: string
  weight: number
  level: Level
  appliesTo: AppliesTo
  load?: (ctx: LoadContext) => Promise<Map<string, T>>
  evaluate: (project: ProjectFacts, data: T | undefined, ctx: EvalContext) => Verdict
}

export function defineCheck<T>(check: ReadinessCheck<T>): ReadinessCheck<T> {
  return check
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
/** "A, B and 3 more" — a list a sentence can hold. */
export function someOf(names: readonly string[], max = 3) {
  if (names.length <= max) return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? '')
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`
}
/** A map by project id with a value for each project. */
export function byProject<T>(projects: readonly ProjectFacts[], make: () => T) {
  return new Map(projects.map((p) => [p.id, make()]))
}
