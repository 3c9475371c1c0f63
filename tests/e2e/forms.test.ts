/**
 * Forms keep what the user typed and say what is wrong, next to the field; a failed sign-in
 * says nothing about which half was wrong. Both with JavaScript (conform validates in the
 * browser) and without (the server answers with the same errors and the input kept).
 */
import { describe, expect, test } from 'vitest'
import { createTestUser, uniqueSuffix } from '#tests/factories.ts'
import { docScreenshot, expectAccessible, goto, useBrowser, visible } from './fixtures.ts'

const e2e = useBrowser()

describe('forms', () => {
  for (const javaScriptEnabled of [true, false]) {
    test(`signup with a short password shows the field error and keeps name and email (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, async () => {
      const page = await e2e.newPage({ javaScriptEnabled })
      const email = `ines.${uniqueSuffix()}@northgate.example`
      if (javaScriptEnabled) await goto(page, '/signup')
      else expect((await page.goto('/signup'))?.status()).toBe(200)

      await page.getByLabel('Your name').fill('Inès Moreau')
      await page.getByLabel('Work email').fill(email)
      await page.getByLabel('Organisation').fill('Northgate Clinic')
      await page.getByLabel('Password', { exact: true }).fill('too short')
      await page.getByLabel('Repeat the password').fill('too short')
      await page.getByRole('button', { name: 'Create organisation' }).click()

      const password = page.getByLabel('Password', { exact: true })
      await visible(page.getByText('Use at least 12 characters'))
      expect(await password.getAttribute('aria-invalid')).toBe('true')
      // The error is tied to its field for screen readers.
      const describedBy = (await password.getAttribute('aria-describedby')) ?? ''
      const errorId = await page.getByText('Use at least 12 characters').locator('xpath=ancestor-or-self::ul[1]').getAttribute('id')
      expect(describedBy.split(' ')).toContain(errorId)
      expect(new URL(page.url()).pathname).toBe('/signup')
      expect(await page.getByLabel('Your name').inputValue()).toBe('Inès Moreau')
      expect(await page.getByLabel('Work email').inputValue()).toBe(email)
      expect(await page.getByLabel('Organisation').inputValue()).toBe('Northgate Clinic')
      if (javaScriptEnabled) await expectAccessible(page)
    })
  }

  test('signup with an email that already has an account says so on the email field, input kept', async () => {
    const existing = await createTestUser()
    const page = await e2e.newPage()
    await goto(page, '/signup')
    await page.getByLabel('Your name').fill('Second Try')
    await page.getByLabel('Work email').fill(existing.email)
    await page.getByLabel('Organisation').fill('Lakeside Clinic')
    await page.getByLabel('Password', { exact: true }).fill('a perfectly long password')
    await page.getByLabel('Repeat the password').fill('a perfectly long password')
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/signup'),
      page.getByRole('button', { name: 'Create organisation' }).click(),
    ])

    expect(response.status()).toBe(409)
    // The reply echoes the input, but never the password.
    expect(await response.text()).not.toContain('a perfectly long password')
    await visible(page.getByText('An account with this email already exists'))
    expect(await page.getByLabel('Work email').getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByLabel('Your name').inputValue()).toBe('Second Try')
    expect(await page.getByLabel('Organisation').inputValue()).toBe('Lakeside Clinic')
    await expectAccessible(page)
  })

  test('login with a wrong password shows the generic error and keeps the email', async () => {
    const user = await createTestUser()
    const page = await e2e.newPage()
    await goto(page, '/login')
    await expectAccessible(page)
    await docScreenshot(page, 'login')

    await page.getByLabel('Email').fill(user.email)
    await page.getByLabel('Password').fill('not the password at all')
    const [first] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ])

    expect(first.status()).toBe(401)
    expect(await first.text()).not.toContain('not the password at all')
    const alert = page.getByRole('alert').filter({ hasText: 'Email or password is incorrect.' })
    await visible(alert)
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(await page.getByLabel('Email').inputValue()).toBe(user.email)
    await expectAccessible(page)

    // The same words for an address without an account: nothing to learn from the message.
    await page.getByLabel('Email').fill(`nobody.${uniqueSuffix()}@example.test`)
    await page.getByLabel('Password').fill('not the password at all')
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ])
    expect(response.status()).toBe(401)
    await visible(alert)
  })
})
