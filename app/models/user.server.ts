import { prisma } from '#app/utils/db.server.ts'
import { generateToken, sha256 } from '#app/utils/crypto.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { burnPasswordCheck, hashPassword, verifyPassword } from '#app/utils/password.server.ts'
import { createSession, destroyUserSessions } from '#app/utils/session.server.ts'
import { recordSecurityEvent } from './audit.server.ts'
import { dispatchEmail, queueEmail } from './email-outbox.server.ts'
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
  | { ok: false; reason: 'locked'; retryAfterMs: number }

/**
 * Checks a password. An unknown email and a wrong password give the same answer and take the
 * same time. After LOCKOUT_THRESHOLD consecutive failures the account locks with a growing
 * back-off; while locked even the right password is refused.
 */
export async function logIn(input: { email: string; password: string; ip?: string | null; userAgent?: string | null }): Promise<LoginResult> {
  const user = await prisma.user.findUnique({ where: { email: input.email } })
  if (!user) {
    await burnPasswordCheck(input.password)
    await recordSecurityEvent({ action: 'auth.login_failed', email: input.email, metadata: { reason: 'unknown_email' } })
    return { ok: false, reason: 'invalid' }
  }
  const now = Date.now()
  if (user.lockedUntil && user.lockedUntil.getTime() > now) {
    await burnPasswordCheck(input.password)
    await recordSecurityEvent({ action: 'auth.login_refused_locked', userId: user.id, email: user.email })
    return { ok: false, reason: 'locked', retryAfterMs: user.lockedUntil.getTime() - now }
  }
  const valid = await verifyPassword(user.passwordHash, input.password)
  if (!valid) {
    // Increment atomically: concurrent guesses must not share one count.
    const updated = await prisma.user.update({
      where: { id: user.id },
      data: { failedLoginCount: { increment: 1 } },
      select: { failedLoginCount: true },
    })
    const lockMs = lockoutDuration(updated.failedLoginCount)
    await recordSecurityEvent({
      action: 'auth.login_failed',
      userId: user.id,
      email: user.email,
      metadata: { reason: 'wrong_password', consecutiveFailures: updated.failedLoginCount },
    })
    if (lockMs) {
      await prisma.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(now + lockMs) } })
      await recordSecurityEvent({
        action: 'auth.lockout',
        userId: user.id,
        email: user.email,
        metadata: { consecutiveFailures: updated.failedLoginCount, lockedForSeconds: lockMs / 1000 },
      })
      return { ok: false, reason: 'locked', retryAfterMs: lockMs }
    }
    return { ok: false, reason: 'invalid' }
  }
  await prisma.user.update({ where: { id: user.id }, data: { failedLoginCount: 0, lockedUntil: null } })
  const { cookie } = await createSession(user.id, { ip: input.ip, userAgent: input.userAgent })
  await recordSecurityEvent({ action: 'auth.login', userId: user.id, email: user.email })
  return { ok: true, userId: user.id, cookie }
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
    data: { passwordHash, passwordChangedAt: changedAt, failedLoginCount: 0, lockedUntil: null },
  })
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

/**
 * Starts a password reset. Answers the same whether or not the email is known (the caller
 * shows one message); a known user gets a one-time link valid for an hour.
 */
export async function requestPasswordReset(emailAddress: string) {
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
