/**
 * Mapping import benchmark: 20,000 code maps through the app's import path, against a raw `pg`
 * COPY of the same rows (the fastest way Postgres takes rows in).
 *
 * 1. Makes two fresh organisations in the benchmark database, each with two systems, an interface
 *    and a draft mapping version, and a code-maps CSV of BENCH_CODEMAP_ROWS (20,000) rows as a
 *    spreadsheet would send it: several local code systems, every standard code system, every
 *    equivalence (narrower ones with a comment, unmatched ones without a code), displays with
 *    commas, quotes and formula-looking values.
 * 2. Times the model functions the import page calls, in this process (no HTTP):
 *    previewMappingImport (decode, parse, validate every row with CodeMapSchema, plan against the
 *    version, store the batch) and applyMappingImport (one transaction: lock the version, plan
 *    again, INSERT/UPDATE … FROM jsonb_to_recordset per 5,000, one audit event per row appended to
 *    the chain in bulk, the summary event) — for a first import (20,000 creates), the same file
 *    again (20,000 unchanged: nothing written) and a file where every row changes (20,000 updates).
 * 3. Baseline: the same 20,000 rows into the other organisation's version with COPY … FROM STDIN
 *    (pg-copy-streams), one statement — no parsing, validation, planning or audit.
 *
 * Each run leaves two organisations with their audit events in the benchmark database (the audit
 * table refuses DELETE); their code maps, versions, interfaces, systems and batches are deleted.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { benchScope, fmtRatio, getConfig, loadNote, machineSummary, main, makeBenchInterface, makeBenchOrg, onCleanup, say, table } from './lib.ts'

const ROWS = Math.max(1, Math.round(Number(process.env.BENCH_CODEMAP_ROWS ?? 20_000)))

// The app's modules read the environment when first used (getEnv): give them a complete one.
process.env.SESSION_SECRET ??= randomBytes(32).toString('hex')
process.env.APP_URL ??= 'http://127.0.0.1:3000'
process.env.LOG_LEVEL ??= 'warn'

/** A bench organisation with an interface and a draft mapping version (v1) to import into. */
async function makeOrg(client: pg.Client, label: string) {
  const org = await makeBenchOrg(client, label)
  const interfaceId = await makeBenchInterface(client, org)
  const versionId = `bv${org.id}`
  await client.query(`INSERT INTO "MappingVersion" (id, "organizationId", "interfaceId", number, "updatedAt") VALUES ($1, $2, $3, 1, now())`, [versionId, org.id, interfaceId])
  return { ...org, versionId }
}

const LOCAL_SYSTEMS = ['urn:riverside:lab', 'urn:riverside:micro', 'urn:riverside:pharmacy', 'urn:riverside:units']
const TARGETS = ['http://loinc.org', 'http://snomed.info/sct', 'http://hl7.org/fhir/sid/icd-10-cm', 'http://www.ama-assn.org/go/cpt', 'http://www.nlm.nih.gov/research/umls/rxnorm', 'http://unitsofmeasure.org']
const EQUIVALENCES = ['equal', 'equal', 'equal', 'wider', 'narrower', 'unmatched'] as const

type Code = {
  sourceSystem: string
  localCode: string
  localDisplay: string | null
  targetSystem: string
  targetCode: string | null
  targetDisplay: string | null
  equivalence: (typeof EQUIVALENCES)[number]
  comment: string | null
}

/** Code map i, as the database stores it. */
function codeRow(i: number, changed = false): Code {
  const n = String(i).padStart(5, '0')
  const equivalence = EQUIVALENCES[i % EQUIVALENCES.length]!
  const unmatched = equivalence === 'unmatched'
  return {
    sourceSystem: LOCAL_SYSTEMS[i % LOCAL_SYSTEMS.length]!,
    localCode: `L${n}`,
    localDisplay: i % 3 === 0 ? null : i % 29 === 0 ? `=Local test ${n}` : `Local test ${n}, "serum"`,
    targetSystem: TARGETS[i % TARGETS.length]!,
    targetCode: unmatched ? null : `${10_000 + i}-${i % 10}${changed ? 'b' : ''}`,
    targetDisplay: unmatched || i % 2 ? null : `Standard concept ${n}`,
    equivalence,
    comment: equivalence === 'narrower' ? `Adults only (${n})` : unmatched ? `No standard code yet${changed ? ' (asked the lab)' : ''}` : null,
  }
}

const secs = (ms: number) => (ms / 1000).toFixed(2)

/** One CSV cell of COPY's CSV format: NULL unquoted-empty, everything else quoted. */
const copyCell = (v: string | null) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`)

await main(async () => {
  const cfg = getConfig()
  const before = loadNote()
  say(`machine: ${machineSummary()}; ${before.text}`)
  const client = new pg.Client({ connectionString: cfg.databaseUrl })
  await client.connect()
  onCleanup(() => client.end())

  // Imported after the environment is complete (db.server.ts reads it when first used).
  const { previewMappingImport, applyMappingImport } = await import('#app/models/mapping-io.server.ts')
  const { codesToCsv, parseCodesCsv } = await import('#app/utils/mapping-csv.ts')
  const { prisma } = await import('#app/utils/db.server.ts')
  onCleanup(() => prisma.$disconnect())

  const org = await makeOrg(client, 'map')
  const rawOrg = await makeOrg(client, 'mapraw')
  onCleanup(async () => {
    for (const o of [org, rawOrg]) {
      await client.query(`DELETE FROM "CodeMap" WHERE "organizationId" = $1`, [o.id])
      await client.query(`DELETE FROM "MappingVersion" WHERE "organizationId" = $1`, [o.id])
      await client.query(`DELETE FROM "Interface" WHERE "organizationId" = $1`, [o.id])
      await client.query(`DELETE FROM "System" WHERE "organizationId" = $1`, [o.id])
      await client.query(`DELETE FROM "ImportBatch" WHERE "organizationId" = $1`, [o.id])
    }
  })
  const scope = benchScope(org)

  const toRecords = (rows: Code[]) =>
    rows.map((r) => ({
      sourceSystem: r.sourceSystem,
      localCode: r.localCode,
      localDisplay: r.localDisplay ?? undefined,
      targetSystem: r.targetSystem as 'http://loinc.org',
      targetCode: r.targetCode ?? undefined,
      targetDisplay: r.targetDisplay ?? undefined,
      equivalence: r.equivalence,
      comment: r.comment ?? undefined,
    }))
  const rows = Array.from({ length: ROWS }, (_, i) => codeRow(i))
  const csv = codesToCsv(toRecords(rows))
  const changed = codesToCsv(toRecords(Array.from({ length: ROWS }, (_, i) => codeRow(i, true))))
  const bytes = Buffer.byteLength(csv)
  say(`${ROWS.toLocaleString('en-US')} code maps, ${(bytes / 1024 / 1024).toFixed(1)} MB of CSV; organisation ${org.slug}`)

  // Warm-up: module loading, the Prisma client's first connection and query plans.
  const warm = parseCodesCsv(csv.split('\r\n').slice(0, 50).join('\r\n'))
  if (warm.errors.length) throw new Error(`generated CSV does not validate: ${JSON.stringify(warm.errors[0])}`)
  await prisma.codeMap.count({ where: { organizationId: org.id } })

  type Run = { label: string; previewMs: number; applyMs: number; counts: string }
  const runs: Run[] = []
  const run = async (label: string, content: string) => {
    const buf = Buffer.from(content)
    const a = performance.now()
    const preview = await previewMappingImport(scope, { versionId: org.versionId, kind: 'codes', fileName: `${label}.csv`, content: buf })
    const b = performance.now()
    if (!preview || preview.plan.errors.length || !preview.batchId) {
      throw new Error(`${label}: preview reported ${preview?.plan.errors.length} problems, e.g. ${JSON.stringify(preview?.plan.errors[0])}`)
    }
    const applied = await applyMappingImport(scope, org.versionId, preview.batchId)
    const c = performance.now()
    if (applied?.status !== 'applied') throw new Error(`${label}: apply answered ${applied?.status ?? 'null'}`)
    const { create, update, unchanged } = applied.plan.counts
    runs.push({ label, previewMs: b - a, applyMs: c - b, counts: `${create} / ${update} / ${unchanged}` })
    say(`${label}: preview ${secs(b - a)} s, apply ${secs(c - b)} s (created / updated / unchanged: ${create} / ${update} / ${unchanged})`)
  }
  await run('first import', csv)
  await run('same file again', csv)
  await run('every row changed', changed)

  const t0 = performance.now()
  parseCodesCsv(csv)
  const parseMs = performance.now() - t0

  const stored = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "CodeMap" WHERE "versionId" = $1`, [org.versionId])
  if (stored.rows[0]!.n !== ROWS) throw new Error(`expected ${ROWS} code maps after the import, found ${stored.rows[0]!.n}`)
  const audited = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "organizationId" = $1 AND action <> 'mapping.imported'`, [org.id])

  say(`baseline: the same ${ROWS.toLocaleString('en-US')} rows with raw pg COPY … FROM STDIN (CSV)`)
  const columns = ['id', 'organizationId', 'versionId', 'sourceSystem', 'localCode', 'localDisplay', 'targetSystem', 'targetCode', 'targetDisplay', 'equivalence', 'comment', 'updatedAt']
  const r0 = performance.now()
  const stamp = new Date().toISOString()
  const lines = rows.map(
    (r, i) =>
      [`raw${rawOrg.id}${i}`, rawOrg.id, rawOrg.versionId, r.sourceSystem, r.localCode, r.localDisplay, r.targetSystem, r.targetCode, r.targetDisplay, r.equivalence, r.comment, stamp]
        .map(copyCell)
        .join(',') + '\n',
  )
  const copy = client.query(copyFrom(`COPY "CodeMap" (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN WITH (FORMAT csv)`))
  await pipeline(Readable.from(lines), copy)
  const rawMs = performance.now() - r0
  const copied = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "CodeMap" WHERE "versionId" = $1`, [rawOrg.versionId])
  if (copied.rows[0]!.n !== ROWS) throw new Error(`expected ${ROWS} code maps after COPY, found ${copied.rows[0]!.n}`)

  const first = runs[0]!
  const firstMs = first.previewMs + first.applyMs
  const rss = process.memoryUsage().rss
  console.log()
  console.log(`Mapping code-maps CSV import: ${ROWS.toLocaleString('en-US')} code maps (${(bytes / 1024 / 1024).toFixed(1)} MB), model functions in-process, ${machineSummary()}`)
  console.log(`  Before the run: ${before.text}. Process RSS after the runs: ${(rss / 1024 / 1024).toFixed(0)} MB.`)
  console.log(`  ${stored.rows[0]!.n.toLocaleString('en-US')} code maps stored; ${audited.rows[0]!.n.toLocaleString('en-US')} per-row audit events (created + updated) besides the import records.`)
  console.log()
  table(
    ['run', 'created / updated / unchanged', 'preview', 'apply', 'total'],
    runs.map((r) => [r.label, r.counts, `${secs(r.previewMs)} s`, `${secs(r.applyMs)} s`, `${secs(r.previewMs + r.applyMs)} s`]),
  )
  console.log(`  (reading and validating the ${ROWS.toLocaleString('en-US')} rows alone, no database, once more after the runs: ${secs(parseMs)} s; preview and apply each do it once)`)
  console.log()
  table(['raw pg, same rows', 'statements', 'time'], [['COPY "CodeMap" … FROM STDIN (CSV)', '1', `${secs(rawMs)} s`]])
  console.log()
  console.log(
    `  import vs raw pg COPY, first import: ${fmtRatio(firstMs / rawMs)} slower (${secs(firstMs)} s vs ${secs(rawMs)} s) — the import also parses, ` +
      `validates every row, plans against the version, stores the file, and writes ${ROWS.toLocaleString('en-US')} hash-chained audit events.`,
  )
  console.log()
})
