import { describe, expect, test } from 'vitest'
import { checkCsrf, securityHeaders } from './security.server.ts'

const origin = 'https://liaison.example.org'

describe('CSRF check', () => {
  test('safe methods pass whatever their origin', () => {
    expect(checkCsrf('GET', { origin: 'https://evil.example', secFetchSite: 'cross-site' }, origin).ok).toBe(true)
  })
  test('a same-origin form post passes', () => {
    expect(checkCsrf('POST', { origin, secFetchSite: 'same-origin' }, origin).ok).toBe(true)
    expect(checkCsrf('POST', { origin, secFetchSite: null }, origin).ok).toBe(true)
  })
  test('a cross-site or same-site-but-other-origin post is refused', () => {
    expect(checkCsrf('POST', { origin: 'https://evil.example', secFetchSite: 'cross-site' }, origin)).toMatchObject({ ok: false })
    expect(checkCsrf('POST', { origin: 'https://other.example.org', secFetchSite: 'same-site' }, origin)).toMatchObject({ ok: false })
    expect(checkCsrf('DELETE', { origin: 'https://evil.example', secFetchSite: null }, origin)).toMatchObject({ ok: false })
    expect(checkCsrf('POST', { origin: 'null', secFetchSite: null }, origin)).toMatchObject({ ok: false })
  })
  test('a post that says nothing about where it comes from is refused', () => {
    expect(checkCsrf('POST', {}, origin)).toMatchObject({ ok: false, reason: expect.stringContaining('Origin') })
  })
})

describe('security headers', () => {
  test('CSP carries the nonce and forbids framing; HSTS only over https', () => {
    const h = securityHeaders('abc123', { appOrigin: origin, secure: true })
    expect(h['Content-Security-Policy']).toContain("script-src 'self' 'nonce-abc123'")
    expect(h['Content-Security-Policy']).toContain("frame-ancestors 'none'")
    expect(h['X-Content-Type-Options']).toBe('nosniff')
    expect(h['Referrer-Policy']).toBe('strict-origin-when-cross-origin')
    expect(h['Strict-Transport-Security']).toMatch(/max-age=\d+/)
    expect(securityHeaders('n', { appOrigin: 'http://127.0.0.1:3000', secure: false })['Strict-Transport-Security']).toBeUndefined()
  })
})
