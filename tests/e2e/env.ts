import { databaseName } from '../test-env.ts'

/**
 * The browser tests' own database, next to the unit tests' one: liaison_test → liaison_e2e_test,
 * anything else → <name>_e2e_test. Idempotent. The name always says "test" (it is dropped).
 */
export function e2eDatabaseUrl(url: string) {
  const name = databaseName(url)
  if (/e2e/i.test(name) && /test/i.test(name)) return url
  const e2eName = /_test$/i.test(name) ? name.replace(/_test$/i, '_e2e_test') : `${name}_e2e_test`
  const u = new URL(url)
  u.pathname = `/${encodeURIComponent(e2eName)}`
  return u.toString()
}

/** What the global setup hands to the test files (vitest `provide` / `inject`). */
export type E2EContext = {
  /** The app's origin, e.g. http://127.0.0.1:41234 (APP_URL of the server). */
  baseURL: string
  /** The SMTP catcher's mailbox over HTTP: GET <mailboxURL>/messages → CaughtMessage[] (JSON). */
  mailboxURL: string
  serverLog: string
  workerLog: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2EContext
  }
}
