import { describe, expect, test } from 'vitest'
import { SystemSchema } from './inventory.ts'

describe('list fields', () => {
  test('a semicolon-separated text splits into items, whether the form sends it as text or as a one-element array', () => {
    const base = { name: 'LabTrack LIS', kind: 'lis' }
    expect(SystemSchema.parse({ ...base, unitsServed: 'Laboratory; Emergency Department' }).unitsServed).toEqual(['Laboratory', 'Emergency Department'])
    expect(SystemSchema.parse({ ...base, unitsServed: ['Laboratory; Emergency Department'] }).unitsServed).toEqual(['Laboratory', 'Emergency Department'])
    expect(SystemSchema.parse({ ...base, unitsServed: ['ICU', 'ICU', ' '] }).unitsServed).toEqual(['ICU'])
  })
})
