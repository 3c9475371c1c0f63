/**
 * Runs in every test file's process before the file is imported.
 * - environment defaults, and a BullMQ prefix of this file's own;
 * - `console.error` during a test fails that test (conventions §6): React, Prisma and our
 *   code only print errors when something is wrong. A test that expects one replaces the spy:
 *   `vi.spyOn(console, 'error').mockImplementation(() => {})`;
 * - the real clock back after each test; Prisma, the queues and the mail transport closed after the file.
 */
import { randomBytes } from 'node:crypto'
import { format } from 'node:util'
import { afterAll, afterEach, beforeEach, vi } from 'vitest'
import { applyTestEnvDefaults } from './test-env.ts'

const env = applyTestEnvDefaults()
env.QUEUE_PREFIX = `${env.LIAISON_TEST_QUEUE_BASE}.${randomBytes(4).toString('hex')}`

let consoleErrors: string[] = []

beforeEach(() => {
  consoleErrors = []
  const original = console.error
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    consoleErrors.push(format(...args))
    original(...args)
  })
})

afterEach(() => {
  vi.useRealTimers()
  const errors = consoleErrors
  consoleErrors = []
  if (errors.length) {
    throw new Error(`console.error was called during this test:\n${errors.map((e) => `  • ${e}`).join('\n')}`)
  }
})

afterAll(async () => {
  // Imported here, not at the top: the modules read the environment set above when they load.
  const [{ closeQueues }, { resetMailTransport }] = await Promise.all([
    import('#app/utils/queue.server.ts'),
    import('#app/utils/mailer.server.ts'),
  ])
  resetMailTransport()
  await closeQueues()
  const g = globalThis as unknown as { __prisma?: { $disconnect(): Promise<void> } }
  if (g.__prisma) {
    await g.__prisma.$disconnect()
    g.__prisma = undefined
  }
})
