import { CsvError, parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'

/**
 * CSV, whatever the domain: decoding an upload (BOM, UTF-8, the files that are not CSV at all),
 * reading it into rows with the physical line each starts on, the limits, the spreadsheet-formula
 * escape, and writing CSV back. Every import (inventory, mapping, roster, and those to come)
 * reads its files here and keeps only its columns and its validation in its own file
 * (app/utils/<domain>-csv.ts); the batch lifecycle is app/models/imports/import-batch.server.ts
 * (docs/decisions/017-one-import-pipeline.md).
 *
 * No `.server` suffix: the import pages show the limits in the browser.
 */

/** Bigger files are refused by the upload handler (import-upload.server.ts) before they reach this code. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024
/** Data rows per file. */
export const MAX_ROWS = 50_000

// ─── the spreadsheet-formula escape ─────────────────────────────────────────────────────

/**
 * CSV injection defence (OWASP): a cell that a spreadsheet would read as a formula (starting
 * with = + - @, or tab / carriage return) is prefixed with a single quote.
 *
 * The escaping is reversible, so that an export read back by the CSV import is the identity:
 * a value that starts with quotes followed by a formula character ("'=x", "''-3") gets one more
 * quote too, and `unescapeCsvCell` strips exactly one from any value of that shape.
 */
const ESCAPED = /^'*[=+\-@\t\r]/
const UNESCAPE = /^'+[=+\-@\t\r]/

export function escapeCsvCell(value: string) {
  return ESCAPED.test(value) ? `'${value}` : value
}

/** The inverse of `escapeCsvCell`: `unescapeCsvCell(escapeCsvCell(v)) === v` for every string. */
export function unescapeCsvCell(value: string) {
  return UNESCAPE.test(value) ? value.slice(1) : value
}

// ─── problems ───────────────────────────────────────────────────────────────────────────

/** One problem, where a spreadsheet user finds it. `line` is the file's physical line (1-based). */
export type CsvIssue = {
  line: number | null
  column: string | null
  /** 1-based position of the column in the file's header. */
  columnNumber: number | null
  value: string
  message: string
}

export type ParsedRow<R> = {
  /** Physical line where the row starts. */
  line: number
  record: R
  /** Cells as read (un-escaped), by column name: what the preview shows and errors quote. */
  cells: Record<string, string>
  /** Column name → 1-based position in the file. */
  positions: Record<string, number>
}

export type ParseResult<R> = {
  /** The valid rows. */
  rows: ParsedRow<R>[]
  /** Every problem, by line then column. */
  errors: CsvIssue[]
  /** Data rows read, valid or not (blank rows not counted). */
  total: number
}

// ─── reading ─────────────────────────────────────────────────────────────────────────────

/** File-level problems first, then by line; within a line by column, row-level ones last. */
export function compareIssues(a: CsvIssue, b: CsvIssue) {
  const pos = (i: CsvIssue) => i.columnNumber ?? Number.MAX_SAFE_INTEGER
  return (a.line ?? 0) - (b.line ?? 0) || pos(a) - pos(b)
}

/** A problem with the file as a whole (no line). */
export const fileIssue = (message: string): CsvIssue => ({ line: null, column: null, columnNumber: null, value: '', message })

/** Bytes or text → the file's text, or why it is not a UTF-8 text file. */
export function decodeCsv(input: string | Uint8Array): { text: string } | { error: string } {
  let text: string
  if (typeof input === 'string') {
    text = input.startsWith('\uFEFF') ? input.slice(1) : input
  } else {
    if (input[0] === 0x50 && input[1] === 0x4b && input[2] === 0x03 && input[3] === 0x04) {
      return { error: 'This is a spreadsheet workbook (.xlsx or .ods), not a CSV file. In your spreadsheet, use “Save as” → “CSV UTF-8 (comma delimited)”.' }
    }
    if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
      return { error: 'This file is saved as UTF-16 text. Save it as “CSV UTF-8 (comma delimited)” and upload it again.' }
    }
    try {
      // Strips a UTF-8 byte order mark.
      text = new TextDecoder('utf-8', { fatal: true }).decode(input)
    } catch {
      return { error: 'This file is not UTF-8 text (accented letters would be garbled). Save it as “CSV UTF-8 (comma delimited)” and upload it again.' }
    }
  }
  if (text.includes('\u0000')) {
    return { error: 'This file contains NUL characters, so it is not a CSV text file (was it saved as UTF-16 or in a spreadsheet format?).' }
  }
  if (!text.trim()) return { error: 'The file is empty: it needs a header row naming the columns, then one row per item.' }
  return { text }
}

const normaliseHeader = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_')

/** Start offsets of the physical lines of `buf` (CRLF, LF and a lone CR each end a line). */
function lineStarts(buf: Uint8Array) {
  const starts = [0]
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]
    if (b === 13) {
      if (buf[i + 1] === 10) i++
      starts.push(i + 1)
    } else if (b === 10) {
      starts.push(i + 1)
    }
  }
  return starts
}

function lineOf(starts: number[], offset: number) {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return lo + 1
}

function syntaxMessage(e: CsvError) {
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'A value in double quotes that starts here is never closed (a closing " is missing), so the rest of the file could not be read.'
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'Text follows a closing double quote before the next comma. Inside a quoted value, write a double quote as two ("").'
    case 'CSV_MAX_RECORD_SIZE':
      return 'This row is too long to be a CSV row of this format.'
    default:
      return `This row can't be read as CSV (${e.message.replace(/ at line \d+/, '')}).`
  }
}

export type Table = {
  /** False when columns are missing: rows are not read then (each would repeat the complaint). */
  headerComplete: boolean
  /** Column name → 0-based position in the file. */
  index: Map<string, number>
  rows: { line: number; cells: string[] }[]
  /** Data rows, including those with the wrong number of cells. */
  total: number
  errors: CsvIssue[]
}

class TooManyRows extends Error {}

/** What the reader needs of a column: its header name; an optional one may be absent from the header. */
export type TableColumn = { name: string; optional?: boolean }

/**
 * Reads the CSV: the header row (required; unknown, missing and repeated columns reported),
 * then data rows with the physical line each starts on. Blank rows are skipped; a row with
 * the wrong number of cells is reported. A syntax error (an unclosed quote) ends the reading
 * there: where records end after it is guesswork, so it is reported instead.
 */
export function readTable(text: string, columns: readonly TableColumn[]): Table {
  const buf = Buffer.from(text, 'utf8')
  const errors: CsvIssue[] = []
  const records: { start: number; cells: string[] }[] = []
  let lastEnd = 0
  const startOf = (end: number) => {
    let o = end
    while (o < buf.length && (buf[o] === 13 || buf[o] === 10)) o++
    return o
  }
  let syntax: CsvError | undefined
  try {
    parse(buf, {
      bom: true,
      relax_column_count: true,
      // A stray quote inside an unquoted value ("5" screen") is kept as it is.
      relax_quotes: true,
      skip_empty_lines: true,
      // NOTE: csv-parse's `info.lines` counts a CRLF inside quotes as two lines; its byte
      // offsets are exact, so lines are computed from them.
      on_record: (record: string[], ctx) => {
        records.push({ start: startOf(lastEnd), cells: record })
        lastEnd = ctx.bytes
        if (records.length > MAX_ROWS + 1) throw new TooManyRows()
        return null
      },
    })
  } catch (e) {
    if (e instanceof TooManyRows) {
      return { headerComplete: false, index: new Map(), rows: [], total: 0, errors: [fileIssue(`The file has more than ${MAX_ROWS.toLocaleString('en-US')} rows; split it into smaller files.`)] }
    }
    if (!(e instanceof CsvError)) throw e
    syntax = e
  }
  const starts = lineStarts(buf)
  const nonBlank = records.filter((r) => r.cells.some((c) => c.trim() !== ''))
  const header = nonBlank.shift()
  const index = new Map<string, number>()
  if (!header) {
    if (syntax) errors.push({ line: lineOf(starts, startOf(lastEnd)), column: null, columnNumber: null, value: '', message: syntaxMessage(syntax) })
    else errors.push(fileIssue('The file has no header row.'))
    return { headerComplete: false, index, rows: [], total: 0, errors }
  }
  const headerLine = lineOf(starts, header.start)
  // Header cells and column names compare normalised: case and surrounding spaces do not matter.
  const known = new Map(columns.map((c) => [normaliseHeader(c.name), c.name]))
  header.cells.forEach((raw, i) => {
    const key = normaliseHeader(unescapeCsvCell(raw))
    const name = known.get(key) ?? key
    if (!key) {
      errors.push({ line: headerLine, column: null, columnNumber: i + 1, value: raw, message: 'This header cell is empty: name the column or delete it.' })
    } else if (!known.has(key)) {
      const hint = header.cells.length === 1 && /[;\t]/.test(raw) ? ' The file seems to use ";" or tabs between values: save it as comma-separated CSV.' : ''
      errors.push({ line: headerLine, column: name, columnNumber: i + 1, value: raw, message: `Unknown column "${raw.trim()}". The columns are: ${columns.map((c) => c.name).join(', ')}.${hint}` })
    } else if (index.has(name)) {
      errors.push({ line: headerLine, column: name, columnNumber: i + 1, value: raw, message: `Column "${name}" appears twice (also column ${index.get(name)! + 1}).` })
    } else {
      index.set(name, i)
    }
  })
  const missing = columns.filter((c) => !c.optional && !index.has(c.name))
  if (missing.length) {
    errors.push({
      line: headerLine,
      column: null,
      columnNumber: null,
      value: '',
      message: `Missing column${missing.length > 1 ? 's' : ''}: ${missing.map((c) => c.name).join(', ')}. Every column of the template is needed (leave cells empty where there is nothing to say), so that an empty cell is never mistaken for "keep what is there".`,
    })
  }
  if (missing.length) return { headerComplete: false, index, rows: [], total: nonBlank.length, errors }
  const width = header.cells.length
  const rows: Table['rows'] = []
  for (const r of nonBlank) {
    const line = lineOf(starts, r.start)
    let cells = r.cells
    // Spreadsheets sometimes leave trailing empty cells: harmless.
    if (cells.length > width && cells.slice(width).every((c) => c.trim() === '')) cells = cells.slice(0, width)
    if (cells.length !== width) {
      const more = cells.length > width
      const position = more ? width + 1 : cells.length + 1
      const columnName = more ? null : [...index.entries()].find(([, i]) => i === cells.length)?.[0] ?? null
      errors.push({
        line,
        column: columnName,
        columnNumber: position,
        value: more ? cells.slice(width).join(',') : '',
        message: `This row has ${cells.length} cell${cells.length === 1 ? '' : 's'} but the header has ${width} columns${more ? ' (a value containing a comma must be in double quotes)' : ''}.`,
      })
      continue
    }
    rows.push({ line, cells })
  }
  if (syntax) {
    errors.push({ line: lineOf(starts, startOf(lastEnd)), column: null, columnNumber: null, value: '', message: syntaxMessage(syntax) })
  }
  return { headerComplete: true, index, rows, total: nonBlank.length, errors }
}

// ─── cells by column, per row ───────────────────────────────────────────────────────────

/** A row's problem, reported by the domain's validation: the column's name (null: the row as a whole). */
export type RowIssue = (column: string | null, message: string) => void

/** Rows read into records, with the columns the header has (optional ones may be missing). */
export type CsvRecords<R> = ParseResult<R> & { present: Set<string> }

/** What identifies a row for the duplicate check: the key, the column to blame, the message naming the first line. */
export type RowKey = { key: string; column: string; message: (firstLine: number) => string }

/**
 * The whole reading of an upload: decode, read the table, hand each row's cells (un-escaped, by
 * column name) to the domain's `toRecord`, refuse a second row with the same key, and sort the
 * problems by line and column. Never throws: whatever the bytes, problems come back as `errors`.
 */
export function readCsvRecords<R>(
  input: string | Uint8Array,
  columns: readonly TableColumn[],
  toRecord: (row: { line: number; cells: Record<string, string>; positions: Record<string, number> }, issue: RowIssue) => R | null,
  options: { key?: (cells: Record<string, string>) => RowKey | null; trim?: boolean } = {},
): CsvRecords<R> {
  const decoded = decodeCsv(input)
  if ('error' in decoded) return { rows: [], total: 0, errors: [fileIssue(decoded.error)], present: new Set() }
  const table = readTable(decoded.text, columns)
  const errors = [...table.errors]
  const present = new Set(table.index.keys())
  if (!table.headerComplete) return { rows: [], total: table.total, errors, present }
  const positions: Record<string, number> = {}
  for (const [name, i] of table.index) positions[name] = i + 1
  const rows: ParsedRow<R>[] = []
  const seen = new Map<string, number>()
  for (const r of table.rows) {
    const cells: Record<string, string> = {}
    for (const [name, i] of table.index) {
      const cell = unescapeCsvCell(r.cells[i] ?? '')
      cells[name] = options.trim ? cell.trim() : cell
    }
    let ok = true
    const issue: RowIssue = (column, message) => {
      ok = false
      errors.push({ line: r.line, column, columnNumber: column ? (positions[column] ?? null) : null, value: column ? (cells[column] ?? '') : '', message })
    }
    const record = toRecord({ line: r.line, cells, positions }, issue)
    const k = options.key?.(cells)
    if (k) {
      const first = seen.get(k.key)
      if (first !== undefined) issue(k.column, k.message(first))
      else seen.set(k.key, r.line)
    }
    if (ok && record) rows.push({ line: r.line, record, cells, positions })
  }
  errors.sort(compareIssues)
  return { rows, errors, total: table.total, present }
}

// ─── writing ─────────────────────────────────────────────────────────────────────────────

/** Rows of cells → CSV text: a BOM (so spreadsheets read UTF-8), CRLF, formula cells escaped. */
export function toCsv(columns: readonly TableColumn[], rows: Record<string, string>[]) {
  return stringify([columns.map((c) => c.name), ...rows.map((r) => columns.map((c) => escapeCsvCell(r[c.name] ?? '')))], {
    bom: true,
    record_delimiter: 'windows',
  })
}

/** Rows of values → CSV lines without a BOM, formula cells escaped: one part of a streamed file. */
export function csvLines(rows: readonly (readonly (string | null | undefined)[])[]) {
  return stringify(rows.map((r) => r.map((v) => escapeCsvCell(v ?? ''))))
}
