/**
 * The readiness scorecard's words and arithmetic, browser-safe and pure: the levels, the bands,
 * a check's verdict, and how verdicts become a score, a band and the highest level passed
 * (docs/decisions/028-readiness-gate.md). The checks themselves (with their loaders) are in
 * ./checks/, one file per check; readiness.server.ts runs them.
 */
import { z } from 'zod'
import { isRealDay } from '#app/utils/list.ts'

/** The levels a project passes in order. */
export const LEVELS = {
  design: 'Design complete',
  uat: 'UAT-ready',
  golive: 'Go-live ready',
} as const
export type Level = keyof typeof LEVELS
export const LEVEL_ORDER = Object.keys(LEVELS) as Level[]

export const BANDS = {
  failing: 'Failing',
  attention: 'Needs attention',
  passing: 'Passing',
} as const
export type Band = keyof typeof BANDS

export const CHECK_STATUSES = {
  pass: 'Pass',
  fail: 'Fail',
  na: 'Not applicable',
  exempted: 'Exempted',
} as const
export type CheckStatus = keyof typeof CHECK_STATUSES

export const APPLIES_TO = { project: 'Project', interface: 'Each interface', wave: 'Each wave' } as const
export type AppliesTo = keyof typeof APPLIES_TO

/** One interface's or one wave's verdict of a check (the per-interface and per-wave tables). */
export type ItemVerdict = { kind: 'interface' | 'wave'; id: string; status: Exclude<CheckStatus, 'exempted'>; why: string; link: string | null }

/** What a check's evaluator answers: the status, WHY in words, and the page that fixes it. */
export type Verdict = { status: Exclude<CheckStatus, 'exempted'>; why: string; link: string | null; items?: ItemVerdict[] }

export type CheckResult = {
  key: string
  title: string
  level: Level
  weight: number
  appliesTo: AppliesTo
  status: CheckStatus
  why: string
  link: string | null
  items: ItemVerdict[]
  /** The verdict before an exemption made it count as passing. */
  exemptedStatus?: 'fail'
}

/** passes = counts towards the score and the gate: a pass, an exemption, or nothing to check. */
export const counts = (s: CheckStatus) => s !== 'fail'

/** The weighted share of applicable checks that pass (an exemption counts as passing), 0–100. */
export function scoreOf(checks: readonly Pick<CheckResult, 'status' | 'weight'>[]) {
  const applicable = checks.filter((c) => c.status !== 'na')
  const total = applicable.reduce((n, c) => n + c.weight, 0)
  if (!total) return 100
  const passed = applicable.filter((c) => counts(c.status)).reduce((n, c) => n + c.weight, 0)
  // NOTE: floored, so 99.6 % is not shown as 100 % ("passing" means every check passes).
  return Math.floor((passed * 100) / total)
}

export function bandOf(score: number): Band {
  return score >= 100 ? 'passing' : score < 50 ? 'failing' : 'attention'
}

/** The highest level whose checks, and those of every level before it, all pass (null: not even design). */
export function levelOf(checks: readonly Pick<CheckResult, 'status' | 'level'>[]): Level | null {
  let reached: Level | null = null
  for (const level of LEVEL_ORDER) {
    if (checks.filter((c) => c.level === level).some((c) => !counts(c.status))) break
    reached = level
  }
  return reached
}

/** "Mapping coverage, UAT passed and signed" — how a refusal names the failing checks. */
export const namesOf = (checks: readonly { title: string }[]) => checks.map((c) => c.title).join(', ')

// ─── forms (the server and the page validate with these) ──────────────────────

export const OverrideSchema = z.object({
  reason: z
    .string({ required_error: 'Write why the gate is overridden' })
    .trim()
    .min(1, 'Write why the gate is overridden')
    .max(2000, 'At most 2,000 characters'),
})
export type OverrideInput = z.infer<typeof OverrideSchema>

export const ExemptionSchema = z.object({
  checkKey: z.string({ required_error: 'Choose the check to exempt' }).trim().min(1, 'Choose the check to exempt').max(64),
  reason: z.string({ required_error: 'Write why the check is exempted' }).trim().min(1, 'Write why the check is exempted').max(2000, 'At most 2,000 characters'),
  expiresOn: z
    .string({ required_error: 'Choose when the exemption expires' })
    .trim()
    .refine((v) => isRealDay(v), 'Enter a real date (YYYY-MM-DD)'),
})
export type ExemptionInput = z.infer<typeof ExemptionSchema>
