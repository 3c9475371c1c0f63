/**
 * Inventory CSV import benchmark: 10,000 systems through the real import (issue goal: under 30 s).
 *
 * 1. Makes a fresh organisation (and owner) in the benchmark database and a CSV of
 *    BENCH_IMPORT_ROWS (10,000) systems, as a spreadsheet would send it: every column, lists,
 *    notes with commas, quotes and line breaks, formula-looking cells, owners by email.
 * 2. Times the model functions the import page calls, in this process (no HTTP):
 *    previewImport (decode, parse, validate every row with the form schema, check against the
 *    organisation's data, store the batch) and applyImport (one transaction: re-validate,
 *    createMany, one audit event per row appended to the chain in bulk, the summary event) —
 *    for a first import (10,000 creates), the same file again (10,000 unchanged: nothing
 *    written) and a file where every row changes (10,000 updates).
 * 3. Baseline (project rule: a benchmark prints its ratio to the bare SQL doing the same work):
 *    the same 10,000 rows inserted into another fresh organisation with raw `pg`, as batched
 *    multi-row INSERTs in one transaction — no parsing, validation, planning or audit.
 *
 * Each run leaves two organisations with their audit events in the benchmark database (the
 * audit table refuses DELETE); their systems and batches are deleted at the end.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { benchScope, fmtRatio, getConfig, loadNote, machineSummary, main, makeBenchOrg, onCleanup, say, table, verdict } from './lib.ts'

const GOAL_SECONDS = 30
const ROWS = Math.max(1, Math.round(Number(process.env.BENCH_IMPORT_ROWS ?? 10_000)))

// The app's modules read the environment when first used (getEnv): give them a complete one.
// Nothing here sends mail or serves HTTP; the secret only has to be valid.
process.env.SESSION_SECRET ??= randomBytes(32).toString('hex')
process.env.APP_URL ??= 'http://127.0.0.1:3000'
process.env.LOG_LEVEL ??= 'warn'

const KINDS = ['ehr', 'lis', 'ris_pacs', 'pharmacy', 'billing', 'patient_portal', 'remote_monitoring', 'integration_engine', 'analytics', 'device_gateway', 'other'] as const
const UNITS = ['Emergency Department', 'ICU', 'Radiology', 'Pharmacy', 'Outpatients', 'Wards', 'Theatres', 'Laboratory']
const VERSIONS = ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7']

type Row = Record<string, string | string[] | boolean | null>

/** Row i of the generated estate, as the database stores it. */
function systemRow(i: number, ownerMembershipId: string, versionSuffix = ''): Row {
  const n = String(i).padStart(5, '0')
  const fhir = i % 3 === 0
  return {
    name: `System ${n}`,
    kind: KINDS[i % KINDS.length]!,
    vendor: i % 17 === 0 ? `=Vendor ${n}` : `Vendor ${i % 97}`,
    product: `Product ${i % 211}`,
    version: `${1 + (i % 9)}.${i % 4}${versionSuffix}`,
    environment: i % 10 === 0 ? 'test' : 'production',
    hosting: i % 4 === 0 ? null : ['on_premises', 'private_cloud', 'vendor_hosted', 'saas'][i % 4]!,
    criticality: ['low', 'medium', 'high', 'critical'][i % 4]!,
    businessOwnerId: i % 5 === 0 ? ownerMembershipId : null,
    technicalOwnerId: null,
    unitsServed: [UNITS[i % UNITS.length]!, UNITS[(i * 7) % UNITS.length]!].filter((u, k, a) => a.indexOf(u) === k),
    notes: i % 2 ? `Row ${n}: a note, with a comma, "quotes"\nand a second line.` : null,
    hl7v2Versions: [VERSIONS[i % VERSIONS.length]!],
    fhirVersion: fhir ? '4.0.1' : null,
    fhirBaseUrl: fhir ? `https://fhir-${n}.example.org/r4` : null,
    dicom: i % 7 === 0,
    x12: i % 11 === 0,
  }
}

const COLUMNS = ['name', 'kind', 'vendor', 'product', 'version', 'environment', 'hosting', 'criticality', 'businessOwnerId', 'technicalOwnerId', 'unitsServed', 'notes', 'hl7v2Versions', 'fhirVersion', 'fhirBaseUrl', 'dicom', 'x12'] as const

/** Raw-pg baseline: the rows in multi-row INSERTs of 2,000 (34,000 parameters each), one transaction. */
async function rawInsert(client: pg.Client, orgId: string, rows: Row[]) {
  const cols = ['id', 'organizationId', ...COLUMNS, 'updatedAt']
  const types: Record<string, string> = {
    kind: '"SystemKind"',
    environment: '"SystemEnvironment"',
    hosting: '"Hosting"',
    criticality: '"Criticality"',
  }
  await client.query('BEGIN')
  try {
    for (let start = 0; start < rows.length; start += 2000) {
      const chunk = rows.slice(start, start + 2000)
      const values: unknown[] = []
      const tuples = chunk.map((row, k) => {
        const cells = [`raw${orgId}${start + k}`, orgId, ...COLUMNS.map((c) => row[c])]
        const placeholders = cells.map((v, j) => {
          values.push(v)
          const col = cols[j]!
          return types[col] ? `$${values.length}::${types[col]}` : `$${values.length}`
        })
        return `(${placeholders.join(', ')}, now())`
      })
      await client.query(`INSERT INTO "System" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`, values)
    }
    await client.query('COMMIT')
  } catch (e) {
    await client.query('ROLLBACK')
    throw e
  }
}

const secs = (ms: number) => (ms / 1000).toFixed(2)

await main(async () => {
  const cfg = getConfig()
  const before = loadNote()
  say(`machine: ${machineSummary()}; ${before.text}`)
  const client = new pg.Client({ connectionString: cfg.databaseUrl })
  await client.connect()
  onCleanup(() => client.end())

  // Imported after the environment is complete (db.server.ts reads it when first used).
  const { previewImport, applyImport } = await import('#app/models/inventory-csv.server.ts')
  const { systemsToCsv, parseSystemsCsv } = await import('#app/utils/inventory-csv.ts')
  const { prisma } = await import('#app/utils/db.server.ts')
  onCleanup(() => prisma.$disconnect())

  const org = await makeBenchOrg(client, 'import')
  const rawOrg = await makeBenchOrg(client, 'raw')
  onCleanup(async () => {
    for (const o of [org, rawOrg]) {
      await client.query(`DELETE FROM "System" WHERE "organizationId" = $1`, [o.id])
      await client.query(`DELETE FROM "ImportBatch" WHERE "organizationId" = $1`, [o.id])
    }
  })
  const scope = benchScope(org)

  const toRecords = (rows: Row[]) =>
    rows.map((r) => ({
      name: r.name as string,
      kind: r.kind as (typeof KINDS)[number],
      vendor: (r.vendor as string) ?? undefined,
      product: (r.product as string) ?? undefined,
      version: (r.version as string) ?? undefined,
      environment: r.environment as 'production' | 'test',
      hosting: (r.hosting as 'saas' | null) ?? undefined,
      criticality: r.criticality as 'low',
      businessOwnerEmail: r.businessOwnerId ? org.email : undefined,
      unitsServed: r.unitsServed as string[],
      notes: (r.notes as string | null) ?? undefined,
      hl7v2Versions: r.hl7v2Versions as string[],
      fhirVersion: (r.fhirVersion as '4.0.1' | null) ?? undefined,
      fhirBaseUrl: (r.fhirBaseUrl as string | null) ?? undefined,
      dicom: r.dicom as boolean,
      x12: r.x12 as boolean,
    }))
  const rows = Array.from({ length: ROWS }, (_, i) => systemRow(i, org.membershipId))
  const csv = systemsToCsv(toRecords(rows))
  const changed = systemsToCsv(toRecords(Array.from({ length: ROWS }, (_, i) => systemRow(i, org.membershipId, '-b'))))
  const bytes = Buffer.byteLength(csv)
  say(`${ROWS.toLocaleString('en-US')} systems, ${(bytes / 1024 / 1024).toFixed(1)} MB of CSV; organisation ${org.slug}`)

  // Warm-up: module loading, the Prisma client's first connection and query plans.
  const warm = parseSystemsCsv(csv.split('\r\n').slice(0, 50).join('\r\n'))
  if (warm.errors.length) throw new Error(`generated CSV does not validate: ${JSON.stringify(warm.errors[0])}`)
  await prisma.system.count({ where: { organizationId: org.id } })

  type Run = { label: string; previewMs: number; applyMs: number; counts: string }
  const runs: Run[] = []
  const run = async (label: string, content: string) => {
    const buf = Buffer.from(content)
    const a = performance.now()
    const preview = await previewImport(scope, { kind: 'systems', fileName: `${label}.csv`, content: buf })
    const b = performance.now()
    if (preview.plan.errors.length || !preview.batchId) throw new Error(`${label}: preview reported ${preview.plan.errors.length} problems, e.g. ${JSON.stringify(preview.plan.errors[0])}`)
    const applied = await applyImport(scope, preview.batchId)
    const c = performance.now()
    if (applied?.status !== 'applied') throw new Error(`${label}: apply answered ${applied?.status ?? 'null'}`)
    const { create, update, unchanged } = applied.plan.counts
    runs.push({ label, previewMs: b - a, applyMs: c - b, counts: `${create} / ${update} / ${unchanged}` })
    say(`${label}: preview ${secs(b - a)} s, apply ${secs(c - b)} s (created / updated / unchanged: ${create} / ${update} / ${unchanged})`)
  }
  await run('first import', csv)
  await run('same file again', csv)
  await run('every row changed', changed)

  // Warm by now: the reading and validation alone, no database.
  const t0 = performance.now()
  parseSystemsCsv(csv)
  const parseMs = performance.now() - t0

  const stored = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "System" WHERE "organizationId" = $1`, [org.id])
  const audited = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "organizationId" = $1 AND action <> 'inventory.imported'`, [org.id])
  if (stored.rows[0]!.n !== ROWS) throw new Error(`expected ${ROWS} systems after the import, found ${stored.rows[0]!.n}`)

  say(`baseline: the same ${ROWS.toLocaleString('en-US')} rows with raw pg (multi-row INSERTs of 2,000 in one transaction)`)
  const r0 = performance.now()
  await rawInsert(client, rawOrg.id, rows)
  const rawMs = performance.now() - r0

  const first = runs[0]!
  const firstMs = first.previewMs + first.applyMs
  const rss = process.memoryUsage().rss
  console.log()
  console.log(`Inventory CSV import: ${ROWS.toLocaleString('en-US')} systems (${(bytes / 1024 / 1024).toFixed(1)} MB), model functions in-process, ${machineSummary()}`)
  console.log(`  Before the run: ${before.text}. Process RSS after the runs: ${(rss / 1024 / 1024).toFixed(0)} MB.`)
  console.log(`  ${stored.rows[0]!.n.toLocaleString('en-US')} systems stored; ${audited.rows[0]!.n.toLocaleString('en-US')} per-row audit events (created + updated) besides the import records.`)
  console.log()
  table(
    ['run', 'created / updated / unchanged', 'preview', 'apply', 'total', `total < ${GOAL_SECONDS} s`],
    runs.map((r) => [r.label, r.counts, `${secs(r.previewMs)} s`, `${secs(r.applyMs)} s`, `${secs(r.previewMs + r.applyMs)} s`, verdict((r.previewMs + r.applyMs) / 1000, GOAL_SECONDS)]),
  )
  console.log(`  (reading and validating the ${ROWS.toLocaleString('en-US')} rows alone, no database, once more after the runs: ${secs(parseMs)} s; preview and apply each do it once)`)
  console.log()
  table(['raw pg, same rows', 'statements', 'time'], [['INSERT … VALUES (2,000 rows each), one transaction', String(Math.ceil(ROWS / 2000)), `${secs(rawMs)} s`]])
  console.log()
  console.log(
    `  import vs raw pg INSERT, first import: ${fmtRatio(firstMs / rawMs)} slower (${secs(firstMs)} s vs ${secs(rawMs)} s) — the import also parses, ` +
      `validates every row, plans against the organisation's data, stores the file, and writes ${ROWS.toLocaleString('en-US')} hash-chained audit events.`,
  )
  console.log()
})
