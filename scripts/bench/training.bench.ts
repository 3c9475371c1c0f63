/**
 * Training benchmark: 10,000 staff × 10 modules (BENCH_TRAINING_STAFF, BENCH_TRAINING_MODULES).
 *
 * 1. Makes a fresh organisation in the benchmark database with raw `pg`: 100 line managers,
 *    10,000 staff reporting to them, 10 modules and one open assignment per person and module
 *    (100,000), due dates spread from 15 days ago to 24 days ahead, so that over half of them
 *    are on a rung of the reminder ladder (due soon, overdue, escalated) — a worst case: a
 *    whole organisation assigned at once and never acting.
 * 2. The reminder run (app/models/training/training-reminder.server.ts), in this process, as the job
 *    runs it: repeated bounded runs until nothing is left — reminders and inbox notices
 *    recorded, then one digest email per person rendered (react-email) and written to the
 *    outbox, each in a transaction of its own. Quiet hours are off for the organisation.
 *    A second run straight after (nothing to do) shows the cost of an idle hourly run.
 * 3. The manager report: getAdoptionReport (app/models/training/training-report.server.ts), median of
 *    5 warm runs.
 * 4. Baselines (project rule: a benchmark prints its ratio to the bare SQL doing the same
 *    work), on raw `pg`: the selection of assignments due a reminder with their recipient (one
 *    SELECT over the same rows), and the report's aggregates and overdue list as hand-written SQL.
 *
 * Each run leaves one organisation's audit events in the benchmark database (the audit table
 * refuses DELETE); its people, assignments, notices and emails are deleted at the end.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { fmtRatio, getConfig, loadNote, machineSummary, main, onCleanup, say, table } from './lib.ts'

const STAFF = Math.max(10, Math.round(Number(process.env.BENCH_TRAINING_STAFF ?? 10_000)))
const MODULES = Math.max(1, Math.round(Number(process.env.BENCH_TRAINING_MODULES ?? 10)))
const MANAGERS = Math.max(1, Math.round(STAFF / 100))

process.env.SESSION_SECRET ??= randomBytes(32).toString('hex')
process.env.APP_URL ??= 'http://127.0.0.1:3000'
process.env.LOG_LEVEL ??= 'warn'

const secs = (ms: number) => (ms / 1000).toFixed(2)
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`
/** A `timestamp(3)` literal (the columns are UTC without zone). */
const ts = (d: Date) => d.toISOString().replace('Z', '')

async function makeOrg(client: pg.Client, now: Date) {
  const s = randomBytes(4).toString('hex')
  const org = `bt${s}org`
  await client.query('BEGIN')
  await client.query(
    `INSERT INTO "Organization" (id, slug, name, "timeZone", "quietHoursStart", "quietHoursEnd", "updatedAt") VALUES ($1, $2, $3, 'UTC', 0, 0, now())`,
    [org, `bench-training-${s}`, `Bench Training ${s}`],
  )
  // People: managers first (role manager), then staff reporting to manager (i % MANAGERS).
  await client.query(
    `INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt")
     SELECT 'bt${s}u' || i, 'bench-training-${s}-' || i || '@example.test', 'Person ' || i, 'x', now() FROM generate_series(0, $1::int - 1) i`,
    [MANAGERS + STAFF],
  )
  await client.query(
    `INSERT INTO "Membership" (id, "organizationId", "userId", role, function, unit, "createdAt", "updatedAt")
     SELECT 'bt${s}m' || i, $1, 'bt${s}u' || i, 'manager', 'operations', 'Unit ' || (i % 20), $3::timestamp - interval '1 year' + make_interval(secs => i), now()
       FROM generate_series(0, $2::int - 1) i`,
    [org, MANAGERS, ts(now)],
  )
  await client.query(
    `INSERT INTO "Membership" (id, "organizationId", "userId", role, function, unit, "managerId", "createdAt", "updatedAt")
     SELECT 'bt${s}m' || i, $1, 'bt${s}u' || i, 'staff', 'clinical', 'Unit ' || (i % 20), 'bt${s}m' || (i % $2::int), $4::timestamp - interval '1 year' + make_interval(secs => i), now()
       FROM generate_series($2::int, $2::int + $3::int - 1) i`,
    [org, MANAGERS, STAFF, ts(now)],
  )
  await client.query(
    `INSERT INTO "TrainingModule" (id, "organizationId", title, "updatedAt")
     SELECT 'bt${s}mod' || j, $1, 'Module ' || j || ': go-live essentials', now() FROM generate_series(0, $2::int - 1) j`,
    [org, MODULES],
  )
  // Due from 15 days ago to 24 days ahead, a few hours apart.
  await client.query(
    `INSERT INTO "TrainingAssignment" (id, "organizationId", "moduleId", "membershipId", reason, status, "dueAt", "createdAt", "updatedAt")
     SELECT 'bt${s}a' || i || '_' || j, $1, 'bt${s}mod' || j, 'bt${s}m' || i, 'rule', 'open',
            $5::timestamp + make_interval(days => ((i * 7 + j * 3) % 40) - 15, hours => (i + j) % 24),
            $5::timestamp - interval '30 days', $5::timestamp - interval '30 days'
       FROM generate_series($2::int, $2::int + $3::int - 1) i, generate_series(0, $4::int - 1) j`,
    [org, MANAGERS, STAFF, MODULES, ts(now)],
  )
  await client.query('COMMIT')
  await client.query('ANALYZE "TrainingAssignment"; ANALYZE "Membership"')
  return { org, s, userPrefix: `bt${s}u`, ownerMembership: `bt${s}m0`, ownerUser: `bt${s}u0`, ownerEmail: `bench-training-${s}-0@example.test`, slug: `bench-training-${s}` }
}

/** Baseline 1: the assignments due a reminder now, with the rung and the recipient, in one SELECT. */
const SELECT_DUE = `
  SELECT a.id, a."membershipId", a."dueAt", mod.title, u.name,
         CASE WHEN mgr.status = 'active' THEN mgr.id END AS manager,
         CASE WHEN $2::timestamp >= a."dueAt" + interval '9 days' THEN 'escalation'
              WHEN $2::timestamp >= a."dueAt" + interval '6 days' THEN 'overdue_3'
              WHEN $2::timestamp >= a."dueAt" + interval '3 days' THEN 'overdue_2'
              WHEN $2::timestamp >= a."dueAt" THEN 'overdue_1'
              WHEN $2::timestamp >= a."dueAt" - interval '1 day' THEN 'due_1'
              ELSE 'due_7' END AS kind
    FROM "TrainingAssignment" a
    JOIN "Membership" m ON m.id = a."membershipId" AND m."organizationId" = $1 AND m.status = 'active'
    JOIN "User" u ON u.id = m."userId"
    LEFT JOIN "Membership" mgr ON mgr.id = m."managerId"
    JOIN "TrainingModule" mod ON mod.id = a."moduleId" AND mod."archivedAt" IS NULL
   WHERE a."organizationId" = $1 AND a.status = 'open' AND a."dueAt" <= $2::timestamp + interval '7 days'`

/** Baseline 2: the report's figures (needs by role, unit and module, totals, overdue list and count). */
const NEEDS = `WITH needs AS (
  SELECT a."membershipId", a."moduleId",
         bool_or(a.status = 'completed' AND (a."expiresAt" IS NULL OR a."expiresAt" > $2::timestamp)) AS met,
         bool_or(a.status = 'open' AND a."dueAt" < $2::timestamp) AS overdue
    FROM "TrainingAssignment" a
    JOIN "Membership" m ON m.id = a."membershipId" AND m."organizationId" = $1 AND m.status = 'active'
    JOIN "TrainingModule" mod ON mod.id = a."moduleId" AND mod."archivedAt" IS NULL
   WHERE a."organizationId" = $1 AND a.status <> 'cancelled'
   GROUP BY 1, 2)`
const REPORT_SQL = [
  `${NEEDS} SELECT m.role, count(*), count(*) FILTER (WHERE n.met), count(*) FILTER (WHERE n.overdue AND NOT n.met) FROM needs n JOIN "Membership" m ON m.id = n."membershipId" GROUP BY 1`,
  `${NEEDS} SELECT m.unit, count(*), count(*) FILTER (WHERE n.met), count(*) FILTER (WHERE n.overdue AND NOT n.met) FROM needs n JOIN "Membership" m ON m.id = n."membershipId" GROUP BY 1`,
  `${NEEDS} SELECT n."moduleId", count(*), count(*) FILTER (WHERE n.met), count(*) FILTER (WHERE n.overdue AND NOT n.met) FROM needs n GROUP BY 1`,
  `${NEEDS} SELECT count(*), count(*) FILTER (WHERE met), count(*) FILTER (WHERE overdue AND NOT met), count(DISTINCT "membershipId") FROM needs`,
  `SELECT a.id, a."dueAt", mod.title, u.name, u.email, m.role, m.unit, mu.name AS manager
     FROM "TrainingAssignment" a JOIN "Membership" m ON m.id = a."membershipId" AND m.status = 'active'
     JOIN "User" u ON u.id = m."userId" JOIN "TrainingModule" mod ON mod.id = a."moduleId" AND mod."archivedAt" IS NULL
     LEFT JOIN "Membership" mm ON mm.id = m."managerId" LEFT JOIN "User" mu ON mu.id = mm."userId"
    WHERE a."organizationId" = $1 AND a.status = 'open' AND a."dueAt" < $2::timestamp ORDER BY a."dueAt", a.id LIMIT 200`,
  `SELECT count(*) FROM "TrainingAssignment" a JOIN "Membership" m ON m.id = a."membershipId" AND m.status = 'active'
     JOIN "TrainingModule" mod ON mod.id = a."moduleId" AND mod."archivedAt" IS NULL
    WHERE a."organizationId" = $1 AND a.status = 'open' AND a."dueAt" < $2::timestamp`,
  `SELECT role, count(*), count(*) FILTER (WHERE "lastSeenAt" >= $2::timestamp - interval '7 days') FROM "Membership" WHERE "organizationId" = $1 AND status = 'active' GROUP BY 1`,
]

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

await main(async () => {
  const cfg = getConfig()
  const before = loadNote()
  say(`machine: ${machineSummary()}; ${before.text}`)
  const client = new pg.Client({ connectionString: cfg.databaseUrl })
  await client.connect()
  onCleanup(() => client.end())
  const pool = new pg.Pool({ connectionString: cfg.databaseUrl, max: 10 })
  onCleanup(() => pool.end())

  const { runTrainingReminders } = await import('#app/models/training/training-reminder.server.ts')
  const { getAdoptionReport } = await import('#app/models/training/training-report.server.ts')
  const { prisma } = await import('#app/utils/db.server.ts')
  const { systemScope } = await import('#app/utils/scope.server.ts')
  onCleanup(() => prisma.$disconnect())

  const now = new Date()
  const t0 = performance.now()
  const o = await makeOrg(client, now)
  say(`organisation ${o.slug}: ${MANAGERS} managers, ${STAFF.toLocaleString('en-US')} staff, ${MODULES} modules, ${(STAFF * MODULES).toLocaleString('en-US')} open assignments (made in ${secs(performance.now() - t0)} s)`)
  onCleanup(async () => {
    say('deleting the benchmark organisation’s people, assignments, notices and emails')
    await client.query(`DELETE FROM "EmailOutbox" WHERE "organizationId" = $1`, [o.org])
    await client.query(`DELETE FROM "TrainingModule" WHERE "organizationId" = $1`, [o.org]) // assignments, reminders cascade
    await client.query(`DELETE FROM "User" WHERE id LIKE $1`, [`${o.userPrefix}%`]) // memberships, notices cascade
  })

  // Warm-up: module loading, the first connection, query plans; a tiny run in another organisation is not needed.
  await prisma.organization.findUnique({ where: { id: o.org } })

  // ── baseline 1 ─────────────────────────────────────────────────────────────────────────
  const selectTimes: number[] = []
  let due = 0
  for (let i = 0; i < 3; i++) {
    const a = performance.now()
    due = (await client.query(SELECT_DUE, [o.org, ts(now)])).rowCount ?? 0
    selectTimes.push(performance.now() - a)
  }
  const selectMs = median(selectTimes)
  say(`baseline: ${due.toLocaleString('en-US')} assignments due a reminder, selected with their rung and recipient in ${ms(selectMs)} (raw pg, median of 3)`)

  // ── the reminder run ───────────────────────────────────────────────────────────────────
  let runs = 0
  let recorded = 0
  let emailed = 0
  let recordMs = 0
  const r0 = performance.now()
  for (;;) {
    runs++
    const a = performance.now()
    let phase1Done = 0
    const result = await runTrainingReminders(systemScope(o.org), {
      now,
      onProgress: (p) => {
        if (!phase1Done && p.emailed === 0) phase1Done = performance.now()
      },
    })
    recordMs += (phase1Done || performance.now()) - a
    recorded += result.recorded
    emailed += result.emailed
    if (result.failed) throw new Error(`${result.failed} digests failed`)
    if (!result.more) break
  }
  const runMs = performance.now() - r0
  say(`reminder runs: ${runs} bounded runs, ${recorded.toLocaleString('en-US')} reminders + notices recorded, ${emailed.toLocaleString('en-US')} digests queued in ${secs(runMs)} s`)
  const i0 = performance.now()
  const idle = await runTrainingReminders(systemScope(o.org), { now })
  const idleMs = performance.now() - i0
  if (idle.recorded || idle.emailed) throw new Error(`a second run found work: ${JSON.stringify(idle)}`)

  const [{ n: outbox }] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "EmailOutbox" WHERE "organizationId" = $1`, [o.org])).rows as [{ n: number }]
  const [{ n: notices }] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Notification" WHERE "organizationId" = $1 AND kind <> 'training.escalated'`, [o.org])).rows as [{ n: number }]
  // One notice per reminder (escalated members' own "your manager has been told" notices aside).
  if (recorded !== due || notices !== due) throw new Error(`expected ${due} reminders and notices, got ${recorded} and ${notices}`)

  // ── the manager report ─────────────────────────────────────────────────────────────────
  const scope = {
    organizationId: o.org,
    orgSlug: o.slug,
    orgName: o.slug,
    timeZone: 'UTC',
    userId: o.ownerUser,
    userEmail: o.ownerEmail,
    role: 'manager' as const,
    membershipId: o.ownerMembership,
  }
  await getAdoptionReport(scope, { now })
  const reportTimes: number[] = []
  let report: Awaited<ReturnType<typeof getAdoptionReport>> | undefined
  for (let i = 0; i < 5; i++) {
    const a = performance.now()
    report = await getAdoptionReport(scope, { now })
    reportTimes.push(performance.now() - a)
  }
  const reportMs = median(reportTimes)
  await Promise.all(REPORT_SQL.map((sql) => pool.query(sql, [o.org, ts(now)])))
  const rawTimes: number[] = []
  for (let i = 0; i < 5; i++) {
    const a = performance.now()
    await Promise.all(REPORT_SQL.map((sql) => pool.query(sql, [o.org, ts(now)])))
    rawTimes.push(performance.now() - a)
  }
  const rawReportMs = median(rawTimes)

  const rss = process.memoryUsage().rss
  console.log()
  console.log(`Training: ${STAFF.toLocaleString('en-US')} staff × ${MODULES} modules (${(STAFF * MODULES).toLocaleString('en-US')} open assignments), model functions in-process, ${machineSummary()}`)
  console.log(`  Before the run: ${before.text}. Process RSS after the runs: ${(rss / 1024 / 1024).toFixed(0)} MB.`)
  console.log(`  ${due.toLocaleString('en-US')} assignments on a rung of the ladder; ${outbox.toLocaleString('en-US')} digest emails in the outbox (one per person with reminders, managers' escalations included).`)
  console.log()
  table(
    ['work', 'rows', 'time', 'raw pg', 'ratio'],
    [
      ['reminders + inbox notices recorded', recorded.toLocaleString('en-US'), `${secs(recordMs)} s`, ms(selectMs), fmtRatio(recordMs / selectMs)],
      ['whole reminder run (+ digests rendered, queued)', `${emailed.toLocaleString('en-US')} emails`, `${secs(runMs)} s`, ms(selectMs), fmtRatio(runMs / selectMs)],
      ['idle hourly run (nothing new)', '0', ms(idleMs), ms(selectMs), fmtRatio(idleMs / selectMs)],
      [`manager report (getAdoptionReport, median of 5)`, `${report!.totals.overdue.toLocaleString('en-US')} overdue`, ms(reportMs), ms(rawReportMs), fmtRatio(reportMs / rawReportMs)],
    ],
  )
  console.log()
  console.log(`  raw pg: reminders = one SELECT of the assignments due a reminder with rung and recipient; report = the same aggregates and overdue list as hand-written SQL on a pool of 10.`)
  console.log(`  The reminder run also writes every reminder, notice and audit event, renders ${emailed.toLocaleString('en-US')} react-email digests and writes each in a transaction of its own (${runs} bounded runs of ≤ 500 digests, as the job would).`)
  console.log()
})
