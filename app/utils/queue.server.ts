import { Queue } from 'bullmq'
import type { z } from 'zod'
import type { JobDefinition, QueueName } from '#jobs/definitions.ts'
import { producerConnection, watchRedis } from '#jobs/connection.ts'
import { getEnv } from './env.server.ts'
import { DomainError } from './errors.server.ts'

// One producer connection and one Queue object per queue, per process.
const g = globalThis as unknown as { __queues?: Map<QueueName, Queue>; __producer?: ReturnType<typeof producerConnection> }

function producer() {
  return (g.__producer ??= producerConnection(getEnv().REDIS_URL))
}

/**
 * For /healthz: fails fast when Redis is down (offline queue disabled). Right after start the
 * connection may still be opening: wait for it (the caller bounds the wait) rather than report
 * Redis down.
 */
export async function pingRedis() {
  const redis = producer()
  if (redis.status === 'wait') await redis.connect().catch(() => undefined)
  if (redis.status === 'connecting' || redis.status === 'connect' || redis.status === 'reconnecting') {
    await new Promise<void>((resolve) => {
      redis.once('ready', resolve)
      redis.once('error', () => resolve())
    })
  }
  return redis.ping()
}

export function getQueue(name: QueueName): Queue {
  g.__queues ??= new Map()
  let q = g.__queues.get(name)
  if (!q) {
    q = new Queue(name, { connection: producer(), prefix: getEnv().QUEUE_PREFIX })
    // Without a listener a Queue's connection error is thrown from an event handler.
    watchRedis(q, `queue ${name}`)
    g.__queues.set(name, q)
  }
  return q
}

export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const

/** Validates the payload and queues the job. Throws UNAVAILABLE (503) when Redis is down. */
export async function enqueue<S extends z.ZodTypeAny>(def: JobDefinition<S>, payload: z.input<S>) {
  const data = def.schema.parse(payload)
  try {
    return await getQueue(def.queue).add(def.name, data, {
      ...DEFAULT_JOB_OPTIONS,
      ...(def.jobId ? { jobId: def.jobId(data) } : {}),
    })
  } catch (e) {
    throw new DomainError('UNAVAILABLE', `The job queue is unavailable: ${(e as Error).message}`)
  }
}

export async function closeQueues() {
  for (const q of g.__queues?.values() ?? []) await q.close()
  g.__queues?.clear()
  if (g.__producer) g.__producer.disconnect()
  g.__producer = undefined
}
