/**
 * Environment defaults for the unit/integration run. scripts/test.sh sets the real values;
 * these make a bare `npx vitest` work on a developer machine. Only unset variables are filled.
 */
export const TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/liaison_test'

export function applyTestEnvDefaults(env: NodeJS.ProcessEnv = process.env) {
  env.NODE_ENV ??= 'test'
  env.DATABASE_URL ??= TEST_DATABASE_URL
  env.REDIS_URL ??= 'redis://127.0.0.1:6379'
  // A fixed value: tests must not depend on a developer's secret.
  env.SESSION_SECRET ??= 'test-session-secret-0123456789abcdef0123456789abcdef0123456789ab'
  env.APP_URL ??= 'http://127.0.0.1:3999'
  env.QUEUE_PREFIX ??= `liaison-test-${process.pid}`
  // Every test file gets its own BullMQ prefix below this one (see tests/setup.ts), so
  // workers started by two files running in parallel never take each other's jobs.
  env.LIAISON_TEST_QUEUE_BASE ??= env.QUEUE_PREFIX
  return env
}

/** The database name of a postgres URL. */
export function databaseName(url: string) {
  return decodeURIComponent(new URL(url).pathname.slice(1))
}
