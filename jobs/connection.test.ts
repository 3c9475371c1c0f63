/**
 * A Redis outage in the log: a real ioredis connection to a port where nothing listens (every
 * reconnect attempt fails, as during an outage), 35 s on a fake clock, then Redis back behind
 * that port. Counted: the JSON lines an operator would read.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import pino from 'pino'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createOutageLog } from '#app/utils/outage-log.server.ts'
import { producerConnection, workerConnection } from './connection.ts'

const SECOND = 1000
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn()
})

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

/** Redis "comes back" on `port`: a TCP relay to the machine's real Redis. */
function relayToRedis(port: number): Promise<Server> {
  const target = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => s.destroy())
      s.on('close', () => sockets.delete(s))
    }
    client.pipe(upstream).pipe(client)
  })
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy()
    server.close(() => resolve())
  }))
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)))
}

function capture() {
  const lines: Array<{ level: number; msg: string; [k: string]: unknown }> = []
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) })
  return { lines, log }
}

describe('a Redis outage in the log', () => {
  test('one line when it starts, one per 30 s while it lasts, one when Redis is back — JSON, no stack traces', async () => {
    const { lines, log } = capture()
    const outage = createOutageLog({ what: 'redis', log })
    const port = await closedPort()
    const stderr = vi.spyOn(process.stderr, 'write')
    // Two connections of one process, reconnecting every 10 ms (ioredis's own pace is slower; the count is what matters).
    const clients = [
      producerConnection(`redis://127.0.0.1:${port}`, { retryStrategy: () => 10 }, { name: 'producer', outage }),
      workerConnection(`redis://127.0.0.1:${port}`, { retryStrategy: () => 10 }, { name: 'worker', outage }),
    ]
    cleanups.push(() => clients.forEach((c) => c.disconnect()))

    vi.useFakeTimers({ toFake: ['Date'] })
    const t0 = Date.now()
    vi.setSystemTime(t0)
    let attempts = 0
    // 35 s of outage: every failed attempt moves the fake clock on by half a second.
    while (Date.now() - t0 < 35 * SECOND) {
      await new Promise((resolve) => clients[attempts % 2]!.once('error', resolve))
      attempts++
      vi.setSystemTime(t0 + attempts * 500)
    }
    expect(attempts).toBeGreaterThanOrEqual(70)
    expect(outage.down).toBe(true)

    await relayToRedis(port)
    await Promise.all(clients.map((c) => (c.status === 'ready' ? undefined : new Promise((resolve) => c.once('ready', resolve)))))

    // Before: one line (often a raw multi-line stack on stderr) per connection per attempt.
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'redis unavailable'],
      [40, 'redis still unavailable'],
      [30, 'redis recovered'],
    ])
    expect(lines[0]).toMatchObject({ dependency: 'redis', err: { code: 'ECONNREFUSED' } })
    expect(JSON.stringify(lines)).not.toMatch(/\n\s+at /)
    expect(lines[1]).toMatchObject({ downForSeconds: 30 })
    expect(lines[2]!.errors).toBeGreaterThanOrEqual(attempts)
    expect(stderr.mock.calls.filter(([chunk]) => /ioredis|ECONNREFUSED/.test(String(chunk)))).toEqual([])
  })

  test('a second outage is told again', async () => {
    const { lines, log } = capture()
    const outage = createOutageLog({ what: 'redis', log })
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
    outage.failed('a', err)
    outage.failed('b', err)
    outage.recovered('a')
    outage.recovered('b')
    outage.failed('a', err)
    expect(lines.map((l) => l.msg)).toEqual(['redis unavailable', 'redis recovered', 'redis unavailable'])
  })
})
