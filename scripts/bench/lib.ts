/**
 * Shared by the benchmarks in scripts/bench/*.bench.ts, which scripts/bench/run.sh (`npm run
 * bench`) runs one after the other: the knobs, the web server under test, logging in, load
 * with autocannon, RSS sampling, the raw-pg baseline and the printed tables.
 *
 * Benchmarks print figures, never pass/fail: a goal that is missed is reported as "misses",
 * and the exit status is non-zero only when a benchmark could not run at all.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import autocannon, { type Result } from 'autocannon'
import pg from 'pg'

export const ROOT = path.resolve(import.meta.dirname, '..', '..')
/** Logs and pid files of the benchmarks (git-ignored, like the rest of .tmp). */
export const TMP = path.join(ROOT, '.tmp', 'bench')
mkdirSync(TMP, { recursive: true })

// ── knobs ─────────────────────────────────────────────────────────────────────────────────

function positiveNumber(name: string, fallback: number) {
  const raw = process.env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`)
  return n
}

function requiredEnv(name: string) {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: run the benchmarks through \`npm run bench\` (scripts/bench/run.sh)`)
  return v
}

export type BenchConfig = {
  /** Seconds of measured load per route (BENCH_DURATION, default 30). */
  duration: number
  /** Concurrent HTTP connections (BENCH_CONNECTIONS, default 50). */
  connections: number
  /** Seconds of unmeasured load before each measured run (BENCH_WARMUP, default 5). */
  warmup: number
  /** Seconds of each raw-SQL baseline (BENCH_BASELINE_DURATION, default 10, at most BENCH_DURATION). */
  baselineDuration: number
  databaseUrl: string
  redisUrl: string
  queuePrefix: string
}

let cachedConfig: BenchConfig | undefined
export function getConfig(): BenchConfig {
  if (cachedConfig) return cachedConfig
  const duration = positiveNumber('BENCH_DURATION', 30)
  const databaseUrl = requiredEnv('DATABASE_URL')
  // The benchmarks log in, which writes sessions and audit events: never into the app's data.
  const dbName = decodeURIComponent(new URL(databaseUrl).pathname.slice(1))
  if (!dbName.includes('bench')) {
    throw new Error(`DATABASE_URL names database "${dbName}": the benchmarks only run on a database whose name contains "bench" (run them through \`npm run bench\`)`)
  }
  cachedConfig = {
    duration,
    connections: Math.max(1, Math.round(positiveNumber('BENCH_CONNECTIONS', 50))),
    warmup: positiveNumber('BENCH_WARMUP', Math.min(5, duration)),
    baselineDuration: positiveNumber('BENCH_BASELINE_DURATION', Math.min(10, duration)),
    databaseUrl,
    redisUrl: requiredEnv('REDIS_URL'),
    queuePrefix: process.env.QUEUE_PREFIX || 'liaison-bench',
  }
  return cachedConfig
}

// ── output ────────────────────────────────────────────────────────────────────────────────

const PREFIX = `bench: ${path.basename(process.argv[1] ?? 'bench', '.ts').replace(/\.bench$/, '')}`

/** A progress line (what is happening now); the figures are printed with `table`. */
export function say(message: string) {
  console.log(`${PREFIX}: ${message}`)
}

export function fmtMs(ms: number) {
  if (!Number.isFinite(ms)) return '–'
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

export function fmtRate(n: number) {
  if (!Number.isFinite(n)) return '–'
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)
}

export function fmtMB(kb: number) {
  return `${(kb / 1024).toFixed(0)} MB`
}

export function fmtRatio(x: number) {
  if (!Number.isFinite(x)) return '–'
  return x >= 10 ? `${x.toFixed(0)}×` : `${x.toFixed(1)}×`
}

/** Prints rows as an aligned table; numeric-looking cells are right-aligned. */
export function table(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const numeric = (s: string) => /^[–\d.,]+\s*(ms|MB|KB|×|%)?$/.test(s)
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((c, i) => (i > 0 && numeric(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('   ')
      .trimEnd()
  console.log(line(header))
  console.log('  ' + widths.map((w) => '─'.repeat(w)).join('   '))
  for (const r of rows) console.log(line(r))
}

/** "meets" / "misses" against an upper bound. */
export function verdict(value: number, limit: number) {
  return value < limit ? 'meets' : 'misses'
}

export function machineSummary() {
  const cpus = os.cpus()
  return `${cpus.length} CPU (${cpus[0]?.model.trim() ?? 'unknown'}), ${fmtMB(os.totalmem() / 1024)} RAM, node ${process.versions.node}`
}

/**
 * The 1-minute load average, with a warning when other work competes for the CPUs: on a
 * machine running tests or builds at the same time, every figure comes out worse.
 */
export function loadNote() {
  const load = os.loadavg()[0]!
  const cpus = os.cpus().length
  const busy = load > cpus * 0.5
  return { load, busy, text: `load average ${load.toFixed(1)} on ${cpus} CPU${busy ? ' — BUSY: other processes compete with the benchmark, figures are pessimistic' : ''}` }
}

// ── cleanup on exit and Ctrl-C ────────────────────────────────────────────────────────────

const cleanups: (() => Promise<void> | void)[] = []
const children = new Set<ChildProcess>()
const runningLoads = new Set<{ stop(): void }>()

/** Registers work for the end of the run, normal or interrupted (last registered runs first). */
export function onCleanup(fn: () => Promise<void> | void) {
  cleanups.push(fn)
}

async function runCleanups() {
  while (cleanups.length) {
    const fn = cleanups.pop()!
    try {
      await fn()
    } catch (e) {
      console.error(`${PREFIX}: cleanup failed: ${(e as Error).message}`)
    }
  }
}

let stopping = false
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.error(`${PREFIX}: ${signal}: stopping`)
    for (const l of runningLoads) l.stop() // the load first, then the server it loads
    void runCleanups().finally(() => process.exit(code))
  })
}
// Last resort (an exception escaped, process.exit elsewhere): no server outlives the benchmark.
process.on('exit', () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null && c.pid) {
      try {
        process.kill(c.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
})

/** Runs a benchmark body: errors are printed (not thrown) and set a non-zero exit status. */
export async function main(body: () => Promise<void>) {
  try {
    await body()
  } catch (e) {
    if (!stopping) {
      console.error(`${PREFIX}: ERROR: ${(e as Error).message}`)
      process.exitCode = 1
    }
  } finally {
    if (!stopping) await runCleanups()
  }
}

// ── the web server under test ─────────────────────────────────────────────────────────────

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

function tail(file: string, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

export type WebServer = {
  /** http://127.0.0.1:PORT — also the server's APP_URL, so its CSRF check accepts this Origin. */
  url: string
  pid: number
  command: string
  logFile: string
  stop(): Promise<void>
}

/**
 * Starts the built app the way production runs it (app/server.ts, NODE_ENV=production) on a
 * free loopback port, with an explicit environment: nothing comes from the developer's .env
 * (DOTENV_CONFIG_PATH=/dev/null), no SMTP, a throw-away SESSION_SECRET.
 *
 * Started as `node build/server.js` (the bundle `npm run build` makes): one process to
 * measure and to signal, with no TypeScript loader in it.
 */
export async function startWebServer(
  options: { name?: string; logLevel?: string; extraEnv?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<WebServer> {
  const cfg = getConfig()
  const name = options.name ?? 'web'
  if (!existsSync(path.join(ROOT, 'build', 'index.js'))) throw new Error('build/index.js is missing: run `npm run bench` (it builds) or `NODE_ENV=production npx remix build`')
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    DATABASE_URL: cfg.databaseUrl,
    REDIS_URL: cfg.redisUrl,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    APP_URL: url,
    PORT: String(port),
    QUEUE_PREFIX: cfg.queuePrefix,
    LOG_LEVEL: options.logLevel ?? 'warn',
    DOTENV_CONFIG_PATH: '/dev/null',
    DOTENV_CONFIG_QUIET: 'true',
    ...options.extraEnv,
  }
  const logFile = path.join(TMP, `${name}.log`)
  const pidFile = path.join(TMP, `${name}.pid`)
  const fd = openSync(logFile, 'w')
  const args = [...(options.nodeArgs ?? []), 'build/server.js']
  // detached: its own process group, so Ctrl-C reaches only the benchmark, which then stops
  // the server with SIGTERM (its graceful shutdown) instead of both racing.
  const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  if (!child.pid) throw new Error('could not start the web server')
  children.add(child)
  writeFileSync(pidFile, `${child.pid}\n`)
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit status ${code}`)),
  )
  let gone: string | undefined
  void exited.then((how) => (gone = how))

  const stop = async () => {
    if (gone === undefined) {
      child.kill('SIGTERM')
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000).unref())
      if ((await Promise.race([exited, timer])) === 'timeout') {
        say(`the ${name} server (pid ${child.pid}) did not stop within 15 s: killing it`)
        child.kill('SIGKILL')
        await exited
      }
    }
    children.delete(child)
    rmSync(pidFile, { force: true })
  }
  onCleanup(stop)

  // Ready when /healthz answers 200 (Postgres and Redis reachable); give up after 60 s.
  const deadline = Date.now() + 60_000
  for (;;) {
    if (gone !== undefined) throw new Error(`the ${name} server stopped during start-up (${gone}); last lines of ${logFile}:\n${tail(logFile)}`)
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })
      await res.arrayBuffer()
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url}/healthz did not answer 200 within 60 s; last lines of ${logFile}:\n${tail(logFile)}`)
    await new Promise((r) => setTimeout(r, 250))
  }
  return { url, pid: child.pid, command: `node ${args.join(' ')}`, logFile, stop }
}

/**
 * Signs in through the real form (POST /login, with the Origin header the CSRF check wants)
 * and returns the session cookie as a `cookie` request header value (name=value).
 */
export async function logIn(server: WebServer, email: string, password: string, redirectTo = '/') {
  const res = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, redirectTo }),
  })
  const body = await res.text()
  if (res.status !== 302) throw new Error(`POST /login as ${email} answered ${res.status}, not a 302 redirect: ${body.slice(0, 300)}`)
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!.trim())
    .find((c) => /^(__Host-)?liaison_session=./.test(c))
  if (!cookie) throw new Error(`POST /login as ${email} set no session cookie (Set-Cookie: ${res.headers.getSetCookie().join(' | ') || 'none'})`)
  return cookie
}

/** GETs a page once and checks it is the page (200, contains `expect`); returns its size. */
export async function checkPage(server: WebServer, pathname: string, cookie: string, expect: string[]) {
  const res = await fetch(`${server.url}${pathname}`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' })
  const body = await res.text()
  if (res.status !== 200) throw new Error(`GET ${pathname} answered ${res.status} (${res.headers.get('location') ?? body.slice(0, 200)})`)
  for (const text of expect) {
    if (!body.includes(text)) throw new Error(`GET ${pathname} answered 200 but the page does not contain "${text}"`)
  }
  return Buffer.byteLength(body)
}

// ── load ──────────────────────────────────────────────────────────────────────────────────

export type LoadResult = {
  requests: number
  rps: number
  p50: number
  p99: number
  max: number
  errors: number
  timeouts: number
  non2xx: number
  bytesPerResponse: number
}


/** autocannon against one URL: `connections` keep-alive connections, each one request at a time. */
export function load(opts: { url: string; cookie?: string; connections: number; duration: number }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.duration,
        timeout: 10,
        headers: { accept: 'text/html', ...(opts.cookie ? { cookie: opts.cookie } : {}) },
      },
      (err, r: Result) => {
        runningLoads.delete(instance)
        if (err) return reject(err)
        resolve({
          requests: r.requests.total,
          rps: r.requests.total / r.duration,
          p50: r.latency.p50,
          p99: r.latency.p99,
          max: r.latency.max,
          errors: r.errors,
          timeouts: r.timeouts,
          non2xx: r.non2xx,
          bytesPerResponse: r['2xx'] ? r.throughput.total / r['2xx'] : 0,
        })
      },
    )
    runningLoads.add(instance)
  })
}

// ── CPU ──────────────────────────────────────────────────────────────────────────────────

let clockTicks: number | undefined
/** CPU time (user + system, seconds) a process has used so far, from /proc/PID/stat. */
export function cpuSeconds(pid: number) {
  clockTicks ??= (() => {
    try {
      return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      return 100
    }
  })()
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after "(comm)": state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / clockTicks
}

// ── RSS ───────────────────────────────────────────────────────────────────────────────────

function statusKb(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8')
    const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(s)?.[1] ?? NaN)
    const hwm = Number(/^VmHWM:\s+(\d+) kB/m.exec(s)?.[1] ?? NaN)
    return Number.isFinite(rss) ? { rss, hwm } : null
  } catch {
    return null
  }
}

/** The pid and all its descendants (through /proc/PID/task/TID/children). */
function processTree(pid: number): number[] {
  const out = [pid]
  for (let i = 0; i < out.length; i++) {
    let tids: string[] = []
    try {
      tids = readdirSync(`/proc/${out[i]}/task`)
    } catch {
      continue
    }
    for (const tid of tids) {
      try {
        for (const c of readFileSync(`/proc/${out[i]}/task/${tid}/children`, 'utf8').trim().split(/\s+/)) {
          if (c) out.push(Number(c))
        }
      } catch {
        // thread ended
      }
    }
  }
  return out
}

function commandLine(pid: number) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ')
  } catch {
    return '?'
  }
}

/**
 * Samples the resident set of a process tree (VmRSS from /proc, summed over the pid and its
 * descendants) every `intervalMs`. Also keeps the kernel's high-water mark (VmHWM) of each
 * process, which catches a spike between two samples.
 */
export class RssSampler {
  readonly rootPid: number
  private timer: NodeJS.Timeout | undefined
  peakKb = 0
  lastKb = 0
  samples = 0
  /** pid → command line and the highest VmHWM seen. */
  readonly processes = new Map<number, { command: string; hwmKb: number }>()

  constructor(rootPid: number, private intervalMs = 250) {
    this.rootPid = rootPid
  }

  sample() {
    let sum = 0
    for (const pid of processTree(this.rootPid)) {
      const kb = statusKb(pid)
      if (!kb) continue
      sum += kb.rss
      const known = this.processes.get(pid)
      if (known) known.hwmKb = Math.max(known.hwmKb, kb.hwm)
      else this.processes.set(pid, { command: commandLine(pid), hwmKb: kb.hwm })
    }
    if (sum > 0) {
      this.samples++
      this.lastKb = sum
      this.peakKb = Math.max(this.peakKb, sum)
    }
    return sum
  }

  start() {
    this.sample()
    this.timer = setInterval(() => this.sample(), this.intervalMs)
    onCleanup(() => this.stop())
    return this
  }

  stop() {
    if (this.timer) {
      this.sample()
      clearInterval(this.timer)
      this.timer = undefined
    }
  }

  /** Sum over the tree of each process's own high-water mark (≥ any sampled sum). */
  get hwmKb() {
    let sum = 0
    for (const p of this.processes.values()) sum += p.hwmKb
    return sum
  }

  describe() {
    const list = [...this.processes.entries()].map(([pid, p]) => `pid ${pid} \`${p.command}\``)
    return list.length === 1 ? `1 process: ${list[0]}` : `${list.length} processes summed: ${list.join(', ')}`
  }
}

// ── raw SQL baseline ──────────────────────────────────────────────────────────────────────

export function sha256(value: string) {
  return createHash('sha256').update(value).digest('hex')
}

export type LoopResult = { iterations: number; rps: number; p50: number; p99: number; max: number; cpuMsPerIteration: number }

function percentile(sorted: Float64Array, p: number) {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

/**
 * Runs `iteration` in a tight loop from `workers` concurrent async workers sharing one
 * pg.Pool of `poolSize` connections (the app's Prisma adapter pool is 10): the same
 * concurrency the HTTP load has, minus HTTP, Remix, Prisma and React. An unmeasured warm-up
 * of min(2 s, duration) comes first.
 */
export async function pgLoop(opts: {
  workers: number
  poolSize: number
  duration: number
  iteration: (pool: pg.Pool) => Promise<void>
}): Promise<LoopResult> {
  const pool = new pg.Pool({ connectionString: getConfig().databaseUrl, max: opts.poolSize })
  let ended = false
  const end = async () => {
    if (ended) return
    ended = true
    await pool.end()
  }
  onCleanup(end)
  try {
    const run = async (seconds: number, record: boolean) => {
      const latencies: number[] = []
      const deadline = performance.now() + seconds * 1000
      const started = performance.now()
      const worker = async () => {
        while (performance.now() < deadline && !stopping) {
          const t = performance.now()
          await opts.iteration(pool)
          if (record) latencies.push(performance.now() - t)
        }
      }
      await Promise.all(Array.from({ length: opts.workers }, worker))
      return { latencies, elapsed: (performance.now() - started) / 1000 }
    }
    await run(Math.min(2, opts.duration), false)
    const cpu = process.cpuUsage()
    const { latencies, elapsed } = await run(opts.duration, true)
    const used = process.cpuUsage(cpu)
    const sorted = Float64Array.from(latencies).sort()
    return {
      iterations: latencies.length,
      rps: latencies.length / elapsed,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : NaN,
      cpuMsPerIteration: (used.user + used.system) / 1000 / Math.max(1, latencies.length),
    }
  } finally {
    await end()
  }
}

/** A one-off query on the benchmark database (outside any measured loop). */
export async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: getConfig().databaseUrl })
  await client.connect()
  try {
    return (await client.query<T>(sql, params)).rows
  } finally {
    await client.end()
  }
}

// ── fixtures ──────────────────────────────────────────────────────────────────────────────

export type BenchOrg = { id: string; slug: string; userId: string; email: string; membershipId: string }

/**
 * A fresh organisation with one analyst (not a login: the password hash is a placeholder nobody
 * can match), written with raw `pg` so that setting up a benchmark costs nothing measurable.
 */
export async function makeBenchOrg(client: pg.Client, label: string): Promise<BenchOrg> {
  const suffix = randomBytes(4).toString('hex')
  const slug = `bench-${label}-${suffix}`
  const email = `bench-${label}-${suffix}@example.test`
  const ids = { org: `bo${suffix}${label}`, user: `bu${suffix}${label}`, membership: `bm${suffix}${label}` }
  await client.query(`INSERT INTO "Organization" (id, slug, name, "updatedAt") VALUES ($1, $2, $3, now())`, [ids.org, slug, `Bench ${label} ${suffix}`])
  await client.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ($1, $2, $3, 'x', now())`, [ids.user, email, `Bench ${label}`])
  await client.query(`INSERT INTO "Membership" (id, "organizationId", "userId", role, function, "updatedAt") VALUES ($1, $2, $3, 'analyst', 'it', now())`, [
    ids.membership,
    ids.org,
    ids.user,
  ])
  return { id: ids.org, slug, userId: ids.user, email, membershipId: ids.membership }
}

/** The tenant scope the app's models take, for the analyst of a bench organisation. */
export function benchScope(org: BenchOrg) {
  return {
    organizationId: org.id,
    orgSlug: org.slug,
    orgName: 'Bench',
    timeZone: 'UTC',
    userId: org.userId,
    userEmail: org.email,
    role: 'analyst' as const,
    membershipId: org.membershipId,
  }
}

/** Two systems of the organisation and an HL7 v2 interface between them; returns the interface id. */
export async function makeBenchInterface(client: pg.Client, org: BenchOrg) {
  const id = (p: string) => `b${p}${org.id}`
  await client.query(
    `INSERT INTO "System" (id, "organizationId", name, kind, "updatedAt") VALUES ($1, $3, 'Bench LIS', 'lis', now()), ($2, $3, 'Bench EHR', 'ehr', now())`,
    [id('s1'), id('s2'), org.id],
  )
  await client.query(
    `INSERT INTO "Interface" (id, "organizationId", name, "sourceSystemId", "targetSystemId", standard, "messageTypes", transport, approach, "updatedAt")
     VALUES ($1, $2, 'Bench lab results', $3, $4, 'hl7v2', ARRAY['ORU^R01'], 'mllp', 'via_engine', now())`,
    [id('i'), org.id, id('s1'), id('s2')],
  )
  return id('i')
}
