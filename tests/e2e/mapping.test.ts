/**
 * The mapping matrix as its users work it: an analyst starts v1 of an interface's mapping, writes
 * a row (the form refuses a required field without a data-quality rule and keeps what was
 * typed), adds a code map and an unmapped code, and sends the row for review; a clinical lead
 * finds it in review from her home page, approves it, and approves the version, which freezes it.
 */
import { describe, expect, test } from 'vitest'
import { createInterface } from '#app/models/inventory/interface.server.ts'
import { createSystem } from '#app/models/inventory/system.server.ts'
import { InterfaceSchema, SystemSchema } from '#app/models/inventory/inventory.ts'
import { addMember, createTestOrg, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { docScreenshot, expectAccessible, goto, signIn, useBrowser, visible, waitForHydration } from './fixtures.ts'

const e2e = useBrowser()

describe('data mapping', () => {
  test('an analyst writes and sends a row; a clinical lead approves it and the version', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Harbor Health ${suffix}` })
    const analyst = await createTestUser({ name: 'Ana Lyst', email: `ana.${suffix}@harbor.example` })
    const lead = await createTestUser({ name: 'Dr. Clare Lead', email: `clare.${suffix}@harbor.example` })
    await addMember(org, analyst, 'analyst', 'it', 'Integration Team')
    await addMember(org, lead, 'clinical_lead', 'clinical', 'Laboratory')
    const scope = await scopeFor(org, analyst)
    const lis = await createSystem(scope, SystemSchema.parse({ name: 'LabTrack LIS', kind: 'lis' }))
    const ehr = await createSystem(scope, SystemSchema.parse({ name: 'Harbor EHR', kind: 'ehr' }))
    const iface = await createInterface(
      scope,
      InterfaceSchema.parse({ name: 'LIS → EHR results', sourceSystemId: lis.id, targetSystemId: ehr.id, standard: 'hl7v2', messageTypes: 'ORU^R01', transport: 'mllp', approach: 'point_to_point' }),
    )
    const base = `/o/${org.slug}`

    // The analyst: from the interface to its (empty) mapping.
    const page = await e2e.newPage()
    await signIn(page, analyst.email, analyst.password)
    await goto(page, `${base}/interfaces/${iface.id}`)
    await page.getByRole('main').getByRole('link', { name: 'Data mapping' }).click()
    await page.waitForURL(`**${base}/mapping/${iface.id}`)
    await visible(page.getByText('No mapping yet'))
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Start the mapping (v1)' }).click()
    await page.waitForURL(/\/mapping\/v\/[a-z0-9]+$/)
    await visible(page.getByText('No rows yet'))
    await expectAccessible(page)
    const matrix = new URL(page.url()).pathname

    // A required field without a data-quality rule is refused; what was typed stays.
    await page.getByRole('link', { name: 'Add the first row' }).click()
    await page.waitForURL(`**${matrix}/rows/new`)
    await waitForHydration(page)
    await expectAccessible(page)
    await page.getByLabel('Source field').fill('Date of birth')
    await page.getByLabel('Source path').fill('PID-7.1')
    await page.getByLabel('Target field').fill('Birth date')
    await page.getByLabel('Target path').fill('Patient.birthDate')
    await page.getByLabel('Data type').fill('date')
    await page.getByLabel('Required?').selectOption('required')
    await page.getByLabel('Transformation', { exact: true }).selectOption('format_date')
    await page.getByLabel('Transformation rule').fill('YYYYMMDD → YYYY-MM-DD')
    await page.getByRole('button', { name: 'Add the row' }).click()
    await visible(page.getByText(/A required field needs a data-quality rule/))
    await expect(page.getByLabel('Source path').inputValue()).resolves.toBe('PID-7.1')
    await page.getByLabel('Data-quality rule').fill('Missing DOB → reject and flag; never default')
    await page.getByRole('button', { name: 'Add the row' }).click()
    await page.waitForURL(`**${matrix}`)
    await visible(page.getByRole('link', { name: 'PID-7.1' }))

    // Code maps: one mapped, one without a standard code.
    await goto(page, `${matrix}/codes`)
    await waitForHydration(page)
    await page.getByLabel('Local code system').fill('urn:harbor:lab')
    await page.getByLabel('Local code', { exact: true }).fill('GLU')
    await page.getByLabel('Local display').fill('Glucose, serum')
    await page.getByLabel('Standard code system').selectOption({ label: 'LOINC' })
    await page.getByLabel('Standard code', { exact: true }).fill('2345-7')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await visible(page.getByRole('cell', { name: /GLU Glucose, serum/ }))
    await page.getByLabel('Local code', { exact: true }).fill('XHEMI')
    await page.getByLabel('Local display').fill('Haemolysis index')
    await page.getByLabel('Equivalence').selectOption('unmatched')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await visible(page.getByRole('heading', { name: 'Unmapped local codes: 1' }))
    await expectAccessible(page)

    // Sent for review; its author can't approve it.
    await goto(page, matrix)
    await page.getByRole('link', { name: 'PID-7.1' }).click()
    await page.waitForURL(/\/rows\/[a-z0-9]+$/)
    await waitForHydration(page)
    const rowUrl = new URL(page.url()).pathname
    await page.getByRole('button', { name: 'Send for review' }).click()
    await visible(page.getByText('Sent for review', { exact: true }))
    await visible(page.getByText('You wrote this row: another analyst or clinical lead approves it.'))
    await expect(page.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0)
    await expectAccessible(page)

    // The clinical lead: finds the rows in review, approves, then approves the version.
    const leadPage = await e2e.newPage()
    await signIn(leadPage, lead.email, lead.password)
    await goto(leadPage, `${base}/mapping`)
    await visible(leadPage.getByRole('link', { name: 'LIS → EHR results' }))
    await expectAccessible(leadPage)
    // Her home page says what waits for her, and takes her to it.
    await goto(leadPage, base)
    await visible(leadPage.getByRole('heading', { name: 'Mapping rows waiting for your review: 1' }))
    await expectAccessible(leadPage)
    await leadPage.getByRole('link', { name: 'LIS → EHR results v1' }).click()
    await leadPage.waitForURL(/state=in_review/)
    await waitForHydration(leadPage)
    await visible(leadPage.getByRole('link', { name: /^In review \(1\)/ }))
    await leadPage.getByLabel('Select PID-7.1 → Patient.birthDate').check()
    await expectAccessible(leadPage)
    await leadPage.evaluate(() => window.scrollTo(0, 0))
    await docScreenshot(leadPage, 'mapping-matrix')
    await leadPage.getByRole('button', { name: 'Approve', exact: true }).click()
    await visible(leadPage.getByText('1 row approved', { exact: true }))
    await leadPage.getByRole('link', { name: /^All \(1\)/ }).click()
    await leadPage.getByRole('button', { name: 'Approve v1' }).click()
    await visible(leadPage.getByText('v1 approved', { exact: true }))
    await visible(leadPage.getByText('approved · frozen'))
    await expect(leadPage.getByRole('link', { name: 'Add a row' }).count()).resolves.toBe(0)

    // The analyst's row page now says it is frozen, with the review in its history.
    await goto(page, rowUrl)
    await visible(page.getByText('v1 is approved and frozen.'))
    await visible(page.getByText(/approved the mapping row \(v1\)/))
    await expectAccessible(page)
  })
})
