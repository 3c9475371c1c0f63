import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { FUNCTIONS, type MemberFunction } from '../people/vocabulary.ts'
import { activityProblems, dueWords, letterOfKey, moveInGrid, parseHolder, raciProblems, RACI_PROBLEM_ORDER, type RuleActivity, type RuleCell, type RuleMember } from './raci.ts'
import { RACI_CATEGORIES, type RaciCategory, type RaciLetter } from './vocabulary.ts'

const LETTERS: RaciLetter[] = ['R', 'A', 'C', 'I']
const CATEGORIES = Object.keys(RACI_CATEGORIES) as RaciCategory[]

/** Random members (function, active or not) and activities whose cells respect "one letter per member / function". */
const matrix = fc
  .array(fc.record({ function: fc.constantFrom(...FUNCTIONS), active: fc.boolean() }), { minLength: 0, maxLength: 8 })
  .chain((ms) => {
    const members: RuleMember[] = ms.map((m, i) => ({ id: `m${i}`, ...m }))
    const cell = fc.oneof(
      ...(members.length ? [fc.record({ membershipId: fc.constantFrom(...members.map((m) => m.id)), function: fc.constant(null), letter: fc.constantFrom(...LETTERS) })] : []),
      fc.record({ membershipId: fc.constant(null), function: fc.constantFrom(...FUNCTIONS), letter: fc.constantFrom<RaciLetter>('C', 'I') }),
    ) as fc.Arbitrary<RuleCell>
    const activity = fc.record({
      category: fc.constantFrom(...CATEGORIES),
      cells: fc.uniqueArray(cell, { maxLength: 10, selector: (c) => c.membershipId ?? `f:${c.function}` }),
    })
    return fc.tuple(fc.constant(members), fc.array(activity, { maxLength: 25 }).map((as) => as.map((a, i): RuleActivity => ({ id: `a${i}`, ...a }))))
  })

/** The rules, recounted the long way round: one question per rule, per activity. */
function recount(members: RuleMember[], activities: RuleActivity[]) {
  const counts = { no_a: 0, many_a: 0, no_r: 0, no_clinical: 0, no_compliance: 0, inactive_a: 0 }
  const member = (id: string | null) => members.find((m) => m.id === id)
  const consulted = (a: RuleActivity, fn: MemberFunction) => {
    for (const c of a.cells) {
      if (c.function === fn && c.letter === 'C') return true
      const m = member(c.membershipId)
      if (m && m.active && m.function === fn && (c.letter === 'R' || c.letter === 'A' || c.letter === 'C')) return true
    }
    return false
  }
  for (const a of activities) {
    let aCount = 0
    let rCount = 0
    for (const c of a.cells) {
      if (c.letter === 'A') aCount++
      if (c.letter === 'R') rCount++
      if (c.letter === 'A' && member(c.membershipId)?.active === false) counts.inactive_a++
    }
    if (aCount === 0) counts.no_a++
    if (aCount >= 2) counts.many_a++
    if (rCount === 0) counts.no_r++
    if ((a.category === 'design' || a.category === 'testing') && !consulted(a, 'clinical')) counts.no_clinical++
    if (a.category === 'security' && !consulted(a, 'compliance')) counts.no_compliance++
  }
  return counts
}

describe('RACI rules', () => {
  test('the summary counts exactly the problems a direct recount finds (random matrices)', () => {
    fc.assert(
      fc.property(matrix, ([members, activities]) => {
        const { summary, byActivity } = raciProblems(activities, new Map(members.map((m) => [m.id, m])))
        const expected = recount(members, activities)
        expect(summary.byKind).toEqual(expected)
        expect(summary.total).toBe(Object.values(expected).reduce((a, b) => a + b, 0))
        expect(summary.activities).toBe(activities.filter((a) => byActivity[a.id]!.length > 0).length)
        // Every problem is on its row, in words.
        for (const a of activities) for (const p of byActivity[a.id]!) expect(p.message.length).toBeGreaterThan(10)
      }),
      { numRuns: 300 },
    )
  })

  test('a testing activity: two A’s, no clinical member, then fixed by making the clinician C', () => {
    const members = new Map<string, RuleMember>([
      ['pm', { id: 'pm', function: 'it', active: true, name: 'Maria' }],
      ['doc', { id: 'doc', function: 'clinical', active: true, name: 'Grace' }],
      ['gone', { id: 'gone', function: 'it', active: false, name: 'Derek' }],
    ])
    const uat: RuleActivity = { id: 'uat', category: 'testing', cells: [{ membershipId: 'pm', function: null, letter: 'A' }, { membershipId: 'gone', function: null, letter: 'A' }, { membershipId: 'doc', function: null, letter: 'I' }] }
    expect(activityProblems(uat, members).map((p) => p.kind)).toEqual(['many_a', 'no_r', 'no_clinical', 'inactive_a'])
    const fixed: RuleActivity = { ...uat, cells: [{ membershipId: 'pm', function: null, letter: 'A' }, { membershipId: 'gone', function: null, letter: 'R' }, { membershipId: 'doc', function: null, letter: 'C' }] }
    expect(activityProblems(fixed, members)).toEqual([])
    // The function cell counts as consulting; a deactivated clinician does not.
    expect(activityProblems({ ...fixed, cells: [...fixed.cells.slice(0, 2), { membershipId: null, function: 'clinical', letter: 'C' }] }, members)).toEqual([])
    const sec: RuleActivity = { id: 's', category: 'security', cells: [{ membershipId: 'pm', function: null, letter: 'A' }, { membershipId: 'pm', function: null, letter: 'R' }] }
    expect(activityProblems(sec, members).map((p) => p.kind)).toEqual(['no_compliance'])
    expect(RACI_PROBLEM_ORDER).toHaveLength(6)
  })

  test('keys, holders, grid moves and due words', () => {
    expect(letterOfKey('a')).toBe('A')
    expect(letterOfKey('x')).toBeNull()
    expect(parseHolder('m:abc', FUNCTIONS)).toEqual({ membershipId: 'abc' })
    expect(parseHolder('f:clinical', FUNCTIONS)).toEqual({ function: 'clinical' })
    expect(parseHolder('f:nurse', FUNCTIONS)).toBeNull()
    expect(parseHolder('m:a b', FUNCTIONS)).toBeNull()
    expect(moveInGrid('ArrowDown', { row: 2, col: 1 }, { rows: 3, cols: 4 })).toEqual({ row: 2, col: 1 })
    expect(moveInGrid('ArrowRight', { row: 0, col: 1 }, { rows: 3, cols: 4 })).toEqual({ row: 0, col: 2 })
    expect(moveInGrid('End', { row: 0, col: 1 }, { rows: 3, cols: 4 }, true)).toEqual({ row: 2, col: 3 })
    expect(moveInGrid('x', { row: 0, col: 0 }, { rows: 1, cols: 1 })).toBeNull()
    expect(dueWords('2026-12-01', '2026-12-03')).toEqual({ text: 'overdue by 2 days (due 2026-12-01)', overdue: true })
    expect(dueWords('2026-12-04', '2026-12-03').overdue).toBe(false)
    expect(dueWords(null, '2026-12-03').text).toBe('no due date')
  })
})
