import { afterEach, describe, expect, test, vi } from 'vitest'
import { logIn } from '#app/models/people/user.server.ts'
import { sha256 } from '#app/utils/crypto.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import {
  ABSOLUTE_TIMEOUT_MS,
  IDLE_TIMEOUT_MS,
  createSession,
  deleteExpiredSessions,
  destroySession,
  destroyUserSessions,
  getSession,
  readSessionToken,
} from '#app/utils/session.server.ts'
import { createTestUser } from '#tests/factories.ts'
import { requestWithCookie } from '#tests/helpers.ts'

const MINUTE = 60_000
const T0 = new Date('2030-03-04T08:00:00.000Z')

function useClock(at: Date | number) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(at)
}
const at = (ms: number) => vi.setSystemTime(T0.getTime() + ms)

afterEach(() => {
  vi.useRealTimers()
})

describe('a session started at login', () => {
  test('the cookie carries a token the database only knows by its hash', async () => {
    const user = await createTestUser()
    const result = await logIn({ email: user.email, password: user.password, ip: '10.0.0.7', userAgent: 'vitest' })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.cookie).toMatch(/^liaison_session=[^;]+;/)
    expect(result.cookie).toMatch(/HttpOnly/i)
    expect(result.cookie).toMatch(/SameSite=Lax/i)

    const request = requestWithCookie(result.cookie)
    const token = readSessionToken(request)!
    const rows = await prisma.session.findMany({ where: { userId: user.id } })
    expect(rows).toHaveLength(1)
    expect(rows[0]!.id).toBe(sha256(token))
    expect(rows[0]!.id).not.toBe(token)
    expect(await prisma.session.findUnique({ where: { id: token } })).toBeNull()
    expect(rows[0]).toMatchObject({ ip: '10.0.0.7', userAgent: 'vitest' })

    const session = await getSession(request)
    expect(session?.user).toMatchObject({ id: user.id, email: user.email })
  })

  test('the cookie lives as long as the browser: no Max-Age, no Expires (the server keeps the expiry)', async () => {
    const user = await createTestUser()
    const result = await logIn({ email: user.email, password: user.password })
    if (!result.ok) throw new Error('login failed')
    // Before: lucia's `expires: false` wrote Max-Age=34560000 (400 days) — a shared ward
    // workstation kept the session after the browser was closed.
    expect(result.cookie).not.toMatch(/Max-Age|Expires/i)
    expect(result.cookie).toMatch(/Path=\//)
    const row = await prisma.session.findFirstOrThrow({ where: { userId: user.id } })
    expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(IDLE_TIMEOUT_MS - MINUTE)
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(IDLE_TIMEOUT_MS)
    // Signing out still deletes it at once.
    expect(await destroySession(requestWithCookie(result.cookie))).toMatch(/Max-Age=0/)
  })

  test('a stolen database row is not a usable cookie', async () => {
    const user = await createTestUser()
    await createSession(user.id)
    const row = await prisma.session.findFirstOrThrow({ where: { userId: user.id } })
    expect(await getSession(requestWithCookie(`liaison_session=${row.id}`))).toBeNull()
  })

  test('logging in again gives a new session, not the old one reused', async () => {
    const user = await createTestUser()
    const first = await logIn({ email: user.email, password: user.password })
    const second = await logIn({ email: user.email, password: user.password })
    if (!first.ok || !second.ok) throw new Error('login failed')
    const t1 = readSessionToken(requestWithCookie(first.cookie))
    const t2 = readSessionToken(requestWithCookie(second.cookie))
    expect(t1).toBeTruthy()
    expect(t2).toBeTruthy()
    expect(t2).not.toBe(t1)
    const ids = (await prisma.session.findMany({ where: { userId: user.id } })).map((s) => s.id).sort()
    expect(ids).toEqual([sha256(t1!), sha256(t2!)].sort())
  })
})

describe('expiry', () => {
  test('30 minutes without activity ends the session', async () => {
    useClock(T0)
    const user = await createTestUser()
    const early = requestWithCookie((await createSession(user.id)).cookie)
    const late = requestWithCookie((await createSession(user.id)).cookie)

    at(IDLE_TIMEOUT_MS - MINUTE)
    expect(await getSession(early)).not.toBeNull()

    // The other session saw no request since login.
    at(IDLE_TIMEOUT_MS + MINUTE)
    expect(await getSession(late)).toBeNull()
    // An expired session cannot come back: its row is gone.
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1)
  })

  test('activity slides the idle timeout', async () => {
    useClock(T0)
    const user = await createTestUser()
    const request = requestWithCookie((await createSession(user.id)).cookie)

    for (const minute of [20, 40, 60, 80]) {
      at(minute * MINUTE)
      expect(await getSession(request), `still signed in at +${minute} min`).not.toBeNull()
    }
    // 29 minutes after the last request: still in.
    at(109 * MINUTE)
    expect(await getSession(request)).not.toBeNull()
    // Then 31 minutes of silence: out.
    at(140 * MINUTE)
    expect(await getSession(request)).toBeNull()
  })

  test('12 hours after login the session ends, however active the user is', async () => {
    useClock(T0)
    const user = await createTestUser()
    const request = requestWithCookie((await createSession(user.id)).cookie)

    for (let t = 20 * MINUTE; t < ABSOLUTE_TIMEOUT_MS; t += 20 * MINUTE) {
      at(t)
      expect(await getSession(request), `signed in at +${t / MINUTE} min`).not.toBeNull()
    }
    at(ABSOLUTE_TIMEOUT_MS - MINUTE)
    expect(await getSession(request)).not.toBeNull()
    at(ABSOLUTE_TIMEOUT_MS)
    expect(await getSession(request)).toBeNull()
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)
  })

  test('purging removes idle- and absolute-expired sessions and keeps live ones', async () => {
    const user = await createTestUser()
    const now = Date.now()
    await prisma.session.createMany({
      data: [
        { id: sha256(`idle-${user.id}`), userId: user.id, expiresAt: new Date(now - MINUTE), absoluteExpiresAt: new Date(now + 60 * MINUTE) },
        { id: sha256(`abs-${user.id}`), userId: user.id, expiresAt: new Date(now + 20 * MINUTE), absoluteExpiresAt: new Date(now - MINUTE) },
      ],
    })
    const live = requestWithCookie((await createSession(user.id)).cookie)
    await deleteExpiredSessions()
    const left = await prisma.session.findMany({ where: { userId: user.id } })
    expect(left.map((s) => s.id)).toEqual([sha256(readSessionToken(live)!)])
    expect(await getSession(live)).not.toBeNull()
  })
})

describe('ending sessions', () => {
  test('logging out ends the session and clears the cookie', async () => {
    const user = await createTestUser()
    const request = requestWithCookie((await createSession(user.id)).cookie)
    expect(await getSession(request)).not.toBeNull()

    const cleared = await destroySession(request)
    expect(cleared).toMatch(/^liaison_session=;/)
    expect(cleared).toMatch(/Max-Age=0/i)
    expect(await getSession(request)).toBeNull()
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)
  })

  test('"sign out everywhere else" keeps only the current session', async () => {
    const user = await createTestUser()
    const bystander = await createTestUser()
    const current = await createSession(user.id)
    const laptop = requestWithCookie((await createSession(user.id)).cookie)
    const phone = requestWithCookie((await createSession(user.id)).cookie)
    const theirs = requestWithCookie((await createSession(bystander.id)).cookie)

    await destroyUserSessions(user.id, { except: current.sessionId })

    expect(await getSession(requestWithCookie(current.cookie))).not.toBeNull()
    expect(await getSession(laptop)).toBeNull()
    expect(await getSession(phone)).toBeNull()
    expect(await getSession(theirs)).not.toBeNull()

    await destroyUserSessions(user.id)
    expect(await getSession(requestWithCookie(current.cookie))).toBeNull()
    expect(await getSession(theirs)).not.toBeNull()
  })
})
