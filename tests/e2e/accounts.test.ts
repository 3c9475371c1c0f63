/**
 * One person, their password and their organisations: resetting a forgotten password through
 * the emailed link, and switching between two organisations they belong to.
 */
import { describe, expect, test } from 'vitest'
import { addMember, createTestOrg, createTestUser, uniqueSuffix } from '#tests/factories.ts'
import { expectAccessible, expectNavFor, goto, linkIn, signIn, useBrowser, visible, waitForEmail, waitForHydration } from './fixtures.ts'

const e2e = useBrowser()

describe('accounts', () => {
  test('a forgotten password is reset through the emailed link, and the new one signs in', async () => {
    const user = await createTestUser({ name: 'Priya Raman', email: `priya.${uniqueSuffix()}@lakeside.example` })
    const org = await createTestOrg({ name: 'Lakeside Clinic' })
    await addMember(org, user, 'manager')
    const newPassword = 'a brand new passphrase here'

    const page = await e2e.newPage()
    await goto(page, '/login')
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.waitForURL('**/forgot-password')
    await waitForHydration(page)
    await expectAccessible(page)
    await page.getByLabel('Email').fill(user.email)
    await page.getByRole('button', { name: 'Send me a reset link' }).click()
    await visible(page.getByRole('status').filter({ hasText: 'If an account uses this address' }))
    await expectAccessible(page)

    const mail = await waitForEmail({ to: user.email, subject: /password/i })
    const link = linkIn(mail, /^\/reset-password\?token=[A-Za-z0-9_-]+$/)

    await goto(page, link)
    await visible(page.getByRole('heading', { name: 'Choose a new password' }))
    await expectAccessible(page)
    await page.getByLabel('New password', { exact: true }).fill(newPassword)
    await page.getByLabel('Repeat the new password').fill(newPassword)
    await page.getByRole('button', { name: 'Save the new password' }).click()
    await page.waitForURL('**/login')
    await visible(page.getByRole('status').filter({ hasText: 'Password changed' }))

    // The old password no longer works; the new one does.
    await page.getByLabel('Email').fill(user.email)
    await page.getByLabel('Password').fill(user.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await visible(page.getByRole('alert').filter({ hasText: 'Email or password is incorrect.' }))

    await signIn(page, user.email, newPassword)
    expect(new URL(page.url()).pathname).toBe(`/o/${org.slug}`)
    await visible(page.getByText('You are signed in as Project manager.'))

    // The link worked once.
    await goto(page, link)
    await visible(page.getByRole('heading', { name: 'This link can’t be used' }))
    await expectAccessible(page)
  })

  test('a member of two organisations switches between them', async () => {
    const suffix = uniqueSuffix()
    const user = await createTestUser({ name: 'Tomás Silva', email: `tomas.${suffix}@example.test` })
    const north = await createTestOrg({ name: `Northgate Clinic ${suffix}` })
    const harbour = await createTestOrg({ name: `Harbour Hospital ${suffix}` })
    await addMember(north, user, 'owner')
    await addMember(harbour, user, 'analyst')

    const page = await e2e.newPage()
    await signIn(page, user.email, user.password)
    // A browser-session cookie: closing the browser of a shared workstation ends the session
    // (before: kept for 400 days). Playwright reports such a cookie with expires -1.
    const sessionCookie = (await page.context().cookies()).find((c) => /liaison_session$/.test(c.name))
    expect(sessionCookie).toMatchObject({ expires: -1, httpOnly: true, sameSite: 'Lax' })
    // Two organisations: the app asks which one.
    expect(new URL(page.url()).pathname).toBe('/orgs')
    await visible(page.getByRole('heading', { name: 'Your organisations' }))
    await expectAccessible(page)
    await page.getByRole('link', { name: new RegExp(`Northgate Clinic ${suffix}`) }).click()
    await page.waitForURL(`**/o/${north.slug}`)
    await visible(page.getByText('You are signed in as Owner.'))
    await expectNavFor(page, { present: ['Audit trail', 'Settings'] })

    // The switcher lists both, with the role in each.
    const switcher = page.locator('summary').filter({ hasText: `Northgate Clinic ${suffix}` })
    await switcher.click()
    const menu = page.locator('details[open]')
    await visible(menu.getByRole('link', { name: `Harbour Hospital ${suffix} · Integration analyst` }))
    expect(await menu.getByRole('link', { name: `Northgate Clinic ${suffix} · Owner` }).getAttribute('aria-current')).toBe('true')
    await expectAccessible(page, 'the organisation switcher, open')

    await menu.getByRole('link', { name: new RegExp(`Harbour Hospital ${suffix}`) }).click()
    await page.waitForURL(`**/o/${harbour.slug}`)
    await visible(page.getByRole('heading', { level: 1, name: `Harbour Hospital ${suffix}` }))
    await visible(page.getByText('You are signed in as Integration analyst.'))
    // An analyst here: no audit trail, no settings.
    await expectNavFor(page, { present: ['People'], absent: ['Audit trail', 'Email outbox', 'Settings'] })
    await goto(page, `/o/${harbour.slug}/audit`, 403)
    // …while the other organisation still answers as before.
    await goto(page, `/o/${north.slug}/audit`)
    await visible(page.getByRole('heading', { name: 'Audit trail' }))
  })
})
