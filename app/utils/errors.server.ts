/**
 * Business rules throw a `DomainError` with one of a few codes, mapped to an HTTP status in
 * one table (`ERROR_STATUS`). A route shows the message on its form with `replyWithError` /
 * `errorReply` (forms.server.ts) or lets it propagate, and the one error path
 * (`toHttpError` in route-guard.server.ts, around every loader and action) answers with it.
 * "Not found or not yours" is not an error: models return null and routes call `notFound()`.
 */
export const ERROR_STATUS = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  RULE_VIOLATION: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
} as const
export type ErrorCode = keyof typeof ERROR_STATUS

// NOTE: a brand, not `instanceof`: app/server.ts (run by tsx) and the Remix server bundle each
// load their own copy of this module, and the one error path in server.ts must recognise an
// error thrown by the bundle's copy.
const DOMAIN_ERROR = Symbol.for('liaison.DomainError')

export class DomainError extends Error {
  readonly [DOMAIN_ERROR] = true
  constructor(
    public code: ErrorCode,
    message: string,
    /** The form field the message belongs to, when there is one. */
    public field?: string,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[DOMAIN_ERROR] === true
}

export function notFound(message = 'Not found'): never {
  throw new Response(message, { status: 404, statusText: 'Not Found' })
}

export function forbidden(message = 'You do not have permission to do this.'): never {
  throw new Response(message, { status: 403, statusText: 'Forbidden' })
}

export function statusOf(e: DomainError) {
  return ERROR_STATUS[e.code]
}
