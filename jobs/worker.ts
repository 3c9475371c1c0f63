/**
 * The worker process: `npm run worker` (node --import tsx jobs/worker.ts). Checks the environment, starts
 * one BullMQ worker per queue (jobs/runtime.ts), upserts the schedules, and on SIGTERM/SIGINT
 * lets jobs in hand finish before closing Redis and Postgres.
 */
import 'dotenv/config'

// Before the logger loads, so every log line says it comes from the worker.
process.env.LIAISON_PROCESS ??= 'worker'

const { getEnv } = await import('#app/utils/env.server.ts')
try {
  getEnv()
} catch (e) {
  console.error((e as Error).message)
  process.exit(1)
}

const { logger } = await import('#app/utils/logger.server.ts')
const { prisma } = await import('#app/utils/db.server.ts')
const { closeQueues } = await import('#app/utils/queue.server.ts')
const { startWorker } = await import('./runtime.ts')

// Last line of defence: an error that escapes a job is logged; the worker goes on.
process.on('unhandledRejection', (reason) => logger.error({ err: reason instanceof Error ? reason.message : String(reason) }, 'unhandled rejection'))

// Handlers first: a SIGTERM that arrives while the worker is still starting must also end cleanly.
const starting = startWorker()
let closing = false
async function shutdown(signal: string) {
  if (closing) return
  closing = true
  logger.info({ signal }, 'shutting down worker: finishing jobs in hand')
  // A job that never ends must not keep the process alive forever (BullMQ re-runs it later).
  const force = setTimeout(() => {
    logger.error('worker did not stop within 30 s; exiting')
    process.exit(1)
  }, 30_000)
  force.unref()
  await starting.then((h) => h.stop()).catch(() => {})
  await Promise.allSettled([closeQueues(), prisma.$disconnect()])
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))

try {
  await starting
} catch (e) {
  logger.fatal({ err: (e as Error).message }, 'worker could not start')
  process.exit(1)
}
