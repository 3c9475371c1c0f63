/**
 * What the sign-in and reset pages answer, as a client sees it (status, words, headers): an
 * email with an account and one without must not be told apart, and a client address that
 * fails too often is paused whatever emails it tries. The model tests (app/models/
 * user.server.test.ts) cover the counting; this covers the answers.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, test, vi } from 'vitest'
import { action as forgotAction } from '#app/routes/_auth+/forgot-password.tsx'
import { action as loginAction } from '#app/routes/_auth+/login.tsx'
import { settleBackground } from '#app/utils/background.server.ts'
import { runWithRequestContext } from '#app/utils/request-context.server.ts'
import { createTestUser, uniqueSuffix } from '#tests/factories.ts'

function testIp() {
  const [a, b, c] = randomBytes(3)
  return `10.${a}.${b}.${c}`
}

/** Posts a form to a route's action as the web server would, from client address `ip`. */
async function post(action: typeof loginAction | typeof forgotAction, path: string, fields: Record<string, string>, ip: string) {
  const request = new Request(new URL(path, process.env.APP_URL), { method: 'POST', body: new URLSearchParams(fields) })
  const response = (await runWithRequestContext({ requestId: randomBytes(8).toString('hex'), ip, memo: new Map() }, () =>
    action({ request, params: {}, context: {} }),
  )) as Response
  const body = (await response.json()) as { result?: { error?: Record<string, string[]> }; sent?: boolean }
  return { status: response.status, retryAfter: response.headers.get('retry-after'), errors: body.result?.error?.[''] ?? [], sent: body.sent }
}

const login = (email: string, password: string, ip: string) => post(loginAction, '/login', { email, password }, ip)

describe('sign-in answers', () => {
  test('a known and an unknown email get the same status and words, through the lockout', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date())
    const user = await createTestUser()
    const unknown = `nobody-${uniqueSuffix()}@example.test`
    const answers = async (email: string) => {
      const out = []
      // Each email from its own address, so the per-address count stays out of this test.
      const ip = testIp()
      for (let i = 0; i < 6; i++) out.push(await login(email, 'not the password at all', ip))
      return out
    }
    const known = await answers(user.email)
    expect(await answers(unknown)).toEqual(known)
    expect(known[0]).toEqual({ status: 401, retryAfter: null, errors: ['Email or password is incorrect.'], sent: undefined })
    // Before: the real account answered 429 here, the unknown one 401 for ever.
    expect(known[4]).toMatchObject({ status: 429, retryAfter: '60' })
    expect(known[4]!.errors[0]).toMatch(/^Too many failed attempts for this email address: signing in with it is paused for 1 minute\(s\)/)
    await settleBackground()
  })

  test('the 11th failure from one address is refused, across different emails and even with a right password', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date())
    const ip = testIp()
    const user = await createTestUser()
    const statuses = []
    for (let i = 0; i < 10; i++) statuses.push((await login(`spray-${i}-${uniqueSuffix()}@example.test`, 'Summer2026!', ip)).status)
    expect(statuses).toEqual([...Array(9).fill(401), 429])
    const eleventh = await login(user.email, user.password, ip)
    expect(eleventh).toMatchObject({ status: 429, retryAfter: String(15 * 60) })
    expect(eleventh.errors).toEqual(['Too many failed sign-ins from your network: try again in 15 minute(s).'])
    // From elsewhere the same account signs in (a redirect with the session cookie).
    const request = new Request(new URL('/login', process.env.APP_URL), {
      method: 'POST',
      body: new URLSearchParams({ email: user.email, password: user.password }),
    })
    const ok = (await runWithRequestContext({ requestId: 'elsewhere-1', ip: testIp(), memo: new Map() }, () =>
      loginAction({ request, params: {}, context: {} }),
    )) as Response
    expect(ok.status).toBe(302)
    await settleBackground()
  })
})

describe('forgotten-password answers', () => {
  test('the same answer for a known and an unknown address, and the 4th request in an hour is refused for both', async () => {
    const user = await createTestUser()
    const unknown = `ghost-${uniqueSuffix()}@example.test`
    const answers = async (email: string) => {
      const ip = testIp()
      const out = []
      for (let i = 0; i < 4; i++) out.push(await post(forgotAction, '/forgot-password', { email }, ip))
      return out
    }
    const known = await answers(user.email)
    expect(await answers(unknown)).toEqual(known)
    expect(known.slice(0, 3)).toEqual(Array(3).fill({ status: 200, retryAfter: null, errors: [], sent: true }))
    expect(known[3]).toMatchObject({ status: 429, retryAfter: '3600', sent: false })
    expect(known[3]!.errors[0]).toMatch(/^This address has been sent 3 reset links in the last hour/)
    await settleBackground()
  })
})
