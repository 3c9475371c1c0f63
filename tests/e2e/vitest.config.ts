import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { applyTestEnvDefaults } from '../test-env.ts'
import { e2eDatabaseUrl } from './env.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

// Runs in the main vitest process before globalSetup and before the forks start, so the
// app server, the worker and every test file see the same database and queue prefix.
// The browser tests get a database of their own (liaison_test → liaison_e2e_test): a unit run
// and a browser run never drop each other's data. The queue prefix sits below the run's base so
// that the shared teardown (tests/global-setup.ts) deletes its keys.
const env = applyTestEnvDefaults()
env.DATABASE_URL = e2eDatabaseUrl(env.DATABASE_URL!)
env.QUEUE_PREFIX = `${env.LIAISON_TEST_QUEUE_BASE}.e2e`

export default defineConfig({
  root,
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'build/**'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    setupFiles: ['tests/e2e/setup.ts'],
    pool: 'forks',
    // One app server for the run; the files take turns in it (and each runs its own Chromium).
    fileParallelism: false,
    // Two cores: Chromium, the server, the worker and argon2 share them.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    restoreMocks: true,
    unstubEnvs: true,
  },
})
