import { randomBytes } from 'node:crypto'
import { Prisma } from '#app/generated/prisma/client.ts'
import type { Tx } from './db.server.ts'

/**
 * Bulk writes in plain SQL. With the pg driver adapter, Prisma's createMany of 10,000 rows
 * took ~19 s and 1 GB of memory where one INSERT … SELECT FROM json_to_recordset($1) takes
 * ~1 s: each statement carries one JSON parameter. Callers list the table's columns and their
 * SQL types (tests that round-trip data catch a column left out).
 */
export type SqlColumns = readonly (readonly [name: string, type: string])[]
const WRITE_CHUNK = 5000

const quoted = (name: string) => `"${name}"`

// json, not jsonb: the rows are read once, in order, so building jsonb's binary form first is waste.
function recordset(columns: SqlColumns, rows: unknown[]) {
  return Prisma.sql`json_to_recordset(${JSON.stringify(rows)}::json) AS v(${Prisma.raw(columns.map(([n, t]) => `${quoted(n)} ${t}`).join(', '))})`
}

export async function insertRows(tx: Tx, table: string, columns: SqlColumns, rows: Record<string, unknown>[]) {
  const list = Prisma.raw(columns.map(([n]) => quoted(n)).join(', '))
  const values = Prisma.raw(columns.map(([n]) => `v.${quoted(n)}`).join(', '))
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    await tx.$executeRaw`INSERT INTO ${Prisma.raw(quoted(table))} (${list}) SELECT ${values} FROM ${recordset(columns, rows.slice(i, i + WRITE_CHUNK))}`
  }
}

/** Sets `columns` (and updatedAt) of the organisation's rows named by `id`. */
export async function updateRows(tx: Tx, scope: { organizationId: string }, table: string, columns: SqlColumns, rows: Record<string, unknown>[]) {
  const all = [['id', 'text'], ...columns, ['updatedAt', 'timestamp(3)']] as const
  const set = Prisma.raw([...columns, ['updatedAt']].map(([n]) => `${quoted(n!)} = v.${quoted(n!)}`).join(', '))
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    await tx.$executeRaw`UPDATE ${Prisma.raw(quoted(table))} AS t SET ${set} FROM ${recordset(all, rows.slice(i, i + WRITE_CHUNK))}
      WHERE t."id" = v."id" AND t."organizationId" = ${scope.organizationId}`
  }
}

let idCounter = 0
/** A new id in the shape of Prisma's cuid(): "c", time, counter, randomness; 25 lower-case characters. */
export function newId() {
  idCounter = (idCounter + 1) % 36 ** 4
  return `c${Date.now().toString(36).padStart(8, '0')}${idCounter.toString(36).padStart(4, '0')}${BigInt(`0x${randomBytes(8).toString('hex')}`).toString(36).padStart(13, '0').slice(0, 12)}`
}

