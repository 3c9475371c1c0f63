import { Redis, type RedisOptions } from 'ioredis'

/**
 * Redis connections for BullMQ. Workers block on Redis and must never give up on a command
 * (`maxRetriesPerRequest: null`); producers in the web process must fail fast instead of
 * queueing commands while Redis is down (`enableOfflineQueue: false`), so a request answers
 * 503 rather than hanging.
 */
export function workerConnection(url: string) {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true })
}

export function producerConnection(url: string, extra: RedisOptions = {}) {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, ...extra })
}
