/**
 * ██  THE ONE LIST HELPER  ██
 * Every list page reads its paging, sorting and filtering from the query string through
 * `parseListQuery`, and every list model turns the page into `skip`/`take` through `pageWindow`.
 * Whatever a hand-edited address says (`?page=1e20`, `-1`, `abc`, ``, `?page=1&page=2`, a
 * 10 MB search), the result is a valid, bounded query: never a 500.
 */
import { z } from 'zod'

/** No list has more pages than this; a larger ?page= shows the (empty) page past the end. */
export const MAX_PAGE = 100_000
export const MAX_SEARCH_LENGTH = 100

/** Any input → a whole page number in [1, MAX_PAGE]. */
export function parsePage(raw: unknown): number {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN
  if (!Number.isFinite(value) || value < 1) return 1
  return Math.min(Math.floor(value), MAX_PAGE)
}

export const PageParam = z.unknown().transform(parsePage)

/** Free-text search: trimmed, bounded, control characters dropped; empty → undefined. */
export const SearchParam = z
  .unknown()
  // eslint-disable-next-line no-control-regex -- control characters (a NUL byte first) are what it strips
  .transform((v) => (typeof v === 'string' ? v.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_SEARCH_LENGTH) : ''))
  .transform((v) => v || undefined)

/** One of a fixed set of values, or undefined for anything else (a filter chip, a sort key). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.unknown().transform((v): T[number] | undefined => (typeof v === 'string' && (values as readonly string[]).includes(v) ? v : undefined))
}

/** An id from the query string (cuid-like), or undefined. */
export const IdParam = z.unknown().transform((v) => (typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : undefined))

export const DirParam = oneOf(['asc', 'desc'] as const)

/** A calendar day `YYYY-MM-DD` that exists (not 2026-13-45), or undefined. */
export const DayParam = z.unknown().transform((v) => (typeof v === 'string' && isRealDay(v) ? v : undefined))

export function isRealDay(s: string) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return y >= 1900 && y <= 9999 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

type Shape = Record<string, z.ZodTypeAny>

/**
 * The query string through `shape` (every field must tolerate any input: use the params
 * above, or `.optional().catch(undefined)`), plus `page`. A repeated key takes its last value.
 */
export function parseListQuery<S extends Shape>(
  from: Request | URL | URLSearchParams,
  shape: S,
): { [K in keyof S]: z.output<S[K]> } & { page: number } {
  const sp = from instanceof URLSearchParams ? from : new URL(from instanceof Request ? from.url : from).searchParams
  const raw: Record<string, string> = {}
  for (const [k, v] of sp) raw[k] = v
  const schema = z.object({ ...shape, page: PageParam })
  return schema.parse(raw) as { [K in keyof S]: z.output<S[K]> } & { page: number }
}

/** `skip`/`take` for a page (already bounded by parsePage, bounded again for direct callers). */
export function pageWindow(page: number, pageSize: number) {
  return { skip: (parsePage(page) - 1) * pageSize, take: pageSize }
}

export function pageCountOf(total: number, pageSize: number) {
  return Math.max(1, Math.ceil(total / pageSize))
}
