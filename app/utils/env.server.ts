import { z } from 'zod'

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
