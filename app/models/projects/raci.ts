/**
 * The RACI matrix's rules, browser-safe and pure (the page, the project home, the readiness
 * checks and the property test all read them). docs/decisions/023-raci.md explains the choices:
 *
 * - exactly one A per activity, held by a person (a function cell holds only C or I: a whole
 *   function cannot be accountable or do the work);
 * - at least one R;
 * - a design or testing activity involves a clinical member: an ACTIVE member whose function is
 *   clinical holding R, A or C, or the "clinical" function cell holding C. An I does not count
 *   (being told is not being consulted). R and A count because a member holds one letter per
 *   activity: a clinical lead accountable for UAT cannot also be marked C, and is involved more;
 * - a security activity involves compliance, the same way (function "compliance");
 * - the A must be an active member (a deactivated A owns nothing any more).
 */
import { z } from 'zod'
import { isRealDay } from '#app/utils/list.ts'
import { enumOf, optionalText } from '#app/utils/schemas.ts'
import type { MemberFunction } from '../people/vocabulary.ts'
import { RACI_CATEGORIES, type RaciCategory, type RaciLetter } from './vocabulary.ts'

export const RACI_PROBLEM_KINDS = {
  no_a: 'No one is accountable (A)',
  many_a: 'More than one A',
  no_r: 'No one is responsible (R)',
  no_clinical: 'No clinical member consulted',
  no_compliance: 'Compliance not consulted',
  inactive_a: 'The A is deactivated',
} as const
export type RaciProblemKind = keyof typeof RACI_PROBLEM_KINDS
export const RACI_PROBLEM_ORDER = Object.keys(RACI_PROBLEM_KINDS) as RaciProblemKind[]

/** The letters a function cell may hold. */
export const FUNCTION_LETTERS: readonly RaciLetter[] = ['C', 'I']
/** The categories whose activities consult a clinical member. */
export const CLINICAL_CATEGORIES: readonly RaciCategory[] = ['design', 'testing']

export type RuleCell = { membershipId: string | null; function: MemberFunction | null; letter: RaciLetter }
export type RuleActivity = { id: string; category: RaciCategory; cells: readonly RuleCell[] }
export type RuleMember = { id: string; function: MemberFunction; active: boolean; name?: string }
export type RaciProblem = { kind: RaciProblemKind; message: string }

const involves = (cells: readonly RuleCell[], members: ReadonlyMap<string, RuleMember>, fn: MemberFunction) =>
  cells.some((c) => {
    if (c.function) return c.function === fn && c.letter === 'C'
    const m = c.membershipId ? members.get(c.membershipId) : undefined
    return !!m && m.active && m.function === fn && c.letter !== 'I'
  })

/** What is wrong with one activity, in words. */
export function activityProblems(a: RuleActivity, members: ReadonlyMap<string, RuleMember>): RaciProblem[] {
  const out: RaciProblem[] = []
  const as = a.cells.filter((c) => c.letter === 'A')
  const nameOf = (c: RuleCell) => (c.membershipId ? (members.get(c.membershipId)?.name ?? 'a member') : 'a function')
  if (as.length === 0) out.push({ kind: 'no_a', message: 'No one is accountable: give exactly one person the A.' })
  if (as.length > 1) out.push({ kind: 'many_a', message: `${as.length} people are accountable (${as.map(nameOf).join(', ')}): keep exactly one A.` })
  if (!a.cells.some((c) => c.letter === 'R')) out.push({ kind: 'no_r', message: 'No one is responsible: give at least one person an R.' })
  if (CLINICAL_CATEGORIES.includes(a.category) && !involves(a.cells, members, 'clinical')) {
    out.push({ kind: 'no_clinical', message: 'A design or testing activity with no clinical member consulted: give a clinical member (or “any clinical member”) a C.' })
  }
  if (a.category === 'security' && !involves(a.cells, members, 'compliance')) {
    out.push({ kind: 'no_compliance', message: 'A security activity without compliance: give a compliance member (or “any compliance member”) a C.' })
  }
  for (const c of as) {
    const m = c.membershipId ? members.get(c.membershipId) : undefined
    if (m && !m.active) out.push({ kind: 'inactive_a', message: `The A, ${m.name ?? 'a member'}, is deactivated: give the A to an active member.` })
  }
  return out
}

export type RaciSummary = { total: number; activities: number; byKind: Record<RaciProblemKind, number> }

/** Every activity's problems and the summary (problems counted by kind; `activities`: how many rows have one). */
export function raciProblems(activities: readonly RuleActivity[], members: ReadonlyMap<string, RuleMember>) {
  const byActivity: Record<string, RaciProblem[]> = {}
  const byKind = Object.fromEntries(RACI_PROBLEM_ORDER.map((k) => [k, 0])) as Record<RaciProblemKind, number>
  let total = 0
  let rows = 0
  for (const a of activities) {
    const problems = activityProblems(a, members)
    byActivity[a.id] = problems
    if (problems.length) rows++
    for (const p of problems) {
      byKind[p.kind]++
      total++
    }
  }
  const summary: RaciSummary = { total, activities: rows, byKind }
  return { byActivity, summary }
}

/** A cell's column: a member (`m:<membershipId>`) or a function (`f:<function>`), as forms send it. */
export type Holder = { membershipId: string; function?: undefined } | { function: MemberFunction; membershipId?: undefined }
export const holderKey = (h: { membershipId?: string | null; function?: string | null }) => (h.membershipId ? `m:${h.membershipId}` : `f:${h.function}`)
export function parseHolder(raw: string, functions: readonly string[]): Holder | null {
  if (raw.startsWith('m:') && /^[A-Za-z0-9_-]{1,64}$/.test(raw.slice(2))) return { membershipId: raw.slice(2) }
  if (raw.startsWith('f:') && functions.includes(raw.slice(2))) return { function: raw.slice(2) as MemberFunction }
  return null
}

/** The key a grid cell answers to (R, A, C, I in either case), or null. */
export function letterOfKey(key: string): RaciLetter | null {
  const k = key.toUpperCase()
  return k === 'R' || k === 'A' || k === 'C' || k === 'I' ? k : null
}

/** Where focus goes in the grid from (row, col) for an arrow, Home or End key; null for other keys. */
export function moveInGrid(key: string, at: { row: number; col: number }, size: { rows: number; cols: number }, ctrl = false) {
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max - 1, v))
  switch (key) {
    case 'ArrowUp':
      return { row: clamp(at.row - 1, size.rows), col: at.col }
    case 'ArrowDown':
      return { row: clamp(at.row + 1, size.rows), col: at.col }
    case 'ArrowLeft':
      return { row: at.row, col: clamp(at.col - 1, size.cols) }
    case 'ArrowRight':
      return { row: at.row, col: clamp(at.col + 1, size.cols) }
    case 'Home':
      return ctrl ? { row: 0, col: 0 } : { row: at.row, col: 0 }
    case 'End':
      return ctrl ? { row: size.rows - 1, col: size.cols - 1 } : { row: at.row, col: size.cols - 1 }
    default:
      return null
  }
}

/** A due date's words on Home: "due 12 Mar", "overdue by 3 days". Days are YYYY-MM-DD. */
export function dueWords(due: string | null, today: string, done = false): { text: string; overdue: boolean } {
  if (!due) return { text: 'no due date', overdue: false }
  const days = Math.round((Date.parse(due) - Date.parse(today)) / 86_400_000)
  if (done) return { text: `done (was due ${due})`, overdue: false }
  if (days < 0) return { text: `overdue by ${-days} day${days === -1 ? '' : 's'} (due ${due})`, overdue: true }
  if (days === 0) return { text: `due today (${due})`, overdue: false }
  return { text: `due in ${days} day${days === 1 ? '' : 's'} (${due})`, overdue: false }
}

// ─── forms (the server and the page validate with these) ──────────────────────

const optionalDay = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => v === undefined || isRealDay(v), 'Enter a real date (YYYY-MM-DD)')

export const CustomActivitySchema = z.object({
  title: z.string({ required_error: 'Name the activity' }).trim().min(1, 'Name the activity').max(200, 'At most 200 characters'),
  category: enumOf(RACI_CATEGORIES, 'Choose a category'),
  dueDate: optionalDay,
})
export type CustomActivityInput = z.infer<typeof CustomActivitySchema>

export const ActivityCategorySchema = z.object({ category: enumOf(RACI_CATEGORIES, 'Choose a category') })

export const RACI_TEMPLATES = {
  clinical_design_testing: 'Clinical lead is C on every design and testing activity',
  owner_accountable: 'Project owner is A on every activity without an A',
  compliance_security: 'Compliance is C on every security activity',
} as const
export type RaciTemplate = keyof typeof RACI_TEMPLATES

export const TemplateSchema = z.object({
  template: enumOf(RACI_TEMPLATES, 'Choose a template'),
  /** Who gets the letters: a member (`m:…`) or a function (`f:…`); empty means the template's default. */
  holder: optionalText(80),
})
