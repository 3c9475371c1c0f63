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
    expect(dueLabel('2026-11-22T23:00:00Z', now, 'UTC')).toBe('Due today')
    expect(dueLabel('2026-11-23T01:00:00Z', now, 'UTC')).toBe('Due tomorrow')
    expect(dueLabel('2026-11-29T09:00:00Z', now, 'UTC')).toBe('Due in 7 days')
    expect(dueLabel('2026-11-21T09:00:00Z', now, 'UTC')).toBe('1 day overdue')
    expect(dueLabel('2026-11-12T09:00:00Z', now, 'UTC')).toBe('10 days overdue')
  })

  test('due dates count the calendar days of the organisation, not of UTC', () => {
    // Sydney (UTC+11): 09:00 on 30 November locally; due 14:00 the same local day.
    expect(dueLabel('2026-11-30T03:00:00Z', new Date('2026-11-29T22:00:00Z'), 'Australia/Sydney')).toBe('Due today')
    // New York (UTC−5): 18:00 on 29 November locally; due 22:00 the same local day.
    expect(dueLabel('2026-11-30T03:00:00Z', new Date('2026-11-29T23:00:00Z'), 'America/New_York')).toBe('Due today')
    // New York: due 23:30 on 28 November locally, now 01:00 on 30 November locally → 2 days overdue.
    expect(dueLabel('2026-11-29T04:30:00Z', new Date('2026-11-30T06:00:00Z'), 'America/New_York')).toBe('2 days overdue')
    // Across the change to summer time (London, 29 March 2026) a day is still one day.
    expect(dueLabel('2026-03-30T08:00:00Z', new Date('2026-03-28T12:00:00Z'), 'Europe/London')).toBe('Due in 2 days')
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
