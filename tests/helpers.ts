/** Small assertions and waits shared by the integration tests. */
import { expect } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { DomainError, type ErrorCode } from '#app/utils/errors.server.ts'
import { getQueue } from '#app/utils/queue.server.ts'
import type { QueueName } from '#jobs/definitions.ts'

/** Awaits a rejection and checks it is the DomainError a route would turn into that status. */
export async function expectDomainError(promise: Promise<unknown>, code: ErrorCode, message?: RegExp) {
  const error = await promise.then(
    () => {
      throw new Error(`expected a DomainError ${code}, but it succeeded`)
    },
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DomainError)
  expect((error as DomainError).code).toBe(code)
  if (message) expect((error as DomainError).message).toMatch(message)
  return error as DomainError
}

/** A Request as the browser sends it, with a `cookie` header (name=value or a full Set-Cookie value). */
export function requestWithCookie(cookie: string, path = '/') {
  return new Request(new URL(path, process.env.APP_URL), { headers: { cookie: cookie.split(';')[0]! } })
}

/** The newest outbox row to an address (what the user would find in their inbox). */
export function latestOutboxEmailTo(address: string, template?: string) {
  return prisma.emailOutbox.findFirst({
    where: { toEmail: address, ...(template ? { template } : {}) },
    orderBy: { createdAt: 'desc' },
  })
}

/** Pulls the one-time token out of a link like …/invitations/<token> or …?token=<token>. */
export function tokenFromLink(body: string, pattern: RegExp) {
  const m = body.match(pattern)
  if (!m?.[1]) throw new Error(`no link matching ${pattern} in the email`)
  return m[1]
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, { timeoutMs = 10_000, intervalMs = 25, what = 'condition' } = {}): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** Resolves when a queue has nothing waiting, delayed, active or prioritised. */
export async function waitForQueueIdle(name: QueueName, timeoutMs = 15_000) {
  const queue = getQueue(name)
  await waitFor(
    async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')
      return Object.values(c).every((n) => n === 0)
    },
    { timeoutMs, what: `queue ${name} to be idle` },
  )
}
