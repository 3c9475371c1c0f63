import { readCsvRecords, toCsv, type CsvIssue } from '#app/utils/csv.ts'
import { ScenarioSchema } from './schemas.ts'
import { UAT_EDGE_CASES, UAT_PRIORITIES, type UatEdgeCase, type UatPriority } from './vocabulary.ts'

/**
 * A project's UAT scenarios as CSV (docs/decisions/027-uat.md): one row per scenario. Read here
 * without the database; scenario-io.server.ts checks the rows against the project (its
 * interfaces, the numbers it has, the mapping rows).
 *
 * Import: a row with a number (S-4) updates that scenario — an export imported back changes
 * nothing —; a row without one adds a scenario with the next number. Scenarios the file does not
 * name stay. Runs and defects are not in the file: they are history, recorded on the page.
 */
const SEP = ';'
export const UAT_COLUMNS = [
  { name: 'number', optional: true, help: 'The scenario’s number (S-4) to update it; empty adds a new scenario.' },
  { name: 'interface', help: 'The interface’s name, one in the project’s scope; empty for a scenario about the whole project.' },
  { name: 'title', help: 'What the scenario tests, in a line.' },
  { name: 'priority', optional: true, help: `${Object.keys(UAT_PRIORITIES).join(', ')}; empty is medium.` },
  { name: 'edge_cases', optional: true, help: `Separated by “${SEP}”: ${Object.keys(UAT_EDGE_CASES).join(', ')}.` },
  { name: 'preconditions', optional: true, help: 'What must be true before the tester starts.' },
  { name: 'steps', help: 'The steps the tester follows (line breaks kept).' },
  { name: 'expected_result', help: 'What the tester should see.' },
  { name: 'mapping_rows', optional: true, help: `The interface’s mapping rows it exercises, by source path (OBX-5), separated by “${SEP}”.` },
] as const

export type UatCsvRecord = {
  number: number | null
  interface: string | null
  title: string
  priority: UatPriority
  edgeCases: UatEdgeCase[]
  preconditions: string | undefined
  steps: string
  expectedResult: string
  mappingRows: string[]
}
export type UatCsvRow = { line: number; record: UatCsvRecord; positions: Record<string, number> }
export type UatCsvParse = { rows: UatCsvRow[]; errors: CsvIssue[]; total: number }

const loose = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
const lookup = <K extends string>(vocabulary: Record<K, string>) =>
  new Map<string, K>((Object.entries(vocabulary) as [K, string][]).flatMap(([k, label]) => [[loose(k), k] as const, [loose(label), k] as const]))
const PRIORITY = lookup(UAT_PRIORITIES)
const EDGE = lookup(UAT_EDGE_CASES)
const split = (cell: string) =>
  cell
    .split(SEP)
    .map((s) => s.trim())
    .filter(Boolean)

/** "S-4", "s4" or "4" → 4; empty → null; anything else → undefined (a problem). */
export function parseScenarioNumber(cell: string): number | null | undefined {
  if (!cell) return null
  const m = /^(?:s-?)?(\d{1,7})$/i.exec(cell.trim())
  return m && Number(m[1]) > 0 ? Number(m[1]) : undefined
}

const FIELD_COLUMN: Record<string, string> = { title: 'title', steps: 'steps', expectedResult: 'expected_result', preconditions: 'preconditions' }

/** Reads a scenarios file. Never throws: whatever the bytes, problems come back as `errors`. */
export function parseUatCsv(input: string | Uint8Array): UatCsvParse {
  const { rows, errors, total } = readCsvRecords(
    input,
    UAT_COLUMNS,
    ({ cells }, issue) => {
      let ok = true
      const bad = (column: string, message: string) => {
        ok = false
        issue(column, message)
      }
      const number = parseScenarioNumber(cells.number ?? '')
      if (number === undefined) bad('number', 'Not a scenario number: write S-4 (or leave it empty to add a scenario).')
      const rawPriority = cells.priority ?? ''
      const priority = rawPriority ? PRIORITY.get(loose(rawPriority)) : 'medium'
      if (!priority) bad('priority', `Unknown priority. Use one of: ${Object.keys(UAT_PRIORITIES).join(', ')}.`)
      const edgeCases: UatEdgeCase[] = []
      for (const e of split(cells.edge_cases ?? '')) {
        const v = EDGE.get(loose(e))
        if (v) edgeCases.push(v)
        else bad('edge_cases', `Unknown edge case “${e}”. Use: ${Object.keys(UAT_EDGE_CASES).join(', ')}.`)
      }
      // The form's own rules (lengths, what is required), named by column.
      const parsed = ScenarioSchema.safeParse({ title: cells.title ?? '', steps: cells.steps ?? '', expectedResult: cells.expected_result ?? '', preconditions: cells.preconditions ?? '' })
      if (!parsed.success) {
        for (const i of parsed.error.issues) {
          const column = FIELD_COLUMN[String(i.path[0])]
          if (column) bad(column, i.message)
        }
      }
      if (!ok || !parsed.success || number === undefined || !priority) return null
      return {
        number,
        interface: cells.interface || null,
        title: parsed.data.title,
        priority,
        edgeCases: [...new Set(edgeCases)],
        preconditions: parsed.data.preconditions,
        steps: parsed.data.steps,
        expectedResult: parsed.data.expectedResult,
        mappingRows: [...new Set(split(cells.mapping_rows ?? ''))],
      }
    },
    {
      trim: true,
      key: (cells) => {
        const n = parseScenarioNumber(cells.number ?? '')
        if (!n) return null
        return { key: String(n), column: 'number', message: (first) => `Duplicate: line ${first} has the same scenario number.` }
      },
    },
  )
  return { rows: rows.map((r) => ({ line: r.line, record: r.record, positions: r.positions })), errors, total }
}

export type UatCsvOut = {
  number: string
  interface: string
  title: string
  priority: string
  edge_cases: string
  preconditions: string
  steps: string
  expected_result: string
  mapping_rows: string
}

/** The file an export writes: one row per scenario. */
export function uatCsv(rows: UatCsvOut[]) {
  return toCsv(UAT_COLUMNS, rows)
}

export const joinCells = (values: readonly string[]) => values.join(`${SEP} `)

/** An example file for the import page. */
export function uatTemplateCsv() {
  return toCsv(UAT_COLUMNS, [
    {
      number: '',
      interface: 'LIS → EHR: results',
      title: 'Result with an empty value (OBX-5) files as "no result", not zero',
      priority: 'high',
      edge_cases: 'null_values',
      preconditions: 'A test patient admitted in the sandbox.',
      steps: '1. Send an ORU^R01 with OBX-5 empty.\n2. Open the result in the EHR.',
      expected_result: 'The result shows "no result" and the lab is alerted; no 0 is filed.',
      mapping_rows: 'OBX-5',
    },
  ])
}
