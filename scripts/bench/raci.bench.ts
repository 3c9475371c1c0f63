/**
 * RACI benchmark (issue 10): a project with 300 activities × 150 members, every cell filled
 * (45,000 cells, one A per activity) — BENCH_RACI_ACTIVITIES, BENCH_RACI_MEMBERS.
 *
 * 1. Import: the CSV of all 45,000 cells through the one import pipeline (previewRaciImport +
 *    applyRaciImport, app/models/projects/raci.server.ts), into an empty matrix; median of 3.
 *    Baseline: the same rows written by bare SQL (one INSERT … SELECT FROM jsonb_to_recordset).
 * 2. The page's data: getRaci (rows, cells, columns, every rule's problems, the summary), p50 of
 *    20 warm runs. Baseline: the bare SQL reading the same data (project, activities, cells,
 *    members with their names), p50 of 20.
 * Goal (issue 10): page ≤ 3× the bare SQL and p50 ≤ 150 ms. Figures are printed, not judged by CI.
 * Each run leaves one organisation's audit events in the benchmark database (the audit table
 * refuses DELETE); its people, project and cells are deleted at the end.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { fmtRatio, getConfig, loadNote, machineSummary, main, onCleanup, say, table, verdict } from './lib.ts'

const ACTIVITIES = Math.max(1, Math.round(Number(process.env.BENCH_RACI_ACTIVITIES ?? 300)))
const MEMBERS = Math.max(2, Math.round(Number(process.env.BENCH_RACI_MEMBERS ?? 150)))

process.env.SESSION_SECRET ??= randomBytes(32).toString('hex')
process.env.APP_URL ??= 'http://127.0.0.1:3000'
process.env.LOG_LEVEL ??= 'warn'

const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const LETTERS = ['R', 'C', 'I'] as const
const letterOf = (a: number, m: number) => (m === a % MEMBERS ? 'A' : LETTERS[(a * 7 + m * 3) % 3]!)

await main(async () => {
  const cfg = getConfig()
  say(`machine: ${machineSummary()}; ${loadNote().text}`)
  const client = new pg.Client({ connectionString: cfg.databaseUrl })
  await client.connect()
  onCleanup(() => client.end())
  const { getRaci, previewRaciImport, applyRaciImport } = await import('#app/models/projects/raci.server.ts')
  const { prisma } = await import('#app/utils/db.server.ts')
  onCleanup(() => prisma.$disconnect())

  // ── the organisation, written with raw pg ──
  const s = randomBytes(4).toString('hex')
  const org = `br${s}org`
  const project = `br${s}p`
  await client.query('BEGIN')
  await client.query(`INSERT INTO "Organization" (id, slug, name, "updatedAt") VALUES ($1, $2, $3, now())`, [org, `bench-raci-${s}`, `Bench RACI ${s}`])
  await client.query(
    `INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") SELECT 'br${s}u' || i, 'bench-raci-${s}-' || i || '@example.test', 'Person ' || i, 'x', now() FROM generate_series(0, $1::int - 1) i`,
    [MEMBERS],
  )
  await client.query(
    `INSERT INTO "Membership" (id, "organizationId", "userId", role, function, "updatedAt")
     SELECT 'br${s}m' || i, $1, 'br${s}u' || i, CASE WHEN i = 0 THEN 'manager'::"Role" ELSE 'staff'::"Role" END, (ARRAY['it','clinical','operations','compliance','executive','vendor']::"MemberFunction"[])[1 + i % 6], now()
       FROM generate_series(0, $2::int - 1) i`,
    [org, MEMBERS],
  )
  await client.query(
    `INSERT INTO "Project" (id, "organizationId", name, goal, approach, "startDate", "targetGoLive", status, "ownerId", "updatedAt")
     VALUES ($1, $2, 'Bench RACI project', 'Bench', 'via_engine', '2027-01-04', '2027-06-30', 'active', $3, now())`,
    [project, org, `br${s}m0`],
  )
  await client.query(
    `INSERT INTO "RaciActivity" (id, "organizationId", "projectId", kind, title, category, "dueDate", position, "updatedAt")
     SELECT 'br${s}a' || j, $1, $2, 'custom', 'Activity ' || j, (ARRAY['planning','design','testing','deployment','operations','security','other']::"RaciCategory"[])[1 + j % 7], DATE '2027-01-04' + j, j, now()
       FROM generate_series(0, $3::int - 1) j`,
    [org, project, ACTIVITIES],
  )
  await client.query('COMMIT')
  await client.query('ANALYZE "RaciActivity"; ANALYZE "Membership"; ANALYZE "RaciAssignment"')
  onCleanup(async () => {
    await client.query(`DELETE FROM "Project" WHERE id = $1`, [project])
    await client.query(`DELETE FROM "ImportBatch" WHERE "organizationId" = $1`, [org])
    await client.query(`DELETE FROM "User" WHERE id LIKE $1`, [`br${s}u%`])
  })
  const scope = {
    organizationId: org,
    orgSlug: `bench-raci-${s}`,
    orgName: 'Bench',
    timeZone: 'UTC',
    userId: `br${s}u0`,
    userEmail: `bench-raci-${s}-0@example.test`,
    role: 'manager' as const,
    membershipId: `br${s}m0`,
  }
  const cells = ACTIVITIES * MEMBERS
  say(`organisation bench-raci-${s}: ${MEMBERS} members, ${ACTIVITIES} activities, ${cells.toLocaleString('en-US')} cells`)

  // ── 1. the import ──
  const lines = ['activity,kind,category,email,function,letter']
  for (let a = 0; a < ACTIVITIES; a++) for (let m = 0; m < MEMBERS; m++) lines.push(`Activity ${a},custom,,bench-raci-${s}-${m}@example.test,,${letterOf(a, m)}`)
  const csv = `${lines.join('\r\n')}\r\n`
  const clear = () => client.query(`DELETE FROM "RaciAssignment" WHERE "projectId" = $1`, [project])
  const imports: { preview: number; apply: number }[] = []
  for (let run = 0; run < 3; run++) {
    await clear()
    const t0 = performance.now()
    const previewed = await previewRaciImport(scope, { projectId: project, fileName: 'bench.csv', content: csv })
    const t1 = performance.now()
    if (!previewed?.batchId) throw new Error(`the preview refused the file: ${JSON.stringify(previewed?.plan.errors.slice(0, 3))}`)
    const applied = await applyRaciImport(scope, { projectId: project, batchId: previewed.batchId })
    const t2 = performance.now()
    if (applied?.status !== 'applied') throw new Error('the import did not apply')
    imports.push({ preview: t1 - t0, apply: t2 - t1 })
    say(`import run ${run + 1}: preview ${ms(t1 - t0)}, apply ${ms(t2 - t1)}`)
  }
  const count = Number((await client.query(`SELECT count(*) FROM "RaciAssignment" WHERE "projectId" = $1`, [project])).rows[0].count)
  if (count !== cells) throw new Error(`expected ${cells} cells after the import, found ${count}`)
  // The baseline: the same rows, bare SQL (into a copy of the project's cells, then removed).
  const rows = []
  for (let a = 0; a < ACTIVITIES; a++) for (let m = 0; m < MEMBERS; m++) rows.push({ id: `br${s}x${a}_${m}`, a: `br${s}a${a}`, m: `br${s}m${m}`, l: letterOf(a, m) })
  const json = JSON.stringify(rows)
  const baselineInserts: number[] = []
  for (let run = 0; run < 3; run++) {
    await clear()
    const t0 = performance.now()
    await client.query(
      `INSERT INTO "RaciAssignment" (id, "organizationId", "projectId", "activityId", "membershipId", letter, "updatedAt")
       SELECT v.id, $2, $3, v.a, v.m, v.l::"RaciLetter", now() FROM jsonb_to_recordset($1::jsonb) AS v(id text, a text, m text, l text)`,
      [json, org, project],
    )
    baselineInserts.push(performance.now() - t0)
  }
  const importTotal = median(imports.map((i) => i.preview + i.apply))
  const importApply = median(imports.map((i) => i.apply))
  const baseInsert = median(baselineInserts)

  // ── 2. the page's data ──
  for (let i = 0; i < 3; i++) await getRaci(scope, project) // warm
  const page: number[] = []
  let problems = 0
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now()
    const view = await getRaci(scope, project)
    page.push(performance.now() - t0)
    problems = view!.summary.total
  }
  const bare: number[] = []
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now()
    await client.query(`SELECT id, name, "ownerId", status FROM "Project" WHERE id = $1 AND "organizationId" = $2`, [project, org])
    // One connection: the three reads one after the other (a pg client runs one query at a time anyway).
    await client.query(`SELECT id, kind, title, category, "dueDate", position, "stepId", "interfaceId" FROM "RaciActivity" WHERE "projectId" = $1 AND "organizationId" = $2`, [project, org])
    await client.query(`SELECT "activityId", "membershipId", function, letter FROM "RaciAssignment" WHERE "projectId" = $1 AND "organizationId" = $2`, [project, org])
    await client.query(`SELECT m.id, m.function, m.status, u.name FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."organizationId" = $1 ORDER BY u.name`, [org])
    bare.push(performance.now() - t0)
  }
  const p50 = median(page)
  const bareP50 = median(bare)

  table(
    ['what', 'Liaison', 'bare SQL', 'ratio', 'goal', ''],
    [
      [`page data (${ACTIVITIES} × ${MEMBERS}, ${problems} problems) p50`, ms(p50), ms(bareP50), fmtRatio(p50 / bareP50), '≤ 3× and ≤ 150 ms', `${verdict(p50 / bareP50, 3.0001)} ratio, ${verdict(p50, 150.0001)} p50`],
      [`import of ${cells.toLocaleString('en-US')} cells (preview + apply), median of 3`, ms(importTotal), ms(baseInsert), fmtRatio(importTotal / baseInsert), '≤ 3×', verdict(importTotal / baseInsert, 3.0001)],
      ['  of which apply', ms(importApply), ms(baseInsert), fmtRatio(importApply / baseInsert), '', ''],
    ],
  )
  say(loadNote().text)
})
