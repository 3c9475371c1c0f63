/**
 * ██  THE ONE ERROR PATH  ██
 * Every loader and every action of the app runs inside `guardDataFunction`: app/server.ts
 * wraps the whole Remix build with `guardBuild`, and tests/route-manifest.ts wraps the route
 * modules the tests call with `guardRouteModule`, so a test of a route exercises what
 * production runs. What it does, in this order:
 *
 * 1. Refuses input no route can mean before the route sees it: a NUL byte in the URL (400);
 *    an action body that is neither form encoding (415) nor parseable (400); a NUL byte in a
 *    form field (400). Postgres refuses NUL in text, so without this each became a 500.
 * 2. Maps what a route lets escape to an HTTP answer from one table: a `DomainError` becomes a
 *    Response with `ERROR_STATUS[code]` and its message (the error boundary shows it); the
 *    database or the queue being unreachable becomes 503 with the request id as the
 *    reference. Anything else is a real bug and stays a 500 (logged by entry.server.tsx).
 *
 * Routes still catch a DomainError themselves when they want the message on a form field
 * (`replyWithError`, `errorReply` in forms.server.ts); this is the net beneath them.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, ServerBuild } from '@remix-run/node'
import { ERROR_STATUS, isDomainError } from './errors.server.ts'
import { logger } from './logger.server.ts'

type DataFunctionArgs = LoaderFunctionArgs | ActionFunctionArgs
type DataFunction = (args: DataFunctionArgs) => unknown
type AnyModule = { loader?: unknown; action?: unknown; [key: string]: unknown }

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data']
const BODYLESS = new Set(['GET', 'HEAD'])

function plain(status: number, message: string, headers: Record<string, string> = {}) {
  return new Response(message, {
    status,
    statusText: STATUS_TEXT[status] ?? '',
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers },
  })
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
}

/** A NUL byte, raw or percent-encoded, anywhere in the path or query string. */
function urlHasNul(url: string) {
  return url.includes('\u0000') || /%00/i.test(url)
}

/**
 * The body's media type, when the action may read it as a form. A POST without a body (a
 * bare button in a form with no fields still sends form encoding; `fetch` with no body sends
 * none) is allowed through: the route's own validation answers it.
 */
function checkBody(request: Request, extraTypes: readonly string[]): Response | null {
  if (BODYLESS.has(request.method)) return null
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!type) {
    const length = request.headers.get('content-length')
    if (length === null || length === '0') return null
    return plain(415, 'Send the form as application/x-www-form-urlencoded or multipart/form-data.')
  }
  if (extraTypes.includes(type)) return null
  if (!FORM_TYPES.includes(type)) {
    return plain(415, `Unsupported content type ${type.slice(0, 80)}: send the form as application/x-www-form-urlencoded or multipart/form-data.`)
  }
  return null
}

/**
 * Makes `request.formData()` answer a broken body with 400 instead of a TypeError, and refuse
 * NUL bytes in text fields. Uploaded files are left to the import pipeline, which reports
 * them by line and column.
 */
function guardFormData(request: Request) {
  const original = request.formData.bind(request)
  let parsed: Promise<FormData> | undefined
  const formData = () =>
    (parsed ??= original().then(
      (form) => refuseNulFields(form),
      () => {
        throw unreadableForm()
      },
    ))
  Object.defineProperty(request, 'formData', { value: formData, configurable: true })
}

/** The 400 for a body that is not valid form data (also thrown by the upload reader). */
export function unreadableForm() {
  return plain(400, 'The form could not be read: the request body is not valid form data.')
}

/**
 * The form itself, or a thrown 400 when a text field (or a field name) holds a NUL byte. The
 * upload reader (import-upload.server.ts), which parses multipart bodies itself, calls it too.
 */
export function refuseNulFields(form: FormData): FormData {
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string' && (value.includes('\u0000') || name.includes('\u0000'))) {
      throw plain(400, `The field “${name.replaceAll('\u0000', '').slice(0, 60)}” contains a NUL byte, which no field accepts.`)
    }
  }
  return form
}

const UNREACHABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'DatabaseDoesNotExist',
  'DatabaseAccessDenied',
  'AuthenticationFailed',
  'TooManyConnections',
  'SocketTimeout',
  'ConnectionClosed',
])
// Prisma's codes for "can't reach / timed out / closed / pool timeout".
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1003', 'P1008', 'P1017', 'P2024'])
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', '57P01', '57P03'])

/** Which service an error says is unreachable, or null when it is some other error. */
export function unavailableService(e: unknown): 'database' | null {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const err = cur as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } }; cause?: unknown; kind?: unknown; name?: unknown }
    const kind = err.meta?.driverAdapterError?.cause?.kind ?? (err.name === 'DriverAdapterError' ? (err.cause as { kind?: unknown } | undefined)?.kind : undefined)
    if (typeof kind === 'string' && UNREACHABLE_KINDS.has(kind)) return 'database'
    if (typeof err.code === 'string' && (UNREACHABLE_CODES.has(err.code) || NETWORK_CODES.has(err.code))) return 'database'
    if (err.name === 'PrismaClientInitializationError') return 'database'
    cur = err.cause
  }
  return null
}

function requestIdOf(request: Request) {
  return request.headers.get('x-request-id') ?? 'unknown'
}

/** What a data function let escape, as the answer the user gets (or the error itself). */
export function toHttpError(e: unknown, request: Request): unknown {
  if (e instanceof Response) return e
  if (isDomainError(e)) {
    const status = ERROR_STATUS[e.code]
    if (status === 503) return unavailable(request, 'A service Liaison needs', e)
    return plain(status, e.message)
  }
  if (unavailableService(e)) return unavailable(request, 'The database', e)
  return e
}

function unavailable(request: Request, what: string, cause: unknown) {
  const reference = requestIdOf(request)
  logger.error({ requestId: reference, url: request.url, err: cause }, `${what} is unavailable`)
  return plain(503, `${what} is not answering. Try again in a minute. Reference: ${reference}`, { 'Retry-After': '30' })
}

/**
 * `bodyTypes`: media types an action reads itself besides form encoding (a route exports
 * `export const bodyTypes = ['application/json']`); its own parsing must answer bad bodies.
 */
export function guardDataFunction<F extends DataFunction>(fn: F, kind: 'loader' | 'action', bodyTypes: readonly string[] = []): F {
  const guarded = async (args: DataFunctionArgs) => {
    const { request } = args
    if (urlHasNul(request.url)) throw plain(400, 'The address contains a NUL byte.')
    if (kind === 'action') {
      const refused = checkBody(request, bodyTypes)
      if (refused) throw refused
      guardFormData(request)
    }
    try {
      return await fn(args)
    } catch (e) {
      throw toHttpError(e, request)
    }
  }
  return guarded as F
}

const GUARDED = Symbol.for('liaison.guarded')

/** The module with its loader and action guarded; every other export as it was. */
export function guardRouteModule<M extends AnyModule>(module: M): M {
  if ((module as Record<symbol, unknown>)[GUARDED]) return module
  const out: AnyModule = { ...module, [GUARDED]: true }
  if (typeof module.loader === 'function') out.loader = guardDataFunction(module.loader as DataFunction, 'loader')
  const bodyTypes = Array.isArray(module.bodyTypes) ? (module.bodyTypes as string[]) : []
  if (typeof module.action === 'function') out.action = guardDataFunction(module.action as DataFunction, 'action', bodyTypes)
  return out as M
}

export function guardBuild(build: ServerBuild): ServerBuild {
  const routes: ServerBuild['routes'] = {}
  for (const [id, route] of Object.entries(build.routes)) {
    routes[id] = { ...route, module: guardRouteModule(route.module as unknown as AnyModule) as unknown as typeof route.module }
  }
  return { ...build, routes }
}
