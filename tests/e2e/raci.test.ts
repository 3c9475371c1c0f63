/**
 * The RACI matrix: a project manager opens the demo lab project's RACI, sees its one deliberate
 * problem (two A's on UAT) on the row and in the summary, and fixes it with the keyboard alone
 * (arrow keys to the cell, "C"); the summary drops to no problems. Without JavaScript the row's
 * plain form sets a letter. A staff member sees "My responsibilities" on Home.
 */
import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor, uniqueSuffix, type TestUser } from '#tests/factories.ts'
import { seedInventory } from '../../prisma/seed-inventory.ts'
import { seedProjects } from '../../prisma/seed-projects.ts'
import { LAB_PROJECT, seedRaci, type RaciPeople } from '../../prisma/seed-raci.ts'
import { DESKTOP, docScreenshot, expectAccessible, goto, signIn, useBrowser, visible } from './fixtures.ts'

const e2e = useBrowser()

async function demo() {
  const suffix = uniqueSuffix()
  const { org, owner, scope } = await createOrgWithOwner({ orgName: `Riverside Health ${suffix}` })
  const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
  await seedInventory(scope, { business: ownerMembership.id })
  const cast = {
    manager: ['Maria Delgado', 'manager', 'it'],
    analyst: ['Arjun Patel', 'analyst', 'it'],
    engineer: ['Tom Walsh', 'analyst', 'it'],
    clinicalLead: ['Dr. Grace Chen', 'clinical_lead', 'clinical'],
    labLead: ['Priya Nair', 'clinical_lead', 'clinical'],
    compliance: ['Cora Lindqvist', 'compliance', 'compliance'],
    executive: ['Edward Hughes', 'executive', 'executive'],
    staff: ['Sam Rivera', 'staff', 'clinical'],
  } as const
  const users = {} as Record<keyof RaciPeople, TestUser>
  for (const [k, [name, role, fn]] of Object.entries(cast)) {
    const user = await createTestUser({ name, email: `${k.toLowerCase()}.${suffix}@riverside.example` })
    await addMember(org, user, role, fn)
    users[k as keyof RaciPeople] = user
  }
  const manager = await scopeFor(org, users.manager)
  await seedProjects(manager)
  await seedRaci(manager, Object.fromEntries(Object.entries(users).map(([k, u]) => [k, u.email])) as RaciPeople)
  const lab = await prisma.project.findFirstOrThrow({ where: { organizationId: org.id, name: LAB_PROJECT } })
  return { org, users, raciPath: `/o/${org.slug}/projects/${lab.id}/raci`, labId: lab.id }
}

const summary = (page: import('playwright-core').Page) => page.getByTestId('raci-summary')

describe('RACI', () => {
  test('a manager finds the deliberate problem and fixes it with the keyboard; no JavaScript sets a cell too; staff see their responsibilities', async () => {
    const d = await demo()
    const page = await e2e.newPage()
    await page.setViewportSize({ width: 1440, height: 900 })
    await signIn(page, d.users.manager.email, d.users.manager.password)
    await goto(page, d.raciPath)
    await visible(page.getByRole('heading', { name: 'RACI', level: 1 }))
    await expect(summary(page).textContent()).resolves.toBe('1 problem in 1 activity')
    const uatRow = page.locator('tr', { has: page.getByRole('rowheader', { name: /User acceptance testing \(UAT\)/ }) })
    await visible(uatRow.getByText(/2 people are accountable \(.*Dr\. Grace Chen.*\): keep exactly one A\./))
    await expectAccessible(page)
    // The page as the manager finds it: the summary names the problem and links to its row.
    await page.setViewportSize({ width: 1440, height: 1700 })
    await docScreenshot(page, 'project-raci')
    await page.setViewportSize({ width: 1440, height: 900 })

    // The keyboard: into the grid, arrows to UAT × Dr. Grace Chen, then "C".
    const target = page.locator('td[aria-label^="User acceptance testing (UAT), Dr. Grace Chen:"]')
    const [row, col] = (await target.getAttribute('data-cell'))!.split(':').map(Number)
    await page.locator('td[data-cell="0:0"]').focus()
    for (let i = 0; i < row!; i++) await page.keyboard.press('ArrowDown')
    for (let i = 0; i < col!; i++) await page.keyboard.press('ArrowRight')
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toMatch(/^User acceptance testing \(UAT\), Dr\. Grace Chen: Accountable/)
    await page.keyboard.press('c')
    await expect.poll(() => summary(page).textContent(), { timeout: 15_000 }).toMatch(/^No problems/)
    await expect(target.getAttribute('aria-label')).resolves.toMatch(/Dr\. Grace Chen: Consulted$/)
    // Focus stayed on the cell; Delete clears it (and the clinical member is still involved through the lab lead).
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toMatch(/Dr\. Grace Chen: Consulted/)
    const cell = await prisma.raciAssignment.findFirstOrThrow({ where: { projectId: d.labId, membership: { userId: d.users.clinicalLead.id }, activity: { step: { standardKey: 'uat' } } } })
    expect(cell.letter).toBe('C')
    await expectAccessible(page)

    // Without JavaScript: the row's form.
    const plain = await e2e.newPage({ javaScriptEnabled: false })
    await plain.goto('/login')
    await plain.getByLabel('Email').fill(d.users.manager.email)
    await plain.getByLabel('Password').fill(d.users.manager.password)
    await plain.getByRole('button', { name: 'Sign in' }).click()
    await plain.waitForURL((url) => url.pathname !== '/login')
    await plain.goto(d.raciPath)
    await plain.getByRole('link', { name: 'Edit Plan for upgrades' }).click()
    await plain.waitForURL(/edit=/)
    await plain.getByRole('form', { name: 'Letters for Plan for upgrades' }).getByLabel('Sam Rivera').selectOption('I')
    await plain.getByRole('button', { name: 'Save letters' }).click()
    await plain.waitForURL((url) => !url.search.includes('edit='))
    await visible(plain.locator('td[aria-label="Plan for upgrades, Sam Rivera: Informed"]'))

    // The staff member's Home.
    const staff = await e2e.newPage()
    await signIn(staff, d.users.staff.email, d.users.staff.password)
    await goto(staff, `/o/${d.org.slug}`)
    const mine = staff.getByRole('region', { name: /My responsibilities/ })
    await visible(mine)
    await visible(mine.getByRole('listitem').filter({ hasText: 'User acceptance testing (UAT)' }).filter({ hasText: LAB_PROJECT }))
    await visible(mine.getByText(/Overdue:/))
    await expectAccessible(staff)
    void DESKTOP
  })
})
