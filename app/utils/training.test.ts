import { describe, expect, test } from 'vitest'
import { addMonths, describeAudience, dueLabel, ModuleSchema, RuleSchema } from './training.ts'

describe('training helpers', () => {
  test('a completion expires the same day months later, clamped to the end of a shorter month', () => {
    expect(addMonths(new Date('2026-03-31T12:00:00Z'), 6)).toEqual(new Date('2026-09-30T12:00:00Z'))
    expect(addMonths(new Date('2024-02-29T08:00:00Z'), 12)).toEqual(new Date('2025-02-28T08:00:00Z'))
    expect(addMonths(new Date('2026-11-15T00:00:00Z'), 24)).toEqual(new Date('2028-11-15T00:00:00Z'))
  })

  test('due dates read as a person says them', () => {
    const now = new Date('2026-11-22T09:00:00Z')
    expect(dueLabel('2026-11-22T23:00:00Z', now)).toBe('Due today')
    expect(dueLabel('2026-11-23T01:00:00Z', now)).toBe('Due tomorrow')
    expect(dueLabel('2026-11-29T09:00:00Z', now)).toBe('Due in 7 days')
    expect(dueLabel('2026-11-21T09:00:00Z', now)).toBe('1 day overdue')
    expect(dueLabel('2026-11-12T09:00:00Z', now)).toBe('10 days overdue')
  })

  test('rules: lists from checkboxes and units from text, de-duplicated; an empty rule is everyone', () => {
    const rule = RuleSchema.parse({ roles: 'staff', functions: ['clinical', 'operations'], units: ' ICU; icu ;Ward 7;', dueInDays: '10' })
    expect(rule).toEqual({ roles: ['staff'], functions: ['clinical', 'operations'], units: ['ICU', 'Ward 7'], dueInDays: 10 })
    expect(RuleSchema.safeParse({ roles: 'wizard' }).success).toBe(false)
    expect(describeAudience({ roles: [], functions: [], units: [] }, { role: {}, fn: {} })).toBe('Everyone in the organisation')
    expect(describeAudience(rule, { role: { staff: 'Staff' }, fn: { clinical: 'Clinical', operations: 'Operations' } })).toBe('Staff · Clinical or Operations · ICU or Ward 7')
  })

  test('modules: links must be web addresses; empty optional fields are absent', () => {
    expect(ModuleSchema.safeParse({ title: 'Downtime', contentUrl: 'javascript:alert(1)' }).success).toBe(false)
    expect(ModuleSchema.parse({ title: 'Downtime', contentUrl: '', refresherMonths: '', estimatedMinutes: '15' })).toEqual({
      title: 'Downtime',
      estimatedMinutes: 15,
      requiredForGoLive: false,
      systemIds: [],
    })
  })
})
