/**
 * The import pipeline's benchmark (issue goal: every import applies within 2× of a raw `pg` COPY
 * of the same rows): the inventory (BENCH_IMPORT_ROWS, 10,000 systems, then as many interfaces
 * between them), the mapping matrix's code maps (BENCH_CODEMAP_ROWS, 20,000) and the staff roster
 * (BENCH_ROSTER_ROWS, 10,000 members). The RACI import has its own (raci.bench.ts).
 *
 * For each: a fresh organisation in the benchmark database and a file as a spreadsheet would send
 * it (every column, lists, quotes, commas, line breaks, formula-looking cells). The model
 * functions the import pages call are timed in this process (no HTTP): the preview (decode,
 * parse, validate every row, plan against the organisation's data, keep the batch with the rows
 * read) and the apply (one transaction: claim, plan the kept rows again against the data, bulk
 * writes, the import's one hash-chained audit event (ADR 029), for the roster the training sync).
 * "per-row audit" counts the import's other audit events: 0 since ADR 029.
 *
 * Baseline: the same rows into another fresh organisation with COPY … FROM STDIN (pg-copy-streams),
 * the fastest way Postgres takes rows — no parsing, validation, planning or audit. The roster
 * changes existing members, so its baseline is COPY into a temporary table plus one
 * UPDATE … FROM it, in one transaction.
 *
 * Each run leaves its organisations with their audit events in the benchmark database (the audit
 * table refuses DELETE); their other rows are deleted at the end.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { benchScope, fmtRatio, getConfig, loadNote, machineSummary, main, makeBenchInterface, makeBenchOrg, onCleanup, say, table, type BenchOrg } from './lib.ts'

const rows = (name: string, fallback: number) => Math.max(1, Math.round(Number(process.env[name] ?? fallback)))
const SYSTEMS = rows('BENCH_IMPORT_ROWS', 10_000)
const CODES = rows('BENCH_CODEMAP_ROWS', 20_000)
const STAFF = rows('BENCH_ROSTER_ROWS', 10_000)
const GOAL = 2

// The app's modules read the environment when first used (getEnv): give them a complete one.
// Nothing here sends mail or serves HTTP; the secret only has to be valid.
process.env.SESSION_SECRET ??= randomBytes(32).toString('hex')
process.env.APP_URL ??= 'http://127.0.0.1:3000'
process.env.LOG_LEVEL ??= 'warn'

const secs = (ms: number) => (ms / 1000).toFixed(2)

// ─── COPY ────────────────────────────────────────────────────────────────────────────────

type Cell = string | number | boolean | null | string[]
/** A Postgres array literal of text: {"a","b \"c\""}. */
const pgArray = (a: string[]) => `{${a.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`
/** One cell of COPY's CSV format: NULL is unquoted-empty, everything else quoted. */
const copyCell = (v: Cell) => (v === null ? '' : `"${(Array.isArray(v) ? pgArray(v) : String(v)).replace(/"/g, '""')}"`)

async function copyRows(client: pg.ClientBase, table: string, columns: string[], data: Cell[][]) {
  const copy = client.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN WITH (FORMAT csv)`))
  await pipeline(
    Readable.from(data.map((r) => `${r.map(copyCell).join(',')}\n`)),
    copy,
  )
}

async function timed(step: () => Promise<unknown>) {
  const t = performance.now()
  await step()
  return performance.now() - t
}

// ─── the data ────────────────────────────────────────────────────────────────────────────

const KINDS = ['ehr', 'lis', 'ris_pacs', 'pharmacy', 'billing', 'patient_portal', 'remote_monitoring', 'integration_engine', 'analytics', 'device_gateway', 'other'] as const
const UNITS = ['Emergency Department', 'ICU', 'Radiology', 'Pharmacy', 'Outpatients', 'Wards', 'Theatres', 'Laboratory']
const HL7 = ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7']

/** System i, as the database stores it (column order of SYSTEM_COPY). */
function system(i: number, ownerId: string | null) {
  const n = String(i).padStart(5, '0')
  const fhir = i % 3 === 0
  return {
    name: `System ${n}`,
    kind: KINDS[i % KINDS.length]!,
    vendor: i % 17 === 0 ? `=Vendor ${n}` : `Vendor ${i % 97}`,
    product: `Product ${i % 211}`,
    version: `${1 + (i % 9)}.${i % 4}`,
    environment: i % 10 === 0 ? ('test' as const) : ('production' as const),
    hosting: i % 4 === 0 ? null : (['on_premises', 'private_cloud', 'vendor_hosted', 'saas'] as const)[i % 4]!,
    criticality: (['low', 'medium', 'high', 'critical'] as const)[i % 4]!,
    businessOwnerId: i % 5 === 0 ? ownerId : null,
    unitsServed: [UNITS[i % UNITS.length]!, UNITS[(i * 7) % UNITS.length]!].filter((u, k, a) => a.indexOf(u) === k),
    notes: i % 2 ? `Row ${n}: a note, with a comma, "quotes"\nand a second line.` : null,
    hl7v2Versions: [HL7[i % HL7.length]!],
    fhirVersion: fhir ? ('4.0.1' as const) : null,
    fhirBaseUrl: fhir ? `https://fhir-${n}.example.org/r4` : null,
    dicom: i % 7 === 0,
    x12: i % 11 === 0,
  }
}

/** Interface i, as the database stores it (without its systems' ids). */
function iface(i: number, ownerId: string | null = null) {
  const n = String(i).padStart(5, '0')
  return {
    name: `Feed ${n}`,
    standard: 'hl7v2' as const,
    messageTypes: i % 2 ? ['ADT^A01', 'ADT^A08'] : ['ORU^R01'],
    transport: 'mllp' as const,
    approach: 'via_engine' as const,
    direction: 'one_way' as const,
    lifecycle: (['design', 'build', 'test', 'live'] as const)[i % 4]!,
    criticality: (['low', 'medium', 'high', 'critical'] as const)[i % 4]!,
    ownerId,
    description: i % 3 ? `Feed ${n}, "results" and orders` : null,
  }
}

const LOCAL_SYSTEMS = ['urn:riverside:lab', 'urn:riverside:micro', 'urn:riverside:pharmacy', 'urn:riverside:units']
const TARGETS = ['http://loinc.org', 'http://snomed.info/sct', 'http://hl7.org/fhir/sid/icd-10-cm', 'http://www.ama-assn.org/go/cpt', 'http://www.nlm.nih.gov/research/umls/rxnorm', 'http://unitsofmeasure.org'] as const
const EQUIVALENCES = ['equal', 'equal', 'equal', 'wider', 'narrower', 'unmatched'] as const

/** Code map i, as the database stores it. */
function code(i: number) {
  const n = String(i).padStart(5, '0')
  const equivalence = EQUIVALENCES[i % EQUIVALENCES.length]!
  const unmatched = equivalence === 'unmatched'
  return {
    sourceSystem: LOCAL_SYSTEMS[i % LOCAL_SYSTEMS.length]!,
    localCode: `L${n}`,
    localDisplay: i % 3 === 0 ? null : i % 29 === 0 ? `=Local test ${n}` : `Local test ${n}, "serum"`,
    targetSystem: TARGETS[i % TARGETS.length]!,
    targetCode: unmatched ? null : `${10_000 + i}-${i % 10}`,
    targetDisplay: unmatched || i % 2 ? null : `Standard concept ${n}`,
    equivalence,
    comment: equivalence === 'narrower' ? `Adults only (${n})` : unmatched ? 'No standard code yet' : null,
  }
}

const FUNCTIONS = ['clinical', 'it', 'operations', 'compliance'] as const

/** Creates `count` active staff members of the organisation (raw pg); returns their emails in order. */
async function makeStaff(client: pg.Client, org: BenchOrg, count: number) {
  const users: Cell[][] = []
  const members: Cell[][] = []
  const stamp = new Date().toISOString()
  for (let i = 0; i < count; i++) {
    const email = `staff-${i}-${org.id}@example.test`.toLowerCase()
    users.push([`bu${i}${org.id}`, email, `Staff ${i}`, 'x', stamp])
    members.push([`bm${i}${org.id}`, org.id, `bu${i}${org.id}`, 'staff', 'clinical', stamp])
  }
  await copyRows(client, '"User"', ['id', 'email', 'name', 'passwordHash', 'updatedAt'], users)
  await copyRows(client, '"Membership"', ['id', 'organizationId', 'userId', 'role', 'function', 'updatedAt'], members)
  return members.map((_, i) => `staff-${i}-${org.id}@example.test`.toLowerCase())
}

// ─── one import ──────────────────────────────────────────────────────────────────────────

type Result = { name: string; rows: number; previewMs: number; applyMs: number; copyMs: number; counts: string; audited: number }

await main(async () => {
  const cfg = getConfig()
  const before = loadNote()
  say(`machine: ${machineSummary()}; ${before.text}`)
  const client = new pg.Client({ connectionString: cfg.databaseUrl })
  await client.connect()
  onCleanup(() => client.end())

  // Imported after the environment is complete (db.server.ts reads it when first used).
  const { previewImport, applyImport } = await import('#app/models/inventory/inventory-csv.server.ts')
  const { previewMappingImport, applyMappingImport } = await import('#app/models/mapping/mapping-io.server.ts')
  const { previewRoster, applyRoster } = await import('#app/models/training/roster.server.ts')
  const { interfacesToCsv, systemsToCsv } = await import('#app/models/inventory/inventory-csv.ts')
  const { codesToCsv } = await import('#app/models/mapping/mapping-csv.ts')
  const { prisma } = await import('#app/utils/db.server.ts')
  onCleanup(() => prisma.$disconnect())

  const orgs: BenchOrg[] = []
  const org = async (label: string) => {
    const o = await makeBenchOrg(client, label)
    orgs.push(o)
    return o
  }
  onCleanup(async () => {
    for (const o of orgs) {
      for (const t of ['CodeMap', 'MappingVersion', 'Interface', 'System', 'ImportBatch', 'Invitation']) await client.query(`DELETE FROM "${t}" WHERE "organizationId" = $1`, [o.id])
      await client.query(`DELETE FROM "Membership" WHERE "organizationId" = $1 AND id <> $2`, [o.id, o.membershipId])
      await client.query(`DELETE FROM "User" WHERE id LIKE 'bu%' AND id LIKE $1`, [`%${o.id}`])
    }
  })
  // Warm-up: module loading, the Prisma client's first connection and query plans.
  await prisma.system.count({ where: { organizationId: 'none' } })

  const results: Result[] = []
  const audited = async (o: BenchOrg, summary: string) =>
    (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "organizationId" = $1 AND action <> $2`, [o.id, summary])).rows[0]!.n
  async function measure<P extends { errors: unknown[]; counts: Record<string, number> }>(
    name: string,
    count: number,
    preview: () => Promise<{ batchId: string | null; plan: P } | null>,
    apply: (batchId: string) => Promise<{ status: string; plan: P } | null>,
  ) {
    let batchId: string | null = null
    const previewMs = await timed(async () => {
      const p = await preview()
      if (!p?.batchId) throw new Error(`${name}: preview reported ${p?.plan.errors.length} problems, e.g. ${JSON.stringify(p?.plan.errors[0])}`)
      batchId = p.batchId
    })
    let counts = ''
    const applyMs = await timed(async () => {
      const a = await apply(batchId!)
      if (a?.status !== 'applied') throw new Error(`${name}: apply answered ${a?.status ?? 'null'}: ${JSON.stringify(a?.plan.errors[0])}`)
      counts = Object.entries(a.plan.counts)
        .filter(([, n]) => n)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')
    })
    say(`${name}: preview ${secs(previewMs)} s, apply ${secs(applyMs)} s (${counts})`)
    return { previewMs, applyMs, counts }
  }

  // Inventory: 10,000 new systems.
  {
    const o = await org('imp')
    const raw = await org('impraw')
    const data = Array.from({ length: SYSTEMS }, (_, i) => system(i, o.membershipId))
    const csv = systemsToCsv(
      data.map(({ businessOwnerId, hosting, notes, fhirVersion, fhirBaseUrl, ...r }) => ({
        ...r,
        hosting: hosting ?? undefined,
        notes: notes ?? undefined,
        fhirVersion: fhirVersion ?? undefined,
        fhirBaseUrl: fhirBaseUrl ?? undefined,
        businessOwnerEmail: businessOwnerId ? o.email : undefined,
      })),
    )
    const scope = benchScope(o)
    const m = await measure(`inventory (${SYSTEMS.toLocaleString('en-US')} systems)`, SYSTEMS, () => previewImport(scope, { kind: 'systems', fileName: 'systems.csv', content: Buffer.from(csv) }), (id) => applyImport(scope, id))
    const stamp = new Date().toISOString()
    const columns = ['id', 'organizationId', ...Object.keys(data[0]!), 'updatedAt']
    const copyMs = await timed(() => copyRows(client, '"System"', columns, data.map((r, i) => [`raw${raw.id}${i}`, raw.id, ...Object.values(r).map((v) => (v === o.membershipId ? raw.membershipId : v)), stamp] as Cell[])))
    results.push({ name: 'inventory: systems', rows: SYSTEMS, ...m, copyMs, audited: await audited(o, 'inventory.imported') })

    // Then as many interfaces between those systems (system i → system i+1).
    const ifaces = Array.from({ length: SYSTEMS }, (_, i) => iface(i))
    const systemName = (i: number) => data[i % SYSTEMS]!.name
    const icsv = interfacesToCsv(
      ifaces.map(({ description, ownerId, ...r }, i) => ({ ...r, sourceSystem: systemName(i), targetSystem: systemName(i + 1), description: description ?? undefined, ownerEmail: ownerId ? o.email : undefined })),
    )
    const im = await measure(`inventory (${SYSTEMS.toLocaleString('en-US')} interfaces)`, SYSTEMS, () => previewImport(scope, { kind: 'interfaces', fileName: 'interfaces.csv', content: Buffer.from(icsv) }), (id) => applyImport(scope, id))
    const icolumns = ['id', 'organizationId', 'sourceSystemId', 'targetSystemId', ...Object.keys(ifaces[0]!), 'updatedAt']
    const rawSystem = (i: number) => `raw${raw.id}${i % SYSTEMS}`
    const icopyMs = await timed(() =>
      copyRows(client, '"Interface"', icolumns, ifaces.map((r, i) => [`rawi${raw.id}${i}`, raw.id, rawSystem(i), rawSystem(i + 1), ...Object.values(r).map((v) => (v === o.membershipId ? raw.membershipId : v)), stamp] as Cell[])),
    )
    results.push({ name: 'inventory: interfaces', rows: SYSTEMS, ...im, copyMs: icopyMs, audited: await audited(o, 'inventory.imported') })
  }

  // Mapping: 20,000 new code maps in a draft version.
  {
    const version = async (o: BenchOrg) => {
      const interfaceId = await makeBenchInterface(client, o)
      const id = `bv${o.id}`
      await client.query(`INSERT INTO "MappingVersion" (id, "organizationId", "interfaceId", number, "updatedAt") VALUES ($1, $2, $3, 1, now())`, [id, o.id, interfaceId])
      return id
    }
    const o = await org('map')
    const raw = await org('mapraw')
    const [versionId, rawVersionId] = [await version(o), await version(raw)]
    const data = Array.from({ length: CODES }, (_, i) => code(i))
    const csv = codesToCsv(data.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v ?? undefined])) as never))
    const scope = benchScope(o)
    const m = await measure(
      `mapping (${CODES.toLocaleString('en-US')} code maps)`,
      CODES,
      () => previewMappingImport(scope, { versionId, kind: 'codes', fileName: 'codes.csv', content: Buffer.from(csv) }),
      (id) => applyMappingImport(scope, { versionId, batchId: id }),
    )
    const stamp = new Date().toISOString()
    const columns = ['id', 'organizationId', 'versionId', ...Object.keys(data[0]!), 'updatedAt']
    const copyMs = await timed(() => copyRows(client, '"CodeMap"', columns, data.map((c, i) => [`raw${raw.id}${i}`, raw.id, rawVersionId, ...Object.values(c), stamp])))
    results.push({ name: 'mapping: code maps', rows: CODES, ...m, copyMs, audited: await audited(o, 'mapping.imported') })
  }

  // Roster: 10,000 members get a function, a unit and a line manager.
  {
    const o = await org('ros')
    const raw = await org('rosraw')
    const emails = await makeStaff(client, o, STAFF)
    await makeStaff(client, raw, STAFF)
    const line = (email: string, i: number) => [email, `Staff ${i}`, '', FUNCTIONS[i % FUNCTIONS.length], UNITS[i % UNITS.length], i % 10 ? o.email : ''].join(',')
    const csv = ['email,name,role,function,unit,manager_email', ...emails.map(line)].join('\r\n')
    const scope = benchScope(o)
    const m = await measure(`roster (${STAFF.toLocaleString('en-US')} members)`, STAFF, () => previewRoster(scope, { fileName: 'roster.csv', content: Buffer.from(csv) }), (id) => applyRoster(scope, { batchId: id, inviterName: 'Bench' }))
    const copyMs = await timed(async () => {
      await client.query('BEGIN')
      await client.query(`CREATE TEMP TABLE roster_in (id text, function "MemberFunction", unit text, "managerId" text) ON COMMIT DROP`)
      await copyRows(client, 'roster_in', ['id', 'function', 'unit', 'managerId'], emails.map((_, i) => [`bm${i}${raw.id}`, FUNCTIONS[i % FUNCTIONS.length]!, UNITS[i % UNITS.length]!, i % 10 ? raw.membershipId : null]))
      await client.query(`UPDATE "Membership" m SET function = r.function, unit = r.unit, "managerId" = r."managerId", "updatedAt" = now() FROM roster_in r WHERE m.id = r.id AND m."organizationId" = $1`, [raw.id])
      await client.query('COMMIT')
    })
    results.push({ name: 'roster: members', rows: STAFF, ...m, copyMs, audited: await audited(o, 'training.roster_imported') })
  }

  const rss = process.memoryUsage().rss
  console.log()
  console.log(`Import pipeline: model functions in-process against raw pg COPY of the same rows, ${machineSummary()}`)
  console.log(`  Before the run: ${before.text}. Process RSS after the runs: ${(rss / 1024 / 1024).toFixed(0)} MB.`)
  console.log()
  table(
    ['import', 'rows', 'written', 'per-row audit', 'preview', 'apply', 'raw COPY', 'apply ÷ COPY', 'preview+apply ÷ COPY', `apply ≤ ${GOAL}×`],
    results.map((r) => [
      r.name,
      r.rows.toLocaleString('en-US'),
      r.counts,
      r.audited.toLocaleString('en-US'),
      `${secs(r.previewMs)} s`,
      `${secs(r.applyMs)} s`,
      `${secs(r.copyMs)} s`,
      fmtRatio(r.applyMs / r.copyMs),
      fmtRatio((r.previewMs + r.applyMs) / r.copyMs),
      r.applyMs / r.copyMs <= GOAL ? 'meets' : 'misses',
    ]),
  )
  console.log()
  console.log(
    '  The import also decodes, validates every row with the form schema, plans each row against the organisation’s data (again in the apply,' +
      ' against the data as it is then, from the rows the preview kept), keeps the file, and writes one hash-chained audit event per import; COPY does none of that.',
  )
  console.log()
})
