/**
 * Runs in every browser-test file's process before the file is imported.
 * - `console.error` in the test process fails the test (conventions §6), as in tests/setup.ts;
 *   what the browser and the server print is checked by tests/e2e/fixtures.ts;
 * - Prisma (loaded when a test uses tests/factories.ts) is disconnected after the file.
 * Not tests/setup.ts: that one gives each file a queue prefix of its own, and here the app
 * server and the worker must see the prefix the run was started with.
 */
import { format } from 'node:util'
import { afterAll, afterEach, beforeEach, vi } from 'vitest'

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
  const errors = consoleErrors
  consoleErrors = []
  if (errors.length) {
    throw new Error(`console.error was called during this test:\n${errors.map((e) => `  • ${e}`).join('\n')}`)
  }
})

afterAll(async () => {
  const g = globalThis as unknown as { __prisma?: { $disconnect(): Promise<void> } }
  if (g.__prisma) {
    await g.__prisma.$disconnect()
    g.__prisma = undefined
  }
})
