import { z } from 'zod'
import { readCsvRecords, type CsvIssue } from '#app/utils/csv.ts'
import { FUNCTION_LABELS, FUNCTIONS, ROLE_LABELS, ROLES, type MemberFunction, type Role } from '../people/vocabulary.ts'

/**
 * The staff roster's CSV format (HR's list of people: who, what role, function, unit and line
 * manager), read without the database: every problem by line and column. The file reader is
 * every import's, app/utils/csv.ts (BOM, CRLF, quoted line breaks, wrong cell counts, syntax errors);
 * app/models/training/roster.server.ts checks the rows against the organisation and writes them.
 */

export const ROSTER_COLUMNS = [
  { name: 'email', required: true, help: 'The person’s work email: it says who they are. Each address once per file.' },
  { name: 'name', required: false, help: 'Their name, for the preview (people give their own name when they accept the invitation).' },
  { name: 'role', required: false, help: `For people who are not members yet: their role (empty means Staff). A member’s role is changed on the People page, not here. Values: ${ROLES.map((r) => `${r} (${ROLE_LABELS[r]})`).join(', ')}.` },
  { name: 'function', required: true, help: `Their function: ${FUNCTIONS.map((f) => `${f} (${FUNCTION_LABELS[f]})`).join(', ')}.` },
  { name: 'unit', required: false, help: 'Department, ward or unit, e.g. “Emergency Department” (empty means none). Training rules target units by this name.' },
  { name: 'manager_email', required: false, help: 'Email of their line manager, an active member of this organisation (empty means none). Told when training stays overdue.' },
] as const

export type RosterRecord = {
  email: string
  name: string | null
  role: Role | null
  function: MemberFunction
  unit: string | null
  managerEmail: string | null
}

export type RosterRow = { line: number; record: RosterRecord; positions: Record<string, number> }
export type RosterParse = { rows: RosterRow[]; errors: CsvIssue[]; total: number }

const loose = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
const ROLE_LOOKUP = new Map<string, Role>([...ROLES.map((r) => [loose(ROLE_LABELS[r]), r] as const), ...ROLES.map((r) => [loose(r), r] as const)])
const FUNCTION_LOOKUP = new Map<string, MemberFunction>([
  ...FUNCTIONS.map((f) => [loose(FUNCTION_LABELS[f]), f] as const),
  ...FUNCTIONS.map((f) => [loose(f), f] as const),
])
const Email = z.string().email()
const isEmail = (s: string) => s.length <= 254 && Email.safeParse(s).success

/** Reads a roster file. Never throws: whatever the bytes, problems come back as `errors`. */
export function parseRosterCsv(input: string | Uint8Array): RosterParse {
  const { rows, errors, total } = readCsvRecords(
    input,
    ROSTER_COLUMNS,
    ({ cells }, issue) => {
      let ok = true
      const bad = (column: string, message: string) => {
        ok = false
        issue(column, message)
      }
      const email = cells.email!.toLowerCase()
      if (!email) bad('email', 'The email is required: it says who the row is about.')
      else if (!isEmail(email)) bad('email', 'Not an email address.')
      const name = cells.name || null
      if (name && name.length > 120) bad('name', 'At most 120 characters.')
      let role: Role | null = null
      if (cells.role) {
        role = ROLE_LOOKUP.get(loose(cells.role)) ?? null
        if (!role) bad('role', `Unknown role. Use one of: ${ROLES.join(', ')} (the value or its label).`)
      }
      let fn: MemberFunction | null = null
      if (!cells.function) bad('function', `The function is required: one of ${FUNCTIONS.join(', ')}.`)
      else {
        fn = FUNCTION_LOOKUP.get(loose(cells.function)) ?? null
        if (!fn) bad('function', `Unknown function. Use one of: ${FUNCTIONS.join(', ')} (the value or its label).`)
      }
      const unit = cells.unit || null
      if (unit && unit.length > 120) bad('unit', 'At most 120 characters.')
      const managerEmail = cells.manager_email?.toLowerCase() || null
      if (managerEmail && !Email.safeParse(managerEmail).success) bad('manager_email', 'Not an email address.')
      else if (managerEmail && managerEmail === email) bad('manager_email', 'Nobody is their own manager.')
      return ok ? ({ email, name, role, function: fn!, unit, managerEmail } satisfies RosterRecord) : null
    },
    {
      trim: true,
      // Each address once per file (an address that is not one is reported as such, not as a duplicate).
      key: (cells) => {
        const email = (cells.email ?? '').toLowerCase()
        return isEmail(email) ? { key: email, column: 'email', message: (first) => `Duplicate: line ${first} has the same email.` } : null
      },
    },
  )
  return { rows: rows.map((r) => ({ line: r.line, record: r.record, positions: r.positions })), errors, total }
}

/** An example file for the import page's "download the template". */
export function rosterTemplateCsv() {
  return '\uFEFFemail,name,role,function,unit,manager_email\r\nnurse.example@hospital.example,Alex Example,staff,clinical,Ward 7,manager.example@hospital.example\r\n'
}
