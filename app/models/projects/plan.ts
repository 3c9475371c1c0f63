/**
 * A project's plan, as pure functions (browser-safe, no database): the first plan of a new
 * project, the checks a plan must pass before it is saved, and the share of the timeline
 * given to testing. Days are `YYYY-MM-DD` strings (a project plans in calendar days, in the
 * organisation's zone); the database stores them as DATE.
 */
import { isRealDay } from '#app/utils/list.ts'
import { MIN_TESTING_SHARE, PHASE_ORDER, PHASES, STANDARD_STEPS, type PhaseKind } from './vocabulary.ts'

export type Day = string

const MS_PER_DAY = 86_400_000
const toTime = (d: Day) => Date.parse(`${d}T00:00:00Z`)
export const addDays = (d: Day, n: number): Day => new Date(toTime(d) + n * MS_PER_DAY).toISOString().slice(0, 10)
/** Days from a to b (b − a); a day's span from start to end inclusive is `daysBetween + 1`. */
export const daysBetween = (a: Day, b: Day) => Math.round((toTime(b) - toTime(a)) / MS_PER_DAY)
/** A DATE column's value as a day (Prisma hands DATE over as midnight UTC). */
export const dayOf = (d: Date | null | undefined): Day | null => (d ? d.toISOString().slice(0, 10) : null)
export const dateOf = (d: Day | null | undefined): Date | null => (d ? new Date(`${d}T00:00:00Z`) : null)
export { isRealDay }

export type Span = { start: Day | null; end: Day | null }
export type PlannedStep = { key: string | null; title: string; planned: Span }
export type PlannedPhase = { kind: PhaseKind; planned: Span; steps: PlannedStep[] }

/**
 * How a new project's delivery span (start → target go-live) is shared among phases 1–4:
 * testing gets at least the seed's 30 %, rounded up to whole days. Maintenance starts the day
 * after go-live and is planned for 90 days (its steps recur; the span is the first stretch).
 */
const SHARE: Record<Exclude<PhaseKind, 'maintenance'>, number> = { discovery: 0.15, design: 0.3, testing: MIN_TESTING_SHARE, deployment: 0.25 }
export const MAINTENANCE_DAYS = 90

export function initialPlan(start: Day, goLive: Day): PlannedPhase[] {
  const total = daysBetween(start, goLive) + 1
  const lengths = {
    discovery: Math.max(1, Math.floor(total * SHARE.discovery)),
    design: Math.max(1, Math.floor(total * SHARE.design)),
    testing: Math.max(1, Math.ceil(total * SHARE.testing)),
    deployment: 0,
  }
  lengths.deployment = Math.max(1, total - lengths.discovery - lengths.design - lengths.testing)
  const phases: PlannedPhase[] = []
  let cursor = start
  for (const kind of PHASE_ORDER) {
    const length = kind === 'maintenance' ? MAINTENANCE_DAYS : lengths[kind]
    const phaseStart = kind === 'maintenance' ? addDays(goLive, 1) : cursor
    const phaseEnd = addDays(phaseStart, length - 1)
    const standard = STANDARD_STEPS.filter((s) => s.phase === kind)
    // The phase's days shared among its steps in order, the last taking the remainder.
    const each = Math.max(1, Math.floor(length / standard.length))
    const steps = standard.map((s, i) => {
      const stepStart = addDays(phaseStart, Math.min(i * each, length - 1))
      const stepEnd = i === standard.length - 1 ? phaseEnd : addDays(stepStart, each - 1)
      return { key: s.key, title: s.title, planned: { start: stepStart, end: stepEnd < stepStart ? stepStart : stepEnd } }
    })
    phases.push({ kind, planned: { start: phaseStart, end: phaseEnd }, steps })
    if (kind !== 'maintenance') cursor = addDays(phaseEnd, 1)
  }
  return phases
}

export type PlanProblem = {
  /** `phase:<kind>` or `step:<index within its phase>` of `phase`, and the field at fault. */
  phase: PhaseKind
  step?: number
  field: 'plannedStart' | 'plannedEnd' | 'actualStart' | 'actualEnd'
  message: string
}

type CheckedSpan = { planned: Span; actual?: Span }
export type CheckedPlan = { kind: PhaseKind; planned: Span; actual?: Span; steps: (CheckedSpan & { title: string; skipped?: boolean })[] }[]

/**
 * What is wrong with a plan's dates, each problem where it is: an end before its start, a
 * step planned outside its phase, a phase planned to start before the one before it.
 * Skipped steps are not checked against their phase (they are not done at all).
 */
export function planProblems(plan: CheckedPlan): PlanProblem[] {
  const problems: PlanProblem[] = []
  const spanProblems = (span: Span | undefined, phase: PhaseKind, step: number | undefined, kind: 'planned' | 'actual', what: string) => {
    if (span?.start && span.end && span.end < span.start) {
      problems.push({ phase, step, field: kind === 'planned' ? 'plannedEnd' : 'actualEnd', message: `${what} ends (${span.end}) before it starts (${span.start}).` })
    }
  }
  let previous: { kind: PhaseKind; start: Day } | null = null
  for (const phase of plan) {
    const label = PHASES[phase.kind]
    spanProblems(phase.planned, phase.kind, undefined, 'planned', label)
    spanProblems(phase.actual, phase.kind, undefined, 'actual', `${label} (actual)`)
    if (previous && phase.planned.start && phase.planned.start < previous.start) {
      problems.push({ phase: phase.kind, field: 'plannedStart', message: `${label} is planned to start (${phase.planned.start}) before ${PHASES[previous.kind]} (${previous.start}).` })
    }
    if (phase.planned.start) previous = { kind: phase.kind, start: phase.planned.start }
    phase.steps.forEach((step, i) => {
      const what = `“${step.title}”`
      spanProblems(step.planned, phase.kind, i, 'planned', what)
      spanProblems(step.actual, phase.kind, i, 'actual', `${what} (actual)`)
      if (step.skipped) return
      if (phase.planned.start && step.planned.start && step.planned.start < phase.planned.start) {
        problems.push({ phase: phase.kind, step: i, field: 'plannedStart', message: `${what} starts (${step.planned.start}) before its phase, ${label} (${phase.planned.start}).` })
      }
      if (phase.planned.end && step.planned.end && step.planned.end > phase.planned.end) {
        problems.push({ phase: phase.kind, step: i, field: 'plannedEnd', message: `${what} ends (${step.planned.end}) after its phase, ${label} (${phase.planned.end}).` })
      }
    })
  }
  return problems
}

/**
 * The share of the delivery timeline (the first planned day of phase 1 to the last of phase 4;
 * maintenance is open-ended) given to testing & validation, or null when a date is missing.
 */
export function testingShare(phases: { kind: PhaseKind; planned: Span }[]): number | null {
  const delivery = phases.filter((p) => p.kind !== 'maintenance')
  const starts = delivery.map((p) => p.planned.start)
  const ends = delivery.map((p) => p.planned.end)
  const testing = phases.find((p) => p.kind === 'testing')
  if (!testing?.planned.start || !testing.planned.end || starts.some((d) => !d) || ends.some((d) => !d)) return null
  const first = (starts as Day[]).reduce((a, b) => (a < b ? a : b))
  const last = (ends as Day[]).reduce((a, b) => (a > b ? a : b))
  const total = daysBetween(first, last) + 1
  return total > 0 ? (daysBetween(testing.planned.start, testing.planned.end) + 1) / total : null
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
/** A day as people read it ("4 Jan 2027"); a dash when unset. */
export const formatDay = (d: Day | null | undefined) => (d ? dayFormat.format(new Date(`${d}T00:00:00Z`)) : '—')
