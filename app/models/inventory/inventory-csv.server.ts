import type { Prisma } from '#app/generated/prisma/client.ts'
import { insertRows, newId, updateRows, type SqlColumns } from '#app/utils/bulk-sql.server.ts'
import { prisma, type Db, type Tx } from '#app/utils/db.server.ts'
import { compareIssues, type CsvIssue, type ParsedRow, type ParseResult } from '#app/utils/csv.ts'
import {
  IMPORT_KINDS,
  INTERFACE_COLUMNS,
  interfacesToCsv,
  parseInterfacesCsv,
  parseSystemsCsv,
  recordCells,
  SYSTEM_COLUMNS,
  systemsToCsv,
  type CsvColumn,
  type ImportKind,
  type InterfaceRecord,
  type SystemRecord,
} from '#app/models/inventory/inventory-csv.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { diffFields } from '../audit/audit.server.ts'
import { applyImportBatch, auditImport, cleanFileName, importAuditMetadata, invalidImport, keepRows, keptRows, previewImportBatch, type ImportBatchRecord, type KeptRows } from '../imports/import-batch.server.ts'
import { assertInterfacesMayGoLive } from '../readiness/gate.server.ts'
import { refreshersAfterImport } from '../training/training-refresher.server.ts'
import { interfaceData } from './interface.server.ts'
import { systemData } from './system.server.ts'

/**
 * CSV import and export of the inventory (docs/decisions/009-inventory-csv-import.md).
 *
 * preview: read the file (app/models/inventory/inventory-csv.ts), check it against the organisation's data
 *   (owners by email, systems by name), plan each row as create / update / unchanged by name
 *   (case-insensitive), and keep the file as an ImportBatch when nothing is wrong.
 *   The batch keeps the rows read and validated, so the apply does not read the file again.
 * apply: in ONE transaction, claim the batch, plan the kept rows again against the data as it is
 *   now, and write: one INSERT for the new rows and one UPDATE for the changed ones (per 5,000),
 *   nothing for unchanged ones. Any problem and nothing is written.
 * audit: ONE `inventory.imported` event per applied batch (docs/decisions/029-import-audit.md):
 *   the batch, the file name and its SHA-256, the counts, the ids created and, per changed row,
 *   its id and its fields' before and after. Unchanged rows write nothing.
 */

export type PlannedChange = { column: string; from: string; to: string }
export type PlannedRow = { line: number; name: string; action: 'create' | 'update' | 'unchanged'; changes: PlannedChange[] }
export type ImportCounts = { create: number; update: number; unchanged: number }
export type ImportPlan = {
  kind: ImportKind
  fileName: string
  /** Data rows read (valid or not). */
  total: number
  counts: ImportCounts
  /** Every valid row and what it would do, in file order. */
  rows: PlannedRow[]
  /** Every problem, by line then column. Non-empty means nothing can be applied. */
  errors: CsvIssue[]
}

export type ApplyResult = { status: 'applied'; plan: ImportPlan } | { status: 'invalid'; plan: ImportPlan }

// ─── the organisation's data, as CSV records ────────────────────────────────────────────

const SYSTEM_SELECT = {
  id: true,
  name: true,
  kind: true,
  vendor: true,
  product: true,
  version: true,
  environment: true,
  hosting: true,
  criticality: true,
  businessOwnerId: true,
  technicalOwnerId: true,
  unitsServed: true,
  notes: true,
  hl7v2Versions: true,
  fhirVersion: true,
  fhirBaseUrl: true,
  dicom: true,
  x12: true,
} satisfies Prisma.SystemSelect
type SystemRow = Prisma.SystemGetPayload<{ select: typeof SYSTEM_SELECT }>

const INTERFACE_SELECT = {
  id: true,
  name: true,
  sourceSystemId: true,
  targetSystemId: true,
  standard: true,
  messageTypes: true,
  transport: true,
  approach: true,
  direction: true,
  lifecycle: true,
  criticality: true,
  ownerId: true,
  standardsException: true,
  description: true,
} satisfies Prisma.InterfaceSelect
type InterfaceRow = Prisma.InterfaceGetPayload<{ select: typeof INTERFACE_SELECT }>

type SystemData = Omit<SystemRow, 'id'>
type InterfaceData = Omit<InterfaceRow, 'id'>

type Member = { id: string; active: boolean; email: string }

async function loadMembers(db: Db, scope: TenantScope) {
  const rows = await db.membership.findMany({
    where: { organizationId: scope.organizationId },
    select: { id: true, status: true, user: { select: { email: true } } },
  })
  const byEmail = new Map<string, Member>()
  const byId = new Map<string, Member>()
  for (const r of rows) {
    const m = { id: r.id, active: r.status === 'active', email: r.user.email.toLowerCase() }
    byEmail.set(m.email, m)
    byId.set(m.id, m)
  }
  return { byEmail, byId }
}

const u = <T>(v: T | null) => v ?? undefined

function systemRecord(row: SystemRow, emailOf: (id: string | null) => string | undefined): SystemRecord {
  return {
    name: row.name,
    kind: row.kind,
    vendor: u(row.vendor),
    product: u(row.product),
    version: u(row.version),
    environment: row.environment,
    hosting: u(row.hosting),
    criticality: row.criticality,
    businessOwnerEmail: emailOf(row.businessOwnerId),
    technicalOwnerEmail: emailOf(row.technicalOwnerId),
    unitsServed: row.unitsServed,
    notes: u(row.notes),
    hl7v2Versions: row.hl7v2Versions,
    fhirVersion: u(row.fhirVersion) as SystemRecord['fhirVersion'],
    fhirBaseUrl: u(row.fhirBaseUrl),
    dicom: row.dicom,
    x12: row.x12,
  }
}

function interfaceRecord(row: InterfaceRow, systemName: (id: string) => string, emailOf: (id: string | null) => string | undefined): InterfaceRecord {
  return {
    name: row.name,
    sourceSystem: systemName(row.sourceSystemId),
    targetSystem: systemName(row.targetSystemId),
    standard: row.standard,
    messageTypes: row.messageTypes,
    transport: row.transport,
    approach: row.approach,
    direction: row.direction,
    lifecycle: row.lifecycle,
    criticality: row.criticality,
    ownerEmail: emailOf(row.ownerId),
    standardsException: u(row.standardsException),
    description: u(row.description),
  }
}

// ─── planning ────────────────────────────────────────────────────────────────────────────

type Planned<D> = {
  plan: ImportPlan
  creates: { line: number; data: D }[]
  updates: { line: number; id: string; before: D; data: D }[]
}

function issueAt(row: ParsedRow<unknown>, column: CsvColumn, message: string): CsvIssue {
  return { line: row.line, column: column.name, columnNumber: row.positions[column.name] ?? null, value: row.cells[column.name] ?? '', message }
}

/**
 * An owner named by email: a member of the organisation, active — or the one already there
 * (an export names a deactivated owner, and importing it back must not fail).
 */
function resolveOwner(
  members: Awaited<ReturnType<typeof loadMembers>>,
  email: string | undefined,
  current: string | null | undefined,
): { id: string | null } | { error: string } {
  if (!email) return { id: null }
  const m = members.byEmail.get(email)
  if (!m) return { error: `No member of this organisation has the email ${email}.` }
  if (!m.active && m.id !== current) return { error: `${email} is no longer an active member of this organisation.` }
  return { id: m.id }
}

function compare(columns: readonly CsvColumn[], before: Record<string, unknown> | undefined, after: Record<string, unknown>) {
  if (!before) return { action: 'create' as const, changes: [] }
  const a = recordCells(columns, before)
  const b = recordCells(columns, after)
  const changes = columns.filter((c) => a[c.name] !== b[c.name]).map((c) => ({ column: c.name, from: a[c.name]!, to: b[c.name]! }))
  return { action: changes.length ? ('update' as const) : ('unchanged' as const), changes }
}

function finish<D>(kind: ImportKind, fileName: string, total: number, errors: CsvIssue[], rows: PlannedRow[], creates: Planned<D>['creates'], updates: Planned<D>['updates']): Planned<D> {
  errors.sort(compareIssues)
  const counts = { create: 0, update: 0, unchanged: 0 }
  for (const r of rows) counts[r.action]++
  return { plan: { kind, fileName, total, counts, rows, errors }, creates, updates }
}

const column = (columns: readonly CsvColumn[], name: string) => columns.find((c) => c.name === name)!

async function planSystems(db: Db, scope: TenantScope, parsed: ParseResult<SystemRecord>, fileName: string): Promise<Planned<SystemData>> {
  const errors = [...parsed.errors]
  const [existing, members] = await Promise.all([
    db.system.findMany({ where: { organizationId: scope.organizationId }, select: SYSTEM_SELECT }),
    loadMembers(db, scope),
  ])
  const emailOf = (id: string | null) => (id ? members.byId.get(id)?.email : undefined)
  const byName = new Map(existing.map((s) => [s.name.toLowerCase(), s]))
  const rows: PlannedRow[] = []
  const creates: Planned<SystemData>['creates'] = []
  const updates: Planned<SystemData>['updates'] = []
  for (const row of parsed.rows) {
    const r = row.record
    const before = byName.get(r.name.toLowerCase())
    const business = resolveOwner(members, r.businessOwnerEmail, before?.businessOwnerId)
    const technical = resolveOwner(members, r.technicalOwnerEmail, before?.technicalOwnerId)
    if ('error' in business) errors.push(issueAt(row, column(SYSTEM_COLUMNS, 'business_owner_email'), business.error))
    if ('error' in technical) errors.push(issueAt(row, column(SYSTEM_COLUMNS, 'technical_owner_email'), technical.error))
    if ('error' in business || 'error' in technical) continue
    const data: SystemData = systemData({ ...r, businessOwnerId: business.id ?? undefined, technicalOwnerId: technical.id ?? undefined })
    const { action, changes } = compare(SYSTEM_COLUMNS, before && systemRecord(before, emailOf), r)
    rows.push({ line: row.line, name: r.name, action, changes })
    if (!before) creates.push({ line: row.line, data })
    else if (action === 'update') {
      const { id, ...old } = before
      updates.push({ line: row.line, id, before: old, data })
    }
  }
  return finish('systems', fileName, parsed.total, errors, rows, creates, updates)
}

async function planInterfaces(db: Db, scope: TenantScope, parsed: ParseResult<InterfaceRecord>, fileName: string): Promise<Planned<InterfaceData>> {
  const errors = [...parsed.errors]
  const [systems, existing, members] = await Promise.all([
    db.system.findMany({ where: { organizationId: scope.organizationId }, select: { id: true, name: true } }),
    db.interface.findMany({ where: { organizationId: scope.organizationId }, select: INTERFACE_SELECT }),
    loadMembers(db, scope),
  ])
  const emailOf = (id: string | null) => (id ? members.byId.get(id)?.email : undefined)
  const systemByName = new Map(systems.map((s) => [s.name.toLowerCase(), s]))
  const systemName = new Map(systems.map((s) => [s.id, s.name]))
  const byName = new Map(existing.map((i) => [i.name.toLowerCase(), i]))
  const rows: PlannedRow[] = []
  const creates: Planned<InterfaceData>['creates'] = []
  const updates: Planned<InterfaceData>['updates'] = []
  for (const row of parsed.rows) {
    const r = row.record
    const before = byName.get(r.name.toLowerCase())
    const source = systemByName.get(r.sourceSystem.toLowerCase())
    const target = systemByName.get(r.targetSystem.toLowerCase())
    const owner = resolveOwner(members, r.ownerEmail, before?.ownerId)
    const noSystem = (name: string) => `No system named "${name}" in this organisation. Import or add the system first (names are compared without regard to case).`
    if (!source) errors.push(issueAt(row, column(INTERFACE_COLUMNS, 'source_system'), noSystem(r.sourceSystem)))
    if (!target) errors.push(issueAt(row, column(INTERFACE_COLUMNS, 'target_system'), noSystem(r.targetSystem)))
    if ('error' in owner) errors.push(issueAt(row, column(INTERFACE_COLUMNS, 'owner_email'), owner.error))
    if (!source || !target || 'error' in owner) continue
    // The systems as the organisation spells them, so "epic" for "Epic" is not a change.
    const record: InterfaceRecord = { ...r, sourceSystem: source.name, targetSystem: target.name }
    const data: InterfaceData = interfaceData({ ...r, sourceSystemId: source.id, targetSystemId: target.id, ownerId: owner.id ?? undefined })
    const current = before && interfaceRecord(before, (id) => systemName.get(id) ?? '', emailOf)
    const { action, changes } = compare(INTERFACE_COLUMNS, current, record)
    rows.push({ line: row.line, name: r.name, action, changes })
    if (!before) creates.push({ line: row.line, data })
    else if (action === 'update') {
      const { id, ...old } = before
      updates.push({ line: row.line, id, before: old, data })
    }
  }
  return finish('interfaces', fileName, parsed.total, errors, rows, creates, updates)
}

type Read = { kind: 'systems'; parsed: ParseResult<SystemRecord> } | { kind: 'interfaces'; parsed: ParseResult<InterfaceRecord> }

/** The cells the planning quotes in a problem (the rest of a row is valid whatever the data). */
const QUOTED: Record<ImportKind, readonly string[]> = {
  systems: ['business_owner_email', 'technical_owner_email'],
  interfaces: ['source_system', 'target_system', 'owner_email'],
}

/** A file's rows: read from its text, or as a previewed batch kept them. */
function read(kind: ImportKind, text: string): Read {
  return kind === 'systems' ? { kind, parsed: parseSystemsCsv(text) } : { kind, parsed: parseInterfacesCsv(text) }
}
function readBatch(batch: ImportBatchRecord): Read {
  const kind: ImportKind = batch.kind === 'interfaces' ? 'interfaces' : 'systems'
  if (!batch.records) return read(kind, batch.content)
  return kind === 'systems'
    ? { kind, parsed: keptRows(batch.records as KeptRows<SystemRecord>) }
    : { kind, parsed: keptRows(batch.records as KeptRows<InterfaceRecord>) }
}

function plan(db: Db, scope: TenantScope, rows: Read, fileName: string): Promise<Planned<SystemData> | Planned<InterfaceData>> {
  return rows.kind === 'systems' ? planSystems(db, scope, rows.parsed, fileName) : planInterfaces(db, scope, rows.parsed, fileName)
}

// ─── preview ─────────────────────────────────────────────────────────────────────────────

const emptyPlan = (kind: ImportKind, fileName: string, errors: CsvIssue[]): ImportPlan => ({ kind, fileName, total: 0, counts: { create: 0, update: 0, unchanged: 0 }, rows: [], errors })

/**
 * Reads and checks an uploaded file and plans it; nothing in the inventory changes. When the
 * file has no problem it is kept (tenant-scoped) as an ImportBatch, whose id `applyImport`
 * takes (the lifecycle: app/models/imports/import-batch.server.ts).
 */
export async function previewImport(
  scope: TenantScope,
  input: { kind: ImportKind; fileName?: string | null; content: string | Uint8Array },
): Promise<{ batchId: string | null; plan: ImportPlan }> {
  const fileName = cleanFileName(input.fileName)
  return previewImportBatch(
    scope,
    { kind: input.kind, fileName, content: input.content },
    {
      plan: async (text) => {
        const rows = read(input.kind, text)
        const planned = await plan(prisma, scope, rows, fileName)
        return { plan: planned.plan, keep: keepRows<SystemRecord | InterfaceRecord>(rows.parsed, QUOTED[input.kind]) }
      },
      unreadable: (issue) => emptyPlan(input.kind, fileName, [issue]),
    },
  )
}

// ─── apply ───────────────────────────────────────────────────────────────────────────────

/**
 * Applies a previewed batch: all rows or none. Returns null when the batch is not this
 * organisation's (→ 404), `invalid` with every problem when the data changed since the
 * preview so that the file no longer fits; throws CONFLICT when it was applied already and
 * RULE_VIOLATION when the preview is more than an hour old.
 */
export function applyImport(scope: TenantScope, batchId: string): Promise<ApplyResult | null> {
  return applyImportBatch<ImportPlan, ApplyResult>(
    scope,
    { batchId },
    {
      kinds: IMPORT_KINDS,
      changedMeanwhile: 'Someone changed the inventory while this import ran. Upload the file again to see what it would change now.',
      apply: async (tx, batch) => {
        const rows = readBatch(batch)
        const planned = await plan(tx, scope, rows, batch.fileName)
        if (planned.plan.errors.length) invalidImport(planned.plan)
        if (rows.kind === 'interfaces') {
          // An interface the file sets live passes the go-live gate of every open project it is in
          // (app/models/readiness/gate.server.ts); a refusal rolls the whole import back.
          const live = (planned as Planned<InterfaceData>).updates.filter((u) => u.data.lifecycle === 'live' && u.before.lifecycle !== 'live')
          await assertInterfacesMayGoLive(scope, { interfaceIds: live.map((u) => u.id) }, { tx, path: 'inventory_import', what: live.map((u) => u.data.name).join(', ') })
        }
        const written =
          rows.kind === 'systems'
            ? await writeSystems(tx, scope, planned as Planned<SystemData>)
            : await writeInterfaces(tx, scope, planned as Planned<InterfaceData>)
        // Upgrades and go-lives in the file trigger training refreshers, as the forms do.
        await refreshersAfterImport(scope, written.updated, { tx })
        await auditImport(
          scope,
          {
            action: 'inventory.imported',
            targetType: rows.kind,
            targetId: batch.id,
            targetLabel: batch.fileName,
            metadata: importAuditMetadata(batch, {
              rows: planned.plan.total,
              counts: planned.plan.counts,
              extra: { kind: rows.kind },
              created: written.created,
              updated: written.updated.map((u) => ({ id: u.targetId, name: u.targetLabel, action: u.action, changes: u.metadata.changes })),
            }),
          },
          { tx },
        )
        return { status: 'applied', plan: planned.plan }
      },
    },
  )
}

/**
 * A changed row, in the words the forms' audit events use (system.upgraded, interface.went_live…,
 * with `changes`): what the import's one audit event lists and what triggers refreshers.
 */
type RowChange = { action: string; targetType: string; targetId: string; targetLabel: string; metadata: { changes: Record<string, { from: unknown; to: unknown }> } }

// NOTE: bulk writes go through SQL, not Prisma's createMany: with the driver adapter, Prisma's
// createMany of 10,000 systems took ~19 s (and 1 GB of memory) where one
// INSERT … SELECT FROM jsonb_to_recordset($1) takes ~1 s. Each statement carries one JSON
// parameter; the column lists below are the tables' (checked by the tests round-tripping data).

const SYSTEM_COLUMNS_SQL: SqlColumns = [
  ['name', 'text'],
  ['kind', '"SystemKind"'],
  ['vendor', 'text'],
  ['product', 'text'],
  ['version', 'text'],
  ['environment', '"SystemEnvironment"'],
  ['hosting', '"Hosting"'],
  ['criticality', '"Criticality"'],
  ['businessOwnerId', 'text'],
  ['technicalOwnerId', 'text'],
  ['unitsServed', 'text[]'],
  ['notes', 'text'],
  ['hl7v2Versions', 'text[]'],
  ['fhirVersion', 'text'],
  ['fhirBaseUrl', 'text'],
  ['dicom', 'boolean'],
  ['x12', 'boolean'],
]
const INTERFACE_COLUMNS_SQL: SqlColumns = [
  ['name', 'text'],
  ['sourceSystemId', 'text'],
  ['targetSystemId', 'text'],
  ['standard', '"InterfaceStandard"'],
  ['messageTypes', 'text[]'],
  ['transport', '"Transport"'],
  ['approach', '"IntegrationApproach"'],
  ['direction', '"InterfaceDirection"'],
  ['lifecycle', '"Lifecycle"'],
  ['criticality', '"Criticality"'],
  ['ownerId', 'text'],
  ['standardsException', 'text'],
  ['description', 'text'],
]
const ROW_KEYS: SqlColumns = [
  ['id', 'text'],
  ['organizationId', 'text'],
]
const STAMPS: SqlColumns = [
  ['createdAt', 'timestamp(3)'],
  ['updatedAt', 'timestamp(3)'],
]

async function writeRows<D extends { name: string }>(
  tx: Tx,
  scope: TenantScope,
  planned: Planned<D>,
  target: { table: 'System' | 'Interface'; type: 'system' | 'interface'; columns: SqlColumns; updatedAction: (changes: Record<string, unknown>, data: D) => string },
): Promise<{ created: string[]; updated: RowChange[] }> {
  const now = new Date()
  const created = planned.creates.map((c) => ({ ...c.data, id: newId(), organizationId: scope.organizationId, createdAt: now, updatedAt: now }))
  await insertRows(tx, target.table, [...ROW_KEYS, ...target.columns, ...STAMPS], created)
  await updateRows(tx, scope, target.table, target.columns, planned.updates.map((u) => ({ ...u.data, id: u.id, updatedAt: now })))
  const updated = planned.updates.map((u) => {
    const changes = diffFields(u.before as unknown as Record<string, unknown>, u.data)
    return { action: target.updatedAction(changes, u.data), targetType: target.type, targetId: u.id, targetLabel: u.data.name, metadata: { changes } }
  })
  return { created: created.map((c) => c.id), updated }
}

function writeSystems(tx: Tx, scope: TenantScope, planned: Planned<SystemData>) {
  // The same actions as updateSystem (system.server.ts) writes.
  return writeRows(tx, scope, planned, {
    table: 'System',
    type: 'system',
    columns: SYSTEM_COLUMNS_SQL,
    updatedAction: (changes) => (changes.version ? 'system.upgraded' : 'system.updated'),
  })
}

function writeInterfaces(tx: Tx, scope: TenantScope, planned: Planned<InterfaceData>) {
  // The same actions as updateInterface (interface.server.ts) writes.
  return writeRows(tx, scope, planned, {
    table: 'Interface',
    type: 'interface',
    columns: INTERFACE_COLUMNS_SQL,
    updatedAction: (changes, data) => (changes.lifecycle && data.lifecycle === 'live' ? 'interface.went_live' : 'interface.updated'),
  })
}

// ─── export ──────────────────────────────────────────────────────────────────────────────

/** All systems or all interfaces of the organisation as CSV, by name, formula cells escaped. */
export async function exportInventoryCsv(scope: TenantScope, kind: ImportKind): Promise<string> {
  const members = await loadMembers(prisma, scope)
  const emailOf = (id: string | null) => (id ? members.byId.get(id)?.email : undefined)
  if (kind === 'systems') {
    const systems = await prisma.system.findMany({ where: { organizationId: scope.organizationId }, select: SYSTEM_SELECT, orderBy: [{ name: 'asc' }, { id: 'asc' }] })
    return systemsToCsv(systems.map((s) => systemRecord(s, emailOf)))
  }
  const [interfaces, systems] = await Promise.all([
    prisma.interface.findMany({ where: { organizationId: scope.organizationId }, select: INTERFACE_SELECT, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    prisma.system.findMany({ where: { organizationId: scope.organizationId }, select: { id: true, name: true } }),
  ])
  const systemName = new Map(systems.map((s) => [s.id, s.name]))
  return interfacesToCsv(interfaces.map((i) => interfaceRecord(i, (id) => systemName.get(id) ?? '', emailOf)))
}
