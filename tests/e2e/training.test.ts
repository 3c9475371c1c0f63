/**
 * Training on a phone: a nurse signs in, finds her training first, ticks the checklist (one
 * item waits for a super-user's verification at the elbow), completes the module once it is
 * verified; the project manager sees it on the adoption page.
 */
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { addChecklistItem, addRule, createModule } from '#app/models/training/training.server.ts'
import { addMember, createTestOrg, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { DESKTOP, docScreenshot, expectAccessible, goto, PHONE, signIn, useBrowser, visible, waitForHydration } from './fixtures.ts'

const e2e = useBrowser()

/** Nothing wider than the screen: no sideways scrolling on a phone. */
async function expectNoHorizontalScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
  expect(scroll, `page width ${scroll}px on a ${client}px screen`).toBeLessThanOrEqual(client)
}

describe('training', () => {
  test('a nurse completes her checklist on a phone, a super-user verifies the at-the-elbow session, the manager sees it', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Riverbend Hospital ${suffix}`, timeZone: 'Europe/London' })
    const manager = await createTestUser({ name: 'Maria Delgado', email: `maria.${suffix}@riverbend.example` })
    await addMember(org, manager, 'manager', 'it', 'IT Project Office')
    const nurse = await createTestUser({ name: 'Sam Rivera', email: `sam.${suffix}@riverbend.example` })
    await addMember(org, nurse, 'staff', 'clinical', 'Emergency Department')
    const lead = await createTestUser({ name: 'Dr. Grace Chen', email: `grace.${suffix}@riverbend.example` })
    await addMember(org, lead, 'clinical_lead', 'clinical', 'Intensive Care')

    // The manager's module and its audience (the forms for these are covered by the isolation sweep).
    const managerScope = await scopeFor(org, manager)
    const mod = await createModule(managerScope, {
      title: 'Barcode specimen labelling',
      description: 'Positive patient identification at the bedside.',
      contentUrl: 'https://learn.riverbend.example/barcode',
      sandboxUrl: 'https://sandbox.riverbend.example/',
      estimatedMinutes: 30,
      refresherMonths: 24,
      requiredForGoLive: true,
      systemIds: [],
    })
    await addChecklistItem(managerScope, { moduleId: mod.id, label: 'Print a specimen label from the order' })
    await addChecklistItem(managerScope, { moduleId: mod.id, label: 'Scan the wristband and the label at the bedside' })
    await addChecklistItem(managerScope, { moduleId: mod.id, label: 'At-the-elbow session observed by a super-user', verifierRole: 'clinical_lead' })
    await addRule(managerScope, { moduleId: mod.id, roles: ['staff'], functions: ['clinical'], units: ['Emergency Department'], dueInDays: 7 })
    const base = `/o/${org.slug}`

    // The nurse, on her phone: her training is the first thing she sees.
    const phone = await e2e.newPage({ viewport: PHONE, keep: true })
    await signIn(phone, nurse.email, nurse.password)
    await goto(phone, base)
    await visible(phone.getByRole('heading', { name: /My training: 1 to do/ }))
    await phone.getByRole('link', { name: 'Continue my training' }).click()
    await phone.waitForURL(/\/training\/[a-z0-9]+$/)
    await waitForHydration(phone)
    await visible(phone.getByRole('heading', { level: 1, name: 'Barcode specimen labelling' }))
    await visible(phone.getByText('Due in 7 days'))
    await expectNoHorizontalScroll(phone)
    await expectAccessible(phone, 'an assignment on a phone')

    const item = (label: string) => phone.getByRole('button', { name: new RegExp(label) })
    const complete = phone.getByRole('button', { name: 'Mark this training complete' })
    const progress = (text: string) => visible(phone.getByText(text, { exact: true }))
    await item('Print a specimen label').click()
    await progress('1 of 3 done')
    expect(await item('Print a specimen label').getAttribute('aria-pressed')).toBe('true')
    // A tick taken back by mistake, then ticked again.
    await item('Print a specimen label').click()
    await progress('0 of 3 done')
    await item('Print a specimen label').click()
    await progress('1 of 3 done')
    await item('Scan the wristband').click()
    await progress('2 of 3 done')
    await item('At-the-elbow session').click()
    await progress('2 of 3 done, 1 waiting')
    await visible(phone.getByText('Pending verification by a Clinical lead'))
    expect(await complete.isDisabled()).toBe(true)
    await visible(phone.getByText(/need a colleague to verify them first/))
    // The ticks are the server's, not only the page's.
    await phone.reload()
    await waitForHydration(phone)
    await visible(phone.getByText('2 of 3 done, 1 waiting'))
    await expectNoHorizontalScroll(phone)
    await expectAccessible(phone, 'a checklist waiting for verification, on a phone')
    await docScreenshot(phone, 'training-phone')

    // The super-user verifies it from her queue.
    const leadPage = await e2e.newPage({ viewport: PHONE })
    await signIn(leadPage, lead.email, lead.password)
    await goto(leadPage, `${base}/training`)
    await leadPage.getByRole('link', { name: /1 item to verify/ }).click()
    await leadPage.waitForURL(`**${base}/training/verify`)
    await visible(leadPage.getByText('At-the-elbow session observed by a super-user', { exact: true }))
    await expectAccessible(leadPage, 'the verification queue on a phone')
    await leadPage.getByRole('button', { name: /^Verify/ }).click()
    await visible(leadPage.getByRole('status').filter({ hasText: 'Verified' }))
    await visible(leadPage.getByText('Nothing waits for you'))

    // Back on the nurse's phone: verified, and the module can be completed.
    await phone.reload()
    await waitForHydration(phone)
    await visible(phone.getByText(/Verified by Dr\. Grace Chen/))
    await complete.click()
    await phone.waitForURL(`**${base}/training`)
    await visible(phone.getByRole('status').filter({ hasText: 'Training completed' }))
    await visible(phone.getByText('You are all caught up'))
    const done = phone.getByRole('listitem').filter({ hasText: 'Barcode specimen labelling' })
    await visible(done.getByText(/Valid until/))
    await expectNoHorizontalScroll(phone)
    await expectAccessible(phone, 'my training on a phone')
    await docScreenshot(phone, 'training-my-phone')

    // The project manager sees the completion on the adoption page.
    const desk = await e2e.newPage({ viewport: DESKTOP })
    await signIn(desk, manager.email, manager.password)
    await goto(desk, `${base}/training/adoption`)
    await visible(desk.getByRole('heading', { level: 1, name: 'Training adoption' }))
    const moduleRow = desk.getByRole('table', { name: 'Completion by module' }).getByRole('row').filter({ hasText: 'Barcode specimen labelling' })
    await visible(moduleRow.getByRole('cell', { name: '100 %' }))
    await visible(moduleRow.getByRole('cell', { name: '1 of 1' }))
    await visible(desk.getByText('Nobody is overdue.'))
    // No project chosen: the whole organisation, said so (the filter narrows it to a project's pilot and waves).
    await visible(desk.getByText(/Showing the whole organisation: choose a project/))
    await expectAccessible(desk)
    await docScreenshot(desk, 'training-adoption')
  })

  test('a manager writes a module, its checklist and a rule (the people it targets are assigned at once) and imports HR’s roster', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Lakeview Medical ${suffix}` })
    const manager = await createTestUser({ name: 'Nina Kowalski', email: `nina.${suffix}@lakeview.example` })
    await addMember(org, manager, 'manager', 'operations', 'Revenue Cycle')
    for (const n of ['Ana', 'Ben']) {
      const u = await createTestUser({ name: `${n} Clerk`, email: `${n.toLowerCase()}.${suffix}@lakeview.example` })
      await addMember(org, u, 'staff', 'operations', 'Patient Access')
    }
    const base = `/o/${org.slug}`
    const page = await e2e.newPage()
    await signIn(page, manager.email, manager.password)
    await goto(page, `${base}/training`)
    await page.getByRole('link', { name: 'Modules and rules' }).click()
    await page.waitForURL(`**${base}/training/modules`)
    await visible(page.getByText('No training module yet'))
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Add the first module' }).click()
    await page.waitForURL(`**${base}/training/modules/new`)
    await waitForHydration(page)

    // A bad link is named, and what was typed stays.
    await page.getByLabel('Title').fill('Patient portal messaging')
    await page.getByLabel('Course link').fill('not a link')
    await page.getByRole('button', { name: 'Add module' }).click()
    await visible(page.getByText('Give a web address starting with https://'))
    expect(await page.getByLabel('Title').inputValue()).toBe('Patient portal messaging')
    await page.getByLabel('Course link').fill('https://learn.lakeview.example/portal')
    await page.getByLabel('Refresher every … months').fill('12')
    await page.getByRole('button', { name: 'Add module' }).click()
    await page.waitForURL(/\/training\/modules\/(?!new$)[a-z0-9]+$/)
    await visible(page.getByRole('heading', { level: 1, name: 'Patient portal messaging' }))
    await visible(page.getByText('No rule yet: nobody is assigned this module.'))

    await page.getByLabel('New item').fill('Reply to a patient message using a template')
    await page.getByRole('button', { name: 'Add item' }).click()
    await visible(page.getByRole('listitem').filter({ hasText: 'Reply to a patient message using a template' }))
    await page.getByLabel('New item').fill('Forward a clinical question to the care team pool')
    await page.getByLabel('Verified by').selectOption('clinical_lead')
    await page.getByRole('button', { name: 'Add item' }).click()
    await visible(page.getByText('verified by a Clinical lead'))

    await page.getByRole('group', { name: 'Functions' }).getByLabel('Operations').check()
    await page.getByLabel('Units').fill('patient access')
    await page.getByRole('button', { name: 'Add rule and assign' }).click()
    await visible(page.getByRole('status').filter({ hasText: '2 assigned' }))
    await visible(page.getByText(/Operations · patient access/))
    await expectAccessible(page)
    await page.getByLabel('Estimated minutes').fill('20')
    await page.getByRole('button', { name: 'Save module' }).click()
    await visible(page.getByRole('status').filter({ hasText: 'Module saved' }))
    await expect.poll(() => page.getByLabel('Estimated minutes').inputValue()).toBe('20')

    await goto(page, `${base}/training/modules`)
    const row = page.getByRole('row').filter({ hasText: 'Patient portal messaging' })
    await visible(row.getByRole('cell', { name: '2 items' }))
    await visible(row.getByText('about 20 min'))
    await expect.poll(async () => (await row.getByRole('cell').allInnerTexts()).slice(2, 4)).toEqual(['1', '2'])
    await docScreenshot(page, 'training-modules')

    // HR's roster: a bad row is named by line and column and nothing is written; the corrected
    // file updates a member (who gets the module) and invites a newcomer.
    const ana = `ana.${suffix}@lakeview.example`
    const newcomer = `carla.${suffix}@lakeview.example`
    await goto(page, `${base}/training/roster`)
    await expectAccessible(page)
    const header = 'email,name,role,function,unit,manager_email'
    const bad = `\uFEFF${header}\r\n${ana},Ana Clerk,staff,operations,Patient Access,${manager.email}\r\n${newcomer},Carla New,staff,cook,Patient Access,${manager.email}\r\n`
    await page.getByLabel('Roster CSV file').setInputFiles({ name: 'hr.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
    await page.getByRole('button', { name: 'Preview the import' }).click()
    const problems = page.getByRole('table', { name: /Problems in the file/ })
    const problem = problems.getByRole('row').filter({ hasText: 'Unknown function' })
    await visible(problem.getByRole('cell', { name: '3', exact: true }))
    await visible(problem.getByText('function', { exact: true }))
    expect(await page.getByRole('button', { name: 'Apply the roster' }).isDisabled()).toBe(true)
    await expectAccessible(page)

    const good = bad.replace(',cook,', ',operations,')
    await page.getByLabel('Roster CSV file').setInputFiles({ name: 'hr.csv', mimeType: 'text/csv', buffer: Buffer.from(good) })
    await page.getByRole('button', { name: 'Preview the import' }).click()
    const plan = page.getByRole('table', { name: 'What the import does' })
    await visible(plan.getByRole('row').filter({ hasText: newcomer }).getByRole('cell', { name: 'Invite' }))
    await visible(plan.getByRole('row').filter({ hasText: ana }).getByText('manager_email'))
    await page.getByRole('button', { name: 'Apply the roster' }).click()
    await page.waitForURL(`**${base}/members`)
    await visible(page.getByRole('status').filter({ hasText: 'Roster imported: 1 invited, 1 updated' }))
  })
})
