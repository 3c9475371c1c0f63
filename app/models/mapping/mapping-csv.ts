import { z, type ZodIssue } from 'zod'
import { readCsvRecords, toCsv, type CsvIssue, type ParsedRow, type TableColumn } from '#app/utils/csv.ts'
import { CODE_MAP_FIELDS, CODE_SYSTEMS, CodeMapSchema, codeSystemUri, MAPPING_ROW_FIELDS, MappingRowSchema, type CodeMapInput, type MappingRowInput } from './mapping.ts'
import { EQUIVALENCES, REQUIREMENTS, TRANSFORM_TYPES } from './vocabulary.ts'

/**
 * The mapping matrix's CSV formats (rows; code maps), without the database: columns, reading a
 * file into records validated by the forms' own MappingRowSchema / CodeMapSchema with every
 * problem named by line and column, and writing records back. The reader is the inventory's
 * (readTable: BOM, CRLF, quoted line breaks, wrong cell counts); formula cells are escaped
 * reversibly (app/utils/csv.ts). app/models/mapping/mapping-io.server.ts adds what needs the version's
 * data. See docs/decisions/012-mapping-round-trip.md.
 *
 * Round trip: `parseRowsCsv(rowsToCsv(records)).rows.map(r => r.record)` deep-equals `records`
 * for every valid record, and the same for code maps.
 */

export const MAPPING_IMPORT_KINDS = ['rows', 'codes', 'conceptmap'] as const
export type MappingImportKind = (typeof MAPPING_IMPORT_KINDS)[number]
export const MappingImportKindSchema = z.enum(MAPPING_IMPORT_KINDS, {
  message: 'Choose what the file holds: mapping rows (CSV), code maps (CSV) or a FHIR ConceptMap (JSON).',
})
export const MAPPING_KIND_LABELS: Record<MappingImportKind, string> = {
  rows: 'Mapping rows (CSV)',
  codes: 'Code maps (CSV)',
  conceptmap: 'FHIR R4 ConceptMap (JSON)',
}

/**
 * A problem, where the user finds it: in a CSV by line and column; in a ConceptMap by JSON path
 * (`path`, e.g. group[2].element[14].target[0].equivalence, also given as `column`).
 */
export type ImportIssue = CsvIssue & { path?: string }

/** "line 4, column 6 (requirement): …", "group[0].element[2].code: …" or just the message. */
export function describeIssue(i: ImportIssue) {
  if (i.path) return `${i.path}: ${i.message}`
  if (i.line == null) return i.message
  const where = [`line ${i.line}`]
  if (i.columnNumber != null) where.push(`column ${i.columnNumber}${i.column ? ` (${i.column})` : ''}`)
  else if (i.column) where.push(`column ${i.column}`)
  return `${where.join(', ')}: ${i.message}`
}

// ─── columns ─────────────────────────────────────────────────────────────────────────────

type Vocabulary = Record<string, string>

export type MappingColumn = TableColumn & {
  required: boolean
  help: string
  example: string
  /** Accepted values (the value or its label, in any case), for enums. */
  vocabulary?: Vocabulary
}

const ROW_HELP: Record<(typeof MAPPING_ROW_FIELDS)[number], Omit<MappingColumn, 'name'>> = {
  sourceField: { required: true, help: 'Name of the field in the source system.', example: 'Date of birth' },
  sourcePath: { required: true, help: 'Where it is in the source message, e.g. PID-7.1. With targetPath, identifies the row (without regard to case).', example: 'PID-7.1' },
  targetField: { required: true, help: 'Name of the field in the target system.', example: 'Birth date' },
  targetPath: { required: true, help: 'Where it goes, e.g. Patient.birthDate.', example: 'Patient.birthDate' },
  dataType: { required: true, help: 'Data type, e.g. date, string, CodeableConcept, TS.', example: 'date' },
  requirement: { required: true, help: 'Whether the field must be present.', example: 'required', vocabulary: REQUIREMENTS },
  allowedValues: { required: false, help: 'Values allowed, or where they are listed.', example: '' },
  usageFrequency: { required: false, help: 'How often real traffic fills it, e.g. 100%, most, rare.', example: '100%' },
  transformType: { required: true, help: 'How the value is transformed.', example: 'format_date', vocabulary: TRANSFORM_TYPES },
  transformRule: { required: false, help: 'The rule; needed for format_date, concatenate, split, constant and custom.', example: 'YYYYMMDD → YYYY-MM-DD' },
  qualityRule: { required: false, help: 'What happens to bad or missing data; needed for a required field.', example: 'Missing or invalid → reject and flag; never default' },
  notes: { required: false, help: 'Free text; line breaks allowed (in quotes).', example: '' },
}

export const ROW_COLUMNS: readonly MappingColumn[] = MAPPING_ROW_FIELDS.map((name) => ({ name, ...ROW_HELP[name] }))

const CODE_HELP: Record<(typeof CODE_MAP_FIELDS)[number], Omit<MappingColumn, 'name'>> = {
  sourceSystem: { required: true, help: 'The local code system (a URI or a name), e.g. urn:riverside:lab.', example: 'urn:riverside:lab' },
  localCode: { required: true, help: 'The local code. With sourceSystem and targetSystem, identifies the code map.', example: 'GLU' },
  localDisplay: { required: false, help: 'What the local code means.', example: 'Glucose, serum' },
  targetSystem: { required: true, help: 'The standard code system, by name or URI.', example: 'LOINC' },
  targetCode: { required: false, help: 'The standard code; empty only when unmatched.', example: '2345-7' },
  targetDisplay: { required: false, help: 'The standard display; empty when unmatched.', example: 'Glucose [Mass/volume] in Serum or Plasma' },
  equivalence: { required: true, help: 'How the standard code relates to the local one.', example: 'equal', vocabulary: EQUIVALENCES },
  comment: { required: false, help: 'Why, or what the standard code leaves out.', example: '' },
}

/** An optional column: present, it links each code map to a row (empty: no row); absent, links stay as they are. */
export const ROW_LINK_COLUMN: MappingColumn = {
  name: 'rowSourcePath',
  optional: true,
  required: false,
  help: 'Optional column: the sourcePath of the row whose values the code translates (e.g. OBX-3). When several rows share it, write "sourcePath → targetPath". Leave the column out to keep the links as they are.',
  example: 'OBX-3',
}

export const CODE_COLUMNS: readonly MappingColumn[] = [...CODE_MAP_FIELDS.map((name) => ({ name, ...CODE_HELP[name] })), ROW_LINK_COLUMN]

export function columnsForKind(kind: 'rows' | 'codes') {
  return kind === 'rows' ? ROW_COLUMNS : CODE_COLUMNS
}

/** "Format date", "format-date" and "FORMAT_DATE" all read format_date. */
const looseKey = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
const vocabularyIndex = new Map<Vocabulary, Map<string, string>>()
function lookUp(vocabulary: Vocabulary, cell: string) {
  let index = vocabularyIndex.get(vocabulary)
  if (!index) {
    index = new Map()
    for (const [value, label] of Object.entries(vocabulary)) if (!index.has(looseKey(label))) index.set(looseKey(label), value)
    for (const value of Object.keys(vocabulary)) index.set(looseKey(value), value)
    vocabularyIndex.set(vocabulary, index)
  }
  return index.get(looseKey(cell))
}

export function acceptedValues(column: MappingColumn) {
  if (column.name === 'targetSystem') return Object.entries(CODE_SYSTEMS).map(([uri, name]) => `${name} (${uri})`).join(', ')
  return column.vocabulary ? Object.keys(column.vocabulary).join(', ') : null
}

// ─── records ─────────────────────────────────────────────────────────────────────────────

/** A mapping row as a CSV row says it: the form's input. */
export type RowRecord = MappingRowInput
/** A code map as a CSV row says it: the form's input, with the row by its source path. */
export type CodeRecord = Omit<CodeMapInput, 'rowId'> & { rowSourcePath?: string }

export type MappingParseResult<R> = {
  rows: ParsedRow<R>[]
  errors: ImportIssue[]
  /** Data rows read, valid or not. */
  total: number
  /** The columns the header has (optional ones may be missing). */
  present: Set<string>
}

/** The key a row is matched by: its paths, without regard to case (as the matrix's form compares them). */
export const rowKey = (sourcePath: string, targetPath: string) => `${sourcePath.trim().toLowerCase()}\u0000${targetPath.trim().toLowerCase()}`
/** The key a code map is matched by (the database's unique key). */
export const codeKey = (sourceSystem: string, localCode: string, targetSystem: string) => `${sourceSystem.trim()}\u0000${localCode.trim()}\u0000${targetSystem.trim()}`

type Issue = (column: MappingColumn | null, message: string) => void

/** Cells → schema input: enums looked up by value or label; unknown ones reported. */
function readCells(columns: readonly MappingColumn[], cells: Record<string, string>, issue: Issue) {
  const input: Record<string, unknown> = {}
  const bad = new Set<string>()
  for (const c of columns) {
    const raw = cells[c.name]
    if (raw === undefined) continue
    if (c.vocabulary) {
      const v = raw.trim()
      if (!v) continue
      const found = lookUp(c.vocabulary, v)
      if (found) input[c.name] = found
      else {
        bad.add(c.name)
        issue(c, `Unknown ${c.name} "${v}". Use one of: ${Object.keys(c.vocabulary).join(', ')}.`)
      }
    } else {
      input[c.name] = raw
    }
  }
  return { input, bad }
}

function reportZod(columns: readonly MappingColumn[], issues: ZodIssue[], bad: Set<string>, issue: Issue) {
  const seen = new Set<string>()
  for (const zi of issues) {
    const column = columns.find((c) => c.name === zi.path[0]) ?? null
    if (column && bad.has(column.name)) continue
    const key = `${column?.name}\u0000${zi.message}`
    if (seen.has(key)) continue
    seen.add(key)
    issue(column, zi.message)
  }
}

/** The generic reading (app/utils/csv.ts) with this format's columns and key. */
function parseTable<R>(
  input: string | Uint8Array,
  columns: readonly MappingColumn[],
  toRecord: (cells: Record<string, string>, issue: Issue) => R | null,
  key: (cells: Record<string, string>) => { key: string; column: string; what: string } | null,
): MappingParseResult<R> {
  return readCsvRecords(input, columns, (row, issue) => toRecord(row.cells, (c, message) => issue(c?.name ?? null, message)), {
    key: (cells) => {
      const k = key(cells)
      return k && { key: k.key, column: k.column, message: (first) => `Duplicate: line ${first} has the same ${k.what}.` }
    },
  })
}

/** Reads a mapping-rows CSV. Never throws: whatever the bytes, problems come back as `errors`. */
export function parseRowsCsv(input: string | Uint8Array): MappingParseResult<RowRecord> {
  return parseTable(
    input,
    ROW_COLUMNS,
    (cells, issue) => {
      const { input: values, bad } = readCells(ROW_COLUMNS, cells, issue)
      const parsed = MappingRowSchema.safeParse(values)
      if (!parsed.success) {
        reportZod(ROW_COLUMNS, parsed.error.issues, bad, issue)
        return null
      }
      return bad.size ? null : parsed.data
    },
    (cells) => {
      const s = cells.sourcePath?.trim()
      const t = cells.targetPath?.trim()
      return s && t ? { key: rowKey(s, t), column: 'targetPath', what: 'sourcePath and targetPath (compared without regard to case)' } : null
    },
  )
}

/** Reads a code-maps CSV. Never throws. */
export function parseCodesCsv(input: string | Uint8Array): MappingParseResult<CodeRecord> {
  return parseTable(
    input,
    CODE_COLUMNS,
    (cells, issue) => {
      const { input: values, bad } = readCells(CODE_COLUMNS, cells, issue)
      const { rowSourcePath, ...rest } = values as { rowSourcePath?: string }
      const link = rowSourcePath?.trim()
      if (link && (link.length > 420 || /[\r\n\t]/.test(link))) {
        issue(ROW_LINK_COLUMN, 'A source path is one line of at most 200 characters (or "sourcePath → targetPath").')
        bad.add('rowSourcePath')
      }
      const record = checkCodeMap(rest)
      if (!record.ok) {
        reportZod(CODE_COLUMNS, record.issues, bad, issue)
        return null
      }
      return bad.size ? null : { ...record.data, rowSourcePath: link || undefined }
    },
    (cells) => {
      const s = cells.sourceSystem?.trim()
      const l = cells.localCode?.trim()
      const t = cells.targetSystem ? codeSystemUri(cells.targetSystem) : null
      return s && l && t ? { key: codeKey(s, l, t), column: 'localCode', what: 'sourceSystem, localCode and targetSystem' } : null
    },
  )
}

/**
 * CodeMapSchema, plus: an unmatched code carries no standard display either (the matrix drops
 * one, and an import must not lose data silently). Issue paths are the schema's field names.
 */
export function checkCodeMap(values: Record<string, unknown>): { ok: true; data: Omit<CodeMapInput, 'rowId'> } | { ok: false; issues: ZodIssue[] } {
  const parsed = CodeMapSchema.safeParse(values)
  if (!parsed.success) return { ok: false, issues: parsed.error.issues }
  const { rowId: _r, ...data } = parsed.data
  if (data.equivalence === 'unmatched' && data.targetDisplay) {
    return {
      ok: false,
      issues: [{ code: 'custom', path: ['targetDisplay'], message: 'An unmatched code has no standard display: clear it or choose another equivalence' }],
    }
  }
  return { ok: true, data }
}

// ─── records → CSV ───────────────────────────────────────────────────────────────────────

/** One record as the cells of its row (un-escaped), by column name. */
export function recordCells(columns: readonly MappingColumn[], record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const c of columns) {
    const v = record[c.name]
    out[c.name] = v == null ? '' : String(v)
  }
  return out
}

export function rowsToCsv(records: RowRecord[]) {
  return toCsv(ROW_COLUMNS, records.map((r) => recordCells(ROW_COLUMNS, r)))
}

export function codesToCsv(records: CodeRecord[]) {
  return toCsv(CODE_COLUMNS, records.map((r) => recordCells(CODE_COLUMNS, r)))
}

/** The header and one example row. */
export function mappingTemplateCsv(kind: 'rows' | 'codes') {
  const columns = columnsForKind(kind)
  return toCsv(columns, [Object.fromEntries(columns.map((c) => [c.name, c.example]))])
}
