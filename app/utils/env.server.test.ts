import { afterEach, describe, expect, test, vi } from 'vitest'
import { getEnv, parseTrustProxy, resetEnvCache } from './env.server.ts'

afterEach(() => {
  vi.unstubAllEnvs()
  resetEnvCache()
})

describe('TRUST_PROXY', () => {
  test('unset, empty, false or 0: no proxy is believed', () => {
    for (const raw of [undefined, '', 'false', '0', '  ']) expect(parseTrustProxy(raw)).toEqual({ ok: true, value: false })
  })

  test('a hop count, or a list of addresses, ranges and Express names', () => {
    expect(parseTrustProxy('1')).toEqual({ ok: true, value: 1 })
    expect(parseTrustProxy('10.0.0.5, loopback ,fd00::/8,192.168.0.0/16')).toEqual({
      ok: true,
      value: ['10.0.0.5', 'loopback', 'fd00::/8', '192.168.0.0/16'],
    })
  })

  test('refuses `true` and what is not an address, naming what to write instead', () => {
    const yes = parseTrustProxy('true')
    expect(yes.ok).toBe(false)
    if (!yes.ok) expect(yes.message).toMatch(/TRUST_PROXY=1.*TRUST_PROXY=10\.0\.0\.5/)
    expect(parseTrustProxy('lb.internal, 10.0.0.0/33')).toEqual({
      ok: false,
      message: expect.stringContaining('"lb.internal", "10.0.0.0/33"'),
    })
  })

  test('the process refuses to start with TRUST_PROXY=true, and says why', () => {
    vi.stubEnv('TRUST_PROXY', 'true')
    resetEnvCache()
    expect(() => getEnv()).toThrow(/TRUST_PROXY: TRUST_PROXY=true would believe any X-Forwarded-For/)
    vi.stubEnv('TRUST_PROXY', '2')
    resetEnvCache()
    expect(getEnv().TRUST_PROXY).toBe(2)
  })
})

describe('throttle limits', () => {
  test('default to 10 failed sign-ins and 10 reset requests per client address', () => {
    resetEnvCache()
    expect(getEnv()).toMatchObject({ SIGN_IN_FAILURES_PER_IP: 10, PASSWORD_RESETS_PER_IP: 10 })
    vi.stubEnv('SIGN_IN_FAILURES_PER_IP', 'lots')
    resetEnvCache()
    expect(() => getEnv()).toThrow(/SIGN_IN_FAILURES_PER_IP/)
  })
})
