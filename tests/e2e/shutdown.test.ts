/**
 * SIGTERM (a deploy, a scale-down) must not cut the requests in flight: the built web server
 * stops accepting at once, lets a request that is still arriving finish and answer, then closes
 * its pools and exits 0. Its own server process, not the shared one of the run.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { connect, createServer, type AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const log = join(root, '.tmp', 'e2e', 'shutdown-web.log')
let child: ChildProcess | undefined

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function startWeb() {
  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`
  const fd = openSync(log, 'w')
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', DOTENV_CONFIG_PATH: '/dev/null', PORT: String(port), APP_URL: baseURL }
  const web = spawn(process.execPath, ['--enable-source-maps', 'build/server.js'], { cwd: root, env, stdio: ['ignore', fd, fd] })
  child = web
  closeSync(fd)
  const deadline = Date.now() + 60_000
  for (;;) {
    if (web.exitCode !== null) throw new Error(`the web server stopped at start:\n${readFileSync(log, 'utf8')}`)
    const ok = await fetch(`${baseURL}/healthz`).then((r) => r.ok, () => false)
    if (ok) return { port, baseURL, web }
    if (Date.now() > deadline) throw new Error(`the web server did not answer /healthz:\n${readFileSync(log, 'utf8')}`)
    await sleep(200)
  }
}

const logLines = () =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg: string })

describe('graceful shutdown', () => {
  test('after SIGTERM a request in flight completes, new connections are refused, then the process exits 0', async () => {
    const { port, baseURL, web } = await startWeb()
    const exited = new Promise<number | null>((resolve) => web.once('exit', (code) => resolve(code)))

    // A slow client: the form's body arrives in two parts, seconds apart. An empty password
    // answers 400 (the form's own error) and counts no failed sign-in.
    const body = `email=${encodeURIComponent('slow.client@example.test')}&password=`
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/login',
      headers: { origin: baseURL, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
    })
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res: IncomingMessage) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', reject)
    })
    req.write(body.slice(0, 10))
    await sleep(500)

    web.kill('SIGTERM')
    // Wait until the server has begun its stop.
    for (let i = 0; i < 50 && !logLines().some((l) => l.msg.startsWith('shutting down web')); i++) await sleep(100)

    // A new TCP connection (fetch would reuse the keep-alive one of the /healthz polls).
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy()
        resolve('connected')
      })
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message))
    })
    expect(refused).toBe('ECONNREFUSED')
    expect(web.exitCode).toBeNull()

    await sleep(1_500)
    req.end(body.slice(10))
    const answer = await answered
    // Before: the process exited at once and this request was cut (ECONNRESET).
    expect(answer.status).toBe(400)
    expect(answer.text).toContain('Enter your password')

    expect(await exited).toBe(0)
    const messages = logLines().map((l) => l.msg)
    expect(messages).toContain('web stopped')
    expect(messages.indexOf('web stopped')).toBeGreaterThan(messages.lastIndexOf('request'))
  })
})
