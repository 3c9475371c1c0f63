/**
 * Once per `vitest run`: a fresh test database (dropped, recreated, migrated with the committed
 * migrations, so the migrations themselves are tested) and, at the end, the run's Redis keys
 * removed. Refuses any database whose name does not say "test": this drops it.
 *
 * NOTE: two runs on one machine (two developers' terminals, a watch mode and a one-off run)
 * would drop the database under each other. A run holds an advisory lock named after the
 * database for its whole length; a second run waits for it.
 */
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import pg from 'pg'
import { applyTestEnvDefaults, databaseName } from './test-env.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Takes the run lock (waiting for another run if need be) and recreates the database. Returns the lock's connection. */
async function lockAndRecreateDatabase(url: string) {
  const name = databaseName(url)
  if (!/test/i.test(name)) {
    throw new Error(`Refusing to run tests against database "${name}": its name must contain "test" (it is dropped and recreated).`)
  }
  const admin = new URL(url)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString(), application_name: 'liaison-test-run-lock' })
  await client.connect()
  const lockKey = `liaison-test-run:${name}`
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [lockKey])
  if (!rows[0]?.locked) {
    console.log(`Another test run is using database "${name}"; waiting for it to finish…`)
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey])
  }
  const quoted = `"${name.replace(/"/g, '""')}"`
  await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`)
  await client.query(`CREATE DATABASE ${quoted}`)
  return client
}

function migrate(url: string) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'prisma.mjs'), 'migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
  })
  if (r.status !== 0) {
    throw new Error(`prisma migrate deploy failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`)
  }
}

async function deleteRunKeys(redisUrl: string, base: string) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true })
  try {
    await redis.connect()
    // Per-file prefixes are `${base}.${suffix}` (tests/setup.ts).
    const stream = redis.scanStream({ match: `${base}.*`, count: 500 })
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length) await redis.unlink(...keys)
    }
  } finally {
    redis.disconnect()
  }
}

export default async function setup() {
  const env = applyTestEnvDefaults()
  const url = env.DATABASE_URL!
  const lock = await lockAndRecreateDatabase(url)
  try {
    migrate(url)
  } catch (e) {
    await lock.end()
    throw e
  }
  return async () => {
    await deleteRunKeys(env.REDIS_URL!, env.LIAISON_TEST_QUEUE_BASE!).catch(() => {})
    // Closing the session releases the lock.
    await lock.end()
  }
}
