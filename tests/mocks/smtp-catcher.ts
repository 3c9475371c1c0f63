/**
 * An in-process SMTP server that keeps every message it receives: the outside world's mail
 * server for tests, e2e and the demo. No TLS, no authentication, loopback only.
 *
 *   const catcher = await startSmtpCatcher()
 *   process.env.SMTP_URL = catcher.url
 *   const mail = await catcher.waitFor((m) => m.to === 'ana@example.test')
 *
 * Standalone (the demo): `tsx tests/mocks/smtp-catcher.ts [port]` prints its URL and logs
 * each message's recipient and subject.
 */
import { EventEmitter } from 'node:events'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { SMTPServer, type SMTPServerSession } from 'smtp-server'

export type CaughtMessage = {
  /** Envelope recipients, lower-cased, comma-separated (one recipient: just the address). */
  to: string
  recipients: string[]
  from: string
  subject: string
  text: string
  html: string
  /** The Message-ID header, angle brackets included. */
  messageId: string
  headers: Record<string, string>
  raw: string
  receivedAt: Date
}

export type SmtpCatcher = {
  url: string
  port: number
  messages: CaughtMessage[]
  /** Resolves with the first message (already caught or still to come) that matches. */
  waitFor(predicate?: (m: CaughtMessage) => boolean, timeoutMs?: number): Promise<CaughtMessage>
  /** The next `count` messages are refused with a temporary failure (451), as a sick server would. */
  failNext(count?: number, message?: string): void
  /** Accepting each message takes this long from now on (to test shutdown mid-send). */
  setDelay(ms: number): void
  clear(): void
  stop(): Promise<void>
}

export async function startSmtpCatcher(options: { port?: number; host?: string; onMessage?: (m: CaughtMessage) => void } = {}): Promise<SmtpCatcher> {
  const host = options.host ?? '127.0.0.1'
  const messages: CaughtMessage[] = []
  const events = new EventEmitter()
  events.setMaxListeners(0)
  let failures: { count: number; message: string } = { count: 0, message: '' }
  let delayMs = 0

  const server = new SMTPServer({
    // Plain SMTP on loopback: no TLS; any credentials (or none) are accepted.
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anyone' })
    },
    banner: 'Liaison SMTP catcher',
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('error', (e) => callback(e))
      stream.on('end', () => {
        const finish = () => {
          if (failures.count > 0) {
            failures.count--
            const err = Object.assign(new Error(failures.message), { responseCode: 451 })
            callback(err)
            return
          }
          const raw = Buffer.concat(chunks).toString('utf8')
          const message = toMessage(raw, session)
          messages.push(message)
          options.onMessage?.(message)
          events.emit('message', message)
          callback(null, `Queued as ${messages.length}`)
        }
        if (delayMs > 0) setTimeout(finish, delayMs)
        else finish()
      })
    },
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  // A client that hangs up mid-conversation must not crash the process hosting the catcher.
  server.on('error', () => {})
  const port = (server.server.address() as AddressInfo).port

  return {
    url: `smtp://${host}:${port}`,
    port,
    messages,
    waitFor(predicate = () => true, timeoutMs = 10_000) {
      const found = messages.find(predicate)
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const onMessage = (m: CaughtMessage) => {
          if (!predicate(m)) return
          clearTimeout(timer)
          events.off('message', onMessage)
          resolve(m)
        }
        const timer = setTimeout(() => {
          events.off('message', onMessage)
          reject(new Error(`No matching email within ${timeoutMs} ms (${messages.length} caught: ${messages.map((m) => `${m.to} "${m.subject}"`).join('; ') || 'none'})`))
        }, timeoutMs)
        events.on('message', onMessage)
      })
    },
    failNext(count = 1, message = 'Temporary failure (SMTP catcher told to fail)') {
      failures = { count, message }
    },
    setDelay(ms) {
      delayMs = ms
    },
    clear() {
      messages.length = 0
    },
    stop() {
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

// ─── A tiny MIME reader: enough for what nodemailer writes (multipart, QP, base64, UTF-8). ───

type Part = { headers: Record<string, string>; body: string }

function splitHeaders(raw: string): Part {
  const normalised = raw.replace(/\r\n/g, '\n')
  const end = normalised.indexOf('\n\n')
  const head = end === -1 ? normalised : normalised.slice(0, end)
  const body = end === -1 ? '' : normalised.slice(end + 2)
  const headers: Record<string, string> = {}
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const i = line.indexOf(':')
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
  }
  return { headers, body }
}

function param(header: string | undefined, name: string) {
  const m = header?.match(new RegExp(`${name}="?([^";]+)"?`, 'i'))
  return m?.[1]
}

function decodeQuotedPrintable(input: string) {
  const bytes: number[] = []
  const s = input.replace(/=\n/g, '')
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (c === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16))
      i += 2
    } else {
      bytes.push(...Buffer.from(c, 'utf8'))
    }
  }
  return Buffer.from(bytes)
}

function decodeBody(part: Part) {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase()
  const buf =
    encoding === 'base64'
      ? Buffer.from(part.body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(part.body)
        : Buffer.from(part.body, 'utf8')
  return buf.toString('utf8')
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= / =?UTF-8?B?...?=) in headers such as Subject. */
export function decodeHeader(value: string) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_m, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')).toString('utf8'),
    )
}

function walk(part: Part, out: { text: string; html: string }) {
  const type = (part.headers['content-type'] ?? 'text/plain').toLowerCase()
  if (type.startsWith('multipart/')) {
    const boundary = param(part.headers['content-type'], 'boundary')
    if (!boundary) return
    const sections = part.body.split(`--${boundary}`)
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break
      walk(splitHeaders(section.replace(/^\n/, '')), out)
    }
    return
  }
  if (type.startsWith('text/html') && !out.html) out.html = decodeBody(part).replace(/\n$/, '')
  else if (type.startsWith('text/plain') && !out.text) out.text = decodeBody(part).replace(/\n$/, '')
}

function toMessage(raw: string, session: SMTPServerSession): CaughtMessage {
  const root = splitHeaders(raw)
  const content = { text: '', html: '' }
  walk(root, content)
  const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase())
  const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
  return {
    to: recipients.join(', '),
    recipients,
    from,
    subject: decodeHeader(root.headers.subject ?? ''),
    text: content.text,
    html: content.html,
    messageId: root.headers['message-id'] ?? '',
    headers: root.headers,
    raw,
    receivedAt: new Date(),
  }
}

// ─── Standalone ──────────────────────────────────────────────────────────────
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.argv[2] ?? process.env.SMTP_CATCHER_PORT ?? 0)
  const catcher = await startSmtpCatcher({
    port,
    onMessage: (m) => console.log(`${m.receivedAt.toISOString()}  ${m.to}  ${m.subject}`),
  })
  console.log(`SMTP catcher listening: ${catcher.url}`)
  const stop = () => void catcher.stop().then(() => process.exit(0))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
