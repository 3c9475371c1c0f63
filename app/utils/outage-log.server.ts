/**
 * One dependency's outage, logged as an operator wants to read it: one JSON line when it
 * starts, then at most one "still unavailable" line per `repeatMs` (with how many errors were
 * swallowed meanwhile), and one line when it is back. Without it a 35-second Redis outage wrote
 * hundreds of lines — every connection's every reconnect attempt, many as raw stack traces
 * outside the JSON log (ioredis prints an error event nobody listens to with console.error).
 *
 * The state is per helper, not per connection: every connection of a process reaches the same
 * Redis, so one outage is one story however many sockets noticed it.
 */
import type { Logger } from 'pino'
import { logger as baseLogger } from './logger.server.ts'

export type OutageLog = {
  /** An error from `source` (a connection's or client's name). Logs only when it has news. */
  failed(source: string, err: unknown): void
  /** `source` is connected again: ends the outage, if there was one. */
  recovered(source: string): void
  readonly down: boolean
}

/** Errors that say "cannot reach it" rather than "it refused this command". */
export function isConnectionError(err: unknown) {
  if (!(err instanceof Error)) return false
  const code = (err as NodeJS.ErrnoException).code
  if (code && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|NR_CLOSED)$/.test(code)) return true
  return /Connection is closed|connect ETIMEDOUT|Stream isn't writeable|Reached the max retries|LOADING/.test(err.message)
}

function describe(err: unknown) {
  if (!(err instanceof Error)) return { message: String(err) }
  const code = (err as NodeJS.ErrnoException).code
  // The message only: a stack of ioredis internals says nothing about the outage.
  return code ? { message: err.message, code } : { message: err.message }
}

export function createOutageLog(options: { what: string; log?: Logger; repeatMs?: number; details?: Record<string, unknown> }): OutageLog {
  const log = (options.log ?? baseLogger).child({ dependency: options.what, ...options.details })
  const repeatMs = options.repeatMs ?? 30_000
  let since: number | null = null
  let lastLine = 0
  let swallowed = 0
  let errors = 0
  return {
    get down() {
      return since !== null
    },
    failed(source, err) {
      const now = Date.now()
      errors++
      if (since === null) {
        since = now
        lastLine = now
        swallowed = 0
        errors = 1
        log.error({ source, err: describe(err) }, `${options.what} unavailable`)
        return
      }
      if (now - lastLine < repeatMs) {
        swallowed++
        return
      }
      log.warn(
        { source, err: describe(err), downForSeconds: Math.round((now - since) / 1000), errorsSinceLastLine: swallowed + 1 },
        `${options.what} still unavailable`,
      )
      lastLine = now
      swallowed = 0
    },
    recovered(source) {
      if (since === null) return
      log.info({ source, downForSeconds: Math.round((Date.now() - since) / 1000), errors }, `${options.what} recovered`)
      since = null
    },
  }
}
