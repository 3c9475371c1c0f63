/**
 * Response hardening and CSRF defence, applied by the web server to every request.
 * Kept here (not in the server file) so unit tests can exercise the rules directly.
 */

export type SecurityOptions = { appOrigin: string; secure: boolean; dev?: boolean }

export function contentSecurityPolicy(nonce: string, opts: { dev?: boolean } = {}) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${opts.dev ? ' ws://localhost:* ws://127.0.0.1:*' : ''}`,
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ')
}

export function securityHeaders(nonce: string, opts: SecurityOptions): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(nonce, opts),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(opts.secure ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * CSRF: a state-changing request must come from our own pages. Browsers say where a request
 * comes from in `Sec-Fetch-Site` (and `Origin`); a request that names another site, or names
 * nothing at all, is refused. SameSite=Lax cookies are the second layer.
 */
export function checkCsrf(
  method: string,
  headers: { origin?: string | null; secFetchSite?: string | null },
  appOrigin: string,
): { ok: true } | { ok: false; reason: string } {
  if (SAFE_METHODS.has(method.toUpperCase())) return { ok: true }
  const site = headers.secFetchSite
  if (site && site !== 'same-origin') return { ok: false, reason: `cross-site request (Sec-Fetch-Site: ${site})` }
  const origin = headers.origin
  if (origin && origin !== appOrigin) return { ok: false, reason: `unexpected Origin ${origin}` }
  if (!site && !origin) return { ok: false, reason: 'request does not say where it comes from (no Origin)' }
  return { ok: true }
}
