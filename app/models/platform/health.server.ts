import { prisma } from '#app/utils/db.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { pingRedis } from '#app/utils/queue.server.ts'

const TIMEOUT_MS = 2000

/**
 * One dependency's state for /healthz. Anyone may read /healthz, so it names what is down
 * and how ("not answering", "timed out") but never the driver's message, which carries hosts,
 * ports and database names; that goes to the log.
 */
async function timed(name: string, check: () => Promise<unknown>) {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError()), TIMEOUT_MS)
      }),
    ])
    return { ok: true as const, ms: Math.round(performance.now() - started) }
  } catch (e) {
    const timedOut = e instanceof TimeoutError
    logger.warn({ dependency: name, err: timedOut ? undefined : e }, `health check: ${name} ${timedOut ? 'timed out' : 'is not answering'}`)
    return { ok: false as const, ms: Math.round(performance.now() - started), error: timedOut ? `timed out after ${TIMEOUT_MS / 1000} s` : 'not answering' }
  } finally {
    clearTimeout(timer)
  }
}

class TimeoutError extends Error {}

export async function checkHealth() {
  const [postgres, redis] = await Promise.all([timed('postgres', () => prisma.$queryRaw`SELECT 1`), timed('redis', pingRedis)])
  const down = [!postgres.ok && 'postgres', !redis.ok && 'redis'].filter(Boolean) as string[]
  return { ok: down.length === 0, down, postgres, redis }
}
