import { z } from 'zod'
import { readCsvRecords, toCsv, type CsvIssue } from '#app/utils/csv.ts'
import { FUNCTION_LABELS, FUNCTIONS, type MemberFunction } from '../people/vocabulary.ts'
import { FUNCTION_LETTERS } from './raci.ts'
import { RACI_ACTIVITY_KINDS, RACI_CATEGORIES, type RaciActivityKind, type RaciLetter } from './vocabulary.ts'

/**
 * A project's RACI matrix as CSV, "long" format (docs/decisions/023-raci.md): one row per cell —
 * an activity × a person (by email) or a function — with its letter. A spreadsheet filters and
 * sorts it, an import names a bad cell by line and column, and a 300 × 150 matrix is 45,000 short
 * rows instead of 150 columns nobody can read. Read here without the database;
 * raci.server.ts checks the rows against the project and the organisation.
 *
 * Import: each row sets its cell (an empty letter clears it); cells the file does not name stay.
 * The file's activities must exist (custom ones are added on the page first).
 */
export const RACI_COLUMNS = [
  { name: 'activity', help: 'The activity: the step’s title, the interface’s name or the custom activity’s title, as the RACI page shows it.' },
  { name: 'kind', help: `What the activity is: ${Object.entries(RACI_ACTIVITY_KINDS).map(([v, l]) => `${v} (${l})`).join(', ')}.` },
  { name: 'category', optional: true, help: `For reading only (the import ignores it; change a category on the page): ${Object.keys(RACI_CATEGORIES).join(', ')}.` },
  { name: 'email', help: 'The person’s email, an active member of this organisation. Empty when the row is for a function.' },
  { name: 'function', help: `Or a whole function (“any clinical member”): ${FUNCTIONS.join(', ')}. A function holds only C or I. Empty when the row is for a person.` },
  { name: 'letter', help: 'R, A, C or I; empty clears the cell.' },
] as const

export type RaciCsvRecord = {
  activity: string
  kind: RaciActivityKind
  email: string | null
  function: MemberFunction | null
  letter: RaciLetter | null
}
export type RaciCsvRow = { line: number; record: RaciCsvRecord; positions: Record<string, number> }
export type RaciCsvParse = { rows: RaciCsvRow[]; errors: CsvIssue[]; total: number }

const loose = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
const KIND_LOOKUP = new Map<string, RaciActivityKind>(
  (Object.entries(RACI_ACTIVITY_KINDS) as [RaciActivityKind, string][]).flatMap(([k, label]) => [[loose(k), k] as const, [loose(label), k] as const]),
)
const FUNCTION_LOOKUP = new Map<string, MemberFunction>(FUNCTIONS.flatMap((f) => [[loose(f), f] as const, [loose(FUNCTION_LABELS[f]), f] as const]))
const Email = z.string().email()

/** The key of an activity as the file names it (kind and title, case-insensitive). */
export const activityKeyOf = (kind: string, title: string) => `${kind}|${title.trim().toLowerCase()}`

/** Reads a RACI file. Never throws: whatever the bytes, problems come back as `errors`. */
export function parseRaciCsv(input: string | Uint8Array): RaciCsvParse {
  const { rows, errors, total } = readCsvRecords(
    input,
    RACI_COLUMNS,
    ({ cells }, issue) => {
      let ok = true
      const bad = (column: string, message: string) => {
        ok = false
        issue(column, message)
      }
      const activity = cells.activity ?? ''
      if (!activity) bad('activity', 'Name the activity.')
      const kind = KIND_LOOKUP.get(loose(cells.kind ?? '')) ?? null
      if (!kind) bad('kind', `Unknown kind. Use one of: ${Object.keys(RACI_ACTIVITY_KINDS).join(', ')}.`)
      const email = (cells.email ?? '').toLowerCase() || null
      const rawFn = cells.function ?? ''
      let fn: MemberFunction | null = null
      if (email && rawFn) bad('function', 'Give an email or a function, not both.')
      else if (!email && !rawFn) bad('email', 'Give the person’s email (or a function).')
      else if (email && (email.length > 254 || !Email.safeParse(email).success)) bad('email', 'Not an email address.')
      else if (rawFn) {
        fn = FUNCTION_LOOKUP.get(loose(rawFn)) ?? null
        if (!fn) bad('function', `Unknown function. Use one of: ${FUNCTIONS.join(', ')}.`)
      }
      const rawLetter = (cells.letter ?? '').toUpperCase()
      let letter: RaciLetter | null = null
      if (rawLetter) {
        if (rawLetter === 'R' || rawLetter === 'A' || rawLetter === 'C' || rawLetter === 'I') letter = rawLetter
        else bad('letter', 'Not a RACI letter: use R, A, C or I (empty clears the cell).')
      }
      if (letter && fn && !FUNCTION_LETTERS.includes(letter)) bad('letter', 'A function holds only C or I: R and A go to a person.')
      return ok ? { activity, kind: kind!, email, function: fn, letter } : null
    },
    {
      trim: true,
      key: (cells) => {
        const holder = (cells.email ?? '').toLowerCase() || loose(cells.function ?? '')
        if (!cells.activity || !holder) return null
        return { key: `${loose(cells.kind ?? '')}|${(cells.activity ?? '').toLowerCase()}|${holder}`, column: 'activity', message: (first) => `Duplicate: line ${first} has the same activity and person or function.` }
      },
    },
  )
  return { rows: rows.map((r) => ({ line: r.line, record: r.record, positions: r.positions })), errors, total }
}

/** The file an export writes: one row per cell. */
export function raciCsv(rows: { activity: string; kind: RaciActivityKind; category: string; email: string; function: string; letter: string }[]) {
  return toCsv(RACI_COLUMNS, rows)
}

/** An example file for the import page. */
export function raciTemplateCsv() {
  return '\uFEFFactivity,kind,category,email,function,letter\r\nUser acceptance testing (UAT),step,testing,clinical.lead@hospital.example,,A\r\nUser acceptance testing (UAT),step,testing,,clinical,C\r\n'
}
