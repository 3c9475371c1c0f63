/**
 * The web process: Express serving the Remix build, plus what must wrap every request
 * (request id, client IP, CSP nonce, security headers, CSRF check, no-store) and the job
 * dashboard. Run with `tsx app/server.ts` after `remix build`.
 */
import 'dotenv/config'
import { randomBytes, randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import express from 'express'
import { getEnv, isSecureOrigin } from './utils/env.server.ts'
import { logger } from './utils/logger.server.ts'
import { runWithRequestContext } from './utils/request-context.server.ts'
import { guardBuild } from './utils/route-guard.server.ts'
import { checkCsrf, securityHeaders } from './utils/security.server.ts'

let env
try {
  env = getEnv()
} catch (e) {
  console.error((e as Error).message)
  process.exit(1)
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
// Every loader and action runs inside the one error path (app/utils/route-guard.server.ts).
const build = guardBuild((await import(pathToFileURL(path.join(root, 'build', 'index.js')).href)) as ServerBuild)
const appOrigin = new URL(env.APP_URL).origin
const secure = isSecureOrigin()

const app = express()
app.disable('x-powered-by')
// Only configured proxies may name the client (env.server.ts, parseTrustProxy): the sign-in
// throttle and the audit trail count by this address.
app.set('trust proxy', env.TRUST_PROXY)

app.use((req, res, next) => {
  const incoming = req.get('x-request-id')
  const requestId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID()
  const nonce = randomBytes(16).toString('base64')
  const ip = req.ip ?? null
  // Loaders read these from the request: overwrite anything a client sent.
  req.headers['x-request-id'] = requestId
  res.setHeader('X-Request-Id', requestId)
  // Defaults, filled in just before the head is written so that a route's own value (e.g. the
  // email preview's CSP and framing) wins instead of being combined with ours.
  const defaults = {
    ...securityHeaders(nonce, { appOrigin, secure, dev: env.NODE_ENV === 'development' }),
    'Cache-Control': 'no-store',
  }
  const writeHead = res.writeHead
  res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
    for (const [k, v] of Object.entries(defaults)) if (!res.hasHeader(k)) res.setHeader(k, v)
    return writeHead.apply(this, args)
  } as typeof writeHead
  const started = process.hrtime.bigint()
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    logger.info({ requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms) }, 'request')
  })
  const csrf = checkCsrf(req.method, { origin: req.get('origin'), secFetchSite: req.get('sec-fetch-site') }, appOrigin)
  if (!csrf.ok) {
    logger.warn({ requestId, reason: csrf.reason }, 'csrf refused')
    res.status(403).type('text/plain').send(`Forbidden: ${csrf.reason}`)
    return
  }
  runWithRequestContext({ requestId, ip, cspNonce: nonce, memo: new Map() }, () => next())
})

// After the security middleware, so assets carry the headers too. Fingerprinted assets: cache forever. Everything else from public/: an hour.
app.use('/build', express.static(path.join(root, 'public', 'build'), { immutable: true, maxAge: '1y' }))
app.use(express.static(path.join(root, 'public'), { maxAge: '1h', index: false }))

// The job dashboard: platform operators only; everybody else gets a 404.
const { mountJobDashboard } = await import('../jobs/dashboard.ts')
await mountJobDashboard(app, '/admin/jobs')

app.all('*', createRequestHandler({ build, mode: env.NODE_ENV === 'production' ? 'production' : 'development' }))

const server = app.listen(env.PORT, () => {
  logger.info({ port: env.PORT, url: env.APP_URL }, 'Liaison web is listening')
})

// Graceful stop (docs/decisions/015-sign-in-throttling-and-shutdown.md): stop accepting, let the
// requests in flight finish (at most SHUTDOWN_GRACE_MS), finish the work they started in the
// background, then close the Postgres pool and Redis.
// NOTE: remix-serve ignores SIGTERM while a pg pool is open; we close everything ourselves.
const SHUTDOWN_GRACE_MS = 25_000
let closing = false
async function shutdown(signal: string) {
  if (closing) return
  closing = true
  logger.info({ signal }, 'shutting down web: finishing requests in flight')
  const force = setTimeout(() => {
    logger.error({ graceMs: SHUTDOWN_GRACE_MS }, 'requests still in flight after the grace period; closing their connections')
    server.closeAllConnections()
  }, SHUTDOWN_GRACE_MS)
  force.unref()
  // Keep-alive connections would hold close() open: idle ones close now, busy ones after
  // their response (Connection: close, set below).
  endKeepAlive()
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  await closed
  clearTimeout(force)
  const { settleBackground } = await import('./utils/background.server.ts')
  await Promise.race([settleBackground(), new Promise((r) => setTimeout(r, 5_000).unref())])
  const { prisma } = await import('./utils/db.server.ts')
  const { closeQueues } = await import('./utils/queue.server.ts')
  await Promise.allSettled([prisma.$disconnect(), closeQueues()])
  logger.info('web stopped')
  process.exit(0)
}
// Responses in flight: when closing starts, those not yet begun end their connection
// (Connection: close) and finished ones let close() drop their keep-alive connection.
const inFlight = new Set<ServerResponse>()
server.on('request', (_req, res: ServerResponse) => {
  if (closing) res.setHeader('Connection', 'close')
  inFlight.add(res)
  res.once('close', () => {
    inFlight.delete(res)
    if (closing) setImmediate(() => server.closeIdleConnections())
  })
})
function endKeepAlive() {
  for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close')
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
