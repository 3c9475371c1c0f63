import { z, type ZodIssue } from 'zod'
import { readCsvRecords, toCsv, type ParseResult } from '#app/utils/csv.ts'
import { FHIR_VERSIONS, HL7V2_VERSIONS, InterfaceSchema, SystemSchema, vocabularyFor, type InterfaceInput, type SystemInput } from './inventory.ts'
import { APPROACHES, CRITICALITIES, DIRECTIONS, ENVIRONMENTS, HOSTINGS, LIFECYCLES, STANDARDS, SYSTEM_KINDS, TRANSPORTS, type InterfaceStandard } from './vocabulary.ts'

/**
 * The inventory's CSV format (a spreadsheet round trip), without the database: columns, reading
 * a file (app/utils/csv.ts) into validated records with every problem named by line and column, and writing
 * records back. app/models/inventory/inventory-csv.server.ts adds what needs the organisation's data
 * (owners by email, systems by name, create/update/unchanged) and the writes.
 *
 * Validation is the forms' own: each row goes through SystemSchema / InterfaceSchema.
 * Round trip: `parseSystemsCsv(systemsToCsv(records)).rows.map(r => r.record)` deep-equals
 * `records` for every valid record (the property tests check it).
 */

export const IMPORT_KINDS = ['systems', 'interfaces'] as const
export type ImportKind = (typeof IMPORT_KINDS)[number]
export const ImportKindSchema = z.enum(IMPORT_KINDS, { message: 'Choose systems or interfaces' })

// ─── columns ─────────────────────────────────────────────────────────────────────────────

type Vocabulary = Record<string, string>
export type CellType =
  | { type: 'text' }
  | { type: 'enum'; vocabulary: Vocabulary }
  | { type: 'list'; hint: string }
  | { type: 'bool' }
  | { type: 'email' }
  | { type: 'system' }

export type CsvColumn = {
  /** Header name, snake_case. */
  name: string
  /** Key of the record (SystemRecord / InterfaceRecord). */
  field: string
  /** Key of the form schema the cell feeds (zod issue paths name it). */
  schemaField: string
  cell: CellType
  required: boolean
  example: string
  help: string
}

const text = (name: string, field: string, example: string, help: string, required = false): CsvColumn => ({
  name,
  field,
  schemaField: field,
  cell: { type: 'text' },
  required,
  example,
  help,
})
const choice = (name: string, field: string, vocabulary: Vocabulary, example: string, help: string, required = false): CsvColumn => ({
  name,
  field,
  schemaField: field,
  cell: { type: 'enum', vocabulary },
  required,
  example,
  help,
})

export const SYSTEM_COLUMNS: readonly CsvColumn[] = [
  text('name', 'name', 'Main EHR', 'Unique within the organisation (case-insensitive): the row updates the system of that name, or adds it.', true),
  choice('kind', 'kind', SYSTEM_KINDS, 'ehr', 'What kind of system it is.', true),
  text('vendor', 'vendor', 'Epic Systems', 'At most 120 characters.'),
  text('product', 'product', 'Epic', 'At most 120 characters.'),
  text('version', 'version', '2024.1', 'At most 60 characters.'),
  choice('environment', 'environment', ENVIRONMENTS, 'production', 'Empty means production.'),
  choice('hosting', 'hosting', HOSTINGS, 'on_premises', 'May be empty.'),
  choice('criticality', 'criticality', CRITICALITIES, 'critical', 'Empty means medium.'),
  {
    name: 'business_owner_email',
    field: 'businessOwnerEmail',
    schemaField: 'businessOwnerId',
    cell: { type: 'email' },
    required: false,
    example: '',
    help: 'Email of an active member of this organisation, or empty.',
  },
  {
    name: 'technical_owner_email',
    field: 'technicalOwnerEmail',
    schemaField: 'technicalOwnerId',
    cell: { type: 'email' },
    required: false,
    example: '',
    help: 'Email of an active member of this organisation, or empty.',
  },
  { name: 'units_served', field: 'unitsServed', schemaField: 'unitsServed', cell: { type: 'list', hint: 'units' }, required: false, example: 'Emergency Department; ICU', help: 'Departments or units, separated by ";".' },
  { name: 'hl7v2_versions', field: 'hl7v2Versions', schemaField: 'hl7v2Versions', cell: { type: 'list', hint: 'versions' }, required: false, example: '2.5.1; 2.3', help: `HL7 v2 versions it speaks, separated by ";" (${HL7V2_VERSIONS.join(', ')}).` },
  choice('fhir_version', 'fhirVersion', FHIR_VERSIONS, '4.0.1', 'FHIR version it speaks, or empty; required with a FHIR base URL.'),
  text('fhir_base_url', 'fhirBaseUrl', 'https://fhir.example.org/r4', 'https://… or empty.'),
  { name: 'dicom', field: 'dicom', schemaField: 'dicom', cell: { type: 'bool' }, required: false, example: 'no', help: 'yes or no (empty means no).' },
  { name: 'x12', field: 'x12', schemaField: 'x12', cell: { type: 'bool' }, required: false, example: 'no', help: 'yes or no (empty means no).' },
  text('notes', 'notes', 'Replaced the old PAS in 2023.', 'Free text, at most 4000 characters; line breaks allowed (in quotes).'),
]

export const INTERFACE_COLUMNS: readonly CsvColumn[] = [
  text('name', 'name', 'ADT feed to lab', 'Unique within the organisation (case-insensitive): the row updates the interface of that name, or adds it.', true),
  { name: 'source_system', field: 'sourceSystem', schemaField: 'sourceSystemId', cell: { type: 'system' }, required: true, example: 'Main EHR', help: 'Name of an existing system of this organisation (import systems first).' },
  { name: 'target_system', field: 'targetSystem', schemaField: 'targetSystemId', cell: { type: 'system' }, required: true, example: 'Laboratory system', help: 'Name of an existing system, not the source.' },
  choice('standard', 'standard', STANDARDS, 'hl7v2', 'The standard it uses.', true),
  { name: 'message_types', field: 'messageTypes', schemaField: 'messageTypes', cell: { type: 'list', hint: 'message types' }, required: false, example: 'ADT^A01; ADT^A08', help: 'Separated by ";". Required for HL7 v2 (e.g. ADT^A01), FHIR (resource types), DICOM (e.g. C-STORE) and X12 (e.g. 837P).' },
  choice('transport', 'transport', TRANSPORTS, 'mllp', 'How messages travel.', true),
  choice('approach', 'approach', APPROACHES, 'via_engine', 'Integration approach.', true),
  choice('direction', 'direction', DIRECTIONS, 'one_way', 'Empty means one way.'),
  choice('lifecycle', 'lifecycle', LIFECYCLES, 'live', 'Empty means proposed.'),
  choice('criticality', 'criticality', CRITICALITIES, 'high', 'Empty means medium.'),
  { name: 'owner_email', field: 'ownerEmail', schemaField: 'ownerId', cell: { type: 'email' }, required: false, example: '', help: 'Email of an active member of this organisation, or empty.' },
  text('standards_exception', 'standardsException', '', 'The written exception for a proprietary or flat-file interface.'),
  text('description', 'description', 'Admissions and updates for lab orders.', 'Free text, at most 4000 characters.'),
]

export function columnsFor(kind: ImportKind) {
  return kind === 'systems' ? SYSTEM_COLUMNS : INTERFACE_COLUMNS
}

/** "Laboratory (LIS)", "laboratory-lis" and "LIS" all read the same way. */
const looseKey = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')

const vocabularyIndex = new Map<Vocabulary, Map<string, string>>()
function lookUp(vocabulary: Vocabulary, cell: string): string | undefined {
  let index = vocabularyIndex.get(vocabulary)
  if (!index) {
    index = new Map()
    for (const [value, label] of Object.entries(vocabulary)) if (!index.has(looseKey(label))) index.set(looseKey(label), value)
    // A value always wins over another entry's label.
    for (const value of Object.keys(vocabulary)) index.set(looseKey(value), value)
    vocabularyIndex.set(vocabulary, index)
  }
  return index.get(looseKey(cell))
}

function describeVocabulary(vocabulary: Vocabulary) {
  return Object.entries(vocabulary)
    .map(([v, l]) => (v === l ? v : `${v} (${l})`))
    .join(', ')
}

/** The accepted values of a column, for the import page and error messages. */
export function acceptedValues(column: CsvColumn): string | null {
  if (column.cell.type === 'enum') return describeVocabulary(column.cell.vocabulary)
  if (column.cell.type === 'bool') return 'yes, no'
  return null
}

// ─── records ─────────────────────────────────────────────────────────────────────────────

/** A system as a CSV row says it: the form's input, with owners by email instead of id. */
export type SystemRecord = Omit<SystemInput, 'businessOwnerId' | 'technicalOwnerId'> & {
  businessOwnerEmail?: string
  technicalOwnerEmail?: string
}
/** An interface as a CSV row says it: systems by name, owner by email. */
export type InterfaceRecord = Omit<InterfaceInput, 'sourceSystemId' | 'targetSystemId' | 'ownerId'> & {
  sourceSystem: string
  targetSystem: string
  ownerEmail?: string
}

// ─── cells → records ─────────────────────────────────────────────────────────────────────

const EmailSchema = z.string().email()
const YES = new Set(['yes', 'y', 'true', '1', 'x'])
const NO = new Set(['no', 'n', 'false', '0', ''])

type CellResult = { ok: true; value: unknown } | { ok: false; message: string }

function readCell(column: CsvColumn, raw: string): CellResult {
  const value = raw.trim()
  switch (column.cell.type) {
    case 'text':
    case 'system':
      // The form schema trims, limits and requires.
      return { ok: true, value: raw }
    case 'list':
      // Split as the form schema splits a string (it trims, de-duplicates and limits); an array
      // saves zod a failed union branch per cell, a third of the validation time.
      return { ok: true, value: raw.split(/[;,\n]/) }
    case 'enum': {
      if (!value) return { ok: true, value: undefined }
      const found = lookUp(column.cell.vocabulary, value)
      if (found) return { ok: true, value: found }
      return { ok: false, message: `Unknown ${column.name} value. Use one of: ${describeVocabulary(column.cell.vocabulary)} (the value or its label).` }
    }
    case 'bool': {
      const v = value.toLowerCase()
      if (YES.has(v)) return { ok: true, value: true }
      if (NO.has(v)) return { ok: true, value: false }
      return { ok: false, message: 'Write yes or no (or leave it empty for no).' }
    }
    case 'email': {
      if (!value) return { ok: true, value: undefined }
      const email = value.toLowerCase()
      if (!EmailSchema.safeParse(email).success) return { ok: false, message: 'Not an email address.' }
      return { ok: true, value: email }
    }
  }
}

/** Reads the cells of one row into the schema's input; cell-level problems are returned. */
function readRow(columns: readonly CsvColumn[], cells: Record<string, string>, issue: (c: CsvColumn, message: string) => void) {
  const input: Record<string, unknown> = {}
  const bad = new Set<string>()
  for (const column of columns) {
    const result = readCell(column, cells[column.name] ?? '')
    if (result.ok) input[column.field] = result.value
    else {
      bad.add(column.name)
      issue(column, result.message)
    }
  }
  return { input, bad }
}

function mapZodIssues(columns: readonly CsvColumn[], zodIssues: ZodIssue[], bad: Set<string>, issue: (c: CsvColumn | null, message: string) => void) {
  const seen = new Set<string>()
  for (const zi of zodIssues) {
    const column = columns.find((c) => c.schemaField === zi.path[0]) ?? null
    if (column && bad.has(column.name)) continue
    const key = `${column?.name}\u0000${zi.message}`
    if (seen.has(key)) continue
    seen.add(key)
    issue(column, zi.message)
  }
}

type RowContext = {
  line: number
  cells: Record<string, string>
  positions: Record<string, number>
}

/** The generic reading (app/utils/csv.ts) with this format's columns; a name once per file. */
function parseRows<R>(
  input: string | Uint8Array,
  columns: readonly CsvColumn[],
  toRecord: (row: RowContext, issue: (c: CsvColumn | null, message: string) => void) => R | null,
): ParseResult<R> {
  const { rows, errors, total } = readCsvRecords(input, columns, (row, issue) => toRecord(row, (c, message) => issue(c?.name ?? null, message)), {
    key: (cells) => {
      const name = (cells.name ?? '').trim().toLowerCase()
      return name ? { key: name, column: 'name', message: (first) => `Duplicate name: line ${first} has the same name (names are compared without regard to case).` } : null
    },
  })
  return { rows, errors, total }
}

/** Reads a systems CSV. Never throws: whatever the bytes, problems come back as `errors`. */
export function parseSystemsCsv(input: string | Uint8Array): ParseResult<SystemRecord> {
  return parseRows(input, SYSTEM_COLUMNS, (row, issue) => {
    const { input: values, bad } = readRow(SYSTEM_COLUMNS, row.cells, issue)
    const { businessOwnerEmail, technicalOwnerEmail, ...rest } = values
    const parsed = SystemSchema.safeParse(rest)
    if (!parsed.success) {
      mapZodIssues(SYSTEM_COLUMNS, parsed.error.issues, bad, issue)
      return null
    }
    if (bad.size) return null
    const { businessOwnerId: _b, technicalOwnerId: _t, ...data } = parsed.data
    return {
      ...data,
      businessOwnerEmail: businessOwnerEmail as string | undefined,
      technicalOwnerEmail: technicalOwnerEmail as string | undefined,
    }
  })
}

/** A standard's message types by their lower-case spelling (ADT^A01 for adt^a01). */
const canonicalVocabularies = new Map<InterfaceStandard, Map<string, string> | null>()
function canonicalVocabulary(standard: InterfaceStandard) {
  if (!canonicalVocabularies.has(standard)) {
    const vocab = vocabularyFor(standard)
    canonicalVocabularies.set(standard, vocab ? new Map(vocab.map((v) => [v.toLowerCase(), v])) : null)
  }
  return canonicalVocabularies.get(standard)!
}

/** Reads an interfaces CSV. Never throws. */
export function parseInterfacesCsv(input: string | Uint8Array): ParseResult<InterfaceRecord> {
  return parseRows(input, INTERFACE_COLUMNS, (row, issue) => {
    const { input: values, bad } = readRow(INTERFACE_COLUMNS, row.cells, issue)
    const { sourceSystem, targetSystem, ownerEmail, ...rest } = values as Record<string, unknown> & { sourceSystem: string; targetSystem: string }
    const source = sourceSystem.trim()
    const target = targetSystem.trim()
    // Message types are matched to the standard's vocabulary without regard to case (adt^a01).
    const canonical = typeof rest.standard === 'string' ? canonicalVocabulary(rest.standard as InterfaceStandard) : null
    const messageTypes = canonical ? (rest.messageTypes as string[]).map((s) => canonical.get(s.trim().toLowerCase()) ?? s) : rest.messageTypes
    const parsed = InterfaceSchema.safeParse({
      ...rest,
      messageTypes,
      // Names stand in for ids here, so the schema's "two different systems" rule applies.
      sourceSystemId: source.toLowerCase(),
      targetSystemId: target.toLowerCase(),
    })
    if (source.length > 120) issue(INTERFACE_COLUMNS[1]!, 'At most 120 characters')
    if (target.length > 120) issue(INTERFACE_COLUMNS[2]!, 'At most 120 characters')
    if (!parsed.success) {
      mapZodIssues(INTERFACE_COLUMNS, parsed.error.issues, bad, issue)
      return null
    }
    if (bad.size || source.length > 120 || target.length > 120) return null
    const { sourceSystemId: _s, targetSystemId: _t, ownerId: _o, ...data } = parsed.data
    return { ...data, sourceSystem: source, targetSystem: target, ownerEmail: ownerEmail as string | undefined }
  })
}

// ─── records → CSV ───────────────────────────────────────────────────────────────────────

/** One record as the cells of its row (un-escaped), by column name. */
export function recordCells(columns: readonly CsvColumn[], record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const c of columns) {
    const v = record[c.field]
    if (c.cell.type === 'list') out[c.name] = Array.isArray(v) ? v.join('; ') : ''
    else if (c.cell.type === 'bool') out[c.name] = v ? 'yes' : 'no'
    else out[c.name] = v == null ? '' : String(v)
  }
  return out
}

export function systemsToCsv(records: SystemRecord[]) {
  return toCsv(SYSTEM_COLUMNS, records.map((r) => recordCells(SYSTEM_COLUMNS, r)))
}

export function interfacesToCsv(records: InterfaceRecord[]) {
  return toCsv(INTERFACE_COLUMNS, records.map((r) => recordCells(INTERFACE_COLUMNS, r)))
}

/** The header and one example row. */
export function templateCsv(kind: ImportKind) {
  const columns = columnsFor(kind)
  return toCsv(columns, [Object.fromEntries(columns.map((c) => [c.name, c.example]))])
}
