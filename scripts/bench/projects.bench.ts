/**
 * Projects benchmark (issue goal: the project list at 500 projects and the timeline at 200 steps
 * within 3× of the bare SQL of the same data, p50 ≤ 150 ms).
 *
 * 1. Makes a fresh organisation with raw `pg`: 40 members, BENCH_PROJECTS (500) projects, each
 *    with its five phases and the fourteen standard steps (7,000 steps), dates spread so that
 *    health varies (late, at risk, on track), and one more project whose plan holds
 *    BENCH_TIMELINE_STEPS (200) steps with baselines.
 * 2. Times, in this process (no HTTP), what the loaders compute: the list's first page, a
 *    filtered and searched page, a deep page (listProjects: rows, counts, phase and health of
 *    each), and the timeline (getProject + projectView + timelineLayout, i.e. everything the
 *    SVG is drawn from). Median and p95 of BENCH_PROJECTS_REPEAT runs after a warm-up.
 * 3. Baseline (project rule): the same rows selected by bare SQL over raw `pg` (the page with
 *    owner names, its phases and steps, the total), printed as a ratio.
 *
 * Each run leaves one organisation's rows behind in the benchmark database (its own slug).
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { benchScope, fmtRatio, getConfig, loadNote, machineSummary, main, makeBenchOrg, onCleanup, say, table, verdict } from './lib.ts'

const PROJECTS = Math.max(1, Math.round(Number(process.env.BENCH_PROJECTS ?? 500)))
const TIMELINE_STEPS = Math.max(14, Math.round(Number(process.env.BENCH_TIMELINE_STEPS ?? 200)))
const REPEAT = Math.max(3, Math.round(Number(process.env.BENCH_PROJECTS_REPEAT ?? 30)))
const GOAL_MS = 150
const GOAL_RATIO = 3

process.env.SESSION_SECRET ??= randomBytes(32).toString('hex')
process.env.APP_URL ??= 'http://127.0.0.1:3000'
process.env.LOG_LEVEL ??= 'warn'

async function timeIt(fn: () => Promise<unknown>) {
  await fn() // warm-up: plans, JIT, connection
  const times: number[] = []
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now()
    await fn()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)]!, p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]! }
}

main(async () => {
  const config = getConfig()
  const projects = await import('#app/models/projects/projects.server.ts')
  const { timelineLayout } = await import('#app/models/projects/timeline.ts')
  const client = new pg.Client({ connectionString: config.databaseUrl })
  await client.connect()
  onCleanup(() => client.end())

  const org = await makeBenchOrg(client, 'projects')
  const s = org.id
  say(`inserting 40 members, ${PROJECTS} projects with ${PROJECTS * 14} steps, and one of ${TIMELINE_STEPS} steps`)
  await client.query('BEGIN')
  await client.query(
    `INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt")
     SELECT $1 || 'u' || i, $1 || '-' || i || '@example.test', 'Manager ' || i, 'x', now() FROM generate_series(1, 40) i`,
    [s],
  )
  await client.query(
    `INSERT INTO "Membership" (id, "organizationId", "userId", role, function, "updatedAt")
     SELECT $1 || 'm' || i, $1, $1 || 'u' || i, 'manager', 'it', now() FROM generate_series(1, 40) i`,
    [s],
  )
  // Projects: start 0–400 days ago, 180 days long; statuses mostly active.
  await client.query(
    `INSERT INTO "Project" (id, "organizationId", name, goal, approach, "ownerId", "startDate", "targetGoLive", status, "updatedAt")
     SELECT $1 || 'p' || i, $1, 'Project ' || lpad(i::text, 4, '0') || ' — interface rollout', 'Goal of project ' || i, 'via_engine',
            $1 || 'm' || (1 + i % 40), current_date - (i % 400), current_date - (i % 400) + 180,
            (ARRAY['active','active','active','planned','on_hold','done'])[1 + i % 6]::"ProjectStatus", now() - make_interval(mins => i)
       FROM generate_series(1, $2::int) i`,
    [s, PROJECTS],
  )
  await client.query(
    `INSERT INTO "ProjectPhase" (id, "organizationId", "projectId", kind, status, "ownerId", "plannedStart", "plannedEnd")
     SELECT $1 || 'p' || i || 'ph' || k, $1, $1 || 'p' || i, (ARRAY['discovery','design','testing','deployment','maintenance'])[k]::"ProjectPhaseKind",
            (CASE WHEN k * 40 < (i % 400) THEN 'done' WHEN (k - 1) * 40 < (i % 400) THEN 'in_progress' ELSE 'not_started' END)::"PlanStatus",
            $1 || 'm' || (1 + (i + k) % 40), current_date - (i % 400) + (k - 1) * 36, current_date - (i % 400) + k * 36
       FROM generate_series(1, $2::int) i, generate_series(1, 5) k`,
    [s, PROJECTS],
  )
  // Fourteen steps: 3, 3, 3, 3, 2 per phase; some done, so health varies.
  await client.query(
    `INSERT INTO "ProjectStep" (id, "organizationId", "projectId", "phaseId", position, "standardKey", title, status, "ownerId", "plannedStart", "plannedEnd", "updatedAt")
     SELECT $1 || 'p' || i || 'st' || n, $1, $1 || 'p' || i, $1 || 'p' || i || 'ph' || (1 + (n - 1) / 3), 1 + (n - 1) % 3, 'step_' || n, 'Step ' || n,
            (CASE WHEN n * 12 < (i % 400) - (i % 7) * 5 THEN 'done' ELSE 'not_started' END)::"PlanStatus",
            $1 || 'm' || (1 + (i + n) % 40), current_date - (i % 400) + (n - 1) * 12, current_date - (i % 400) + n * 12, now()
       FROM generate_series(1, $2::int) i, generate_series(1, 14) n`,
    [s, PROJECTS],
  )
  // The big plan: one project, TIMELINE_STEPS steps spread over its five phases, with baselines.
  const big = `${s}big`
  await client.query(
    `INSERT INTO "Project" (id, "organizationId", name, goal, approach, "ownerId", "startDate", "targetGoLive", status, "baselineSetAt", "updatedAt")
     VALUES ($1, $2, 'A very large programme', 'Many steps', 'via_engine', $2 || 'm1', current_date - 100, current_date + 400, 'active', now(), now())`,
    [big, s],
  )
  await client.query(
    `INSERT INTO "ProjectPhase" (id, "organizationId", "projectId", kind, status, "ownerId", "plannedStart", "plannedEnd", "baselineStart", "baselineEnd", "actualStart")
     SELECT $1 || 'ph' || k, $2, $1, (ARRAY['discovery','design','testing','deployment','maintenance'])[k]::"ProjectPhaseKind", 'in_progress', $2 || 'm' || k,
            current_date - 100 + (k - 1) * 100, current_date - 100 + k * 100, current_date - 100 + (k - 1) * 95, current_date - 100 + k * 95, current_date - 100 + (k - 1) * 100
       FROM generate_series(1, 5) k`,
    [big, s],
  )
  await client.query(
    `INSERT INTO "ProjectStep" (id, "organizationId", "projectId", "phaseId", position, title, status, "ownerId", "plannedStart", "plannedEnd", "baselineStart", "baselineEnd", "actualStart", "updatedAt")
     SELECT $1 || 'st' || n, $2, $1, $1 || 'ph' || (1 + (n - 1) * 5 / $3::int), n, 'Work package ' || n,
            (CASE WHEN n < $3::int / 5 THEN 'done' ELSE 'not_started' END)::"PlanStatus", $2 || 'm' || (1 + n % 40),
            current_date - 100 + n * 500 / $3::int, current_date - 100 + n * 500 / $3::int + 10,
            current_date - 100 + n * 480 / $3::int, current_date - 100 + n * 480 / $3::int + 10,
            CASE WHEN n < $3::int / 5 THEN current_date - 100 + n * 500 / $3::int END, now()
       FROM generate_series(1, $3::int) n`,
    [big, s, TIMELINE_STEPS],
  )
  await client.query('COMMIT')
  await client.query('ANALYZE "Project"; ANALYZE "ProjectPhase"; ANALYZE "ProjectStep"')

  const scope = { ...benchScope(org), role: 'manager' as const }
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 })
  onCleanup(() => pool.end())
  const q = (sql: string, params: unknown[]) => pool.query(sql, params)

  // The bare SQL of a list page: the page of projects with owner names, their phases and steps, the total.
  const listSql = async (where: string, params: unknown[], offset: number) => {
    const page = await q(
      `SELECT p.id, p.name, p.status, p."startDate", p."targetGoLive", p."updatedAt", u.name AS owner,
              (SELECT count(*) FROM "ProjectInterface" pi WHERE pi."projectId" = p.id) AS interfaces,
              (SELECT count(*) FROM "ProjectSystem" ps WHERE ps."projectId" = p.id) AS systems
         FROM "Project" p LEFT JOIN "Membership" m ON m.id = p."ownerId" LEFT JOIN "User" u ON u.id = m."userId"
        WHERE p."organizationId" = $1 ${where} ORDER BY p.name, p.id LIMIT 25 OFFSET ${offset}`,
      params,
    )
    const ids = page.rows.map((r) => r.id as string)
    await Promise.all([
      q(`SELECT "projectId", kind, status, "plannedStart", "plannedEnd" FROM "ProjectPhase" WHERE "projectId" = ANY($1)`, [ids]),
      q(`SELECT "projectId", status, "plannedStart", "plannedEnd" FROM "ProjectStep" WHERE "projectId" = ANY($1)`, [ids]),
      q(`SELECT count(*) FROM "Project" p WHERE p."organizationId" = $1 ${where}`, params),
    ])
  }
  const deepPage = Math.max(1, Math.floor(PROJECTS / 25 / 2))

  const cases: { name: string; app: () => Promise<unknown>; sql: () => Promise<unknown> }[] = [
    { name: 'project list, page 1', app: () => projects.listProjects(scope, { page: 1 }), sql: () => listSql('', [s], 0) },
    {
      name: 'active, search "rollout", page 2',
      app: () => projects.listProjects(scope, { status: 'active', q: 'rollout', page: 2 }),
      sql: () => listSql(`AND p.status = 'active' AND (p.name ILIKE $2 OR p.goal ILIKE $2)`, [s, '%rollout%'], 25),
    },
    { name: `project list, page ${deepPage}`, app: () => projects.listProjects(scope, { page: deepPage }), sql: () => listSql('', [s], (deepPage - 1) * 25) },
    {
      name: `timeline, ${TIMELINE_STEPS} steps`,
      app: async () => {
        const detail = await projects.getProject(scope, big)
        const view = projects.projectView(detail!)
        return timelineLayout(view.timeline, view.milestones, view.today)
      },
      sql: () =>
        Promise.all([
          q(`SELECT p.*, u.name AS owner FROM "Project" p LEFT JOIN "Membership" m ON m.id = p."ownerId" LEFT JOIN "User" u ON u.id = m."userId" WHERE p.id = $1 AND p."organizationId" = $2`, [big, s]),
          q(`SELECT ph.*, u.name AS owner FROM "ProjectPhase" ph LEFT JOIN "Membership" m ON m.id = ph."ownerId" LEFT JOIN "User" u ON u.id = m."userId" WHERE ph."projectId" = $1`, [big]),
          q(`SELECT st.*, u.name AS owner FROM "ProjectStep" st LEFT JOIN "Membership" m ON m.id = st."ownerId" LEFT JOIN "User" u ON u.id = m."userId" WHERE st."projectId" = $1 ORDER BY st.position`, [big]),
          q(`SELECT i.id, i.name FROM "ProjectInterface" pi JOIN "Interface" i ON i.id = pi."interfaceId" WHERE pi."projectId" = $1`, [big]),
          q(`SELECT sy.id, sy.name FROM "ProjectSystem" ps JOIN "System" sy ON sy.id = ps."systemId" WHERE ps."projectId" = $1`, [big]),
        ]),
    },
  ]

  // The app's answers are checked once, so the timings are of real work.
  const first = await projects.listProjects(scope, { page: 1 })
  if (first.total !== PROJECTS + 1 || first.projects.length !== 25) throw new Error(`the list should hold ${PROJECTS + 1} projects (got ${first.total})`)
  const detail = await projects.getProject(scope, big)
  if (detail?.phases.flatMap((p) => p.steps).length !== TIMELINE_STEPS) throw new Error(`the big plan should hold ${TIMELINE_STEPS} steps`)

  const rows: string[][] = []
  for (const c of cases) {
    say(c.name)
    const app = await timeIt(c.app)
    const sql = await timeIt(c.sql)
    const ratio = app.median / sql.median
    rows.push([c.name, `${app.median.toFixed(1)} ms`, `${app.p95.toFixed(1)} ms`, `${sql.median.toFixed(1)} ms`, fmtRatio(ratio), `${verdict(app.median, GOAL_MS)} / ${verdict(ratio, GOAL_RATIO)}`])
  }
  console.log()
  console.log(`Projects: ${PROJECTS} projects of 14 steps, one of ${TIMELINE_STEPS}; ${REPEAT} runs each after a warm-up. ${machineSummary()}; ${loadNote().text}`)
  console.log(`Goal: p50 ≤ ${GOAL_MS} ms and ≤ ${GOAL_RATIO}× the bare SQL of the same data (median of each).`)
  table(['loader data', 'p50', 'p95', 'bare SQL p50', 'ratio', `p50 ≤ ${GOAL_MS} ms / ≤ ${GOAL_RATIO}×`], rows)
})
