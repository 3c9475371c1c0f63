import { randomBytes } from 'node:crypto'
import { describe, expect, test, vi } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { MAX_THROTTLE_WINDOW_MS, clearThrottle, emailKey, hitThrottle, purgeThrottles, throttleWait, type ThrottleRule } from './auth-throttle.server.ts'

const MINUTE = 60_000
const rule: ThrottleRule = { kind: 'reset_ip', limit: 3, windowMs: 10 * MINUTE }
const key = () => `test-${randomBytes(6).toString('hex')}`

function freeze(at = Date.now()) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(at)
  return at
}

describe('auth throttle', () => {
  test('counts per key in a window, locks at the limit until the window ends, then starts again', async () => {
    const t0 = freeze()
    const k = key()
    expect(await hitThrottle(rule, k)).toEqual({ count: 1, lockedForMs: 0 })
    vi.setSystemTime(t0 + 4 * MINUTE)
    expect(await hitThrottle(rule, k)).toEqual({ count: 2, lockedForMs: 0 })
    expect(await throttleWait('reset_ip', k)).toBe(0)
    expect(await hitThrottle(rule, k)).toEqual({ count: 3, lockedForMs: 6 * MINUTE })
    expect(await throttleWait('reset_ip', k)).toBe(6 * MINUTE)
    // Another kind with the same key is another count.
    expect(await throttleWait('sign_in_ip', k)).toBe(0)
    vi.setSystemTime(t0 + 10 * MINUTE)
    expect(await throttleWait('reset_ip', k)).toBe(0)
    expect(await hitThrottle(rule, k)).toEqual({ count: 1, lockedForMs: 0 })
  })

  test('parallel attempts are all counted (one atomic upsert each)', async () => {
    const k = key()
    const hits = await Promise.all(Array.from({ length: 12 }, () => hitThrottle({ ...rule, limit: 100 }, k)))
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
  })

  test('emails are kept only as a hash, whatever their case', async () => {
    const k = emailKey(' Someone@Example.TEST ')
    expect(k).toBe(emailKey('someone@example.test'))
    expect(k).toMatch(/^[0-9a-f]{64}$/)
  })

  test('clearing forgets a key; the purge removes only rows that no longer count', async () => {
    const t0 = freeze()
    const [old, locked, fresh] = [key(), key(), key()]
    await hitThrottle(rule, old)
    await hitThrottle({ ...rule, limit: 1, lockMs: () => 2 * MAX_THROTTLE_WINDOW_MS }, locked)
    vi.setSystemTime(t0 + MAX_THROTTLE_WINDOW_MS + MINUTE)
    await hitThrottle(rule, fresh)
    await purgeThrottles()
    const left = await prisma.authThrottle.findMany({ where: { key: { in: [old, locked, fresh] } }, select: { key: true } })
    expect(left.map((r) => r.key).sort()).toEqual([locked, fresh].sort())
    await clearThrottle('reset_ip', fresh)
    expect(await prisma.authThrottle.count({ where: { key: fresh } })).toBe(0)
  })
})
