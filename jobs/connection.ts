import { Redis, type RedisOptions } from 'ioredis'
import { logger } from '#app/utils/logger.server.ts'
import { createOutageLog, isConnectionError, type OutageLog } from '#app/utils/outage-log.server.ts'

/**
 * Redis connections for BullMQ. Workers block on Redis and must never give up on a command
 * (`maxRetriesPerRequest: null`); producers in the web process must fail fast instead of
 * queueing commands while Redis is down (`enableOfflineQueue: false`), so a request answers
 * 503 rather than hanging.
 *
 * Every connection, and every BullMQ Queue and Worker (they open duplicates of their own that
 * our listeners never see), reports to one outage log per process: a Redis outage is a few
 * JSON lines, not one stack trace per socket per reconnect attempt.
 */
const g = globalThis as unknown as { __redisOutage?: OutageLog }

export function redisOutageLog(): OutageLog {
  return (g.__redisOutage ??= createOutageLog({ what: 'redis' }))
}

type Emitter = { on(event: 'error', fn: (err: Error) => void): unknown; on(event: 'ready', fn: () => void): unknown }

/** Sends an ioredis client's (or a BullMQ Queue's or Worker's) errors to the outage log. */
export function watchRedis(emitter: Emitter, source: string, outage: OutageLog = redisOutageLog()) {
  emitter.on('error', (err) => {
    if (isConnectionError(err)) outage.failed(source, err)
    else logger.error({ source, err: err.message }, 'redis error')
  })
  // BullMQ's Queue and Worker don't emit 'ready': recovery is seen by the connections we open.
  emitter.on('ready', () => outage.recovered(source))
  return emitter
}

type ConnectionOptions = { name?: string; outage?: OutageLog }

export function workerConnection(url: string, extra: RedisOptions = {}, options: ConnectionOptions = {}) {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra })
  watchRedis(redis, options.name ?? 'worker connection', options.outage)
  return redis
}

export function producerConnection(url: string, extra: RedisOptions = {}, options: ConnectionOptions = {}) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, ...extra })
  watchRedis(redis, options.name ?? 'producer connection', options.outage)
  return redis
}
