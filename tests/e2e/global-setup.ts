/**
 * Once per browser-test run:
 *  1. a fresh database (dropped, recreated, migrated: the unit tests' global setup, pointed at
 *     the e2e database by tests/e2e/vitest.config.ts);
 *  2. the SMTP catcher (tests/mocks/smtp-catcher.ts) in this process, its mailbox readable by
 *     the test files over a tiny HTTP endpoint (they run in other processes);
 *  3. the app as in production: ONE web server (`node --import tsx app/server.ts`, the Remix
 *     production build) on a free port, and the job worker (`jobs/worker.ts`) sending real SMTP
 *     to the catcher. Logs go to .tmp/e2e/{web,worker}.log; a start-up failure shows their tail;
 *  4. at the end: SIGTERM to both, wait for them to exit, stop the catcher, remove the run's
 *     Redis keys.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import prepareDatabase from '../global-setup.ts'
import { startSmtpCatcher, type SmtpCatcher } from '../mocks/smtp-catcher.ts'
import type { E2EContext } from './env.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const logDir = join(root, '.tmp', 'e2e')
const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 15_000

function say(message: string) {
  process.stdout.write(`e2e: ${message}\n`)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer()
    srv.unref()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

function tail(file: string, lines = 60) {
  if (!existsSync(file)) return `(${file} does not exist)`
  const text = readFileSync(file, 'utf8').trimEnd()
  return text ? text.split('\n').slice(-lines).join('\n') : `(${file} is empty)`
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'generated') newest = Math.max(newest, newestMtime(p))
    } else newest = Math.max(newest, statSync(p).mtimeMs)
  }
  return newest
}

function checkBuild() {
  const serverBuild = join(root, 'build', 'index.js')
  if (!existsSync(serverBuild) || !existsSync(join(root, 'public', 'build'))) {
    throw new Error('The browser tests run the production build, and there is none: run `NODE_ENV=production npx remix build` first (scripts/test.sh does).')
  }
  if (newestMtime(join(root, 'app')) > statSync(serverBuild).mtimeMs) {
    say('WARNING: app/ has changed since the last build; the browser tests run the OLD build (NODE_ENV=production npx remix build)')
  }
}

type Service = { name: string; child: ChildProcess; log: string }

function startService(name: string, script: string, env: NodeJS.ProcessEnv): Service {
  const log = join(logDir, `${name}.log`)
  const fd = openSync(log, 'w')
  // `node --import tsx` rather than `npx tsx`: one process, so our SIGTERM reaches the server
  // itself and it shuts down gracefully (as in scripts/demo.sh).
  const args = script.endsWith('.ts') ? ['--import', 'tsx', script] : ['--enable-source-maps', script]
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  return { name, child, log }
}

function exited(s: Service) {
  return s.child.exitCode !== null || s.child.signalCode !== null
}

function describeExit(s: Service) {
  return s.child.signalCode ? `killed by ${s.child.signalCode}` : `exit status ${s.child.exitCode}`
}

async function stopService(s: Service) {
  if (exited(s)) return
  const done = new Promise<void>((resolve) => s.child.once('exit', () => resolve()))
  s.child.kill('SIGTERM')
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref())
  if ((await Promise.race([done, timer])) === 'timeout') {
    say(`${s.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killing it`)
    s.child.kill('SIGKILL')
    await done
  }
}

function startupFailure(message: string, services: Service[]) {
  const logs = services.map((s) => `--- last lines of ${s.log} (${s.name}) ---\n${tail(s.log)}`).join('\n')
  return new Error(`${message}\n${logs}\n---`)
}

async function waitUntilReady(web: Service, worker: Service, healthz: string) {
  const deadline = Date.now() + START_TIMEOUT_MS
  let lastStatus = 'no answer'
  let webReady = false
  let workerReady = false
  while (!webReady || !workerReady) {
    for (const s of [web, worker]) {
      if (exited(s)) throw startupFailure(`The ${s.name} stopped during start-up (${describeExit(s)}).`, [web, worker])
    }
    if (!webReady) {
      try {
        const res = await fetch(healthz, { signal: AbortSignal.timeout(2_000) })
        lastStatus = `${res.status} ${await res.text()}`
        webReady = res.status === 200
      } catch (e) {
        lastStatus = (e as Error).message
      }
    }
    if (!workerReady) workerReady = tail(worker.log, 200).includes('worker started')
    if (webReady && workerReady) break
    if (Date.now() > deadline) {
      throw startupFailure(
        `Not ready within ${START_TIMEOUT_MS / 1000} s: ${webReady ? '' : `${healthz} answered ${lastStatus}; `}${workerReady ? '' : 'the worker never logged "worker started"'}`,
        [web, worker],
      )
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

function startMailbox(catcher: SmtpCatcher): Promise<{ url: string; server: Server }> {
  const server = createHttpServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/messages')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(catcher.messages))
      return
    }
    res.writeHead(404).end()
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({ url: `http://127.0.0.1:${port}`, server })
    })
  })
}

export default async function setup(project: TestProject) {
  const started = Date.now()
  checkBuild()
  mkdirSync(logDir, { recursive: true })
  // Failure screenshots (tests/e2e/fixtures.ts) are this run's only.
  rmSync(join(root, 'tests', 'e2e', 'screenshots'), { recursive: true, force: true })

  // The unit tests' global setup, on the e2e database (process.env.DATABASE_URL, set by the
  // config): refuses names without "test", drops, recreates, migrates. Its teardown removes
  // the run's Redis keys (our QUEUE_PREFIX sits below the run's base prefix).
  const dropRedisKeys = await prepareDatabase()
  say(`database ${new URL(process.env.DATABASE_URL!).pathname.slice(1)} ready (${Date.now() - started} ms)`)

  const catcher = await startSmtpCatcher()
  const mailbox = await startMailbox(catcher)
  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // As in real use: the production build, React's production bundle, logs at info.
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
    // dotenv must not read the developer's .env into the app (real SMTP, other secrets).
    DOTENV_CONFIG_PATH: '/dev/null',
    PORT: String(port),
    APP_URL: baseURL,
    SMTP_URL: catcher.url,
  }
  delete env.LIAISON_PROCESS
  const web = startService('web', 'build/server.js', env)
  const worker = startService('worker', 'jobs/worker.ts', { ...env, LIAISON_PROCESS: 'worker' })
  const services = [web, worker]
  // If vitest itself is killed, take the children with it.
  const killAll = () => services.forEach((s) => exited(s) || s.child.kill('SIGKILL'))
  process.once('exit', killAll)

  const teardown = async () => {
    await Promise.all(services.map(stopService))
    process.off('exit', killAll)
    await catcher.stop()
    await new Promise<void>((resolve) => mailbox.server.close(() => resolve()))
    await dropRedisKeys()
    say(`stopped the web server and the worker; logs in ${logDir}`)
  }

  try {
    await waitUntilReady(web, worker, `${baseURL}/healthz`)
  } catch (e) {
    await teardown().catch(() => {})
    throw e
  }
  say(`web ${baseURL} and worker ready, SMTP catcher ${catcher.url} (${Date.now() - started} ms)`)

  const context: E2EContext = { baseURL, mailboxURL: mailbox.url, serverLog: web.log, workerLog: worker.log }
  project.provide('e2e', context)
  return teardown
}
