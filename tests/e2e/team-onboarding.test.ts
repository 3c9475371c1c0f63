/**
 * The story of the issue, as two people live it in two browsers: Maya signs up and creates
 * her organisation, invites Sam as Staff, Sam gets the email (real SMTP, through the worker)
 * and joins; Sam's role keeps him out of what Staff may not see; Maya changes his role, then
 * deactivates him and his open session ends; the audit trail shows all of it, verifies and
 * exports. Each step is a test; a step needs the ones before it.
 */
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import {
  docScreenshot,
  DESKTOP,
  expectAccessible,
  goto,
  linkIn,
  expectNavFor,
  pathOf,
  PHONE,
  useBrowser,
  visible,
  waitForEmail,
  waitForHydration,
} from './fixtures.ts'

const e2e = useBrowser()

const OWNER = { name: 'Maya Patel', email: 'maya.patel@riverside.example', password: 'river otter tea kettle' }
const INVITEE = { name: 'Sam Okafor', email: 'sam.okafor@riverside.example', password: 'blue heron morning walk' }
const ORG_NAME = 'Riverside Health'
const RESTRICTED_FOR_STAFF = ['People', 'Audit trail', 'Email outbox', 'Settings']

// Filled in as the story goes.
const story: { owner?: Page; invitee?: Page; slug?: string } = {}

function need<K extends keyof typeof story>(key: K): NonNullable<(typeof story)[K]> {
  const value = story[key]
  if (!value) throw new Error(`an earlier step of the story failed (no ${key})`)
  return value as NonNullable<(typeof story)[K]>
}

describe.sequential('a new organisation invites its team', () => {
  test('an owner signs up and creates the organisation', async () => {
    const page = await e2e.newPage({ keep: true })
    story.owner = page
    await goto(page, '/')
    await expectAccessible(page)
    await docScreenshot(page, 'landing')
    await page.getByRole('link', { name: 'Create an organisation' }).click()
    await page.waitForURL('**/signup')
    await waitForHydration(page)
    await expectAccessible(page)

    await page.getByLabel('Your name').fill(OWNER.name)
    await page.getByLabel('Work email').fill(OWNER.email)
    await page.getByLabel('Organisation').fill(ORG_NAME)
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password)
    await page.getByLabel('Repeat the password').fill(OWNER.password)
    await page.getByRole('button', { name: 'Create organisation' }).click()

    await page.waitForURL(/\/o\/[a-z0-9-]+$/)
    story.slug = new URL(page.url()).pathname.split('/')[2]
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(ORG_NAME)
    await visible(page.getByText('You are signed in as Owner'))
    await visible(page.getByText('You are the only one here so far'))
    await expectNavFor(page, { present: ['Home', 'People', 'Audit trail', 'Email outbox', 'Settings'] })
    await expectAccessible(page)
  })

  test('the owner invites someone as Staff, and the invitation email arrives', async () => {
    const page = need('owner')
    const slug = need('slug')
    await page.getByRole('link', { name: 'Invite your project team' }).click()
    await page.waitForURL(`**/o/${slug}/members/invite`)
    await visible(page.getByRole('heading', { name: 'Invite someone' }))
    await expectAccessible(page)
    await docScreenshot(page, 'invite')

    await page.getByLabel('Email').fill(INVITEE.email)
    await page.getByLabel('Role').selectOption({ label: 'Staff' })
    await page.getByLabel('Function').selectOption({ label: 'Operations' })
    await page.getByLabel('Department or unit (optional)').fill('Emergency Department')
    await page.getByRole('button', { name: 'Send invitation' }).click()

    await page.waitForURL(`**/o/${slug}/members`)
    await visible(page.getByRole('status').filter({ hasText: `Invitation sent to ${INVITEE.email}` }))
    const pending = page.getByRole('region', { name: 'Pending invitations' })
    await visible(pending.getByText(INVITEE.email, { exact: true }))
    await visible(pending.getByText('as Staff'))
    await expectAccessible(page)

    const mail = await waitForEmail({ to: INVITEE.email })
    expect(mail.subject).toContain(ORG_NAME)
    expect(mail.text).toContain(OWNER.name)
    linkIn(mail, /^\/invitations\/[A-Za-z0-9_-]{20,}$/)
  })

  test('the invitee opens the link in another browser, creates an account and lands in the organisation', async () => {
    const slug = need('slug')
    const mail = await waitForEmail({ to: INVITEE.email })
    const link = linkIn(mail, /^\/invitations\//)

    const page = await e2e.newPage({ keep: true })
    story.invitee = page
    await goto(page, link)
    await visible(page.getByRole('heading', { name: `Join ${ORG_NAME}` }))
    await visible(page.getByText(`Invitation for ${INVITEE.email} as Staff.`))
    await expectAccessible(page)

    await page.getByLabel('Your name').fill(INVITEE.name)
    await page.getByLabel('Choose a password').fill(INVITEE.password)
    await page.getByLabel('Repeat the password').fill(INVITEE.password)
    await page.getByRole('button', { name: 'Create my account and join' }).click()

    await page.waitForURL(`**/o/${slug}`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(ORG_NAME)
    await visible(page.getByText(`Welcome, ${INVITEE.name}. You are signed in as Staff.`))
    // Staff: no link to what they may not open, and every link they see opens.
    await expectNavFor(page, { present: ['Home'], absent: RESTRICTED_FOR_STAFF })
    await expectAccessible(page)

    // The link is spent: opening it again says so.
    await goto(page, link)
    await visible(page.getByRole('alert').filter({ hasText: 'already used' }))
  })

  test('a role-restricted page answers 403 "Not allowed" to the invitee', async () => {
    const page = need('invitee')
    const slug = need('slug')
    for (const path of [`/o/${slug}/audit`, `/o/${slug}/members/invite`, `/o/${slug}/members`]) {
      await goto(page, path, 403)
      await visible(page.getByRole('heading', { name: 'Not allowed' }))
      await visible(page.getByText('Your role in this organisation cannot open this page'))
      // The organisation's frame (and its navigation, still without forbidden links) stays.
      await expectNavFor(page, { absent: RESTRICTED_FOR_STAFF })
    }
    await goto(page, `/o/${slug}/audit`, 403)
    await expectAccessible(page)
    await docScreenshot(page, 'forbidden')
    await page.getByRole('link', { name: 'Back to the organisation' }).click()
    await page.waitForURL(`**/o/${slug}`)
  })

  test('the owner sees the new member, changes their role, and the change reaches their session', async () => {
    const owner = need('owner')
    const invitee = need('invitee')
    const slug = need('slug')

    await goto(owner, `/o/${slug}`)
    await visible(owner.getByText('Active members').locator('..').getByText('2', { exact: true }))
    await expectAccessible(owner)
    await docScreenshot(owner, 'home')
    await owner.setViewportSize(PHONE)
    await expectAccessible(owner, 'the home page on a phone')
    await docScreenshot(owner, 'home-phone')
    await owner.setViewportSize(DESKTOP)

    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click()
    await owner.waitForURL(`**/o/${slug}/members`)
    const row = owner.getByRole('row').filter({ hasText: INVITEE.email })
    await visible(row.getByRole('cell', { name: 'Staff', exact: true }))
    await visible(row.getByText('Operations · Emergency Department'))
    await expectAccessible(owner)
    await docScreenshot(owner, 'people')

    await row.getByRole('link', { name: `Manage ${INVITEE.name}` }).click()
    await owner.waitForURL(new RegExp(`/o/${slug}/members/[^/]+$`))
    await visible(owner.getByRole('heading', { level: 1, name: INVITEE.name }))
    await expectAccessible(owner)
    await docScreenshot(owner, 'member')

    await owner.getByLabel('Role').selectOption({ label: 'Integration analyst' })
    await owner.getByRole('button', { name: 'Save changes' }).click()
    await visible(owner.getByRole('status').filter({ hasText: 'Changes saved' }))
    await expect.poll(() => owner.getByLabel('Role').inputValue()).toBe('analyst')

    // The invitee's next page shows the new role, and the People link that comes with it.
    await goto(invitee, `/o/${slug}`)
    await visible(invitee.getByText('You are signed in as Integration analyst.'))
    await expectNavFor(invitee, { present: ['People'], absent: ['Audit trail', 'Email outbox', 'Settings'] })
    await goto(invitee, `/o/${slug}/members`)
  })

  test('the owner deactivates the member, whose open session is signed out at the next navigation', async () => {
    const owner = need('owner')
    const invitee = need('invitee')
    const slug = need('slug')

    await owner.getByRole('button', { name: 'Deactivate' }).click()
    await visible(owner.getByRole('status').filter({ hasText: 'Member deactivated' }))
    await visible(owner.getByRole('button', { name: 'Reactivate' }))
    await expectAccessible(owner)

    // Sam's browser still shows the People page; his next click lands on the sign-in page.
    await invitee.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click()
    await invitee.waitForURL('**/login?redirectTo=*')
    await visible(invitee.getByRole('heading', { name: 'Sign in' }))
    // Signing in again does not get him back in: the organisation is no longer his.
    await invitee.getByLabel('Email').fill(INVITEE.email)
    await invitee.getByLabel('Password').fill(INVITEE.password)
    await invitee.getByRole('button', { name: 'Sign in' }).click()
    await invitee.waitForURL(`**/o/${slug}`)
    await visible(invitee.getByRole('heading', { name: 'Not found' }))
    await goto(invitee, `/o/${slug}`, 404)
    await expectAccessible(invitee)
  })

  test('the audit trail shows the story, filters, verifies its chain and exports CSV', async () => {
    const owner = need('owner')
    const slug = need('slug')

    await goto(owner, `/o/${slug}`)
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit trail' }).click()
    await owner.waitForURL(`**/o/${slug}/audit`)
    await visible(owner.getByRole('heading', { name: 'Audit trail' }))
    await expectAccessible(owner)
    await docScreenshot(owner, 'audit')

    // Members: the invitation, the role change and the deactivation.
    await owner.getByLabel('Kind').selectOption({ label: 'Members' })
    await owner.getByRole('button', { name: 'Filter' }).click()
    await owner.waitForURL(/action=member\./)
    const table = owner.getByRole('table', { name: 'Audit events, newest first' })
    for (const action of ['member.invited', 'member.role_changed', 'member.deactivated']) {
      await visible(table.getByText(action, { exact: true }).first())
    }
    await expect(table.getByText('auth.login', { exact: true }).count()).resolves.toBe(0)

    // The invitee's refused visits, with the page he tried.
    await owner.getByLabel('Kind').selectOption({ label: 'Permission denied' })
    await owner.getByRole('button', { name: 'Filter' }).click()
    await owner.waitForURL(/action=security\./)
    const denied = table.getByRole('row').filter({ hasText: INVITEE.email })
    await visible(denied.filter({ hasText: `GET /o/${slug}/audit` }).first())
    await expectAccessible(owner)

    // Who: the invitee's own events, including accepting the invitation.
    await owner.getByLabel('Kind').selectOption({ label: 'All events' })
    await owner.getByLabel('Who').fill(INVITEE.email)
    await owner.getByRole('button', { name: 'Filter' }).click()
    await owner.waitForURL(/actor=/)
    await visible(table.getByText('invitation.accepted', { exact: true }))

    await owner.getByRole('link', { name: 'Clear' }).click()
    await owner.waitForURL((url) => url.pathname.endsWith('/audit') && !url.search)
    await owner.getByRole('button', { name: 'Verify the chain' }).click()
    const verdict = owner.getByRole('status').filter({ hasText: 'The chain is intact' })
    await verdict.waitFor()
    expect(await verdict.innerText()).toMatch(/The chain is intact: \d+ events checked, none changed, none missing\./)
    await expectAccessible(owner)

    const [download] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('link', { name: 'Export CSV' }).click()])
    expect(download.suggestedFilename()).toMatch(new RegExp(`^audit-${slug}-\\d{4}-\\d{2}-\\d{2}\\.csv$`))
    const path = await download.path()
    const { readFile } = await import('node:fs/promises')
    const csv = await readFile(path, 'utf8')
    const [header, ...rows] = csv.trimEnd().split(/\r?\n/)
    expect(header!.split(',')).toEqual(expect.arrayContaining(['seq', 'hash', 'prevHash', 'action']))
    expect(rows.some((r) => r.includes('member.deactivated'))).toBe(true)
    expect(rows.some((r) => r.includes('audit.verified'))).toBe(true)
  })

  test('the outbox lists the invitation as sent', async () => {
    const owner = need('owner')
    const slug = need('slug')
    await goto(owner, `/o/${slug}/outbox`)
    const row = owner.getByRole('row').filter({ hasText: INVITEE.email })
    await visible(row.getByText('sent', { exact: true }))
    // SMTP is configured (the catcher): no "held" banner.
    await expect(owner.getByText('No SMTP server is configured').count()).resolves.toBe(0)
    await expectAccessible(owner)
    await docScreenshot(owner, 'outbox')

    // The email as its recipient saw it, in the sandboxed preview.
    await row.getByRole('link').click()
    await owner.waitForURL(new RegExp(`/o/${slug}/outbox/[^/]+$`))
    await visible(owner.getByRole('heading', { level: 1, name: new RegExp(ORG_NAME) }))
    await visible(owner.frameLocator('iframe').getByText('Accept the invitation'))
    await expectAccessible(owner)

    // The email's own HTML (the preview frame's document), checked with axe too: the frame's
    // CSP forbids scripts, so this context ignores CSP.
    const preview = await e2e.newPage({ bypassCSP: true, storageState: await owner.context().storageState() })
    const response = await preview.goto(`${pathOf(owner)}/html`)
    expect(response?.status()).toBe(200)
    await visible(preview.getByText('Accept the invitation'))
    await expectAccessible(preview, 'the invitation email')
  })
})
