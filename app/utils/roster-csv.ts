import { z } from 'zod'
import { unescapeCsvCell } from './csv.ts'
import { compareIssues, decodeCsv, readTable, type CsvIssue } from './inventory-csv.ts'
import { FUNCTION_LABELS, FUNCTIONS, ROLE_LABELS, ROLES, type MemberFunction, type Role } from './members-vocabulary.ts'

/**
 * The staff roster's CSV format (HR's list of people: who, what role, function, unit and line
 * manager), read without the database: every problem by line and column. The file reader is
 * the inventory import's (BOM, CRLF, quoted line breaks, wrong cell counts, syntax errors);
 * app/models/roster.server.ts checks the rows against the organisation and writes them.
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

/** Reads a roster file. Never throws: whatever the bytes, problems come back as `errors`. */
export function parseRosterCsv(input: string | Uint8Array): RosterParse {
  const decoded = decodeCsv(input)
  if ('error' in decoded) return { rows: [], total: 0, errors: [{ line: null, column: null, columnNumber: null, value: '', message: decoded.error }] }
  const table = readTable(decoded.text, ROSTER_COLUMNS.map((c) => ({ name: c.name })))
  const errors = [...table.errors]
  if (!table.headerComplete) return { rows: [], total: table.total, errors }
  const positions: Record<string, number> = {}
  for (const [name, i] of table.index) positions[name] = i + 1
  const rows: RosterRow[] = []
  const firstLineOf = new Map<string, number>()
  for (const r of table.rows) {
    const cells: Record<string, string> = {}
    for (const [name, i] of table.index) cells[name] = unescapeCsvCell(r.cells[i] ?? '').trim()
    let ok = true
    const issue = (column: string, message: string) => {
      ok = false
      errors.push({ line: r.line, column, columnNumber: positions[column] ?? null, value: cells[column] ?? '', message })
    }
    const email = cells.email!.toLowerCase()
    if (!email) issue('email', 'The email is required: it says who the row is about.')
    else if (!Email.safeParse(email).success || email.length > 254) issue('email', 'Not an email address.')
    else if (firstLineOf.has(email)) issue('email', `Duplicate: line ${firstLineOf.get(email)} has the same email.`)
    else firstLineOf.set(email, r.line)
    const name = cells.name || null
    if (name && name.length > 120) issue('name', 'At most 120 characters.')
    let role: Role | null = null
    if (cells.role) {
      role = ROLE_LOOKUP.get(loose(cells.role)) ?? null
      if (!role) issue('role', `Unknown role. Use one of: ${ROLES.join(', ')} (the value or its label).`)
    }
    let fn: MemberFunction | null = null
    if (!cells.function) issue('function', `The function is required: one of ${FUNCTIONS.join(', ')}.`)
    else {
      fn = FUNCTION_LOOKUP.get(loose(cells.function)) ?? null
      if (!fn) issue('function', `Unknown function. Use one of: ${FUNCTIONS.join(', ')} (the value or its label).`)
    }
    const unit = cells.unit || null
    if (unit && unit.length > 120) issue('unit', 'At most 120 characters.')
    const managerEmail = cells.manager_email?.toLowerCase() || null
    if (managerEmail && !Email.safeParse(managerEmail).success) issue('manager_email', 'Not an email address.')
    else if (managerEmail && managerEmail === email) issue('manager_email', 'Nobody is their own manager.')
    if (ok) rows.push({ line: r.line, record: { email, name, role, function: fn!, unit, managerEmail }, positions })
  }
  errors.sort(compareIssues)
  return { rows, errors, total: table.total }
}

/** An example file for the import page's "download the template". */
export function rosterTemplateCsv() {
  return '\uFEFFemail,name,role,function,unit,manager_email\r\nnurse.example@hospital.example,Alex Example,staff,clinical,Ward 7,manager.example@hospital.example\r\n'
}
