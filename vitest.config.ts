import { defineConfig } from 'vitest/config'
import { applyTestEnvDefaults } from './tests/test-env.ts'

// Runs in the main vitest process before globalSetup and before the forks start: the forks
// inherit these variables, so every file sees the same database and queue base prefix.
applyTestEnvDefaults()

export default defineConfig({
  // `#app/*`, `#jobs/*` and `#tests/*` resolve through package.json "imports", which vite
  // supports natively; no aliases needed (tsconfig "paths" only serves the type checker).
  test: {
    include: ['app/**/*.test.ts', 'jobs/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', '**/node_modules/**', 'build/**'],
    globalSetup: ['tests/global-setup.ts'],
    setupFiles: ['tests/setup.ts'],
    // Child processes, one per test file: Prisma's pg pool, ioredis sockets and argon2's
    // native threads behave as they do in production, and a crashed file can't take others down.
    pool: 'forks',
    // argon2 is ~50 ms a hash and a few tests hash a dozen times; BullMQ round trips add more.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // The fake clock (vi.useFakeTimers({ toFake: ['Date'] })) must not leak between tests.
    restoreMocks: true,
    unstubEnvs: true,
  },
})
