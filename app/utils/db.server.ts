import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '#app/generated/prisma/client.ts'
import { getEnv } from './env.server.ts'

// One client per process (kept across dev rebuilds on globalThis).
const globalForPrisma = globalThis as unknown as { __prisma?: PrismaClient }

function makeClient() {
  const adapter = new PrismaPg({ connectionString: getEnv().DATABASE_URL, max: 10 })
  return new PrismaClient({ adapter })
}

export const prisma: PrismaClient = (globalForPrisma.__prisma ??= makeClient())

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]
export type Db = PrismaClient | Tx

/** The options object every model function takes last: `{ tx }` is the one way to pass a transaction. */
export type TxOption = { tx?: Tx }

/** The caller's transaction when it passed one, else the client. */
export function dbOf(opts: TxOption | undefined): Db {
  return opts?.tx ?? prisma
}

/**
 * Runs `fn` inside the caller's transaction when it passed one (so its change and the caller's
 * commit together), else inside a new one.
 */
export function inTx<T>(opts: TxOption | undefined, fn: (tx: Tx) => Promise<T>, txOptions?: { timeout?: number }): Promise<T> {
  return opts?.tx ? fn(opts.tx) : prisma.$transaction(fn, txOptions)
}

/**
 * `Promise.all` for queries that may run on a transaction. On the client they go out together
 * (each on a pooled connection); inside a transaction there is one connection, which takes one
 * query at a time — `pg` queues overlapping ones today, with a deprecation warning, and pg 9
 * refuses them — so there they run one after another, in order.
 *
 * NOTE: pass functions, not promises: a promise has already started its query.
 */
export async function allOn<T extends readonly unknown[]>(db: Db, queries: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (db === prisma) return (await Promise.all(queries.map((q) => q()))) as unknown as T
  const out: unknown[] = []
  for (const q of queries) out.push(await q())
  return out as unknown as T
}
