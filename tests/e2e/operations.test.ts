/**
 * What the web server wraps around every page: the job dashboard for platform operators only,
 * /healthz, security headers, and the CSRF check.
 */
import { describe, expect, test } from 'vitest'
import { addMember, createOrgWithOwner, createTestUser, uniqueSuffix } from '#tests/factories.ts'
import { app, goto, signIn, useBrowser } from './fixtures.ts'

const e2e = useBrowser()

describe('operations', () => {
  test('the job dashboard opens for a platform operator and is a 404 for an organisation owner', async () => {
    const operator = await createTestUser({ name: 'Ops Person', email: `ops.${uniqueSuffix()}@liaison.example`, isOperator: true })
    const { owner } = await createOrgWithOwner()
    const page = await e2e.newPage()
    await signIn(page, operator.email, operator.password)
    // Fetched rather than rendered: bull-board's UI asks for Google Fonts, which our CSP blocks
    // (no third-party requests from a hospital's browser), and the browser logs that as an error.
    const board = await page.context().request.get('/admin/jobs')
    expect(board.status()).toBe(200)
    expect(await board.text()).toContain('Liaison jobs')
    const queues = await page.context().request.get('/admin/jobs/api/queues')
    expect(queues.status()).toBe(200)
    expect(((await queues.json()) as { queues: { name: string }[] }).queues.map((q) => q.name)).toEqual(expect.arrayContaining(['email', 'maintenance']))

    const other = await e2e.newPage()
    await signIn(other, owner.email, owner.password)
    expect((await other.goto('/admin/jobs'))?.status()).toBe(404)
    expect((await other.context().request.get('/admin/jobs/api/queues')).status()).toBe(404)
  })

  test('healthz, security headers, no-store, and a cross-site POST refused', async () => {
    const health = await fetch(`${app.baseURL}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ ok: true, postgres: { ok: true }, redis: { ok: true } })

    const { org, owner } = await createOrgWithOwner()
    const member = await createTestUser()
    await addMember(org, member, 'analyst')
    const page = await e2e.newPage()
    await signIn(page, owner.email, owner.password)
    const res = await goto(page, `/o/${org.slug}`)
    const headers = res.headers()
    expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'/)
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(headers['x-content-type-options']).toBe('nosniff')
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
    expect(headers['cache-control']).toBe('no-store')
    expect(headers['x-request-id']).toMatch(/^[\w-]{8,}$/)

    // A form on another site posting to Liaison with the user's cookie is refused.
    const forged = await page.context().request.post(`/o/${org.slug}/settings`, {
      headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      form: { name: 'Hijacked', timeZone: 'UTC' },
      maxRedirects: 0,
    })
    expect(forged.status()).toBe(403)
    await goto(page, `/o/${org.slug}/settings`)
    await expect(page.getByLabel('Name').inputValue()).resolves.not.toBe('Hijacked')
  })
})
