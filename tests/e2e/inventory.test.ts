/**
 * An integration analyst builds the inventory as they would on day one: two systems, an
 * interface between them in a proprietary format, the warning that teaches, the estate
 * picture with the impact of a system going down, and a CSV export for the spreadsheet crowd.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { addMember, createTestOrg, createTestUser, uniqueSuffix } from '#tests/factories.ts'
import { docScreenshot, expectAccessible, goto, signIn, useBrowser, visible, waitForHydration } from './fixtures.ts'

const e2e = useBrowser()

describe('inventory', () => {
  test('an analyst adds two systems and an interface, sees the warning and the picture, and exports CSV', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Harbor Health ${suffix}` })
    const analyst = await createTestUser({ name: 'Ana Lyst', email: `ana.${suffix}@harbor.example` })
    await addMember(org, analyst, 'analyst', 'it', 'Integration Team')
    const base = `/o/${org.slug}`

    const page = await e2e.newPage()
    await signIn(page, analyst.email, analyst.password)

    // The empty inventory says what to do next.
    await goto(page, `${base}/systems`)
    await visible(page.getByText('No systems yet'))
    await expectAccessible(page)

    // A form error keeps what was typed.
    await page.getByRole('link', { name: 'Add a system' }).first().click()
    await page.waitForURL(`**${base}/systems/new`)
    await waitForHydration(page)
    await expectAccessible(page)
    await page.getByLabel('Vendor').fill('Northwind Diagnostics')
    await page.getByRole('button', { name: 'Add system' }).click()
    await visible(page.getByText('Name the system'))
    await expect(page.getByLabel('Vendor').inputValue()).resolves.toBe('Northwind Diagnostics')

    await page.getByLabel('Name', { exact: true }).fill('LabTrack LIS')
    await page.getByLabel('Kind').selectOption('lis')
    await page.getByLabel('Criticality').selectOption('high')
    await page.getByLabel('Units that use it').fill('Laboratory; Emergency Department')
    await page.getByLabel('HL7 v2 versions').selectOption(['2.5.1'])
    await page.getByRole('button', { name: 'Add system' }).click()
    await page.waitForURL(/\/systems\/(?!new$)[a-z0-9]+$/)
    await visible(page.getByRole('heading', { name: 'LabTrack LIS', level: 1 }))
    await visible(page.getByText('HL7 v2: 2.5.1'))
    const lisUrl = new URL(page.url()).pathname

    await goto(page, `${base}/systems/new`)
    await page.getByLabel('Name', { exact: true }).fill('Harbor EHR')
    await page.getByLabel('Kind').selectOption('ehr')
    await page.getByLabel('Units that use it').fill('ICU')
    await page.getByRole('button', { name: 'Add system' }).click()
    await page.waitForURL(/\/systems\/(?!new$)[a-z0-9]+$/)

    // The interface: the domain's validation first, then a proprietary feed without an exception.
    await goto(page, `${base}/interfaces/new`)
    await expectAccessible(page)
    await page.getByLabel('Name', { exact: true }).fill('LIS → EHR results')
    await page.getByLabel('Source system (sends)').selectOption({ label: 'LabTrack LIS' })
    await page.getByLabel('Target system (receives)').selectOption({ label: 'LabTrack LIS' })
    await page.getByLabel('Standard', { exact: true }).selectOption('hl7v2')
    await page.getByLabel('Transport').selectOption('mllp')
    await page.getByLabel('Approach').selectOption('point_to_point')
    await page.getByRole('button', { name: 'Add interface' }).click()
    await visible(page.getByText('An interface connects two different systems'))
    await visible(page.getByText(/An HL7 v2 interface names its HL7 v2 message types/))

    await page.getByLabel('Target system (receives)').selectOption({ label: 'Harbor EHR' })
    await page.getByLabel('Standard', { exact: true }).selectOption('proprietary')
    await page.getByLabel(/Message types/).fill('ResultFile')
    await page.getByRole('button', { name: 'Add interface' }).click()
    await page.waitForURL(/\/interfaces\/(?!new$)[a-z0-9]+$/)
    await visible(page.getByRole('heading', { name: 'LIS → EHR results', level: 1 }))
    await visible(page.getByText(/uses proprietary between LabTrack LIS and Harbor EHR without a written exception/))
    await expectAccessible(page)

    // The list flags it too.
    await goto(page, `${base}/interfaces`)
    await visible(page.getByText('1 warning about the estate'))
    await expectAccessible(page)

    // The picture, and what depends on the LIS.
    await goto(page, `${base}/estate`)
    await visible(page.locator('svg').filter({ hasText: 'LabTrack LIS' }).first())
    await expectAccessible(page)
    const lisId = lisUrl.split('/').pop()!
    await goto(page, `${base}/estate?system=${lisId}`)
    await visible(page.getByText(/If LabTrack LIS is down/).filter({ visible: true }).first())
    await visible(page.getByText('Harbor EHR').filter({ visible: true }).first())
    await expectAccessible(page)

    // The system's own page says the same.
    await goto(page, lisUrl)
    await visible(page.getByRole('heading', { name: 'If LabTrack LIS is down' }))
    await visible(page.getByText('Laboratory, Emergency Department'))

    // The home page shows the estate at a glance.
    await goto(page, base)
    const estate = page.getByRole('region', { name: 'The estate' })
    await visible(estate)
    await expect(estate.getByText('Systems').locator('xpath=following-sibling::dd[1]').innerText()).resolves.toBe('2')
    await expect(estate.getByText('Warnings').locator('xpath=following-sibling::dd[1]').innerText()).resolves.toBe('1')
    await expectAccessible(page)

    // CSV for the spreadsheet.
    await goto(page, `${base}/systems`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()])
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.split(/\r?\n/)[0]).toMatch(/^\uFEFF?name,kind,/)
    expect(csv).toContain('LabTrack LIS')
    expect(csv).toContain('Harbor EHR')
    await docScreenshot(page, 'systems')
  })

  test('a clinical lead reads the inventory but cannot change it', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Bayview ${suffix}` })
    const lead = await createTestUser({ name: 'Dr. Read Only', email: `lead.${suffix}@bayview.example` })
    await addMember(org, lead, 'clinical_lead', 'clinical', 'ICU')
    const page = await e2e.newPage()
    await signIn(page, lead.email, lead.password)
    await goto(page, `/o/${org.slug}/systems`)
    await expect(page.getByRole('link', { name: 'Add a system' }).count()).resolves.toBe(0)
    await goto(page, `/o/${org.slug}/systems/new`, 403)
    await visible(page.getByText('Not allowed'))
  })
})
