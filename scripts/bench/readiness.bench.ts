/**
 * Readiness benchmark (issue 11: the scorecard of a project with 50 interfaces in scope, 2,000
 * mapping rows, 500 scenarios, 2,000 runs and 10,000 staff, and the portfolio of 200 projects,
 * against the bare SQL of the same checks: goal ≤ 3× and p50 ≤ 200 ms).
 *
 * 1. Makes a fresh organisation with raw `pg`: BENCH_READINESS_STAFF (10,000) staff in 50 units,
 *    each with the module required for go-live assigned (80 % completed); BENCH_READINESS_PROJECTS
 *    (200) projects with their five phases and fourteen steps, RACI rows (steps and interfaces,
 *    four cells each), a security assessment, a pilot and a wave; 200 interfaces (some
 *    point-to-point); the big project has 50 interfaces in scope, each with a mapping of 40 rows
 *    and 10 code maps (2,000 rows), 10 scenarios (500) with 4 runs each (2,000), a sign-off and
 *    defects; the others 3 interfaces each.
 * 2. Times, in this process (no HTTP), what the loaders compute: `projectReadiness` (the
 *    scorecard with its per-interface and per-wave rows) and `portfolioReadiness` (every project).
 *    Median and p95 of BENCH_READINESS_REPEAT runs after a warm-up.
 * 3. Baseline: the same data selected by bare SQL over raw `pg` — the queries each check's loader
 *    needs, run together — printed as a ratio.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { benchScope, fmtRatio, getConfig, loadNote, machineSummary, main, makeBenchOrg, onCleanup, say, table, verdict } from './lib.ts'

const STAFF = Math.max(100, Math.round(Number(process.env.BENCH_READINESS_STAFF ?? 10_000)))
const PROJECTS = Math.max(2, Math.round(Number(process.env.BENCH_READINESS_PROJECTS ?? 200)))
const REPEAT = Math.max(3, Math.round(Number(process.env.BENCH_READINESS_REPEAT ?? 20)))
const BIG_INTERFACES = 50
const INTERFACES = 200
const GOAL_MS = 200
const GOAL_RATIO = 3

process.env.SESSION_SECRET ??= randomBytes(32).toString('hex')
process.env.APP_URL ??= 'http://127.0.0.1:3000'
process.env.LOG_LEVEL ??= 'warn'

async function timeIt(fn: () => Promise<unknown>) {
  await fn()
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
  const readiness = await import('#app/models/readiness/readiness.server.ts')
  const client = new pg.Client({ connectionString: config.databaseUrl })
  await client.connect()
  onCleanup(() => client.end())
  const org = await makeBenchOrg(client, 'readiness')
  const s = org.id
  const big = `${s}p1`
  const exec = (sql: string, params: unknown[] = [s]) => client.query(sql, params)
  say(`inserting ${STAFF} staff, ${PROJECTS} projects, ${INTERFACES} interfaces; the big project: ${BIG_INTERFACES} interfaces, 2,000 mapping rows, 500 scenarios, 2,000 runs`)
  await exec('BEGIN', [])
  await exec(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") SELECT $1 || 'u' || i, $1 || '-' || i || '@example.test', 'Person ' || i, 'x', now() FROM generate_series(1, $2::int) i`, [s, STAFF])
  await exec(
    `INSERT INTO "Membership" (id, "organizationId", "userId", role, function, unit, "updatedAt")
     SELECT $1 || 'm' || i, $1, $1 || 'u' || i,
            (CASE WHEN i % 50 = 0 THEN 'clinical_lead' WHEN i % 97 = 0 THEN 'compliance' ELSE 'staff' END)::"Role",
            (CASE WHEN i % 50 = 0 THEN 'clinical' WHEN i % 97 = 0 THEN 'compliance' WHEN i % 3 = 0 THEN 'operations' ELSE 'clinical' END)::"MemberFunction",
            'Unit ' || (i % 50), now()
       FROM generate_series(1, $2::int) i`,
    [s, STAFF],
  )
  await exec(`UPDATE "Organization" SET "highRiskRoles" = ARRAY['clinical_lead']::"Role"[] WHERE id = $1`)
  await exec(`INSERT INTO "TrainingModule" (id, "organizationId", title, "requiredForGoLive", "updatedAt") VALUES ($1 || 'mod', $1, 'Go-live basics', true, now())`)
  await exec(
    `INSERT INTO "TrainingAssignment" (id, "organizationId", "membershipId", "moduleId", "dueAt", status, reason, "completedAt", "updatedAt")
     SELECT $1 || 'a' || i, $1, $1 || 'm' || i, $1 || 'mod', now(), (CASE WHEN i % 5 = 0 THEN 'open' ELSE 'completed' END)::"AssignmentStatus", 'manual',
            CASE WHEN i % 5 = 0 THEN NULL ELSE now() END, now()
       FROM generate_series(1, $2::int) i`,
    [s, STAFF],
  )
  await exec(`INSERT INTO "System" (id, "organizationId", name, kind, "updatedAt") SELECT $1 || 's' || i, $1, 'System ' || i, 'other', now() FROM generate_series(1, 60) i`)
  await exec(
    `INSERT INTO "Interface" (id, "organizationId", name, "sourceSystemId", "targetSystemId", standard, "messageTypes", transport, approach, lifecycle, "updatedAt")
     SELECT $1 || 'i' || i, $1, 'Interface ' || lpad(i::text, 3, '0'), $1 || 's' || (1 + i % 60), $1 || 's' || (1 + (i * 7 + 1) % 60),
            (CASE WHEN i % 17 = 0 THEN 'proprietary' ELSE 'hl7v2' END)::"InterfaceStandard", ARRAY['ORU^R01'], 'mllp',
            (CASE WHEN i % 9 = 0 THEN 'point_to_point' ELSE 'via_engine' END)::"IntegrationApproach",
            (CASE WHEN i % 4 = 0 THEN 'live' ELSE 'test' END)::"Lifecycle", now()
       FROM generate_series(1, $2::int) i`,
    [s, INTERFACES],
  )
  await exec(
    `INSERT INTO "Project" (id, "organizationId", name, goal, approach, "ownerId", "startDate", "targetGoLive", status, "updatedAt")
     SELECT $1 || 'p' || i, $1, 'Project ' || lpad(i::text, 3, '0'), 'Goal ' || i, 'via_engine', $1 || 'm' || i, current_date - 100, current_date + 60 + i,
            (ARRAY['active','active','planned','on_hold'])[1 + i % 4]::"ProjectStatus", now()
       FROM generate_series(1, $2::int) i`,
    [s, PROJECTS],
  )
  await exec(
    `INSERT INTO "ProjectPhase" (id, "organizationId", "projectId", kind, status, "plannedStart", "plannedEnd")
     SELECT $1 || 'p' || i || 'ph' || k, $1, $1 || 'p' || i, (ARRAY['discovery','design','testing','deployment','maintenance'])[k]::"ProjectPhaseKind", 'not_started',
            current_date - 100 + (k - 1) * 40, current_date - 100 + k * 40 - 1
       FROM generate_series(1, $2::int) i, generate_series(1, 5) k`,
    [s, PROJECTS],
  )
  await exec(
    `INSERT INTO "ProjectStep" (id, "organizationId", "projectId", "phaseId", position, "standardKey", title, status, "updatedAt")
     SELECT $1 || 'p' || i || 'st' || n, $1, $1 || 'p' || i, $1 || 'p' || i || 'ph' || (1 + (n - 1) / 3), n, CASE WHEN n = 12 THEN 'phased_rollout' ELSE 'step_' || n END, 'Step ' || n, 'not_started', now()
       FROM generate_series(1, $2::int) i, generate_series(1, 14) n`,
    [s, PROJECTS],
  )
  // Scope: the big project the first 50 interfaces; the others three each.
  await exec(`INSERT INTO "ProjectInterface" (id, "organizationId", "projectId", "interfaceId") SELECT $1 || 'pi1-' || i, $1, $1 || 'p1', $1 || 'i' || i FROM generate_series(1, ${BIG_INTERFACES}) i`)
  await exec(
    `INSERT INTO "ProjectInterface" (id, "organizationId", "projectId", "interfaceId")
     SELECT $1 || 'pi' || p || '-' || k, $1, $1 || 'p' || p, $1 || 'i' || (1 + (p * 3 + k) % $2::int) FROM generate_series(2, $3::int) p, generate_series(0, 2) k`,
    [s, INTERFACES, PROJECTS],
  )
  // RACI: a row per step and per interface, four cells each (A, R, clinical C, compliance C).
  await exec(`INSERT INTO "RaciActivity" (id, "organizationId", "projectId", kind, "stepId", category, position, "updatedAt") SELECT 'ra' || st.id, $1, st."projectId", 'step', st.id, 'planning', st.position, now() FROM "ProjectStep" st WHERE st."organizationId" = $1`)
  await exec(`INSERT INTO "RaciActivity" (id, "organizationId", "projectId", kind, "interfaceId", category, position, "updatedAt") SELECT 'ra' || pi.id, $1, pi."projectId", 'interface', pi."interfaceId", 'design', 0, now() FROM "ProjectInterface" pi WHERE pi."organizationId" = $1`)
  await exec(
    `INSERT INTO "RaciAssignment" (id, "organizationId", "projectId", "activityId", "membershipId", function, letter, "updatedAt")
     SELECT a.id || c.k, $1, a."projectId", a.id, CASE WHEN c.k = 'A' THEN $1 || 'm50' WHEN c.k = 'R' THEN $1 || 'm3' END,
            (CASE WHEN c.k = 'C1' THEN 'clinical' WHEN c.k = 'C2' THEN 'compliance' END)::"MemberFunction", (CASE WHEN c.k IN ('C1', 'C2') THEN 'C' ELSE c.k END)::"RaciLetter", now()
       FROM "RaciActivity" a CROSS JOIN (VALUES ('A'), ('R'), ('C1'), ('C2')) c(k) WHERE a."organizationId" = $1`,
  )
  await exec(`INSERT INTO "SecurityAssessment" (id, "organizationId", "projectId", "updatedAt") SELECT 'sa' || p.id, $1, p.id, now() FROM "Project" p WHERE p."organizationId" = $1`)
  await exec(
    `INSERT INTO "SecurityItem" (id, "organizationId", "projectId", "assessmentId", kind, status, "updatedAt")
     SELECT 'si' || p.id || k, $1, p.id, 'sa' || p.id, k::"SecurityItemKind", (CASE WHEN k = 'tls' THEN 'open' ELSE 'done' END)::"SecurityItemStatus", now()
       FROM "Project" p, unnest(ARRAY['tls','encryption_at_rest','access_control','audit_logging','oauth_smart','risk_review']) k WHERE p."organizationId" = $1`,
  )
  await exec(
    `INSERT INTO "ProjectWave" (id, "organizationId", "projectId", kind, name, position, units, "goLive", "updatedAt")
     SELECT $1 || 'p' || i || 'w' || k, $1, $1 || 'p' || i, (CASE WHEN k = 0 THEN 'pilot' ELSE 'expansion' END)::"WaveKind", 'Wave ' || k, k,
            ARRAY['Unit ' || ((i * 2 + k) % 50)], current_date + 60 + i + k * 30, now()
       FROM generate_series(1, $2::int) i, generate_series(0, 1) k`,
    [s, PROJECTS],
  )
  // The big project's mapping (2,000 rows, 500 code maps), UAT (500 scenarios, 2,000 runs, a sign-off, defects).
  await exec(`INSERT INTO "MappingVersion" (id, "organizationId", "interfaceId", number, "updatedAt") SELECT $1 || 'v' || i, $1, $1 || 'i' || i, 1, now() FROM generate_series(1, ${BIG_INTERFACES}) i`)
  await exec(
    `INSERT INTO "MappingRow" (id, "organizationId", "versionId", "lineageId", position, "sourceField", "sourcePath", "targetField", "targetPath", "dataType", requirement, "reviewState", "updatedAt")
     SELECT $1 || 'r' || i || '-' || n, $1, $1 || 'v' || i, $1 || 'l' || i || '-' || n, n, 'OBX-' || n, 'OBX-' || n, 'f' || n, 'Observation.f' || n, 'ST',
            (CASE WHEN n % 2 = 0 THEN 'required' ELSE 'optional' END)::"Requirement", (CASE WHEN i = 7 AND n = 2 THEN 'in_review' ELSE 'approved' END)::"ReviewState", now()
       FROM generate_series(1, ${BIG_INTERFACES}) i, generate_series(1, 40) n`,
  )
  await exec(
    `INSERT INTO "CodeMap" (id, "organizationId", "versionId", "sourceSystem", "localCode", "targetSystem", "targetCode", equivalence, "updatedAt")
     SELECT $1 || 'c' || i || '-' || n, $1, $1 || 'v' || i, 'LAB', 'L' || n, 'http://loinc.org', '1-' || n, 'equal', now() FROM generate_series(1, ${BIG_INTERFACES}) i, generate_series(1, 10) n`,
  )
  await exec(
    `INSERT INTO "UatScenario" (id, "organizationId", "projectId", "interfaceId", number, title, steps, "expectedResult", "updatedAt")
     SELECT $1 || 'sc' || n, $1, $1 || 'p1', $1 || 'i' || (1 + (n - 1) / 10), n, 'Scenario ' || n, 'Steps', 'Result', now() FROM generate_series(1, 500) n`,
  )
  await exec(
    `INSERT INTO "UatRun" (id, "organizationId", "projectId", "scenarioId", result, environment, "executedAt")
     SELECT $1 || 'run' || n || '-' || k, $1, $1 || 'p1', $1 || 'sc' || n, (CASE WHEN k = 4 AND n % 50 = 0 THEN 'fail' ELSE 'pass' END)::"UatResult", 'test', now() - make_interval(days => 10 - k)
       FROM generate_series(1, 500) n, generate_series(1, 4) k`,
  )
  await exec(`INSERT INTO "UatSignoff" (id, "organizationId", "projectId", decision, statement, content, "contentHash", "signerId", "signerName", "stepUpAt") VALUES ($1 || 'so', $1, $1 || 'p1', 'signed', 'I accept', '{}', 'x', $1 || 'm50', 'Lead', now())`)
  await exec(`INSERT INTO "UatSignoffScenario" (id, "organizationId", "signoffId", "scenarioId") SELECT $1 || 'ss' || n, $1, $1 || 'so', $1 || 'sc' || n FROM generate_series(1, 480) n`)
  await exec(`INSERT INTO "UatDefect" (id, "organizationId", "projectId", number, title, severity, status, "updatedAt") SELECT $1 || 'd' || n, $1, $1 || 'p1', n, 'Defect ' || n, 1 + n % 4, (CASE WHEN n % 3 = 0 THEN 'open' ELSE 'fixed' END)::"DefectStatus", now() FROM generate_series(1, 40) n`)
  await exec('COMMIT', [])
  for (const t of ['Membership', 'TrainingAssignment', 'Interface', 'Project', 'ProjectPhase', 'ProjectStep', 'ProjectInterface', 'RaciActivity', 'RaciAssignment', 'ProjectWave', 'MappingRow', 'CodeMap', 'UatScenario', 'UatRun', 'SecurityItem']) await exec(`ANALYZE "${t}"`, [])

  const scope = { ...benchScope(org), role: 'manager' as const }
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 8 })
  onCleanup(() => pool.end())
  const q = (sql: string, params: unknown[]) => pool.query(sql, params)

  /** The bare SQL of the checks over some projects: the data each check's loader reads, in parallel. */
  const checksSql = async (ids: string[]) => {
    const scopeIfs = (await q(`SELECT DISTINCT "interfaceId" FROM "ProjectInterface" WHERE "organizationId" = $1 AND "projectId" = ANY($2)`, [s, ids])).rows.map((r) => r.interfaceId as string)
    const versions = q(`SELECT DISTINCT ON ("interfaceId") id FROM "MappingVersion" WHERE "organizationId" = $1 AND "interfaceId" = ANY($2) ORDER BY "interfaceId", (status = 'draft') DESC, number DESC`, [s, scopeIfs]).then((r) => r.rows.map((x) => x.id as string))
    await Promise.all([
      q(`SELECT p.*, (SELECT json_agg(i.*) FROM "ProjectInterface" pi JOIN "Interface" i ON i.id = pi."interfaceId" WHERE pi."projectId" = p.id) AS interfaces,
                (SELECT json_agg(w.*) FROM "ProjectWave" w WHERE w."projectId" = p.id) AS waves, (SELECT json_agg(ph.*) FROM "ProjectPhase" ph WHERE ph."projectId" = p.id) AS phases
           FROM "Project" p WHERE p."organizationId" = $1 AND p.id = ANY($2)`, [s, ids]),
      q(`SELECT "projectId", "interfaceId" FROM "ProjectDecision" WHERE "organizationId" = $1 AND "projectId" = ANY($2) AND status = 'accepted'`, [s, ids]),
      q(`SELECT i.id, i."sourceSystemId", i."targetSystemId", s1.name, s2.name FROM "Interface" i JOIN "System" s1 ON s1.id = i."sourceSystemId" JOIN "System" s2 ON s2.id = i."targetSystemId" WHERE i."organizationId" = $1 AND approach = 'point_to_point' AND lifecycle <> 'retired'`, [s]),
      versions.then((v) =>
        Promise.all([
          q(`SELECT "versionId", count(*) FILTER (WHERE requirement = 'required'), count(*) FILTER (WHERE requirement = 'required' AND "reviewState" = 'approved') FROM "MappingRow" WHERE "organizationId" = $1 AND "versionId" = ANY($2) GROUP BY 1`, [s, v]),
          q(`SELECT "versionId", count(*), count(*) FILTER (WHERE "targetCode" IS NOT NULL AND equivalence <> 'unmatched') FROM "CodeMap" WHERE "organizationId" = $1 AND "versionId" = ANY($2) GROUP BY 1`, [s, v]),
        ]),
      ),
      q(`SELECT a.id, a."projectId", a.category, jsonb_agg(jsonb_build_array(c."membershipId", c.function, c.letter)) FROM "RaciActivity" a LEFT JOIN "RaciAssignment" c ON c."activityId" = a.id WHERE a."organizationId" = $1 AND a."projectId" = ANY($2) GROUP BY a.id`, [s, ids]),
      q(`SELECT m.id, m.function, m.status, u.name FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."organizationId" = $1 AND m.id IN (SELECT "membershipId" FROM "RaciAssignment" WHERE "organizationId" = $1 AND "projectId" = ANY($2))`, [s, ids]),
      q(`SELECT s.id, s."projectId", (SELECT r.result FROM "UatRun" r WHERE r."scenarioId" = s.id ORDER BY r."executedAt" DESC LIMIT 1),
                EXISTS (SELECT 1 FROM "UatSignoffScenario" ss JOIN "UatSignoff" so ON so.id = ss."signoffId" AND so.decision = 'signed' WHERE ss."scenarioId" = s.id AND NOT EXISTS (SELECT 1 FROM "UatSignoffStale" st WHERE st."signoffId" = so.id))
           FROM "UatScenario" s WHERE s."organizationId" = $1 AND s."projectId" = ANY($2)`, [s, ids]),
      q(`SELECT "projectId", number, severity FROM "UatDefect" WHERE "organizationId" = $1 AND "projectId" = ANY($2) AND status = 'open' AND severity <= 2`, [s, ids]),
      q(`SELECT s."interfaceId", max(r."executedAt") FROM "UatRun" r JOIN "UatScenario" s ON s.id = r."scenarioId" WHERE r."organizationId" = $1 AND r.result = 'pass' AND s."interfaceId" = ANY($2) GROUP BY 1`, [s, scopeIfs]),
      q(`SELECT a."projectId", a."attestedAt", (SELECT count(*) FROM "SecurityItem" i WHERE i."assessmentId" = a.id AND NOT i."outOfScope" AND i.status NOT IN ('done', 'not_applicable')) FROM "SecurityAssessment" a WHERE a."organizationId" = $1 AND a."projectId" = ANY($2)`, [s, ids]),
      q(`WITH person AS (SELECT n."membershipId", bool_and(n.met) AS ready FROM (SELECT a."membershipId", a."moduleId", bool_or(a.status = 'completed') AS met FROM "TrainingAssignment" a
                   JOIN "TrainingModule" mo ON mo.id = a."moduleId" AND mo."requiredForGoLive" WHERE a."organizationId" = $1 AND a.status <> 'cancelled' GROUP BY 1, 2) n GROUP BY 1),
              pm AS (SELECT p."membershipId", p.ready, m.role, lower(btrim(m.unit)) AS unit FROM person p JOIN "Membership" m ON m.id = p."membershipId" AND m.status = 'active'),
              wu AS (SELECT DISTINCT w.id, lower(btrim(u)) AS unit FROM "ProjectWave" w, unnest(w.units) u WHERE w."organizationId" = $1 AND w."projectId" = ANY($2)),
              bu AS (SELECT unit, role, count(*) AS total, count(*) FILTER (WHERE ready) AS ready FROM pm GROUP BY 1, 2)
         SELECT wu.id, bu.role, sum(bu.total), sum(bu.ready) FROM wu JOIN bu ON bu.unit = wu.unit GROUP BY 1, 2`, [s, ids]),
      q(`SELECT "projectId", "checkKey", "expiresOn" FROM "GateExemption" WHERE "organizationId" = $1 AND "projectId" = ANY($2) AND "revokedAt" IS NULL`, [s, ids]),
      q(`SELECT "projectId" FROM "GateOverride" WHERE "organizationId" = $1 AND "projectId" = ANY($2) AND "revokedAt" IS NULL`, [s, ids]),
    ])
  }
  const allIds = (await q(`SELECT id FROM "Project" WHERE "organizationId" = $1`, [s])).rows.map((r) => r.id as string)

  // The app's answers are checked once, so the timings are of real work.
  const card = await readiness.projectReadiness(scope, { projectId: big })
  if (card?.interfaces.length !== BIG_INTERFACES) throw new Error(`the big project should have ${BIG_INTERFACES} interfaces in scope`)
  const uat = card.checks.find((c) => c.key === 'uat')!
  if (uat.status !== 'fail' || !/defect/.test(uat.why)) throw new Error(`the big project's UAT should fail on its open defects (${uat.why})`)
  const portfolio = await readiness.portfolioReadiness(scope, {})
  if (portfolio.total !== PROJECTS) throw new Error(`the portfolio should list ${PROJECTS} projects (got ${portfolio.total})`)
  say(`the big project: ${card.scorePct} % (${card.band}); failing: ${card.failing.map((c) => c.key).join(', ')}`)

  const cases = [
    { name: `scorecard: ${BIG_INTERFACES} interfaces, 2,000 rows, 500 scenarios, 2,000 runs, ${STAFF.toLocaleString('en')} staff`, app: () => readiness.projectReadiness(scope, { projectId: big }), sql: () => checksSql([big]) },
    { name: `portfolio: ${PROJECTS} projects`, app: () => readiness.portfolioReadiness(scope, {}), sql: () => checksSql(allIds) },
  ]
  const rows: string[][] = []
  for (const c of cases) {
    say(c.name)
    const app = await timeIt(c.app)
    const sql = await timeIt(c.sql)
    const ratio = app.median / sql.median
    rows.push([c.name, `${app.median.toFixed(1)} ms`, `${app.p95.toFixed(1)} ms`, `${sql.median.toFixed(1)} ms`, fmtRatio(ratio), `${verdict(app.median, GOAL_MS)} / ${verdict(ratio, GOAL_RATIO)}`])
  }
  console.log()
  console.log(`Readiness: ${REPEAT} runs each after a warm-up. ${machineSummary()}; ${loadNote().text}`)
  console.log(`Goal: p50 ≤ ${GOAL_MS} ms and ≤ ${GOAL_RATIO}× the bare SQL of the same checks (median of each).`)
  table(['loader data', 'p50', 'p95', 'bare SQL p50', 'ratio', `p50 ≤ ${GOAL_MS} ms / ≤ ${GOAL_RATIO}×`], rows)
})
