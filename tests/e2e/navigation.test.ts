/**
 * The organisation's navigation as an owner and a staff member meet it, at 1280 px (a side
 * column of groups) and 390 px (a "Menu" bar naming the current place): each sees only what
 * they may open, the current place is marked (aria-current) and always visible, the phone menu
 * opens by keyboard and without JavaScript, and a skip link leads past it.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { addMember, createTestOrg, createTestUser, uniqueSuffix } from '#tests/factories.ts'
import { DESKTOP, docScreenshot, expectAccessible, expectNavFor, goto, PHONE, pathOf, signIn, useBrowser, visible } from './fixtures.ts'

const e2e = useBrowser()

const OWNER_LINKS = ['Home', 'Inbox', 'Projects', 'Training', 'Estate picture', 'Systems', 'Interfaces', 'Data mapping', 'Training adoption', 'People', 'Audit trail', 'Email outbox', 'Settings']
const STAFF_LINKS = ['Home', 'Inbox', 'Projects', 'Training', 'Estate picture', 'Systems', 'Interfaces']
const ADMIN_LINKS = ['Data mapping', 'Training adoption', 'People', 'Audit trail', 'Email outbox', 'Settings', 'Job queues']

type Person = { email: string; password: string }
let base = ''
let owner: Person
let staff: Person

beforeAll(async () => {
  const org = await createTestOrg({ name: 'Riverside Health' })
  base = `/o/${org.slug}`
  const u = uniqueSuffix()
  const o = await createTestUser({ name: 'Maya Patel', email: `maya-${u}@riverside.example` })
  const s = await createTestUser({ name: 'Sam Okafor', email: `sam-${u}@riverside.example` })
  const ownerMembership = await addMember(org, o, 'owner', 'executive')
  await addMember(org, s, 'staff')
  // Two unread notices: the inbox link carries its count.
  for (const n of [1, 2]) {
    await prisma.notification.create({
      data: { organizationId: org.id, membershipId: ownerMembership.id, kind: 'test', title: `Notice ${n}`, dedupeKey: `nav-test-${u}-${n}` },
    })
  }
  owner = o
  staff = s
})

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })
const menuButton = (page: Page) => page.locator('summary').filter({ hasText: 'Menu' })

/** The accessible names of the navigation's links, in order, as assistive technology gets them. */
async function linkNames(page: Page) {
  const tree = await nav(page).ariaSnapshot()
  return [...tree.matchAll(/- link "([^"]*)"/g)].map((m) => m[1])
}

async function currentLinks(page: Page) {
  return nav(page).locator('[aria-current="page"]').allTextContents()
}

describe('an owner', () => {
  test('at 1280 px: every group in a side column, the current place marked, a skip link', async () => {
    const page = await e2e.newPage({ viewport: DESKTOP })
    await signIn(page, owner.email, owner.password)
    await goto(page, base)
    await expect(linkNames(page)).resolves.toEqual(OWNER_LINKS.map((l) => (l === 'Inbox' ? 'Inbox 2 unread' : l)))
    // The unread count is seen, and is part of the link's name.
    await visible(nav(page).getByRole('link', { name: 'Inbox 2 unread' }))
    await expect(nav(page).getByRole('link', { name: 'Inbox 2 unread' }).getByText('2', { exact: true }).isVisible()).resolves.toBe(true)
    for (const group of ['Work', 'Estate', 'Mapping', 'Outcomes', 'Administration']) {
      await visible(nav(page).getByRole('list', { name: group }))
    }
    // Side by side: the navigation left of the page, both in view.
    const navBox = (await nav(page).boundingBox())!
    const mainBox = (await page.getByRole('main').boundingBox())!
    expect(navBox.x + navBox.width).toBeLessThanOrEqual(mainBox.x + 1)
    await expect(menuButton(page).isVisible()).resolves.toBe(false)
    await expect(currentLinks(page)).resolves.toEqual(['Home'])
    await expectNavFor(page, { present: OWNER_LINKS.filter((l) => l !== 'Inbox') })
    await expectAccessible(page)
    await docScreenshot(page, 'nav-owner')

    // A nested place: the longest match is current, its parent is not.
    await goto(page, `${base}/training/adoption`)
    await expect(currentLinks(page)).resolves.toEqual(['Training adoption'])
    await goto(page, `${base}/systems/new`)
    await expect(currentLinks(page)).resolves.toEqual(['Systems'])

    // A client-side navigation moves the mark.
    await nav(page).getByRole('link', { name: 'Audit trail' }).click()
    await page.waitForURL(`**${base}/audit`)
    await expect.poll(() => currentLinks(page)).toEqual(['Audit trail'])

    // The first Tab reaches the skip link, which moves focus into the page.
    await goto(page, base)
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Skip to main content' })
    await expect(skip.evaluate((el) => el === document.activeElement)).resolves.toBe(true)
    // Hidden above the top edge until focused; then in view.
    await expect(skip.boundingBox().then((b) => b!.y)).resolves.toBeGreaterThanOrEqual(0)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main')
  })

  test('at 390 px: a Menu bar that names the current place, opened by keyboard, closed on navigation', async () => {
    const page = await e2e.newPage({ viewport: PHONE })
    await signIn(page, owner.email, owner.password)
    await goto(page, `${base}/interfaces`)
    // Collapsed: no link of the navigation shows, the bar says where you are and that mail waits.
    await expect(nav(page).isVisible()).resolves.toBe(false)
    const button = menuButton(page)
    await visible(button)
    await expect(button.innerText()).resolves.toMatch(/Menu[\s\S]*Estate ›\s*Interfaces[\s\S]*Inbox\s*2/)
    await expect(button.evaluate((el) => el.parentElement!.hasAttribute('open'))).resolves.toBe(false)
    await expectAccessible(page, 'interfaces on a phone, menu closed')
    await docScreenshot(page, 'nav-owner-phone')

    // By keyboard: focus the button, Enter opens it.
    await button.focus()
    await page.keyboard.press('Enter')
    await visible(nav(page))
    await expect(linkNames(page)).resolves.toEqual(OWNER_LINKS.map((l) => (l === 'Inbox' ? 'Inbox 2 unread' : l)))
    await expect(currentLinks(page)).resolves.toEqual(['Interfaces'])
    await visible(page.getByRole('button', { name: 'Sign out' }))
    await expectAccessible(page, 'interfaces on a phone, menu open')
    await docScreenshot(page, 'nav-owner-phone-menu')
    // Escape closes it and gives focus back to the button.
    await page.keyboard.press('Escape')
    await expect(nav(page).isVisible()).resolves.toBe(false)
    await expect(button.evaluate((el) => el === document.activeElement)).resolves.toBe(true)

    // A link in the menu: the page changes, the menu closes, the bar names the new place.
    await button.click()
    await nav(page).getByRole('link', { name: 'People' }).click()
    await page.waitForURL(`**${base}/members`)
    await expect.poll(() => nav(page).isVisible()).toBe(false)
    await expect(button.innerText()).resolves.toMatch(/Administration ›\s*People/)
  })
})

describe('a staff member', () => {
  test('at 1280 px and 390 px sees only Work and Estate', async () => {
    const page = await e2e.newPage({ viewport: DESKTOP })
    await signIn(page, staff.email, staff.password)
    await goto(page, `${base}/systems`)
    await expect(linkNames(page)).resolves.toEqual(STAFF_LINKS)
    await expectNavFor(page, { present: STAFF_LINKS, absent: ADMIN_LINKS })
    for (const group of ['Mapping', 'Outcomes', 'Administration']) {
      await expect(nav(page).getByRole('list', { name: group }).count()).resolves.toBe(0)
    }
    await expect(currentLinks(page)).resolves.toEqual(['Systems'])
    await expectAccessible(page)
    await docScreenshot(page, 'nav-staff')

    await page.setViewportSize(PHONE)
    await goto(page, `${base}/training`)
    await expect(menuButton(page).innerText()).resolves.toMatch(/Work ›\s*Training/)
    await menuButton(page).click()
    await expect(linkNames(page)).resolves.toEqual(STAFF_LINKS)
    await expectAccessible(page, 'training on a phone, menu open')
    await docScreenshot(page, 'nav-staff-phone-menu')
  })

  test('without JavaScript, at 390 px, the menu opens and its links work', async () => {
    const signedIn = await e2e.newPage({ viewport: PHONE })
    await signIn(signedIn, staff.email, staff.password)
    const page = await e2e.newPage({ viewport: PHONE, javaScriptEnabled: false, storageState: await signedIn.context().storageState() })
    const response = await page.goto(`${base}/training`)
    expect(response?.status()).toBe(200)
    await expect(page.evaluate(() => document.documentElement.dataset.hydrated)).resolves.toBeUndefined()
    await expect(nav(page).isVisible()).resolves.toBe(false)
    await menuButton(page).click()
    await visible(nav(page))
    await nav(page).getByRole('link', { name: 'Interfaces' }).click()
    await page.waitForURL(`**${base}/interfaces`)
    expect(pathOf(page)).toBe(`${base}/interfaces`)
    // A new document: the menu is closed again and the bar names the new place.
    await expect(nav(page).isVisible()).resolves.toBe(false)
    await expect(menuButton(page).innerText()).resolves.toMatch(/Estate ›\s*Interfaces/)
    // (The navigation is hidden, so found by its element, not its role.)
    await expect(page.locator('nav [aria-current="page"]').textContent()).resolves.toBe('Interfaces')
  })
})
