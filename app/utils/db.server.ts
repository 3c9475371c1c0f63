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
