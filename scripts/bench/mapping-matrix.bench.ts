/**
 * Mapping matrix benchmark: a big interface (issue goal: 2,000 rows and 20,000 code maps per
 * interface "stay responsive").
 *
 * 1. Makes a fresh organisation, an interface and a draft mapping version holding
 *    BENCH_MAPPING_ROWS (2,000) rows in every review state and BENCH_MAPPING_CODES (20,000)
 *    code maps, a tenth of them unmapped (inserted with raw SQL: this measures reading).
 * 2. Times, in this process (no HTTP), the model calls behind each page of the matrix —
 *    a page of rows (with the per-state counts), rows filtered by state, a search, a deep page of
 *    code maps, a code search, the unmapped list, the coverage bars — repeated, median and p95.
 * 3. Baseline (project rule): the same selections as bare SQL over raw `pg`, printed as a ratio.
 * 4. Starting v2 from the version (copying 2,000 rows and 20,000 code maps) and the diff of
 *    v2 against it, once each.
 *
 * Goal: every page's queries under 100 ms (median) at this size.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { benchScope, fmtRatio, getConfig, loadNote, machineSummary, main, makeBenchInterface, makeBenchOrg, onCleanup, say, table, verdict } from './lib.ts'

const ROWS = Math.max(1, Math.round(Number(process.env.BENCH_MAPPING_ROWS ?? 2_000)))
const CODES = Math.max(1, Math.round(Number(process.env.BENCH_MAPPING_CODES ?? 20_000)))
const REPEAT = Math.max(3, Math.round(Number(process.env.BENCH_MAPPING_REPEAT ?? 30)))
const GOAL_MS = 100

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
  const { prisma } = await import('#app/utils/db.server.ts')
  const mapping = await import('#app/models/mapping/mapping.server.ts')
  const client = new pg.Client({ connectionString: config.databaseUrl })
  await client.connect()
  onCleanup(() => client.end())

  const s = randomBytes(4).toString('hex')
  const org = await makeBenchOrg(client, 'matrix')
  const ids = { org: org.id, member: org.membershipId, iface: await makeBenchInterface(client, org), version: `bv${s}` }
  await client.query(`INSERT INTO "MappingVersion" (id, "organizationId", "interfaceId", number, "updatedAt") VALUES ($1, $2, $3, 1, now())`, [ids.version, ids.org, ids.iface])
  say(`inserting ${ROWS} rows and ${CODES} code maps`)
  await client.query(
    `INSERT INTO "MappingRow" (id, "organizationId", "versionId", "lineageId", position, "sourceField", "sourcePath", "targetField", "targetPath", "dataType",
                               requirement, "transformType", "qualityRule", "reviewState", "authorId", "updatedAt")
     SELECT 'br' || $3 || i, $1, $2, 'br' || $3 || i, i, 'Field ' || i, 'OBX-' || i || '.1', 'Target ' || i, 'Observation.component[' || i || '].value',
            'string', (ARRAY['required','optional','conditional'])[1 + i % 3]::"Requirement", 'copy', 'Missing → reject and flag',
            (ARRAY['draft','in_review','changes_requested','approved'])[1 + i % 4]::"ReviewState", $4, now()
       FROM generate_series(1, $5::int) AS i`,
    [ids.org, ids.version, s, ids.member, ROWS],
  )
  await client.query(
    `INSERT INTO "CodeMap" (id, "organizationId", "versionId", "rowId", "sourceSystem", "localCode", "localDisplay", "targetSystem", "targetCode", "targetDisplay", equivalence, "updatedAt")
     SELECT 'bc' || $3 || i, $1, $2, 'br' || $3 || (1 + i % $5::int), 'urn:bench:lab', 'L' || lpad(i::text, 6, '0'), 'Local test ' || i, 'http://loinc.org',
            CASE WHEN i % 10 = 0 THEN NULL ELSE (10000 + i) || '-' || (i % 10) END, CASE WHEN i % 10 = 0 THEN NULL ELSE 'Standard ' || i END,
            (CASE WHEN i % 10 = 0 THEN 'unmatched' ELSE 'equal' END)::"CodeEquivalence", now()
       FROM generate_series(1, $4::int) AS i`,
    [ids.org, ids.version, s, CODES, ROWS],
  )
  await client.query('ANALYZE "MappingRow"; ANALYZE "CodeMap"')

  const scope = benchScope(org)
  const deepPage = Math.max(1, Math.floor(CODES / mapping.CODE_MAPS_PAGE_SIZE / 2))
  // The baseline runs a page's queries concurrently, as Prisma does, over a small pool.
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 })
  onCleanup(() => pool.end())
  const q = (sql: string, params: unknown[]) => pool.query(sql, params)
  const v = ids.version
  const o = ids.org
  // What the page shows of a row: its columns, author and reviewer names, and its code-map count.
  const ROWS_SQL = `SELECT r.*, au.name AS author, ru.name AS reviewer, (SELECT count(*) FROM "CodeMap" c WHERE c."rowId" = r.id) AS codes
      FROM "MappingRow" r
      LEFT JOIN "Membership" am ON am.id = r."authorId" LEFT JOIN "User" au ON au.id = am."userId"
      LEFT JOIN "Membership" rm ON rm.id = r."reviewedById" LEFT JOIN "User" ru ON ru.id = rm."userId"
     WHERE r."organizationId" = $1 AND r."versionId" = $2`
  const cases: { name: string; app: () => Promise<unknown>; sql: () => Promise<unknown> }[] = [
    {
      name: 'rows, page 1 + state counts',
      app: () => mapping.listMappingRows(scope, { versionId: v, page: 1 }),
      sql: () =>
        Promise.all([
          q(`${ROWS_SQL} ORDER BY r.position, r.id LIMIT 100`, [o, v]),
          q(`SELECT count(*) FROM "MappingRow" WHERE "organizationId" = $1 AND "versionId" = $2`, [o, v]),
          q(`SELECT "reviewState", count(*) FROM "MappingRow" WHERE "organizationId" = $1 AND "versionId" = $2 GROUP BY 1`, [o, v]),
        ]),
    },
    {
      name: 'rows in review, page 3',
      app: () => mapping.listMappingRows(scope, { versionId: v, state: 'in_review', page: 3 }),
      sql: () =>
        Promise.all([
          q(`${ROWS_SQL} AND r."reviewState" = 'in_review' ORDER BY r.position, r.id LIMIT 100 OFFSET 200`, [o, v]),
          q(`SELECT count(*) FROM "MappingRow" WHERE "organizationId" = $1 AND "versionId" = $2 AND "reviewState" = 'in_review'`, [o, v]),
          q(`SELECT "reviewState", count(*) FROM "MappingRow" WHERE "organizationId" = $1 AND "versionId" = $2 GROUP BY 1`, [o, v]),
        ]),
    },
    {
      name: 'rows search "OBX-17"',
      app: () => mapping.listMappingRows(scope, { versionId: v, q: 'OBX-17' }),
      sql: () =>
        Promise.all([
          q(`${ROWS_SQL} AND (r."sourcePath" ILIKE $3 OR r."sourceField" ILIKE $3 OR r."targetPath" ILIKE $3 OR r."targetField" ILIKE $3) ORDER BY r.position, r.id LIMIT 100`, [o, v, '%OBX-17%']),
          q(`SELECT count(*) FROM "MappingRow" WHERE "organizationId" = $1 AND "versionId" = $2 AND ("sourcePath" ILIKE $3 OR "sourceField" ILIKE $3 OR "targetPath" ILIKE $3 OR "targetField" ILIKE $3)`, [o, v, '%OBX-17%']),
          q(`SELECT "reviewState", count(*) FROM "MappingRow" WHERE "organizationId" = $1 AND "versionId" = $2 GROUP BY 1`, [o, v]),
        ]),
    },
    {
      name: `code maps, page ${deepPage}`,
      app: () => mapping.listCodeMaps(scope, { versionId: v, page: deepPage }),
      sql: () =>
        Promise.all([
          q(`SELECT * FROM "CodeMap" c LEFT JOIN "MappingRow" r ON r.id = c."rowId" WHERE c."organizationId" = $1 AND c."versionId" = $2 ORDER BY c."sourceSystem", c."localCode", c."targetSystem" LIMIT 100 OFFSET $3`, [o, v, (deepPage - 1) * 100]),
          q(`SELECT count(*) FROM "CodeMap" WHERE "organizationId" = $1 AND "versionId" = $2`, [o, v]),
        ]),
    },
    {
      name: 'code maps search "test 1999"',
      app: () => mapping.listCodeMaps(scope, { versionId: v, q: 'test 1999' }),
      sql: () =>
        Promise.all([
          q(`SELECT * FROM "CodeMap" WHERE "organizationId" = $1 AND "versionId" = $2 AND ("localCode" ILIKE $3 OR "localDisplay" ILIKE $3 OR "targetCode" ILIKE $3 OR "targetDisplay" ILIKE $3) ORDER BY "sourceSystem", "localCode", "targetSystem" LIMIT 100`, [o, v, '%test 1999%']),
          q(`SELECT count(*) FROM "CodeMap" WHERE "organizationId" = $1 AND "versionId" = $2 AND ("localCode" ILIKE $3 OR "localDisplay" ILIKE $3 OR "targetCode" ILIKE $3 OR "targetDisplay" ILIKE $3)`, [o, v, '%test 1999%']),
        ]),
    },
    {
      name: 'unmapped codes (list + per system)',
      app: () => mapping.listUnmappedCodes(scope, { versionId: v }),
      sql: () =>
        Promise.all([
          q(`SELECT id, "sourceSystem", "localCode", "localDisplay", "targetSystem" FROM "CodeMap" WHERE "organizationId" = $1 AND "versionId" = $2 AND ("targetCode" IS NULL OR equivalence = 'unmatched') ORDER BY "sourceSystem", "localCode" LIMIT 200`, [o, v]),
          q(`SELECT "sourceSystem", count(*) FILTER (WHERE "targetCode" IS NULL OR equivalence = 'unmatched'), count(*) FROM "CodeMap" WHERE "organizationId" = $1 AND "versionId" = $2 GROUP BY 1`, [o, v]),
        ]),
    },
    {
      name: 'coverage bars',
      app: () => mapping.coverageOf(scope, [v]),
      sql: () =>
        Promise.all([
          q(`SELECT count(*), count(*) FILTER (WHERE requirement = 'required'), count(*) FILTER (WHERE requirement = 'required' AND "reviewState" = 'approved'), count(*) FILTER (WHERE "reviewState" = 'approved') FROM "MappingRow" WHERE "organizationId" = $1 AND "versionId" = $2`, [o, v]),
          q(`SELECT count(*), count(*) FILTER (WHERE "targetCode" IS NOT NULL AND equivalence <> 'unmatched'), count(DISTINCT ("sourceSystem", "localCode")) FILTER (WHERE "targetCode" IS NULL OR equivalence = 'unmatched') FROM "CodeMap" WHERE "organizationId" = $1 AND "versionId" = $2`, [o, v]),
        ]),
    },
  ]

  const rows: string[][] = []
  for (const c of cases) {
    say(c.name)
    const app = await timeIt(c.app)
    const sql = await timeIt(c.sql)
    rows.push([c.name, `${app.median.toFixed(1)} ms`, `${app.p95.toFixed(1)} ms`, `${sql.median.toFixed(1)} ms`, fmtRatio(app.median / sql.median), verdict(app.median, GOAL_MS)])
  }

  // v2 from v1: approve v1 in SQL (every row approved), then start v2 and diff it.
  await client.query(`UPDATE "MappingRow" SET "reviewState" = 'approved' WHERE "versionId" = $1`, [v])
  await client.query(`UPDATE "MappingVersion" SET status = 'approved', "approvedAt" = now() WHERE id = $1`, [v])
  // The bare-SQL copy first (rolled back: one draft per interface), then the app's.
  let t0 = performance.now()
  await client.query('BEGIN')
  await client.query(
    `INSERT INTO "MappingVersion" (id, "organizationId", "interfaceId", number, "updatedAt") VALUES ($1, $2, $3, 99, now())`,
    [`bv3${s}`, o, ids.iface],
  )
  await client.query(
    `INSERT INTO "MappingRow" (id, "organizationId", "versionId", "lineageId", position, "sourceField", "sourcePath", "targetField", "targetPath", "dataType", requirement, "transformType", "qualityRule", "reviewState", "authorId", "updatedAt")
     SELECT id || 'x', "organizationId", $2, "lineageId", position, "sourceField", "sourcePath", "targetField", "targetPath", "dataType", requirement, "transformType", "qualityRule", "reviewState", "authorId", now()
       FROM "MappingRow" WHERE "versionId" = $1`,
    [v, `bv3${s}`],
  )
  await client.query(
    `INSERT INTO "CodeMap" (id, "organizationId", "versionId", "rowId", "sourceSystem", "localCode", "localDisplay", "targetSystem", "targetCode", "targetDisplay", equivalence, "updatedAt")
     SELECT id || 'x', "organizationId", $2, "rowId" || 'x', "sourceSystem", "localCode", "localDisplay", "targetSystem", "targetCode", "targetDisplay", equivalence, now()
       FROM "CodeMap" WHERE "versionId" = $1`,
    [v, `bv3${s}`],
  )
  await client.query('ROLLBACK')
  const copySqlMs = performance.now() - t0
  t0 = performance.now()
  const v2 = await mapping.startMappingVersion(scope, { interfaceId: ids.iface })
  const copyMs = performance.now() - t0
  t0 = performance.now()
  const diff = await mapping.diffMappingVersion(scope, v2!.id)
  const diffMs = performance.now() - t0
  if (diff?.rows?.changed.total !== 0) throw new Error('a fresh copy should differ in nothing')

  console.log()
  console.log(`Mapping matrix: ${ROWS} rows, ${CODES} code maps in one version; ${REPEAT} runs per query set after a warm-up. ${machineSummary()}`)
  console.log(loadNote())
  table(['page query', 'app median', 'app p95', 'raw pg median', 'app / raw', `goal < ${GOAL_MS} ms`], rows)
  console.log()
  table(
    ['operation', 'app', 'raw pg', 'app / raw'],
    [
      [`start v2 (copy ${ROWS} rows + ${CODES} codes, audited)`, `${copyMs.toFixed(0)} ms`, `${copySqlMs.toFixed(0)} ms`, fmtRatio(copyMs / copySqlMs)],
      ['diff v2 against v1 (all rows and codes)', `${diffMs.toFixed(0)} ms`, '—', '—'],
    ],
  )
  await prisma.$disconnect()
})
