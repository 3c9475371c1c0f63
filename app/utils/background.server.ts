/**
 * Work a request starts but does not wait for, so that its answer takes the same time whatever
 * that work turns out to be (the password-reset email of a known address, the audit trail of a
 * failed sign-in: a known user's trail has one row per organisation). Everything started here is
 * awaited by the web server's graceful shutdown (app/server.ts) before the pools close.
 *
 * NOTE: in-process, so a crash between the answer and the work loses it: use it only for work
 * that a user can simply ask for again, or that is best-effort (audit of refused attempts).
 * Anything that must survive a crash goes through the outbox or a job.
 */
import { logger } from './logger.server.ts'

const pending = new Set<Promise<void>>()

/** Runs `work` after the current request's answer is on its way; failures are logged, never thrown. */
export function runInBackground(name: string, work: () => Promise<unknown>) {
  const task: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(work)
    .then(
      () => undefined,
      (err: unknown) => {
        logger.error({ task: name, err: err instanceof Error ? err.message : String(err) }, 'background task failed')
      },
    )
    .finally(() => pending.delete(task))
  pending.add(task)
}

/** Waits for every background task, including those started meanwhile (shutdown, tests). */
export async function settleBackground() {
  while (pending.size) await Promise.allSettled([...pending])
}
