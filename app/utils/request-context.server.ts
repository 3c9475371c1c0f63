import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'

/**
 * Per-request facts that every layer may need (audit rows want the request id and IP) and a
 * memo, so the session is validated once per request although Remix runs several loaders.
 * server.ts opens the store around each request; code called outside a request (tests,
 * jobs) gets a fresh, empty context.
 */
export type RequestContext = {
  requestId: string
  ip: string | null
  /** CSP nonce for this response's inline scripts. */
  cspNonce?: string
  memo: Map<string, unknown>
}

// NOTE: on globalThis because the web server (run by tsx) and the Remix server bundle each
// load their own copy of this module; both must see the same store.
const g = globalThis as unknown as { __liaisonRequestStorage?: AsyncLocalStorage<RequestContext> }
const storage = (g.__liaisonRequestStorage ??= new AsyncLocalStorage<RequestContext>())

export function runWithRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn)
}

export function getRequestContext(request?: Request): RequestContext {
  const current = storage.getStore()
  if (current) return current
  return {
    requestId: request?.headers.get('x-request-id') ?? randomUUID(),
    ip: null,
    memo: new Map(),
  }
}

/** Runs `fn` once per request for `key`; later callers in the same request share the result. */
export function memoPerRequest<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const ctx = storage.getStore()
  if (!ctx) return fn()
  if (!ctx.memo.has(key)) ctx.memo.set(key, fn())
  return ctx.memo.get(key) as Promise<T>
}
