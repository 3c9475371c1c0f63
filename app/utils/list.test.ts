import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { AUDIT_FILTER, toAuditFilter } from '#app/models/audit/audit-filter.ts'
import { isRealDay, MAX_PAGE, MAX_SEARCH_LENGTH, oneOf, pageWindow, parseListQuery, parsePage, SearchParam } from './list.ts'

describe('the one list helper', () => {
  test.each([
    ['1e20', 1],
    ['-1', 1],
    ['abc', 1],
    ['', 1],
    ['0', 1],
    ['2.5', 1],
    ['7', 7],
    [' 3 ', 3],
    ['999999999999', MAX_PAGE],
  ])('?page=%s is page %i', (raw, page) => {
    expect(parseListQuery(new URL(`http://x/?page=${encodeURIComponent(raw)}`), {}).page).toBe(page)
  })

  test('any string or number gives a whole page in range, and a skip Prisma accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.integer(), fc.constant(undefined), fc.constant(null)), (raw) => {
        const page = parsePage(raw)
        expect(Number.isInteger(page)).toBe(true)
        expect(page).toBeGreaterThanOrEqual(1)
        expect(page).toBeLessThanOrEqual(MAX_PAGE)
        const { skip } = pageWindow(page, 50)
        expect(Number.isSafeInteger(skip)).toBe(true)
      }),
    )
  })

  test('a repeated key takes its last value; unknown values of a fixed set are dropped', () => {
    const q = parseListQuery(new URL('http://x/?sort=name&sort=evil&dir=up&page=2&page=3'), { sort: oneOf(['name', 'updatedAt']) })
    expect(q).toEqual({ sort: undefined, page: 3 })
  })

  test('search text is trimmed, bounded and loses control characters; empty is no search', () => {
    expect(SearchParam.parse(`  ${'x'.repeat(10_000)}  `)).toHaveLength(MAX_SEARCH_LENGTH)
    expect(SearchParam.parse('ab\u0000c\u0007')).toBe('abc')
    expect(SearchParam.parse('   ')).toBeUndefined()
    expect(SearchParam.parse(['a', 'b'])).toBeUndefined()
  })

  test('calendar days must exist', () => {
    expect(isRealDay('2026-02-28')).toBe(true)
    expect(isRealDay('2028-02-29')).toBe(true)
    expect(isRealDay('2026-02-29')).toBe(false)
    expect(isRealDay('2026-13-45')).toBe(false)
    expect(isRealDay('2026-1-5')).toBe(false)
    expect(isRealDay('0000-01-01')).toBe(false)
  })

  test('the audit filter drops an impossible date instead of handing Prisma an Invalid Date', () => {
    const raw = parseListQuery(new URL('http://x/?from=2026-13-45&to=2026-02-30&actor=a@b'), AUDIT_FILTER)
    const filter = toAuditFilter(raw)
    expect(filter.from).toBeUndefined()
    expect(filter.to).toBeUndefined()
    expect(filter.actor).toBe('a@b')
    const ok = toAuditFilter(parseListQuery(new URL('http://x/?from=2026-12-01&to=2026-12-01'), AUDIT_FILTER))
    expect(ok.from?.toISOString()).toBe('2026-12-01T00:00:00.000Z')
    expect(ok.to?.toISOString()).toBe('2026-12-02T00:00:00.000Z')
  })
})
