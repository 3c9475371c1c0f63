/**
 * Setup's message when the local cluster says "online" but nothing answers at DATABASE_URL
 * (scripts/pg-diagnose.mjs): the address tried, what answers where, what to do — instead of a
 * pointer to a log file. Real sockets: a closed port, the machine's PostgreSQL, a socket file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { diagnose } from '../scripts/pg-diagnose.mjs'

type Diagnose = (input: { url: string; error?: string; lsclusters: string; socketDirs?: string[] }) => Promise<string[]>
// A plain .mjs script (setup runs it with node before anything is installed for TypeScript).
const run = diagnose as unknown as Diagnose

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

const pgPort = Number(new URL(process.env.DATABASE_URL!).port || 5432)

describe('setup: PostgreSQL online but not at DATABASE_URL', () => {
  test('names the address tried, and where PostgreSQL does answer', async () => {
    const port = await closedPort()
    const text = (
      await run({
        url: `postgresql://postgres:secret@127.0.0.1:${port}/liaison`,
        error: `connect ECONNREFUSED 127.0.0.1:${port}`,
        lsclusters: `15 main ${pgPort} online postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log\n`,
        socketDirs: [],
      })
    ).join('\n')
    expect(text).toContain(`Nothing answers at postgresql://postgres@127.0.0.1:${port}/liaison (tried 127.0.0.1:${port}: connect ECONNREFUSED`)
    expect(text).not.toContain('secret')
    expect(text).toContain(`15/main: online, port ${pgPort}`)
    expect(text).toContain(`What answers on this machine: TCP 127.0.0.1:${pgPort}`)
    expect(text).toContain(`PostgreSQL answers at 127.0.0.1:${pgPort}: put that host and port in DATABASE_URL`)
  })

  test('a server on a unix socket only: says so, and how to open TCP or use the socket', async () => {
    const port = await closedPort()
    const dir = mkdtempSync(join(tmpdir(), 'pg-sock-'))
    dirs.push(dir)
    writeFileSync(join(dir, `.s.PGSQL.${port}`), '')
    const text = (await run({ url: `postgresql://postgres@127.0.0.1:${port}/liaison`, lsclusters: `15 main ${port} online postgres /d /l.log`, socketDirs: [dir] })).join('\n')
    expect(text).toContain(`What answers on this machine: unix socket ${dir}/.s.PGSQL.${port}.`)
    expect(text).toContain("set listen_addresses = 'localhost'")
    expect(text).toContain(`DATABASE_URL=postgresql://postgres@/liaison?host=${dir}`)
  })

  test('online, yet nothing anywhere: restart the cluster, and read its log', async () => {
    const port = await closedPort()
    const text = (await run({ url: `postgresql://postgres@127.0.0.1:${port}/liaison`, lsclusters: `16 main ${port} online postgres /d /var/log/pg16.log`, socketDirs: [] })).join('\n')
    expect(text).toContain(`Nothing answers on this machine on port(s) ${port}, over TCP or a unix socket.`)
    expect(text).toContain('pg_ctlcluster 16 main restart')
    expect(text).toContain('Its log says more: /var/log/pg16.log')
  })
})
