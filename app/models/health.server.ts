import { prisma } from '#app/utils/db.server.ts'
import { pingRedis } from '#app/utils/queue.server.ts'

async function timed(check: () => Promise<unknown>) {
  const started = performance.now()
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2 s')), 2000))])
    return { ok: true as const, ms: Math.round(performance.now() - started) }
  } catch (e) {
    return { ok: false as const, ms: Math.round(performance.now() - started), error: (e as Error).message }
  }
}

export async function checkHealth() {
  const [postgres, redis] = await Promise.all([
    timed(() => prisma.$queryRaw`SELECT 1`),
    timed(pingRedis),
  ])
  return { ok: postgres.ok && redis.ok, postgres, redis }
}
