import { isIP } from 'node:net'
import { z } from 'zod'

/**
 * Which proxies may tell us the client's address (X-Forwarded-For), as Express's `trust proxy`
 * takes it. Unset, empty or `false`: none — `req.ip` is the socket's peer, and a client can't
 * choose the address that the sign-in throttle and the audit trail see. A number: that many
 * proxies in front of Liaison (the client is the address that many hops back). A list of
 * addresses, CIDR ranges or Express's names (`loopback`, `linklocal`, `uniquelocal`): trust the
 * header when the peer is one of them.
 * `true` is refused: it takes the left-most X-Forwarded-For entry, which any client can forge.
 */
export type TrustProxy = false | number | string[]

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

export function parseTrustProxy(raw: string | undefined): { ok: true; value: TrustProxy } | { ok: false; message: string } {
  const text = (raw ?? '').trim()
  if (!text || text === 'false' || text === '0') return { ok: true, value: false }
  if (text === 'true') {
    return {
      ok: false,
      message:
        'TRUST_PROXY=true would believe any X-Forwarded-For a client sends (it could pick the address the sign-in throttle counts). ' +
        'Give the number of proxies in front of Liaison (e.g. TRUST_PROXY=1 behind one load balancer) or their addresses (e.g. TRUST_PROXY=10.0.0.5,loopback).',
    }
  }
  if (/^\d+$/.test(text)) return { ok: true, value: Number(text) }
  const entries = text.split(',').map((e) => e.trim()).filter(Boolean)
  const bad = entries.filter((e) => {
    if (PROXY_NAMES.has(e)) return false
    const [addr, prefix, ...rest] = e.split('/')
    const family = isIP(addr ?? '')
    if (!family || rest.length) return true
    return prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128))
  })
  if (bad.length) {
    return {
      ok: false,
      message: `TRUST_PROXY: ${bad.map((b) => `"${b}"`).join(', ')} is not a hop count, an IP address, a CIDR range or one of loopback, linklocal, uniquelocal.`,
    }
  }
  return { ok: true, value: entries }
}

/**
 * The one description of the environment. Both the web server and the worker call
 * `getEnv()` at start; a missing or malformed variable stops the process with a message
 * naming it. Only `PublicEnv` reaches the browser.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url('must be a postgresql:// URL'),
  REDIS_URL: z.string().url('must be a redis:// URL'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -hex 32)'),
  /** The public origin users reach, e.g. https://liaison.example-hospital.org. Used for links
   * in emails, the CSRF origin check, and whether cookies are Secure/__Host-. */
  APP_URL: z.string().url(),
  PORT: z.coerce.number().int().positive().default(3000),
  /** smtp://user:pass@host:port (or smtps://). Without it, emails stay in the outbox view. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Liaison <no-reply@liaison.local>'),
  /** Prefix for BullMQ keys: lets tests and several deployments share one Redis. */
  QUEUE_PREFIX: z.string().default('liaison'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Proxies whose X-Forwarded-For is believed: see parseTrustProxy. Default: none. */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const parsed = parseTrustProxy(raw)
      if (parsed.ok) return parsed.value
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.message })
      return z.NEVER
    }),
  /** Failed sign-ins one client address may make in 15 minutes, across all emails, before it
   * must wait for the rest of the window. Raise it when many people share one address (a ward
   * behind NAT without TRUST_PROXY). */
  SIGN_IN_FAILURES_PER_IP: z.coerce.number().int().positive().default(10),
  /** Password-reset requests one client address may make in an hour. */
  PASSWORD_RESETS_PER_IP: z.coerce.number().int().positive().default(10),
})

export type Env = z.infer<typeof EnvSchema>

let cached: Env | undefined

export function getEnv(): Env {
  if (cached) return cached
  const parsed = EnvSchema.safeParse(process.env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`)
    throw new Error(
      `Liaison cannot start: the environment is incomplete.\n${lines.join('\n')}\n` +
        `Copy .env.example to .env and fill it in (npm run demo does this for you).`,
    )
  }
  cached = parsed.data
  return cached
}

/** Resets the cache; tests that change process.env call it. */
export function resetEnvCache() {
  cached = undefined
}

export function isSecureOrigin() {
  return getEnv().APP_URL.startsWith('https:')
}

/** The subset the browser may see. */
export function getPublicEnv() {
  return { NODE_ENV: getEnv().NODE_ENV }
}
export type PublicEnv = ReturnType<typeof getPublicEnv>
