/**
 * Sessions. lucia 3 is deprecated upstream, so nothing outside this file imports it: a later
 * swap (to the "Lucia" copy-paste implementation or another library) stays local.
 *
 * - The cookie holds a random token; the database keeps only its SHA-256 (a leaked table
 *   does not yield usable sessions).
 * - Idle timeout 30 minutes (sliding, refreshed at most once a minute) and an absolute
 *   lifetime of 12 hours fixed at login (HIPAA §164.312(a)(2)(iii), ASVS 3.3).
 * - A new session at every login (no fixation); password change or deactivation ends the
 *   user's other sessions.
 * - Cookie: HttpOnly, SameSite=Lax, and Secure with the `__Host-` prefix when the app is
 *   served over https (APP_URL); a browser-session cookie (no Max-Age, no Expires), so closing
 *   the browser of a shared ward workstation ends it. The server's idle and absolute expiry
 *   still decide how long the session lives.
 * - Step-up: a sensitive action (a clinical sign-off; later others) asks for the password again.
 *   A successful re-entry is stamped on this session (`Session.reauthenticatedAt`,
 *   `recordReauthentication`); the action asks `reauthenticatedAt(request)` and decides with
 *   `reauthenticatedWithin`. The stamp dies with the session (sign-out, expiry, a new password).
 *   Checking the password itself (throttled, audited) is people/step-up.server.ts.
 */
import { Cookie, Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from 'lucia'
import { prisma } from './db.server.ts'
import { sha256 } from './crypto.server.ts'
import { isSecureOrigin } from './env.server.ts'
import { memoPerRequest } from './request-context.server.ts'

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000
const TOUCH_AFTER_MS = 60 * 1000

type SessionAttributes = { absoluteExpiresAt: Date; ip: string | null; userAgent: string | null }
type UserAttributes = { email: string; name: string; isOperator: boolean }

/** lucia adapter over our Prisma models; session ids are hashed before they touch the table. */
const adapter: Adapter = {
  async getSessionAndUser(sessionId) {
    const row = await prisma.session.findUnique({
      where: { id: sha256(sessionId) },
      include: { user: { select: { id: true, email: true, name: true, isOperator: true } } },
    })
    if (!row) return [null, null]
    const session: DatabaseSession = {
      id: sessionId,
      userId: row.userId,
      expiresAt: row.expiresAt,
      attributes: { absoluteExpiresAt: row.absoluteExpiresAt, ip: row.ip, userAgent: row.userAgent },
    }
    const user: DatabaseUser = {
      id: row.user.id,
      attributes: { email: row.user.email, name: row.user.name, isOperator: row.user.isOperator },
    }
    return [session, user]
  },
  async getUserSessions(userId) {
    const rows = await prisma.session.findMany({ where: { userId } })
    return rows.map((r) => ({
      id: r.id, // hashed: only good for listing
      userId: r.userId,
      expiresAt: r.expiresAt,
      attributes: { absoluteExpiresAt: r.absoluteExpiresAt, ip: r.ip, userAgent: r.userAgent },
    }))
  },
  async setSession(session) {
    const a = session.attributes as SessionAttributes
    await prisma.session.create({
      data: {
        id: sha256(session.id),
        userId: session.userId,
        expiresAt: session.expiresAt,
        absoluteExpiresAt: a.absoluteExpiresAt,
        ip: a.ip,
        userAgent: a.userAgent,
      },
    })
  },
  async updateSessionExpiration(sessionId, expiresAt) {
    await prisma.session.updateMany({ where: { id: sha256(sessionId) }, data: { expiresAt } })
  },
  async deleteSession(sessionId) {
    await prisma.session.deleteMany({ where: { id: sha256(sessionId) } })
  },
  async deleteUserSessions(userId) {
    await prisma.session.deleteMany({ where: { userId } })
  },
  async deleteExpiredSessions() {
    const now = new Date()
    await prisma.session.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { absoluteExpiresAt: { lte: now } }] } })
  },
}

function makeLucia() {
  const secure = isSecureOrigin()
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(IDLE_TIMEOUT_MS / 60000, 'm'),
    sessionCookie: {
      name: secure ? '__Host-liaison_session' : 'liaison_session',
      // NOTE: lucia has no browser-session cookie: `expires: false` means Max-Age of 400 days,
      // `true` the idle timeout (it would outlive the browser too). sessionCookie() below
      // writes ours without either; lucia only reads the cookie and writes the blank one.
      attributes: { secure, sameSite: 'lax' },
    },
    getSessionAttributes: (a) => a,
    getUserAttributes: (a) => ({ email: a.email, name: a.name, isOperator: a.isOperator }),
  })
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof makeLucia>
    DatabaseSessionAttributes: SessionAttributes
    DatabaseUserAttributes: UserAttributes
  }
}

let lucia: ReturnType<typeof makeLucia> | undefined
function getLucia() {
  return (lucia ??= makeLucia())
}

export type SessionUser = { id: string; email: string; name: string; isOperator: boolean }
export type CurrentSession = { sessionId: string; user: SessionUser }

/** The Set-Cookie value carrying a session token: lucia's attributes, minus any lifetime. */
function sessionCookie(token: string) {
  const secure = isSecureOrigin()
  return new Cookie(getLucia().sessionCookieName, token, { httpOnly: true, secure, sameSite: 'lax', path: '/' }).serialize()
}

/** Starts a new session for `userId`; returns the Set-Cookie header value. */
export async function createSession(userId: string, meta: { ip?: string | null; userAgent?: string | null } = {}) {
  const l = getLucia()
  const session = await l.createSession(userId, {
    absoluteExpiresAt: new Date(Date.now() + ABSOLUTE_TIMEOUT_MS),
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  })
  return { sessionId: session.id, cookie: sessionCookie(session.id) }
}

export function readSessionToken(request: Request) {
  return getLucia().readSessionCookie(request.headers.get('cookie') ?? '')
}

async function validate(token: string): Promise<CurrentSession | null> {
  const l = getLucia()
  const { session, user } = await l.validateSession(token)
  if (!session || !user) return null
  const now = Date.now()
  if (session.absoluteExpiresAt.getTime() <= now) {
    await l.invalidateSession(session.id)
    return null
  }
  // lucia only extends a session after half its lifetime; we slide it precisely (to the minute),
  // so the idle timeout is 30 minutes of inactivity, not somewhere between 15 and 30.
  if (!session.fresh && session.expiresAt.getTime() - now < IDLE_TIMEOUT_MS - TOUCH_AFTER_MS) {
    await adapter.updateSessionExpiration(session.id, new Date(now + IDLE_TIMEOUT_MS))
  }
  return { sessionId: session.id, user: { id: user.id, email: user.email, name: user.name, isOperator: user.isOperator } }
}

/** The signed-in session of this request, or null. Validated once per request. */
export function getSession(request: Request): Promise<CurrentSession | null> {
  const token = readSessionToken(request)
  if (!token) return Promise.resolve(null)
  return memoPerRequest(`session:${sha256(token)}`, () => validate(token))
}

/** Ends this request's session; returns the Set-Cookie header that clears the cookie. */
export async function destroySession(request: Request) {
  const token = readSessionToken(request)
  if (token) await getLucia().invalidateSession(token)
  return getLucia().createBlankSessionCookie().serialize()
}

export async function destroyUserSessions(userId: string, options: { except?: string } = {}) {
  if (!options.except) return getLucia().invalidateUserSessions(userId)
  await prisma.session.deleteMany({ where: { userId, id: { not: sha256(options.except) } } })
}

export function blankSessionCookie() {
  return getLucia().createBlankSessionCookie().serialize()
}

export function deleteExpiredSessions() {
  return getLucia().deleteExpiredSessions()
}

// ───────────────────────────── step-up (password re-entered) ─────────────────────────────

/**
 * Stamps this request's session as re-authenticated at `at` (after the password was checked:
 * people/step-up.server.ts). Returns false when the request carries no session.
 */
export async function recordReauthentication(request: Request, at: Date = new Date()) {
  const token = readSessionToken(request)
  if (!token) return false
  const { count } = await prisma.session.updateMany({ where: { id: sha256(token) }, data: { reauthenticatedAt: at } })
  return count === 1
}

/** When the password was last re-entered in this request's session (null: never, or no session). */
export async function reauthenticatedAt(request: Request): Promise<Date | null> {
  const token = readSessionToken(request)
  if (!token) return null
  const row = await prisma.session.findUnique({ where: { id: sha256(token) }, select: { reauthenticatedAt: true } })
  return row?.reauthenticatedAt ?? null
}

/** Was the password re-entered within the last `minutes` before `now`? (A stamp in the future does not count.) */
export function reauthenticatedWithin(at: Date | null | undefined, minutes: number, now: Date = new Date()) {
  if (!at) return false
  const age = now.getTime() - at.getTime()
  return age >= -60_000 && age <= minutes * 60_000
}
