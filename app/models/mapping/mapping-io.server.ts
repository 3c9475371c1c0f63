import type { Prisma } from '#app/generated/prisma/client.ts'
import { insertRows, newId, updateRows, type SqlColumns } from '#app/utils/bulk-sql.server.ts'
import { conceptMapJson, readConceptMap, toConceptMap, type ConceptMapR4 } from '#app/models/mapping/concept-map.ts'
import { prisma, type Db, type Tx } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { decodeCsv } from '#app/utils/csv.ts'
import {
  CODE_COLUMNS,
  codeKey,
  codesToCsv,
  parseCodesCsv,
  parseRowsCsv,
  recordCells,
  ROW_COLUMNS,
  ROW_LINK_COLUMN,
  rowKey,
  rowsToCsv,
  type CodeRecord,
  type ImportIssue,
  type MappingColumn,
  type MappingImportKind,
  type RowRecord,
} from '#app/models/mapping/mapping-csv.ts'
import { CODE_MAP_FIELDS, MAPPING_ROW_FIELDS } from '#app/models/mapping/mapping.ts'
import { type Equivalence } from '#app/models/mapping/vocabulary.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { applyImportBatch, auditImport, cleanFileName, importAuditMetadata, invalidImport, keepRows, keptRows, previewImportBatch, type ImportBatchRecord, type KeptRows } from '../imports/import-batch.server.ts'
import { rowData } from './mapping.server.ts'

/**
 * The mapping matrix's round trips (docs/decisions/012-mapping-round-trip.md): CSV of rows, CSV
 * of code maps and a FHIR R4 ConceptMap, out of a version and into a draft one.
 *
 * preview: read the file (app/models/mapping/mapping-csv.ts, app/models/mapping/concept-map.ts), plan each item as
 *   create / update / unchanged against the version (rows by sourcePath + targetPath without
 *   regard to case, code maps by sourceSystem + localCode + targetSystem), and keep the file as an
 *   ImportBatch bound to the version when nothing is wrong. An approved version is refused.
 *   The batch keeps the items read and validated, so the apply does not read the file again.
 * apply: in ONE transaction, lock the version (still a draft?), claim the batch, plan the kept
 *   items again, write with one INSERT and one UPDATE per 5,000 (app/utils/bulk-sql.server.ts),
 *   audit. All or nothing.
 * audit: as the inventory import, ONE `mapping.imported` event per applied batch
 *   (docs/decisions/029-import-audit.md): the version, the batch, the file's SHA-256, the counts,
 *   the ids created and, per changed row / code map, its id and its fields' before and after.
 *   Unchanged items write nothing. A changed row goes back to draft (reviewer cleared), as a
 *   change through the form does. Imports never delete.
 */

/** ImportBatch.kind per file kind; the version the batch was previewed for follows a colon. */
export const BATCH_KINDS: Record<MappingImportKind, string> = { rows: 'mapping-rows', codes: 'mapping-codes', conceptmap: 'conceptmap' }
export const batchKind = (kind: MappingImportKind, versionId: string) => `${BATCH_KINDS[kind]}:${versionId}`

export type PlannedChange = { column: string; from: string; to: string }
export type PlannedItem = {
  /** CSV line, or null for a ConceptMap (then `path` says where). */
  line: number | null
  path?: string
  name: string
  action: 'create' | 'update' | 'unchanged'
  changes: PlannedChange[]
}
export type ImportCounts = { create: number; update: number; unchanged: number }
export type MappingImportPlan = {
  kind: MappingImportKind
  fileName: string
  /** Items read (valid or not): CSV data rows, ConceptMap targets. */
  total: number
  counts: ImportCounts
  items: PlannedItem[]
  /** Every problem, in file order. Non-empty means nothing can be applied. */
  errors: ImportIssue[]
}
export type MappingApplyResult = { status: 'applied'; plan: MappingImportPlan } | { status: 'invalid'; plan: MappingImportPlan }

type Version = { id: string; number: number; status: string; interfaceId: string; interfaceName: string }

const versionLabel = (v: { number: number }) => `v${v.number}`
function frozen(v: { number: number }): never {
  throw new DomainError('RULE_VIOLATION', `${versionLabel(v)} is approved and frozen; start a new version to change it.`)
}

async function findVersion(db: Db, scope: TenantScope, versionId: string): Promise<Version | null> {
  const v = await db.mappingVersion.findFirst({
    where: { id: versionId, organizationId: scope.organizationId },
    select: { id: true, number: true, status: true, interfaceId: true, interface: { select: { name: true } } },
  })
  return v && { id: v.id, number: v.number, status: v.status, interfaceId: v.interfaceId, interfaceName: v.interface.name }
}

/** The version, locked for the import (the same lock the matrix's edits take), or null. */
async function lockVersion(tx: Tx, scope: TenantScope, versionId: string): Promise<Version | null> {
  const rows = await tx.$queryRaw<{ id: string; number: number; status: string; interfaceId: string; interfaceName: string }[]>`
    SELECT v.id, v.number, v.status::text AS status, v."interfaceId", i.name AS "interfaceName"
      FROM "MappingVersion" v JOIN "Interface" i ON i.id = v."interfaceId"
     WHERE v.id = ${versionId} AND v."organizationId" = ${scope.organizationId}
       FOR UPDATE OF v`
  return rows[0] ?? null
}

/** The version as the import and export pages show it, or null when it is not the organisation's. */
export async function getVersionForRoundTrip(scope: TenantScope, versionId: string) {
  const v = await findVersion(prisma, scope, versionId)
  if (!v) return null
  const [rows, codeMaps] = await Promise.all([
    prisma.mappingRow.count({ where: { organizationId: scope.organizationId, versionId: v.id } }),
    prisma.codeMap.count({ where: { organizationId: scope.organizationId, versionId: v.id } }),
  ])
  return { ...v, label: versionLabel(v), frozen: v.status === 'approved', rows, codeMaps }
}

// ─── the version's data, as records ──────────────────────────────────────────────────────

const ROW_SELECT = {
  id: true,
  position: true,
  reviewState: true,
  sourceField: true,
  sourcePath: true,
  targetField: true,
  targetPath: true,
  dataType: true,
  requirement: true,
  allowedValues: true,
  usageFrequency: true,
  transformType: true,
  transformRule: true,
  qualityRule: true,
  notes: true,
} satisfies Prisma.MappingRowSelect
type RowRow = Prisma.MappingRowGetPayload<{ select: typeof ROW_SELECT }>

const CODE_SELECT = {
  id: true,
  rowId: true,
  sourceSystem: true,
  localCode: true,
  localDisplay: true,
  targetSystem: true,
  targetCode: true,
  targetDisplay: true,
  equivalence: true,
  comment: true,
} satisfies Prisma.CodeMapSelect
type CodeRow = Prisma.CodeMapGetPayload<{ select: typeof CODE_SELECT }>

const u = <T>(v: T | null) => v ?? undefined

function rowRecord(r: RowRow): RowRecord {
  return {
    sourceField: r.sourceField,
    sourcePath: r.sourcePath,
    targetField: r.targetField,
    targetPath: r.targetPath,
    dataType: r.dataType,
    requirement: r.requirement,
    allowedValues: u(r.allowedValues),
    usageFrequency: u(r.usageFrequency),
    transformType: r.transformType,
    transformRule: u(r.transformRule),
    qualityRule: u(r.qualityRule),
    notes: u(r.notes),
  }
}

type RowRef = { id: string; sourcePath: string; targetPath: string }

/**
 * How a code map names its row in the CSV: the row's sourcePath, or "sourcePath → targetPath"
 * when other rows of the version share that source path.
 */
function rowLinks(rows: RowRef[]) {
  const bySource = new Map<string, RowRef[]>()
  for (const r of rows) {
    const k = r.sourcePath.trim().toLowerCase()
    bySource.set(k, [...(bySource.get(k) ?? []), r])
  }
  const labelOf = new Map<string, string>()
  for (const r of rows) labelOf.set(r.id, bySource.get(r.sourcePath.trim().toLowerCase())!.length > 1 ? `${r.sourcePath} → ${r.targetPath}` : r.sourcePath)
  const byKey = new Map(rows.map((r) => [rowKey(r.sourcePath, r.targetPath), r]))
  function resolve(value: string): { id: string } | { error: string } {
    const arrow = value.indexOf('→')
    if (arrow >= 0) {
      const row = byKey.get(rowKey(value.slice(0, arrow), value.slice(arrow + 1)))
      return row ? { id: row.id } : { error: `No row of this version maps ${value.trim()} (import or add the row first).` }
    }
    const found = bySource.get(value.trim().toLowerCase()) ?? []
    if (found.length === 1) return { id: found[0]!.id }
    if (!found.length) return { error: `No row of this version has the source path ${value.trim()} (import or add the row first).` }
    return { error: `${found.length} rows of this version have the source path ${value.trim()}: write which one, e.g. "${found[0]!.sourcePath} → ${found[0]!.targetPath}".` }
  }
  return { label: (id: string | null) => (id ? labelOf.get(id) : undefined), resolve }
}

function codeRecord(c: CodeRow, rowLabel: (id: string | null) => string | undefined): CodeRecord {
  return {
    sourceSystem: c.sourceSystem,
    localCode: c.localCode,
    localDisplay: u(c.localDisplay),
    targetSystem: c.targetSystem as CodeRecord['targetSystem'],
    targetCode: u(c.targetCode),
    targetDisplay: u(c.targetDisplay),
    equivalence: c.equivalence,
    comment: u(c.comment),
    rowSourcePath: rowLabel(c.rowId),
  }
}

// ─── planning ────────────────────────────────────────────────────────────────────────────

type RowData = ReturnType<typeof rowData>
type CodeData = {
  rowId: string | null
  sourceSystem: string
  localCode: string
  localDisplay: string | null
  targetSystem: string
  targetCode: string | null
  targetDisplay: string | null
  equivalence: Equivalence
  comment: string | null
}

type Planned<D, B> = {
  plan: MappingImportPlan
  creates: { data: D }[]
  updates: { id: string; before: B; data: D }[]
}

function compare(columns: readonly MappingColumn[], before: Record<string, unknown> | undefined, after: Record<string, unknown>) {
  if (!before) return { action: 'create' as const, changes: [] }
  const a = recordCells(columns, before)
  const b = recordCells(columns, after)
  const changes = columns.filter((c) => a[c.name] !== b[c.name]).map((c) => ({ column: c.name, from: a[c.name]!, to: b[c.name]! }))
  return { action: changes.length ? ('update' as const) : ('unchanged' as const), changes }
}

function finish<D, B>(kind: MappingImportKind, fileName: string, total: number, errors: ImportIssue[], items: PlannedItem[], creates: Planned<D, B>['creates'], updates: Planned<D, B>['updates']): Planned<D, B> {
  const counts = { create: 0, update: 0, unchanged: 0 }
  for (const r of items) counts[r.action]++
  return { plan: { kind, fileName, total, counts, items, errors }, creates, updates }
}

async function planRows(db: Db, scope: TenantScope, version: Version, parsed: { rows: { line: number; record: RowRecord }[]; errors: ImportIssue[]; total: number }, fileName: string): Promise<Planned<RowData, RowRow>> {
  const existing = await db.mappingRow.findMany({ where: { organizationId: scope.organizationId, versionId: version.id }, select: ROW_SELECT })
  const byKey = new Map(existing.map((r) => [rowKey(r.sourcePath, r.targetPath), r]))
  const items: PlannedItem[] = []
  const creates: Planned<RowData, RowRow>['creates'] = []
  const updates: Planned<RowData, RowRow>['updates'] = []
  for (const row of parsed.rows) {
    const r = row.record
    const before = byKey.get(rowKey(r.sourcePath, r.targetPath))
    const { action, changes } = compare(ROW_COLUMNS, before && rowRecord(before), r)
    items.push({ line: row.line, name: `${r.sourcePath} → ${r.targetPath}`, action, changes })
    if (!before) creates.push({ data: rowData(r) })
    else if (action === 'update') updates.push({ id: before.id, before, data: rowData(r) })
  }
  return finish('rows', fileName, parsed.total, parsed.errors, items, creates, updates)
}

/** Code maps read from a CSV or a ConceptMap (which has no row links: they stay as they are). */
type CodesRead = {
  items: { line: number | null; path?: string; record: CodeRecord; positions?: Record<string, number> }[]
  total: number
  linked: boolean
  errors: ImportIssue[]
}

function readCodes(kind: 'codes' | 'conceptmap', text: string): CodesRead {
  if (kind === 'codes') {
    const parsed = parseCodesCsv(text)
    return { items: parsed.rows.map((r) => ({ line: r.line, record: r.record, positions: r.positions })), total: parsed.total, linked: parsed.present.has(ROW_LINK_COLUMN.name), errors: parsed.errors }
  }
  const parsed = readConceptMap(text)
  return { items: parsed.items.map((i) => ({ line: null, path: i.path, record: i.record })), total: parsed.total, linked: false, errors: parsed.errors }
}

/** What a batch keeps of a ConceptMap's items (a CSV's rows are kept with `keepRows`). */
type KeptItems = { items: { path: string; record: CodeRecord }[]; total: number }

type Read =
  | { kind: 'rows'; parsed: { rows: { line: number; record: RowRecord }[]; errors: ImportIssue[]; total: number } }
  | { kind: 'codes' | 'conceptmap'; parsed: CodesRead }

function read(kind: MappingImportKind, text: string): Read {
  return kind === 'rows' ? { kind, parsed: parseRowsCsv(text) } : { kind, parsed: readCodes(kind, text) }
}

/** What the batch keeps of a file read without problems: the rows or items, validated. */
function keep(r: Read): unknown {
  if (r.kind === 'rows') return keepRows(r.parsed as ReturnType<typeof parseRowsCsv>)
  if (r.kind === 'codes') {
    const kept = keepRows({ rows: r.parsed.items.map((i) => ({ line: i.line!, record: i.record, positions: i.positions ?? {} })), total: r.parsed.total }, [ROW_LINK_COLUMN.name])
    return { ...kept, present: r.parsed.linked ? [ROW_LINK_COLUMN.name] : [] }
  }
  return { items: r.parsed.items.map((i) => ({ path: i.path!, record: i.record })), total: r.parsed.total } satisfies KeptItems
}

function readBatch(kind: MappingImportKind, batch: ImportBatchRecord): Read {
  if (!batch.records) return read(kind, batch.content)
  if (kind === 'rows') return { kind, parsed: keptRows(batch.records as KeptRows<RowRecord>) }
  if (kind === 'codes') {
    const kept = keptRows(batch.records as KeptRows<CodeRecord>)
    return { kind, parsed: { items: kept.rows.map((r) => ({ line: r.line, record: r.record, positions: r.positions })), total: kept.total, linked: kept.present.has(ROW_LINK_COLUMN.name), errors: [] } }
  }
  const kept = batch.records as KeptItems
  return { kind, parsed: { items: kept.items.map((i) => ({ line: null, path: i.path, record: i.record })), total: kept.total, linked: false, errors: [] } }
}

async function planCodes(db: Db, scope: TenantScope, version: Version, kind: 'codes' | 'conceptmap', codes: CodesRead, fileName: string): Promise<Planned<CodeData, CodeRow>> {
  const { items: read, total, linked } = codes
  const errors: ImportIssue[] = [...codes.errors]
  const [rows, existing] = await Promise.all([
    // In matrix order: an ambiguous source path's message names the first of its rows.
    db.mappingRow.findMany({ where: { organizationId: scope.organizationId, versionId: version.id }, select: { id: true, sourcePath: true, targetPath: true }, orderBy: [{ position: 'asc' }, { id: 'asc' }] }),
    db.codeMap.findMany({ where: { organizationId: scope.organizationId, versionId: version.id }, select: CODE_SELECT }),
  ])
  const links = rowLinks(rows)
  const byKey = new Map(existing.map((c) => [codeKey(c.sourceSystem, c.localCode, c.targetSystem), c]))
  const columns = linked ? CODE_COLUMNS : CODE_COLUMNS.filter((c) => c !== ROW_LINK_COLUMN)
  const items: PlannedItem[] = []
  const creates: Planned<CodeData, CodeRow>['creates'] = []
  const updates: Planned<CodeData, CodeRow>['updates'] = []
  let linkErrors = false
  for (const item of read) {
    const r = item.record
    const before = byKey.get(codeKey(r.sourceSystem, r.localCode, r.targetSystem))
    let rowId = before?.rowId ?? null
    if (linked) {
      rowId = null
      if (r.rowSourcePath) {
        const found = links.resolve(r.rowSourcePath)
        if ('error' in found) {
          linkErrors = true
          errors.push({ line: item.line, column: ROW_LINK_COLUMN.name, columnNumber: item.positions?.[ROW_LINK_COLUMN.name] ?? null, value: r.rowSourcePath, message: found.error })
          continue
        }
        rowId = found.id
      }
    }
    const current = before && codeRecord(before, links.label)
    // The link as the organisation spells it, so "obx-3" for "OBX-3" is not a change.
    const record = { ...r, rowSourcePath: links.label(rowId) }
    const { action, changes } = compare(columns, current, record)
    items.push({ line: item.line, path: item.path, name: `${r.localCode} (${r.sourceSystem}) → ${r.targetCode ?? 'unmatched'}`, action, changes })
    const data: CodeData = {
      rowId,
      sourceSystem: r.sourceSystem,
      localCode: r.localCode,
      localDisplay: r.localDisplay ?? null,
      targetSystem: r.targetSystem,
      targetCode: r.targetCode ?? null,
      targetDisplay: r.targetDisplay ?? null,
      equivalence: r.equivalence,
      comment: r.comment ?? null,
    }
    if (!before) creates.push({ data })
    else if (action === 'update') updates.push({ id: before.id, before, data })
  }
  if (linkErrors) errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.columnNumber ?? Infinity) - (b.columnNumber ?? Infinity))
  return finish(kind, fileName, total, errors, items, creates, updates)
}

function plan(db: Db, scope: TenantScope, version: Version, r: Read, fileName: string) {
  return r.kind === 'rows' ? planRows(db, scope, version, r.parsed, fileName) : planCodes(db, scope, version, r.kind, r.parsed, fileName)
}

function decode(kind: MappingImportKind, content: string | Uint8Array): { text: string } | { error: string } {
  const decoded = decodeCsv(content)
  if ('error' in decoded && kind === 'conceptmap') {
    return { error: decoded.error.replace(/it needs a header row naming the columns, then one row per item\./, 'it needs one ConceptMap resource in JSON.').replace(/CSV( UTF-8 \(comma delimited\))?/g, 'JSON') }
  }
  return decoded
}

// ─── preview ─────────────────────────────────────────────────────────────────────────────

/**
 * Reads and checks an uploaded file against a draft version and plans it; nothing changes. When
 * the file has no problem it is kept as an ImportBatch (the organisation's, bound to the version)
 * whose id `applyMappingImport` takes. Null when the version is not the organisation's; throws
 * RULE_VIOLATION for an approved version.
 */
export async function previewMappingImport(
  scope: TenantScope,
  input: { versionId: string; kind: MappingImportKind; fileName?: string | null; content: string | Uint8Array },
): Promise<{ batchId: string | null; plan: MappingImportPlan } | null> {
  const version = await findVersion(prisma, scope, input.versionId)
  if (!version) return null
  if (version.status !== 'draft') frozen(version)
  const fileName = cleanFileName(input.fileName, input.kind === 'conceptmap' ? 'upload.json' : 'upload.csv')
  return previewImportBatch(
    scope,
    { kind: batchKind(input.kind, version.id), fileName, content: input.content },
    {
      decode: (content) => decode(input.kind, content),
      plan: async (text) => {
        const r = read(input.kind, text)
        const planned = await plan(prisma, scope, version, r, fileName)
        return { plan: planned.plan, keep: planned.plan.errors.length ? undefined : keep(r) }
      },
      unreadable: (issue) => ({ kind: input.kind, fileName, total: 0, counts: { create: 0, update: 0, unchanged: 0 }, items: [], errors: [issue] }),
    },
  )
}

// ─── apply ───────────────────────────────────────────────────────────────────────────────

const FROZEN_TRIGGER = 'mapping version is approved and frozen'
const MAPPING_KINDS = Object.keys(BATCH_KINDS) as MappingImportKind[]

/**
 * Applies a previewed batch to its version: all of it or nothing. Null when the version or the
 * batch is not the organisation's, or the batch was previewed for another version (→ 404);
 * `invalid` with every problem when the version changed since the preview so that the file no
 * longer fits; throws CONFLICT when already applied, RULE_VIOLATION when the preview is more than
 * an hour old or the version was approved meanwhile.
 */
export async function applyMappingImport(scope: TenantScope, { versionId, batchId }: { versionId: string; batchId: string }): Promise<MappingApplyResult | null> {
  let version: Version | null = null
  try {
    return await applyImportBatch<MappingImportPlan, MappingApplyResult>(
      scope,
      { batchId },
      {
        // The version is part of the kind: a batch previewed for another version is not found.
        kinds: MAPPING_KINDS.map((k) => batchKind(k, versionId)),
        changedMeanwhile: 'Someone changed this mapping while the import ran. Upload the file again to see what it would change now.',
        // The lock the matrix's edits take: the version stays a draft until the import commits.
        lock: async (tx) => {
          version = await lockVersion(tx, scope, versionId)
          if (!version) return false
          if (version.status !== 'draft') frozen(version)
          return true
        },
        apply: async (tx, batch) => {
          const v = version!
          const kind = MAPPING_KINDS.find((k) => batch.kind === batchKind(k, versionId))!
          const planned = await plan(tx, scope, v, readBatch(kind, batch), batch.fileName)
          if (planned.plan.errors.length) invalidImport(planned.plan)
          const written =
            kind === 'rows'
              ? await writeRows(tx, scope, v, planned as Planned<RowData, RowRow>)
              : await writeCodes(tx, scope, v, planned as Planned<CodeData, CodeRow>)
          await auditImport(scope, {
            action: 'mapping.imported',
            targetType: 'mapping_version',
            targetId: v.id,
            targetLabel: `${v.interfaceName} ${versionLabel(v)}`,
            metadata: importAuditMetadata(batch, {
              rows: planned.plan.total,
              counts: planned.plan.counts,
              extra: { kind, version: versionLabel(v), items: planned.plan.total },
              created: written.created,
              updated: written.updated,
            }),
          }, { tx })
          return { status: 'applied', plan: planned.plan }
        },
      },
    )
  } catch (e) {
    if (e instanceof Error && e.message.includes(FROZEN_TRIGGER)) frozen(version ?? { number: 0 })
    throw e
  }
}

/** What an apply wrote, for its one audit event: the ids created; per change, the id and the fields' before and after. */
type Written = { created: string[]; updated: { id: string; name: string; changes: Record<string, { from: unknown; to: unknown }>; reviewStateWas?: string }[] }

const ROW_COLUMNS_SQL: SqlColumns = [
  ['sourceField', 'text'],
  ['sourcePath', 'text'],
  ['targetField', 'text'],
  ['targetPath', 'text'],
  ['dataType', 'text'],
  ['requirement', '"Requirement"'],
  ['allowedValues', 'text'],
  ['usageFrequency', 'text'],
  ['transformType', '"TransformType"'],
  ['transformRule', 'text'],
  ['qualityRule', 'text'],
  ['notes', 'text'],
]
const REVIEW_SQL: SqlColumns = [
  ['reviewState', '"ReviewState"'],
  ['reviewedById', 'text'],
  ['reviewedAt', 'timestamp(3)'],
  ['reviewComment', 'text'],
]
const CODE_COLUMNS_SQL: SqlColumns = [
  ['rowId', 'text'],
  ['sourceSystem', 'text'],
  ['localCode', 'text'],
  ['localDisplay', 'text'],
  ['targetSystem', 'text'],
  ['targetCode', 'text'],
  ['targetDisplay', 'text'],
  ['equivalence', '"CodeEquivalence"'],
  ['comment', 'text'],
]
const KEYS_SQL: SqlColumns = [
  ['id', 'text'],
  ['organizationId', 'text'],
  ['versionId', 'text'],
]
const STAMPS_SQL: SqlColumns = [
  ['createdAt', 'timestamp(3)'],
  ['updatedAt', 'timestamp(3)'],
]

const rowLabel = (r: { sourcePath: string; targetPath: string }) => `${r.sourcePath} → ${r.targetPath}`
const codeLabel = (m: { localCode: string; targetCode: string | null }) => `${m.localCode} → ${m.targetCode ?? 'unmapped'}`

async function writeRows(tx: Tx, scope: TenantScope, version: Version, planned: Planned<RowData, RowRow>): Promise<Written> {
  const now = new Date()
  const last = await tx.mappingRow.aggregate({ where: { organizationId: scope.organizationId, versionId: version.id }, _max: { position: true } })
  let position = last._max.position ?? 0
  const created = planned.creates.map((c) => {
    const id = newId()
    return { ...c.data, id, lineageId: id, organizationId: scope.organizationId, versionId: version.id, position: ++position, reviewState: 'draft', authorId: scope.membershipId, createdAt: now, updatedAt: now }
  })
  await insertRows(tx, 'MappingRow', [...KEYS_SQL, ['lineageId', 'text'], ['position', 'integer'], ['reviewState', '"ReviewState"'], ['authorId', 'text'], ...ROW_COLUMNS_SQL, ...STAMPS_SQL], created)
  // A change sends the row back to draft: an approval covers what the reviewer saw.
  await updateRows(
    tx,
    scope,
    'MappingRow',
    [...ROW_COLUMNS_SQL, ...REVIEW_SQL],
    planned.updates.map((up) => ({ ...up.data, id: up.id, reviewState: 'draft', reviewedById: null, reviewedAt: null, reviewComment: null, updatedAt: now })),
  )
  const updated = planned.updates.map((up) => {
    const changes: Record<string, { from: unknown; to: unknown }> = {}
    for (const f of MAPPING_ROW_FIELDS) {
      if ((up.before[f] ?? null) !== (up.data[f] ?? null)) changes[f] = { from: up.before[f] ?? null, to: up.data[f] ?? null }
    }
    return { id: up.id, name: rowLabel(up.data), changes, reviewStateWas: up.before.reviewState }
  })
  return { created: created.map((c) => c.id), updated }
}

async function writeCodes(tx: Tx, scope: TenantScope, version: Version, planned: Planned<CodeData, CodeRow>): Promise<Written> {
  const now = new Date()
  const created = planned.creates.map((c) => ({ ...c.data, id: newId(), organizationId: scope.organizationId, versionId: version.id, createdAt: now, updatedAt: now }))
  await insertRows(tx, 'CodeMap', [...KEYS_SQL, ...CODE_COLUMNS_SQL, ...STAMPS_SQL], created)
  await updateRows(tx, scope, 'CodeMap', CODE_COLUMNS_SQL, planned.updates.map((up) => ({ ...up.data, id: up.id, updatedAt: now })))
  const updated = planned.updates.map((up) => {
    const changes: Record<string, { from: unknown; to: unknown }> = {}
    for (const f of ['rowId', ...CODE_MAP_FIELDS] as const) {
      if ((up.before[f] ?? null) !== (up.data[f] ?? null)) changes[f] = { from: up.before[f] ?? null, to: up.data[f] ?? null }
    }
    return { id: up.id, name: codeLabel(up.data), changes }
  })
  return { created: created.map((c) => c.id), updated }
}

// ─── export ──────────────────────────────────────────────────────────────────────────────

export type MappingExport = { fileName: string; contentType: string; body: string }

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'interface'

/**
 * A version's rows (CSV, in matrix order), code maps (CSV, by code system and code) or code maps
 * as an R4 ConceptMap. Null when the version is not the organisation's. What it writes imports
 * back unchanged.
 */
export async function exportMapping(scope: TenantScope, { versionId, kind }: { versionId: string; kind: MappingImportKind }): Promise<MappingExport | null> {
  const v = await prisma.mappingVersion.findFirst({
    where: { id: versionId, organizationId: scope.organizationId },
    select: { id: true, number: true, status: true, approvedAt: true, updatedAt: true, interface: { select: { id: true, name: true } } },
  })
  if (!v) return null
  const base = `${slug(v.interface.name)}-${versionLabel(v)}`
  if (kind === 'rows') {
    const rows = await prisma.mappingRow.findMany({ where: { organizationId: scope.organizationId, versionId: v.id }, select: ROW_SELECT, orderBy: [{ position: 'asc' }, { id: 'asc' }] })
    return { fileName: `${base}-rows.csv`, contentType: 'text/csv; charset=utf-8', body: rowsToCsv(rows.map(rowRecord)) }
  }
  const [codes, rows] = await Promise.all([
    prisma.codeMap.findMany({
      where: { organizationId: scope.organizationId, versionId: v.id },
      select: CODE_SELECT,
      orderBy: [{ sourceSystem: 'asc' }, { targetSystem: 'asc' }, { localCode: 'asc' }, { id: 'asc' }],
    }),
    prisma.mappingRow.findMany({ where: { organizationId: scope.organizationId, versionId: v.id }, select: { id: true, sourcePath: true, targetPath: true }, orderBy: [{ position: 'asc' }, { id: 'asc' }] }),
  ])
  if (kind === 'codes') {
    const links = rowLinks(rows)
    return { fileName: `${base}-code-maps.csv`, contentType: 'text/csv; charset=utf-8', body: codesToCsv(codes.map((c) => codeRecord(c, links.label))) }
  }
  // A draft's date is its last change: of the version or of any of its code maps.
  const lastCode = v.approvedAt ? null : await prisma.codeMap.aggregate({ where: { organizationId: scope.organizationId, versionId: v.id }, _max: { updatedAt: true } })
  const lastChange = [v.updatedAt, lastCode?._max.updatedAt].reduce<Date>((a, b) => (b && b > a ? b : a), v.updatedAt)
  const cm: ConceptMapR4 = toConceptMap(
    { interfaceId: v.interface.id, interfaceName: v.interface.name, versionNumber: v.number, approved: v.status === 'approved', date: v.approvedAt ?? lastChange, publisher: scope.orgName },
    codes,
  )
  return { fileName: `${base}-conceptmap.json`, contentType: 'application/fhir+json; charset=utf-8', body: conceptMapJson(cm) }
}
