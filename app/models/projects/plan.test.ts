import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { addDays, daysBetween, initialPlan, planProblems, testingShare, type CheckedPlan } from './plan.ts'
import { MIN_TESTING_SHARE, PHASE_ORDER, STANDARD_STEPS } from './vocabulary.ts'

const day = fc.date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))

describe('the first plan of a project', () => {
  test('five phases in order holding the fourteen standard steps, contiguous from start to go-live, testing ≥ 30 %', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 14, max: 1500 }), (start, length) => {
        const goLive = addDays(start, length)
        const plan = initialPlan(start, goLive)
        expect(plan.map((p) => p.kind)).toEqual(PHASE_ORDER)
        expect(plan.flatMap((p) => p.steps.map((s) => s.key))).toEqual(STANDARD_STEPS.map((s) => s.key))
        expect(plan[0]!.planned.start).toBe(start)
        expect(plan[3]!.planned.end).toBe(goLive)
        for (let i = 1; i < 4; i++) expect(plan[i]!.planned.start).toBe(addDays(plan[i - 1]!.planned.end!, 1))
        expect(plan[4]!.planned.start).toBe(addDays(goLive, 1))
        expect(testingShare(plan)).toBeGreaterThanOrEqual(MIN_TESTING_SHARE)
        // And the checks the server runs before saving find nothing wrong in it.
        expect(planProblems(plan)).toEqual([])
      }),
    )
  })

  test('a short project still gives every phase and step at least a day', () => {
    const plan = initialPlan('2027-01-04', '2027-01-08')
    for (const p of plan) {
      expect(daysBetween(p.planned.start!, p.planned.end!)).toBeGreaterThanOrEqual(0)
      for (const s of p.steps) expect(s.planned.end! >= s.planned.start!).toBe(true)
    }
  })
})

describe('plan problems', () => {
  const base = (): CheckedPlan =>
    initialPlan('2027-01-04', '2027-06-30').map((p) => ({ kind: p.kind, planned: { ...p.planned }, steps: p.steps.map((s) => ({ title: s.title, planned: { ...s.planned } })) }))

  test('a step ending after its phase is named, with the field at fault', () => {
    const plan = base()
    plan[1]!.steps[2]!.planned.end = addDays(plan[1]!.planned.end!, 3)
    expect(planProblems(plan)).toEqual([
      { phase: 'design', step: 2, field: 'plannedEnd', message: expect.stringMatching(/“Implement error handling” ends .* after its phase, Design & development/) },
    ])
  })

  test('dates out of order and a phase before the one before it', () => {
    const plan = base()
    plan[0]!.steps[0]!.planned = { start: '2027-02-01', end: '2027-01-10' }
    plan[2]!.planned.start = '2027-01-01'
    const problems = planProblems(plan)
    expect(problems.map((p) => [p.phase, p.step ?? null, p.field])).toEqual(
      expect.arrayContaining([
        ['discovery', 0, 'plannedEnd'],
        ['testing', null, 'plannedStart'],
      ]),
    )
  })

  test('a skipped step is not held to its phase', () => {
    const plan = base()
    plan[2]!.steps[0]!.planned.end = addDays(plan[2]!.planned.end!, 20)
    plan[2]!.steps[0]!.skipped = true
    expect(planProblems(plan)).toEqual([])
  })

  test('testing share: the testing phase over the delivery span, null when a date is missing', () => {
    const plan = base()
    plan[2]!.planned = { start: '2027-04-01', end: '2027-04-10' }
    const share = testingShare(plan)!
    expect(share).toBeCloseTo(10 / (daysBetween('2027-01-04', '2027-06-30') + 1), 5)
    plan[1]!.planned.end = null
    expect(testingShare(plan)).toBeNull()
  })
})
