/**
 * Web benchmark: a signed-in organisation page under load, and the web process's memory.
 *
 * 1. Starts the built app (NODE_ENV=production, LOG_LEVEL=warn) on a free loopback port and
 *    signs in as the seeded owner of riverside-health through the real login form.
 * 2. For each page (the member list, then the organisation home): autocannon with
 *    BENCH_CONNECTIONS connections (50) for BENCH_WARMUP s unmeasured, then BENCH_DURATION s
 *    (30) measured. Meanwhile the server's RSS is sampled every 250 ms from /proc.
 * 3. Baseline (project rule: a benchmark prints its ratio to the bare SQL doing the same work):
 *    the SQL those pages' loaders need, hand-written on raw `pg`, from the same number of
 *    concurrent workers on a pg.Pool of 10 (the app's pool size), for BENCH_BASELINE_DURATION s.
 *
 * Goals (issue): p99 < 300 ms and RSS < 300 MB on the machine the figures come from.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type pg from 'pg'
import {
  checkPage,
  cpuSeconds,
  fmtMB,
  fmtMs,
  fmtRate,
  fmtRatio,
  getConfig,
  load,
  loadNote,
  logIn,
  machineSummary,
  main,
  pgLoop,
  query,
  ROOT,
  RssSampler,
  say,
  sha256,
  startWebServer,
  table,
  verdict,
  type LoadResult,
  type LoopResult,
} from './lib.ts'

const GOAL_P99_MS = 300
const GOAL_RSS_MB = 300
const POOL_SIZE = 10 // app/utils/db.server.ts: PrismaPg({ max: 10 })

// Same rules as app/utils/session.server.ts (idle timeout slid at most once a minute).
const IDLE_TIMEOUT_MS = 30 * 60 * 1000
const TOUCH_AFTER_MS = 60 * 1000

/** The password every demo login has (prisma/seed.ts), unless BENCH_PASSWORD says otherwise. */
function demoPassword() {
  if (process.env.BENCH_PASSWORD) return process.env.BENCH_PASSWORD
  const seed = readFileSync(path.join(ROOT, 'prisma', 'seed.ts'), 'utf8')
  const m = /DEMO_PASSWORD\s*=\s*(['"])(.+?)\1/.exec(seed)
  if (!m) throw new Error('could not read DEMO_PASSWORD from prisma/seed.ts: set BENCH_PASSWORD')
  return m[2]!
}

type Org = { id: string; name: string; slug: string; email: string; userName: string; members: number }

async function seededOwner(slug: string): Promise<Org> {
  const rows = await query<Org>(
    `SELECT o.id, o.name, o.slug, u.email, u.name AS "userName",
            (SELECT count(*)::int FROM "Membership" x WHERE x."organizationId" = o.id) AS members
       FROM "Organization" o
       JOIN "Membership" m ON m."organizationId" = o.id AND m.role = 'owner' AND m.status = 'active'
       JOIN "User" u ON u.id = m."userId"
      WHERE o.slug = $1
      ORDER BY m."createdAt"
      LIMIT 1`,
    [slug],
  )
  if (!rows[0]) throw new Error(`organisation "${slug}" with an active owner not found in the benchmark database (did the seed run?)`)
  return rows[0]
}

// ── the SQL the pages' loaders send, by hand ──────────────────────────────────────────────
// root + _layout + page loaders, as Remix runs them for a document request: the session
// (memoised per request), then the membership (memoised), then the rest in parallel.

const SQL = {
  session: `SELECT s."userId", s."expiresAt", s."absoluteExpiresAt", u.email, u.name, u."isOperator"
              FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s.id = $1`,
  slideSession: `UPDATE "Session" SET "expiresAt" = $2 WHERE id = $1`,
  membership: `SELECT m.id, m.role, o.id AS "orgId", o.slug, o.name, o."timeZone"
                 FROM "Membership" m JOIN "Organization" o ON o.id = m."organizationId"
                WHERE m."userId" = $1 AND m.status = 'active' AND o.slug = $2 LIMIT 1`,
  myOrgs: `SELECT m.role, o.id, o.slug, o.name FROM "Membership" m JOIN "Organization" o ON o.id = m."organizationId"
            WHERE m."userId" = $1 AND m.status = 'active' ORDER BY o.name`,
  touch: `UPDATE "Membership" SET "lastSeenAt" = now(), "updatedAt" = now()
           WHERE id = $1 AND "organizationId" = $2 AND ("lastSeenAt" IS NULL OR "lastSeenAt" < $3)`,
  // members.tsx: listMembers (page 1 of 50) + count, listPendingInvitations
  members: `SELECT m.id, m.role, m.function, m.unit, m.status, m."lastSeenAt", m."createdAt", u.id AS "userId", u.name, u.email
              FROM "Membership" m JOIN "User" u ON u.id = m."userId"
             WHERE m."organizationId" = $1 ORDER BY m.status ASC, u.name ASC LIMIT 50 OFFSET 0`,
  memberCount: `SELECT count(*)::int AS n FROM "Membership" WHERE "organizationId" = $1`,
  invitations: `SELECT id, email, role, function, unit, "expiresAt", "createdAt" FROM "Invitation"
                 WHERE "organizationId" = $1 AND "acceptedAt" IS NULL AND "revokedAt" IS NULL ORDER BY "createdAt" DESC`,
  // _index.tsx: getOrganizationOverview
  activeCount: `SELECT count(*)::int AS n FROM "Membership" WHERE "organizationId" = $1 AND status = 'active'`,
  byRole: `SELECT role, count(*)::int AS n FROM "Membership" WHERE "organizationId" = $1 AND status = 'active' GROUP BY role`,
  pendingCount: `SELECT count(*)::int AS n FROM "Invitation"
                  WHERE "organizationId" = $1 AND "acceptedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > $2`,
  recent: `SELECT id, action, "actorEmail", "targetLabel", "createdAt" FROM "AuditEvent"
            WHERE "organizationId" = $1 AND action NOT IN ('security.permission_denied') ORDER BY seq DESC LIMIT 8`,
}

type Scope = { userId: string; membershipId: string; orgId: string }

/** Session by hashed token + membership/organisation by slug: what requireTenant does. */
async function tenant(pool: pg.Pool, token: string, slug: string): Promise<Scope> {
  const s = await pool.query(SQL.session, [sha256(token)])
  const row = s.rows[0]
  const now = Date.now()
  if (!row || row.expiresAt.getTime() <= now || row.absoluteExpiresAt.getTime() <= now) throw new Error('baseline: session not found or expired')
  if (row.expiresAt.getTime() - now < IDLE_TIMEOUT_MS - TOUCH_AFTER_MS) await pool.query(SQL.slideSession, [sha256(token), new Date(now + IDLE_TIMEOUT_MS)])
  const m = await pool.query(SQL.membership, [row.userId, slug])
  if (!m.rows[0]) throw new Error('baseline: membership not found')
  return { userId: row.userId, membershipId: m.rows[0].id, orgId: m.rows[0].orgId }
}

/** The layout loader's own queries (organisation switcher, last-seen touch). */
function layout(pool: pg.Pool, scope: Scope) {
  return Promise.all([pool.query(SQL.myOrgs, [scope.userId]), pool.query(SQL.touch, [scope.membershipId, scope.orgId, new Date(Date.now() - 60_000)])])
}

const PAGES = {
  members: {
    statements: 7,
    async run(pool: pg.Pool, token: string, slug: string) {
      const scope = await tenant(pool, token, slug)
      const [, list, count] = await Promise.all([
        layout(pool, scope),
        pool.query(SQL.members, [scope.orgId]),
        pool.query(SQL.memberCount, [scope.orgId]),
        pool.query(SQL.invitations, [scope.orgId]),
      ])
      if (!list.rows.length || !count.rows[0]?.n) throw new Error('baseline: empty member list')
    },
  },
  home: {
    statements: 8,
    async run(pool: pg.Pool, token: string, slug: string) {
      const scope = await tenant(pool, token, slug)
      await Promise.all([
        layout(pool, scope),
        pool.query(SQL.activeCount, [scope.orgId]),
        pool.query(SQL.byRole, [scope.orgId]),
        pool.query(SQL.pendingCount, [scope.orgId, new Date()]),
        pool.query(SQL.recent, [scope.orgId]),
      ])
    },
  },
}

await main(async () => {
  const cfg = getConfig()
  const slug = process.env.BENCH_ORG || 'riverside-health'
  const org = await seededOwner(slug)
  const password = demoPassword()

  const loadBefore = loadNote()
  say(`machine: ${machineSummary()}; ${loadBefore.text}`)
  say(`starting the web server (build/, NODE_ENV=production, LOG_LEVEL=warn)`)
  const server = await startWebServer()
  const rss = new RssSampler(server.pid, 250).start()
  const idleKb = rss.sample()
  say(`listening at ${server.url} (pid ${server.pid}, RSS at start ${fmtMB(idleKb)}); signing in as ${org.email}`)
  const cookie = await logIn(server, org.email, password, `/o/${slug}`)
  const token = cookie.slice(cookie.indexOf('=') + 1)

  const routes = [
    { page: 'members' as const, path: `/o/${slug}/members`, expect: ['>People</h1>', org.email] },
    { page: 'home' as const, path: `/o/${slug}`, expect: ['Recent activity', org.name] },
  ]
  const results: { route: (typeof routes)[number]; bytes: number; r: LoadResult; cpuMs: number }[] = []
  for (const route of routes) {
    const bytes = await checkPage(server, route.path, cookie, route.expect)
    say(`GET ${route.path}: warm-up ${cfg.warmup} s, then ${cfg.duration} s measured, ${cfg.connections} connections`)
    await load({ url: server.url + route.path, cookie, connections: cfg.connections, duration: cfg.warmup })
    const cpuBefore = cpuSeconds(server.pid)
    const r = await load({ url: server.url + route.path, cookie, connections: cfg.connections, duration: cfg.duration })
    const cpuMs = ((cpuSeconds(server.pid) - cpuBefore) * 1000) / Math.max(1, r.requests)
    results.push({ route, bytes, r, cpuMs })
  }
  // Still signed in after the run? (a redirect to /login during the run shows as non-2xx)
  await checkPage(server, routes[0]!.path, cookie, routes[0]!.expect)
  rss.stop()
  const hwmKb = rss.hwmKb
  const peakKb = Math.max(rss.peakKb, hwmKb)
  await server.stop()

  say(`baseline: the same SQL on raw pg, ${cfg.connections} workers, pg.Pool of ${POOL_SIZE}, ${cfg.baselineDuration} s per page`)
  const baselines: Record<string, LoopResult> = {}
  for (const route of routes) {
    const page = PAGES[route.page]
    baselines[route.page] = await pgLoop({
      workers: cfg.connections,
      poolSize: POOL_SIZE,
      duration: cfg.baselineDuration,
      iteration: (pool) => page.run(pool, token, slug),
    })
  }

  console.log()
  console.log(`Web: signed-in organisation pages (${org.name}, ${org.members} members, as owner ${org.email})`)
  console.log(`  autocannon on loopback, ${cfg.connections} connections, ${cfg.duration} s per page after ${cfg.warmup} s warm-up; ${machineSummary()}`)
  console.log(`  autocannon runs in the benchmark process on the same machine as the server and PostgreSQL.`)
  console.log(`  Before the run: ${loadBefore.text}.`)
  console.log()
  table(
    ['route', 'req/s', 'p50', 'p99', 'max', 'errors', 'non-2xx', 'KB/page', 'CPU/req', `p99 < ${GOAL_P99_MS} ms`],
    results.map(({ route, bytes, r, cpuMs }) => [
      `GET ${route.path}`,
      fmtRate(r.rps),
      fmtMs(r.p50),
      fmtMs(r.p99),
      fmtMs(r.max),
      String(r.errors),
      String(r.non2xx),
      (bytes / 1024).toFixed(1),
      fmtMs(cpuMs),
      verdict(r.p99, GOAL_P99_MS),
    ]),
  )
  // Closed loop: each connection waits for its answer, so mean latency = connections / req/s.
  const neededRps = cfg.connections / (GOAL_P99_MS / 1000)
  console.log(
    `  With ${cfg.connections} connections, p99 < ${GOAL_P99_MS} ms needs more than ${fmtRate(neededRps)} req/s (mean latency = connections ÷ req/s), ` +
      `i.e. under ${fmtMs(1000 / neededRps)} of CPU per request in the single-threaded web process; measured: ` +
      results.map(({ route, cpuMs }) => `${route.page} ${fmtMs(cpuMs)}`).join(', ') +
      '.',
  )
  console.log()
  table(
    ['web process memory', 'RSS', `RSS < ${GOAL_RSS_MB} MB`],
    [
      ['at start (after /healthz)', fmtMB(idleKb), ''],
      ['peak, 250 ms samples', fmtMB(rss.peakKb), ''],
      ['peak, kernel VmHWM', fmtMB(hwmKb), ''],
      ['peak RSS', fmtMB(peakKb), verdict(peakKb / 1024, GOAL_RSS_MB)],
    ],
  )
  console.log(`  measured: ${rss.describe()} (${rss.samples} samples) — the bundled server process (node build/server.js), as production runs it`)
  console.log()
  console.log(`Baseline: the SQL each page's loaders send (session by hashed token, membership + organisation, switcher, last-seen touch, page data),`)
  console.log(`  hand-written on raw pg, ${cfg.connections} concurrent workers on a pg.Pool of ${POOL_SIZE}, ${cfg.baselineDuration} s after a 2 s warm-up; no HTTP, Remix, Prisma or React`)
  console.log()
  table(
    ['raw pg, same work as', 'statements', 'req/s', 'p50', 'p99', 'max', 'CPU/req'],
    routes.map((route) => {
      const b = baselines[route.page]!
      return [`GET ${route.path}`, String(PAGES[route.page].statements), fmtRate(b.rps), fmtMs(b.p50), fmtMs(b.p99), fmtMs(b.max), fmtMs(b.cpuMsPerIteration)]
    }),
  )
  console.log()
  for (const { route, r, cpuMs } of results) {
    const b = baselines[route.page]!
    console.log(
      `  app page vs raw pg queries, GET ${route.path}: ${fmtRatio(b.rps / r.rps)} slower per request ` +
        `(${fmtRate(r.rps)} vs ${fmtRate(b.rps)} req/s at ${cfg.connections} concurrent; p50 ${fmtMs(r.p50)} vs ${fmtMs(b.p50)}; ` +
        `node CPU ${fmtMs(cpuMs)} vs ${fmtMs(b.cpuMsPerIteration)} per request)`,
    )
  }
  console.log(`  CPU/req: user+system CPU of the web process (app) or of the benchmark process (raw pg) per request; PostgreSQL's own CPU is in neither.`)
  console.log()
})
