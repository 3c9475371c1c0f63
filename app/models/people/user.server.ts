import { runInBackground } from '#app/utils/background.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { generateToken, sha256 } from '#app/utils/crypto.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { burnPasswordCheck, hashPassword, verifyPassword } from '#app/utils/password.server.ts'
import { createSession, destroyUserSessions } from '#app/utils/session.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope, recordSecurityEvent } from '../audit/audit.server.ts'
import { MAX_THROTTLE_WINDOW_MS, clearThrottle, emailKey, hitThrottle, throttleWait, type ThrottleRule } from './auth-throttle.server.ts'
import { dispatchEmail, queueEmail } from '../messages/email-outbox.server.ts'
import { createOrganization } from './organization.server.ts'

export const LOCKOUT_THRESHOLD = 5
const LOCKOUT_BASE_MS = 60_000
const LOCKOUT_MAX_MS = 60 * 60_000
export const RESET_TOKEN_TTL_MS = 60 * 60_000

/** The back-off after the n-th consecutive failure: 1 min at the 5th, doubling, at most 1 h. */
export function lockoutDuration(failures: number) {
  if (failures < LOCKOUT_THRESHOLD) return 0
  return Math.min(LOCKOUT_BASE_MS * 2 ** (failures - LOCKOUT_THRESHOLD), LOCKOUT_MAX_MS)
}

/** Sign-up: a new user and a new organisation they own, in one transaction. */
export async function signUp(input: { name: string; email: string; password: string; orgName: string; timeZone?: string }) {
  const passwordHash = await hashPassword(input.password)
  const result = await prisma.$transaction(async (tx) => {
    const taken = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })
    if (taken) throw new DomainError('CONFLICT', 'An account with this email already exists. Sign in instead, or reset your password.', 'email')
    const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } })
    const org = await createOrganization(user, { name: input.orgName, timeZone: input.timeZone }, { tx })
    return { user, org }
  })
  return result
}

export type LoginResult =
  | { ok: true; userId: string; cookie: string }
  | { ok: false; reason: 'invalid' }
  /** This email address (known or not) failed too often: paused with a growing back-off. */
  | { ok: false; reason: 'locked'; retryAfterMs: number }
  /** This client address failed too often, whatever the emails: paused for the window's rest. */
  | { ok: false; reason: 'throttled'; retryAfterMs: number }

/** Failed sign-ins per email are forgotten a day after the first of them (and at a success). */
const SIGN_IN_EMAIL_WINDOW_MS = MAX_THROTTLE_WINDOW_MS
export const SIGN_IN_IP_WINDOW_MS = 15 * 60_000

const signInEmailRule: ThrottleRule = {
  kind: 'sign_in_email',
  limit: LOCKOUT_THRESHOLD,
  windowMs: SIGN_IN_EMAIL_WINDOW_MS,
  lockMs: (count) => lockoutDuration(count),
}
const signInIpRule = (): ThrottleRule => ({ kind: 'sign_in_ip', limit: getEnv().SIGN_IN_FAILURES_PER_IP, windowMs: SIGN_IN_IP_WINDOW_MS })

/**
 * Checks a password. An unknown email and a known one get the same answers and take the same
 * time: the unknown one's password is checked against a dummy hash, both are counted per email
 * (so both lock after LOCKOUT_THRESHOLD failures, with a growing back-off; while locked even
 * the right password is refused), and the audit trail — longer for a known user, one row per
 * organisation — is written after the answer. Failures are also counted per client address
 * across emails (SIGN_IN_FAILURES_PER_IP in 15 minutes), against password spraying.
 */
export async function logIn(input: { email: string; password: string; ip?: string | null; userAgent?: string | null }): Promise<LoginResult> {
  const ip = input.ip || null
  // A throttled address learns nothing about any email: refused before any lookup, cheaply.
  const ipWait = ip ? await throttleWait('sign_in_ip', ip) : 0
  if (ipWait) return { ok: false, reason: 'throttled', retryAfterMs: ipWait }

  const key = emailKey(input.email)
  const [user, emailWait] = await Promise.all([
    prisma.user.findUnique({ where: { email: input.email }, select: { id: true, email: true, passwordHash: true } }),
    throttleWait('sign_in_email', key),
  ])
  const audit = (action: string, metadata?: Record<string, unknown>) =>
    runInBackground(action, () => recordSecurityEvent({ action, userId: user?.id, email: user?.email ?? input.email, metadata }))

  if (emailWait) {
    await burnPasswordCheck(input.password)
    audit('auth.login_refused_locked', user ? undefined : { reason: 'unknown_email' })
    return { ok: false, reason: 'locked', retryAfterMs: emailWait }
  }
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : (await burnPasswordCheck(input.password), false)
  if (!user || !valid) {
    const [perEmail, perIp] = await Promise.all([
      hitThrottle(signInEmailRule, key),
      ip ? hitThrottle(signInIpRule(), ip) : Promise.resolve(null),
    ])
    audit('auth.login_failed', { reason: user ? 'wrong_password' : 'unknown_email', consecutiveFailures: perEmail.count })
    if (perIp?.lockedForMs) {
      logger.warn({ ip, failures: perIp.count, pausedForSeconds: Math.round(perIp.lockedForMs / 1000) }, 'sign-in throttled for a client address')
    }
    if (perEmail.lockedForMs) {
      audit('auth.lockout', { consecutiveFailures: perEmail.count, lockedForSeconds: perEmail.lockedForMs / 1000 })
      return { ok: false, reason: 'locked', retryAfterMs: perEmail.lockedForMs }
    }
    if (perIp?.lockedForMs) return { ok: false, reason: 'throttled', retryAfterMs: perIp.lockedForMs }
    return { ok: false, reason: 'invalid' }
  }
  await clearThrottle('sign_in_email', key)
  const { cookie } = await createSession(user.id, { ip, userAgent: input.userAgent })
  await recordSecurityEvent({ action: 'auth.login', userId: user.id, email: user.email })
  return { ok: true, userId: user.id, cookie }
}

/**
 * Step-up: the signed-in member re-enters their password before a sensitive action (a clinical
 * sign-off; later others). Same rules as signing in: a wrong password counts toward the lockout
 * of the account's email and toward the client address's budget (so step-up is no side door for
 * guessing), a locked email or address is refused even with the right password, and a success
 * forgets the failures. Every attempt is a security event in the organisation's trail
 * (`auth.step_up`, `auth.step_up_failed`, `auth.step_up_refused_locked`; a lock also
 * `auth.lockout`). Throws a DomainError on the `password` field; on success the route stamps
 * its session (`recordReauthentication` in session.server.ts).
 */
export async function confirmPassword(scope: TenantScope, input: { password: string; purpose: string; ip?: string | null }) {
  const ip = input.ip || null
  const key = emailKey(scope.userEmail)
  const audit = (action: string, metadata: Record<string, unknown> = {}) =>
    auditInScope(scope, { action, targetType: 'user', targetId: scope.userId, targetLabel: scope.userEmail, metadata: { purpose: input.purpose, ...metadata } })
  const minutes = (ms: number) => `${Math.max(1, Math.ceil(ms / 60_000))} minute${ms > 60_000 ? 's' : ''}`
  const [ipWait, emailWait, user] = await Promise.all([
    ip ? throttleWait('sign_in_ip', ip) : 0,
    throttleWait('sign_in_email', key),
    prisma.user.findUniqueOrThrow({ where: { id: scope.userId }, select: { passwordHash: true } }),
  ])
  const wait = Math.max(ipWait, emailWait)
  if (wait) {
    await burnPasswordCheck(input.password)
    await audit('auth.step_up_refused_locked', { per: emailWait ? 'email' : 'address' })
    throw new DomainError('RATE_LIMITED', `Too many wrong passwords: try again in ${minutes(wait)}.`, 'password')
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    const [perEmail, perIp] = await Promise.all([hitThrottle(signInEmailRule, key), ip ? hitThrottle(signInIpRule(), ip) : Promise.resolve(null)])
    await audit('auth.step_up_failed', { consecutiveFailures: perEmail.count })
    if (perEmail.lockedForMs) {
      await recordSecurityEvent({ action: 'auth.lockout', userId: scope.userId, email: scope.userEmail, metadata: { consecutiveFailures: perEmail.count, lockedForSeconds: perEmail.lockedForMs / 1000, at: 'step_up' } })
    }
    const locked = perEmail.lockedForMs || perIp?.lockedForMs
    if (locked) throw new DomainError('RATE_LIMITED', `Too many wrong passwords: try again in ${minutes(locked)}.`, 'password')
    throw new DomainError('RULE_VIOLATION', 'This is not your password.', 'password')
  }
  await clearThrottle('sign_in_email', key)
  await audit('auth.step_up')
}

export async function logOut(user: { id: string; email: string }) {
  await recordSecurityEvent({ action: 'auth.logout', userId: user.id, email: user.email })
}

/** Changes the password after checking the current one; every other session ends. */
export async function changePassword(
  user: { id: string; email: string },
  currentSessionId: string,
  input: { currentPassword: string; newPassword: string },
) {
  const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } })
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    await recordSecurityEvent({ action: 'auth.password_change_failed', userId: user.id, email: user.email })
    throw new DomainError('RULE_VIOLATION', 'This is not your current password.', 'currentPassword')
  }
  await setPassword(row, input.newPassword, { exceptSessionId: currentSessionId })
}

async function setPassword(user: { id: string; email: string; name: string }, password: string, opts: { exceptSessionId?: string }) {
  const passwordHash = await hashPassword(password)
  const changedAt = new Date()
  await prisma.user.update({
    where: { id: user.id },
    data: { passwordHash, passwordChangedAt: changedAt },
  })
  // A new password lifts a lockout of the address.
  await clearThrottle('sign_in_email', emailKey(user.email))
  await destroyUserSessions(user.id, { except: opts.exceptSessionId })
  await recordSecurityEvent({ action: 'auth.password_changed', userId: user.id, email: user.email })
  const email = await queueEmail(null, {
    dedupeKey: `password-changed:${user.id}:${changedAt.getTime()}`,
    to: user.email,
    template: 'password-changed',
    props: {
      name: user.name,
      when: changedAt.toUTCString(),
      supportHint: 'If this was not you, reset your password now and tell your organisation’s Liaison administrator.',
    },
  })
  await dispatchEmail(null, email.id)
}

export type PasswordResetRequest = { ok: true } | { ok: false; reason: 'throttled'; per: 'email' | 'address'; retryAfterMs: number }

export const RESETS_PER_EMAIL = 3
export const RESET_WINDOW_MS = 60 * 60_000
const resetEmailRule: ThrottleRule = { kind: 'reset_email', limit: RESETS_PER_EMAIL, windowMs: RESET_WINDOW_MS }
const resetIpRule = (): ThrottleRule => ({ kind: 'reset_ip', limit: getEnv().PASSWORD_RESETS_PER_IP, windowMs: RESET_WINDOW_MS })

/**
 * Asks for a password reset. The answer is the same whether or not the email is known, and so
 * is the work before it: the counts per email (RESETS_PER_EMAIL an hour) and per client address
 * (PASSWORD_RESETS_PER_IP an hour). Whether there is an account, the token and the email (through
 * the outbox) happen after the answer, in the background, where timing shows nothing.
 */
export async function requestPasswordReset(emailAddress: string, opts: { ip?: string | null } = {}): Promise<PasswordResetRequest> {
  const ip = opts.ip || null
  const key = emailKey(emailAddress)
  const [ipWait, emailWait] = await Promise.all([ip ? throttleWait('reset_ip', ip) : 0, throttleWait('reset_email', key)])
  if (ipWait) return { ok: false, reason: 'throttled', per: 'address', retryAfterMs: ipWait }
  if (emailWait) return { ok: false, reason: 'throttled', per: 'email', retryAfterMs: emailWait }
  await Promise.all([hitThrottle(resetEmailRule, key), ip ? hitThrottle(resetIpRule(), ip) : null])
  runInBackground('password-reset', () => sendPasswordReset(emailAddress))
  return { ok: true }
}

/** A known user gets a one-time link valid for an hour; an unknown address only an audit row. */
async function sendPasswordReset(emailAddress: string) {
  const user = await prisma.user.findUnique({ where: { email: emailAddress } })
  if (!user) {
    await recordSecurityEvent({ action: 'auth.password_reset_requested', email: emailAddress, metadata: { known: false } })
    return
  }
  const token = generateToken()
  const reset = await prisma.passwordReset.create({
    data: { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_MS) },
  })
  const email = await queueEmail(null, {
    dedupeKey: `password-reset:${reset.id}`,
    to: user.email,
    template: 'password-reset',
    props: {
      name: user.name,
      resetUrl: `${getEnv().APP_URL}/reset-password?token=${token}`,
      expiresInMinutes: RESET_TOKEN_TTL_MS / 60_000,
    },
  })
  await recordSecurityEvent({ action: 'auth.password_reset_requested', userId: user.id, email: user.email })
  await dispatchEmail(null, email.id)
}

/** Whether a reset token can still be used (for the form's first render). */
export async function checkResetToken(token: string) {
  const reset = await prisma.passwordReset.findUnique({ where: { tokenHash: sha256(token) } })
  return Boolean(reset && !reset.usedAt && reset.expiresAt.getTime() > Date.now())
}

/** Uses a reset token once; the new password ends every session of the user. */
export async function resetPassword(token: string, password: string) {
  const tokenHash = sha256(token)
  const used = await prisma.passwordReset.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  })
  if (!used.count) throw new DomainError('RULE_VIOLATION', 'This reset link has expired or was already used. Ask for a new one.')
  const reset = await prisma.passwordReset.findUniqueOrThrow({ where: { tokenHash }, include: { user: true } })
  await setPassword(reset.user, password, {})
  return reset.user
}

export async function getUserById(id: string) {
  return prisma.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, createdAt: true } })
}

export async function updateProfile(userId: string, input: { name: string }) {
  return prisma.user.update({ where: { id: userId }, data: { name: input.name }, select: { id: true, name: true } })
}
