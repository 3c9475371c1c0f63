import { afterEach, describe, expect, test, vi } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { PasswordSchema } from '#app/utils/schemas.ts'
import { createSession, getSession } from '#app/utils/session.server.ts'
import {
  LOCKOUT_THRESHOLD,
  RESET_TOKEN_TTL_MS,
  changePassword,
  checkResetToken,
  lockoutDuration,
  logIn,
  requestPasswordReset,
  resetPassword,
  signUp,
} from './user.server.ts'
import { addMember, createTestOrg, createTestUser, uniqueSuffix } from '#tests/factories.ts'
import { expectDomainError, latestOutboxEmailTo, requestWithCookie, tokenFromLink } from '#tests/helpers.ts'

const MINUTE = 60_000

afterEach(() => {
  vi.useRealTimers()
})

function freezeClock(at = new Date()) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(at)
  return at.getTime()
}

async function failLogins(email: string, times: number) {
  const results = []
  for (let i = 0; i < times; i++) results.push(await logIn({ email, password: 'not the password at all' }))
  return results
}

describe('lockout', () => {
  test('five wrong passwords in a row lock the account, and then even the right one is refused', async () => {
    const now = freezeClock()
    const user = await createTestUser()

    const results = await failLogins(user.email, LOCKOUT_THRESHOLD)
    expect(results.slice(0, LOCKOUT_THRESHOLD - 1)).toEqual(Array(LOCKOUT_THRESHOLD - 1).fill({ ok: false, reason: 'invalid' }))
    expect(results[LOCKOUT_THRESHOLD - 1]).toEqual({ ok: false, reason: 'locked', retryAfterMs: MINUTE })

    const right = await logIn({ email: user.email, password: user.password })
    expect(right).toMatchObject({ ok: false, reason: 'locked' })
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)

    // Once the lock runs out, the right password works.
    vi.setSystemTime(now + MINUTE + 1)
    expect(await logIn({ email: user.email, password: user.password })).toMatchObject({ ok: true })
  })

  test('each failure after the lock doubles the wait, up to an hour', async () => {
    expect([4, 5, 6, 7, 8, 20].map(lockoutDuration)).toEqual([0, MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 60 * MINUTE])

    let now = freezeClock()
    const user = await createTestUser()
    await failLogins(user.email, LOCKOUT_THRESHOLD)
    now += MINUTE + 1
    vi.setSystemTime(now)
    expect(await logIn({ email: user.email, password: 'still wrong, sorry' })).toEqual({ ok: false, reason: 'locked', retryAfterMs: 2 * MINUTE })
    // Right password while locked: refused, and it says for how long.
    vi.setSystemTime(now + MINUTE)
    expect(await logIn({ email: user.email, password: user.password })).toEqual({ ok: false, reason: 'locked', retryAfterMs: MINUTE })
  })

  test('a successful login resets the count of failures', async () => {
    const user = await createTestUser()
    await failLogins(user.email, LOCKOUT_THRESHOLD - 1)
    expect(await logIn({ email: user.email, password: user.password })).toMatchObject({ ok: true })
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ failedLoginCount: 0, lockedUntil: null })

    // Four more failures are again below the threshold.
    const again = await failLogins(user.email, LOCKOUT_THRESHOLD - 1)
    expect(again.every((r) => !r.ok && r.reason === 'invalid')).toBe(true)
    expect(await logIn({ email: user.email, password: user.password })).toMatchObject({ ok: true })
  })

  test('guesses fired in parallel are all counted', async () => {
    const user = await createTestUser()
    const results = await Promise.all(Array.from({ length: 8 }, () => logIn({ email: user.email, password: 'parallel guess!' })))
    expect(results.filter((r) => !r.ok && r.reason === 'locked').length).toBeGreaterThan(0)
    // A read-modify-write count would lose most of these and stay below the threshold.
    // (A guess that arrives after the lock is refused without being checked, hence ≥ not =.)
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).failedLoginCount).toBeGreaterThanOrEqual(LOCKOUT_THRESHOLD)
    expect(await logIn({ email: user.email, password: user.password })).toMatchObject({ ok: false, reason: 'locked' })
  })

  test('an unknown email and a wrong password get the same answer', async () => {
    const user = await createTestUser()
    const unknown = await logIn({ email: `nobody-${uniqueSuffix()}@example.test`, password: user.password })
    const wrong = await logIn({ email: user.email, password: 'wrong password here' })
    expect(unknown).toEqual({ ok: false, reason: 'invalid' })
    expect(wrong).toEqual(unknown)
  })

  test('failed logins and the lockout are in the organisation’s audit trail; unknown emails in the platform’s', async () => {
    const org = await createTestOrg()
    const user = await createTestUser()
    await addMember(org, user, 'analyst')
    await failLogins(user.email, LOCKOUT_THRESHOLD)

    const events = await prisma.auditEvent.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' } })
    const failed = events.filter((e) => e.action === 'auth.login_failed')
    expect(failed).toHaveLength(LOCKOUT_THRESHOLD)
    expect(failed.every((e) => e.actorEmail === user.email && e.targetId === user.id)).toBe(true)
    const lockout = events.filter((e) => e.action === 'auth.lockout')
    expect(lockout).toHaveLength(1)
    expect(lockout[0]!.metadata).toMatchObject({ consecutiveFailures: LOCKOUT_THRESHOLD, lockedForSeconds: 60 })
    // Never the password in the trail.
    expect(JSON.stringify(events)).not.toContain('not the password at all')

    const stranger = `stranger-${uniqueSuffix()}@example.test`
    await logIn({ email: stranger, password: 'whatever it is' })
    const platform = await prisma.auditEvent.findMany({ where: { actorEmail: stranger } })
    expect(platform).toHaveLength(1)
    expect(platform[0]).toMatchObject({ chain: 'platform', organizationId: null, action: 'auth.login_failed' })
  })
})

describe('password reset', () => {
  async function resetTokenFor(email: string) {
    await requestPasswordReset(email)
    const mail = await latestOutboxEmailTo(email, 'password-reset')
    expect(mail).not.toBeNull()
    return tokenFromLink(mail!.text, /reset-password\?token=([A-Za-z0-9_-]+)/)
  }

  test('the emailed link sets a new password once, and ends every session', async () => {
    const user = await createTestUser()
    const before = requestWithCookie((await createSession(user.id)).cookie)
    const token = await resetTokenFor(user.email)
    expect(await checkResetToken(token)).toBe(true)

    await resetPassword(token, 'a brand new passphrase')
    expect(await getSession(before)).toBeNull()
    expect(await logIn({ email: user.email, password: user.password })).toEqual({ ok: false, reason: 'invalid' })
    expect(await logIn({ email: user.email, password: 'a brand new passphrase' })).toMatchObject({ ok: true })

    expect(await checkResetToken(token)).toBe(false)
    await expectDomainError(resetPassword(token, 'another passphrase!'), 'RULE_VIOLATION', /expired or was already used/)
    expect(await logIn({ email: user.email, password: 'another passphrase!' })).toEqual({ ok: false, reason: 'invalid' })
  })

  test('the link expires after an hour', async () => {
    const now = freezeClock()
    const user = await createTestUser()
    const token = await resetTokenFor(user.email)
    vi.setSystemTime(now + RESET_TOKEN_TTL_MS + 1)
    expect(await checkResetToken(token)).toBe(false)
    await expectDomainError(resetPassword(token, 'too late for this one'), 'RULE_VIOLATION')
    expect(await logIn({ email: user.email, password: user.password })).toMatchObject({ ok: true })
  })

  test('an unknown email gets no email and no error', async () => {
    const email = `ghost-${uniqueSuffix()}@example.test`
    await expect(requestPasswordReset(email)).resolves.toBeUndefined()
    expect(await latestOutboxEmailTo(email)).toBeNull()
  })

  test('a reset also lifts a lockout', async () => {
    const user = await createTestUser()
    await failLogins(user.email, LOCKOUT_THRESHOLD)
    await resetPassword(await resetTokenFor(user.email), 'fresh start passphrase')
    expect(await logIn({ email: user.email, password: 'fresh start passphrase' })).toMatchObject({ ok: true })
  })
})

describe('changing the password', () => {
  test('ends the user’s other sessions, keeps this one, and tells them by email', async () => {
    const user = await createTestUser()
    const current = await createSession(user.id)
    const other = requestWithCookie((await createSession(user.id)).cookie)

    await changePassword(user, current.sessionId, { currentPassword: user.password, newPassword: 'changed passphrase 2030' })

    expect(await getSession(requestWithCookie(current.cookie))).not.toBeNull()
    expect(await getSession(other)).toBeNull()
    expect(await logIn({ email: user.email, password: 'changed passphrase 2030' })).toMatchObject({ ok: true })
    const mail = await latestOutboxEmailTo(user.email, 'password-changed')
    expect(mail?.subject).toBe('Your Liaison password was changed')
  })

  test('refuses a wrong current password and changes nothing', async () => {
    const user = await createTestUser()
    const current = await createSession(user.id)
    const other = requestWithCookie((await createSession(user.id)).cookie)
    await expectDomainError(
      changePassword(user, current.sessionId, { currentPassword: 'not my password', newPassword: 'changed passphrase 2030' }),
      'RULE_VIOLATION',
    )
    expect(await getSession(other)).not.toBeNull()
    expect(await logIn({ email: user.email, password: user.password })).toMatchObject({ ok: true })
  })
})

describe('password rules', () => {
  test('at least 12 characters, counted as people count them', () => {
    expect(PasswordSchema.safeParse('elevenchars').success).toBe(false)
    expect(PasswordSchema.safeParse('twelve chars').success).toBe(true)
    // 11 emoji are 22 UTF-16 units but 11 characters: too short.
    expect(PasswordSchema.safeParse('🔐'.repeat(11)).success).toBe(false)
    expect(PasswordSchema.safeParse('🔐'.repeat(12)).success).toBe(true)
    expect(PasswordSchema.safeParse('x'.repeat(257)).success).toBe(false)
  })

  test.each([
    ['long (200 characters)', 'long passphrase '.repeat(13).slice(0, 200)],
    ['unicode', 'Grüße aus Zürich — 東京 🔐 ñandú'],
    ['only spaces and symbols', '   !!!   ???   '],
  ])('a %s password can be set and used', async (_label, password) => {
    expect(PasswordSchema.parse(password)).toBe(password)
    const email = `pw-${uniqueSuffix()}@example.test`
    await signUp({ name: 'Pat Doe', email, password, orgName: `Org ${uniqueSuffix()}` })
    expect(await logIn({ email, password })).toMatchObject({ ok: true })
    expect(await logIn({ email, password: password.slice(0, -1) })).toEqual({ ok: false, reason: 'invalid' })
  })

  test('the same accented password typed on another keyboard (other Unicode form) still works', async () => {
    const composed = 'café crème brûlée'.normalize('NFC')
    const decomposed = composed.normalize('NFD')
    expect(decomposed).not.toBe(composed)
    const user = await createTestUser({ password: composed })
    expect(await logIn({ email: user.email, password: decomposed })).toMatchObject({ ok: true })
  })
})
