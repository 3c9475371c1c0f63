#!/usr/bin/env node
// Why nothing answers at DATABASE_URL although the local cluster says it is online: which
// address was tried, what answers where (the clusters' ports, TCP on loopback, unix sockets),
// and what to do. Used by scripts/setup.sh instead of "see the log file".
// Usage: node scripts/pg-diagnose.mjs <DATABASE_URL> [probe error]
// PG_LSCLUSTERS_OUTPUT (the text of `pg_lsclusters -h`) and PG_SOCKET_DIRS stand in for the
// machine's in tests.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { pathToFileURL } from 'node:url'

/** `pg_lsclusters -h` lines → clusters. */
export function parseClusters(text) {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && /^\d+$/.test(f[2]))
    .map(([version, name, port, status, , , log]) => ({ version, name, port: Number(port), status, log }))
}

function tcpAnswers(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

function listenAddresses(cluster) {
  const conf = `/etc/postgresql/${cluster.version}/${cluster.name}/postgresql.conf`
  if (!existsSync(conf)) return null
  const line = readFileSync(conf, 'utf8')
    .split('\n')
    .find((l) => /^\s*listen_addresses\s*=/.test(l))
  return line ? line.replace(/#.*/, '').split('=')[1].trim() : "'localhost' (the default)"
}

/** The explanation, as lines. `lsclusters` is the text of `pg_lsclusters -h`. */
export async function diagnose({ url, error, lsclusters, socketDirs = ['/var/run/postgresql', '/tmp'] }) {
  const u = new URL(url)
  const host = u.hostname.replace(/^\[|\]$/g, '') || 'localhost'
  const port = Number(u.port || 5432)
  const shown = `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`
  const lines = [`Nothing answers at ${shown} (tried ${host}:${port}${error ? `: ${error}` : ''}).`]
  const clusters = parseClusters(lsclusters)
  if (clusters.length) {
    lines.push('Local PostgreSQL clusters (pg_lsclusters):')
    for (const c of clusters) {
      const listen = listenAddresses(c)
      lines.push(`  ${c.version}/${c.name}: ${c.status}, port ${c.port}${listen ? `, listen_addresses = ${listen}` : ''}`)
    }
  } else {
    lines.push('pg_lsclusters lists no local cluster.')
  }
  const ports = [...new Set([port, ...clusters.map((c) => c.port)])]
  const answering = []
  for (const p of ports) {
    for (const h of ['127.0.0.1', '::1']) if (await tcpAnswers(h, p)) answering.push(`TCP ${h.includes(':') ? `[${h}]` : h}:${p}`)
    for (const d of socketDirs) if (existsSync(`${d}/.s.PGSQL.${p}`)) answering.push(`unix socket ${d}/.s.PGSQL.${p}`)
  }
  lines.push(answering.length ? `What answers on this machine: ${answering.join(', ')}.` : `Nothing answers on this machine on port(s) ${ports.join(', ')}, over TCP or a unix socket.`)

  const online = clusters.filter((c) => c.status === 'online')
  const tcp = answering.find((a) => a.startsWith('TCP'))
  const socket = answering.find((a) => a.startsWith('unix socket'))
  lines.push('What to do:')
  if (tcp && !tcp.endsWith(`:${port}`)) {
    lines.push(`  - PostgreSQL answers at ${tcp.slice(4)}: put that host and port in DATABASE_URL (.env).`)
  } else if (tcp) {
    lines.push(`  - PostgreSQL answers at ${tcp.slice(4)}, not at ${host}: use that host in DATABASE_URL (.env).`)
  } else if (socket) {
    const dir = socket.replace(/^unix socket /, '').replace(/\/\.s\.PGSQL\.\d+$/, '')
    lines.push(`  - The server listens only on ${socket.slice(12)}, not on TCP: set listen_addresses = 'localhost' in its postgresql.conf and restart it (pg_ctlcluster <version> <name> restart),`)
    lines.push(`    or use the socket: DATABASE_URL=postgresql://${u.username || 'postgres'}@/${u.pathname.slice(1)}?host=${dir}`)
  } else if (online.length) {
    lines.push(`  - The cluster reports itself online but answers nowhere: it may be stopping, or its pid file is stale. Restart it: pg_ctlcluster ${online[0].version} ${online[0].name} restart`)
  } else {
    lines.push('  - Start PostgreSQL, or point DATABASE_URL (.env) at a server that runs.')
  }
  for (const c of online) if (c.log) lines.push(`  - Its log says more: ${c.log}`)
  return lines
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [url, error] = process.argv.slice(2)
  let lsclusters = process.env.PG_LSCLUSTERS_OUTPUT
  if (lsclusters === undefined) {
    try {
      lsclusters = execFileSync('pg_lsclusters', ['-h'], { encoding: 'utf8' })
    } catch {
      lsclusters = ''
    }
  }
  const socketDirs = process.env.PG_SOCKET_DIRS ? process.env.PG_SOCKET_DIRS.split(':') : undefined
  process.stdout.write(`${(await diagnose({ url, error, lsclusters, socketDirs })).join('\n')}\n`)
}
