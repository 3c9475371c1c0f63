/**
 * The committed migrations (applied to the test database by tests/global-setup.ts) produce
 * exactly the schema in schema.prisma: a schema change without a migration fails here.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const root = join(import.meta.dirname, '..')

function prisma(...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'scripts', 'prisma.mjs'), ...args], {
    cwd: root,
    env: process.env,
    encoding: 'utf8',
  })
}

test('the migrated database has no drift from schema.prisma', () => {
  const r = prisma('migrate', 'diff', '--from-config-datasource', '--to-schema', 'prisma/schema.prisma', '--exit-code')
  expect(r.stdout + r.stderr).toContain('No difference detected')
  expect(r.status).toBe(0)
})

test('every committed migration is applied', () => {
  const r = prisma('migrate', 'status')
  expect(r.stdout).toContain('Database schema is up to date')
  expect(r.status).toBe(0)
})
