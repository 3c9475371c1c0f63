/**
 * Throttling of sign-in and password-reset attempts, per email address and per client address
 * (docs/decisions/015-sign-in-throttling-and-shutdown.md).
 *
 * The counters live in Postgres (AuthThrottle), not in the process, so every web replica counts
 * the same attempts. An email address is counted whether or not it has an account — the
 * answers must not tell the two apart — and is stored only as its SHA-256. Counting is one
 * atomic upsert: parallel guesses can't share one count.
 */
import type { ThrottleKind } from '#app/generated/prisma/client.ts'
import { sha256 } from '#app/utils/crypto.server.ts'
import { prisma } from '#app/utils/db.server.ts'

/** No rule may count over a longer window: purgeThrottles keeps rows this long. */
export const MAX_THROTTLE_WINDOW_MS = 24 * 60 * 60_000

export type ThrottleRule = {
  kind: ThrottleKind
  /** Attempts per window. What happens at the limit is the rule's `lockMs`. */
  limit: number
  windowMs: number
  /**
   * How long to refuse once `count` attempts reached the limit; default: until the window ends.
   * Sign-in per email grows the back-off with every failure after the limit.
   */
  lockMs?: (count: number, windowEndsInMs: number) => number
}

export type ThrottleHit = {
  /** Attempts in the current window, this one included. */
  count: number
  /** > 0 when this attempt reached the limit and later ones are refused for that long. */
  lockedForMs: number
}

/** Keys: emails as their hash (never the address itself), client addresses as they are. */
export function emailKey(email: string) {
  return sha256(email.trim().toLowerCase())
}

/** How long `key` is still refused (0 when it isn't). Reads only: a refused attempt is not counted. */
export async function throttleWait(kind: ThrottleKind, key: string): Promise<number> {
  const row = await prisma.authThrottle.findUnique({ where: { kind_key: { kind, key } }, select: { lockedUntil: true } })
  return Math.max(0, (row?.lockedUntil?.getTime() ?? 0) - Date.now())
}

/**
 * Counts one attempt. A window older than `rule.windowMs` starts again at 1. When the count
 * reaches the limit, the key is locked for `rule.lockMs` (a lock is never shortened).
 */
export async function hitThrottle(rule: ThrottleRule, key: string): Promise<ThrottleHit> {
  // JS time, not the database's: the same clock as the rest of the app (and tests' fake time).
  const now = new Date()
  const windowFloor = new Date(now.getTime() - rule.windowMs)
  const [row] = await prisma.$queryRaw<Array<{ count: number; windowStart: Date }>>`
    INSERT INTO "AuthThrottle" ("kind", "key", "count", "windowStart")
    VALUES (${rule.kind}::"ThrottleKind", ${key}, 1, ${now})
    ON CONFLICT ("kind", "key") DO UPDATE SET
      "count" = CASE WHEN "AuthThrottle"."windowStart" <= ${windowFloor} THEN 1 ELSE "AuthThrottle"."count" + 1 END,
      "windowStart" = CASE WHEN "AuthThrottle"."windowStart" <= ${windowFloor} THEN ${now} ELSE "AuthThrottle"."windowStart" END
    RETURNING "count", "windowStart"`
  if (!row || row.count < rule.limit) return { count: row?.count ?? 1, lockedForMs: 0 }
  const windowEndsInMs = row.windowStart.getTime() + rule.windowMs - now.getTime()
  const lockedForMs = rule.lockMs ? rule.lockMs(row.count, windowEndsInMs) : windowEndsInMs
  const until = new Date(now.getTime() + lockedForMs)
  // Conditional in the database: of parallel attempts, the longest lock wins.
  await prisma.authThrottle.updateMany({
    where: { kind: rule.kind, key, OR: [{ lockedUntil: null }, { lockedUntil: { lt: until } }] },
    data: { lockedUntil: until },
  })
  return { count: row.count, lockedForMs }
}

/** Forgets the attempts of `key` (a successful sign-in, a new password). */
export async function clearThrottle(kind: ThrottleKind, key: string) {
  await prisma.authThrottle.deleteMany({ where: { kind, key } })
}

/**
 * Deletes rows that no longer count (window and lock both over), so guessed emails don't pile
 * up. Called with the session purge (jobs/maintenance/purge-sessions.processor.ts).
 */
export async function purgeThrottles() {
  const floor = new Date(Date.now() - MAX_THROTTLE_WINDOW_MS)
  const now = new Date()
  const { count } = await prisma.authThrottle.deleteMany({
    where: { windowStart: { lt: floor }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
  })
  return count
}
