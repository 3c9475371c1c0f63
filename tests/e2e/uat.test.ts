/**
 * An analyst writes a UAT scenario with edge cases (a missing title first: a field error, the
 * input kept), links a mapping row, records a failing run, and opens a defect from it (the form
 * pre-filled from the run); a clinical lead then reads the scenario list, on a desk and on a phone.
 */
import { describe, expect, test } from 'vitest'
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import { addMember, createTestOrg, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { DESKTOP, PHONE, docScreenshot, expectAccessible, goto, signIn, useBrowser, visible, waitForHydration } from './fixtures.ts'

const e2e = useBrowser()

describe('UAT', () => {
  test('an analyst writes a scenario, records a failing run and opens a defect from it; a clinical lead reads the list', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Harbor Health ${suffix}` })
    const manager = await createTestUser({ name: 'Maya Manager', email: `maya.${suffix}@harbor.example` })
    await addMember(org, manager, 'manager', 'it', 'IT Project Office')
    const analyst = await createTestUser({ name: 'Arun Analyst', email: `arun.${suffix}@harbor.example` })
    await addMember(org, analyst, 'analyst', 'it', 'Integration Team')
    const lead = await createTestUser({ name: 'Dr. Lena Lead', email: `lena.${suffix}@harbor.example` })
    await addMember(org, lead, 'clinical_lead', 'clinical', 'Laboratory')
    const lis = await prisma.system.create({ data: { organizationId: org.id, name: 'LabTrack LIS', kind: 'lis', vendor: 'Northwind Diagnostics' } })
    const ehr = await prisma.system.create({ data: { organizationId: org.id, name: 'Harbor EHR', kind: 'ehr', vendor: 'Meridian Health Systems' } })
    const results = await prisma.interface.create({
      data: { organizationId: org.id, name: 'LIS → EHR: results', sourceSystemId: lis.id, targetSystemId: ehr.id, standard: 'hl7v2', transport: 'mllp', approach: 'via_engine', messageTypes: ['ORU^R01'] },
    })
    const version = await prisma.mappingVersion.create({ data: { organizationId: org.id, interfaceId: results.id, number: 1 } })
    for (const [i, [field, path, target]] of [
      ['Reference range', 'OBX-7', 'Observation.referenceRange[0].text'],
      ['Abnormal flags', 'OBX-8', 'Observation.interpretation[0]'],
    ].entries()) {
      await prisma.mappingRow.create({ data: { organizationId: org.id, versionId: version.id, lineageId: `lin-${suffix}-${i}`, position: i + 1, sourceField: field!, sourcePath: path!, targetField: field!, targetPath: target!, dataType: 'ST' } })
    }
    const project = await createProject(
      await scopeFor(org, manager),
      ProjectSchema.parse({ name: 'Lab results into the EHR', goal: 'Results in the chart within minutes.', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', interfaceIds: [results.id] }),
    )
    const uatPath = `/o/${org.slug}/projects/${project.id}/uat`

    // ── The analyst writes a scenario.
    const page = await e2e.newPage()
    await page.setViewportSize(DESKTOP)
    await signIn(page, analyst.email, analyst.password)
    await goto(page, `/o/${org.slug}/projects/${project.id}`)
    await page.getByRole('navigation', { name: 'Project Lab results into the EHR' }).getByRole('link', { name: 'UAT' }).click()
    await page.waitForURL(/\/uat$/)
    await visible(page.getByText('No scenarios yet'))
    await expectAccessible(page)
    const write = page.getByRole('form', { name: 'Write a scenario' })
    await write.getByLabel('About').selectOption({ label: 'LIS → EHR: results' })
    await write.getByLabel('Steps').fill('1. Send an ORU^R01 with OBX-7 empty and OBX-8 = H.\n2. Open the result in the results inbox.')
    await write.getByLabel('Expected result').fill('The result is flagged High in the inbox and the chart.')
    await write.getByLabel('Null values').check()
    await write.getByLabel('Priority').selectOption('critical')
    await write.getByRole('button', { name: 'Save scenario' }).click()
    await visible(write.getByText('Give the scenario a title'))
    await expect(write.getByLabel('Steps').inputValue()).resolves.toMatch(/^1\. Send an ORU\^R01/)
    await write.getByLabel('Title').fill('The abnormal flag is kept when the reference range is empty')
    // Leaving the field revalidates it and removes the error (the button moves): leave it before clicking.
    await write.getByLabel('Title').press('Tab')
    await expect(write.getByText('Give the scenario a title').count()).resolves.toBe(0)
    await write.getByRole('button', { name: 'Save scenario' }).click()
    await page.waitForURL(/\/uat\/[a-z0-9]+$/)
    await visible(page.getByText('S-1 written', { exact: true }))
    const scenarioPath = new URL(page.url()).pathname
    await visible(page.getByRole('heading', { name: 'The abnormal flag is kept when the reference range is empty' }))
    await visible(page.getByRole('list', { name: 'Edge cases' }).getByText('Null values'))

    // Link the mapping rows it exercises.
    const edit = page.getByRole('form', { name: 'Edit S-1' })
    await edit.getByLabel('OBX-7 Reference range → Observation.referenceRange[0].text').check()
    await edit.getByLabel('OBX-8 Abnormal flags → Observation.interpretation[0]').check()
    await edit.getByLabel('Special characters').check()
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await visible(page.getByText('S-1 saved', { exact: true }))
    await visible(page.getByRole('region', { name: 'What to test' }).getByText('OBX-8 Abnormal flags → Observation.interpretation[0]', { exact: true }))

    // A failing run: the page offers a defect pre-filled from it.
    const run = page.getByRole('form', { name: 'Record a run' })
    await run.getByLabel('Fail').check()
    await run.getByLabel('Environment').selectOption('test')
    await run.getByLabel('Notes').fill('Filed with no flag: the interpretation lookup runs only when OBX-7 has a range.')
    await run.getByLabel('Evidence link').fill('https://wiki.harbor.example/uat/s1')
    await run.getByRole('button', { name: 'Record the run' }).click()
    await visible(page.getByText('S-1: a failed run recorded', { exact: true }))
    const defect = page.getByRole('form', { name: 'Open a defect from this run' })
    await expect(defect.getByLabel('Title').inputValue()).resolves.toBe('S-1 failed: The abnormal flag is kept when the reference range is empty')
    await expect(defect.getByLabel('Description').inputValue()).resolves.toMatch(/Notes: Filed with no flag/)
    await expectAccessible(page)
    await defect.getByLabel('Title').fill('Abnormal flag H lost when OBX-7 is empty')
    await defect.getByLabel('Severity').selectOption('2')
    await defect.getByLabel('Owner').selectOption({ label: 'Arun Analyst · Integration analyst' })
    await defect.getByRole('button', { name: 'Open the defect' }).click()
    await visible(page.getByText('DEF-1 opened', { exact: true }))
    await expect(page.getByRole('form', { name: 'Open a defect from this run' }).count()).resolves.toBe(0)
    const runs = page.getByRole('list', { name: 'Runs, newest first' })
    await visible(runs.getByText('Fail', { exact: true }))
    await visible(runs.getByRole('link', { name: 'DEF-1' }))
    await page.getByRole('button', { name: 'Dismiss' }).click()
    await page.evaluate(() => window.scrollTo(0, 0))
    await docScreenshot(page, 'uat-scenario')

    // A second scenario, not run yet, about the whole project.
    await goto(page, uatPath)
    const second = page.getByRole('form', { name: 'Write a scenario' })
    await second.getByLabel('Title').fill('Demographics updated after a result keep the result on the patient')
    await second.getByLabel('Steps').fill('1. Send an ADT^A08 changing the family name.\n2. Open the result.')
    await second.getByLabel('Expected result').fill('The result stays on the same chart under the new name.')
    await second.getByLabel('Special characters').check()
    await second.getByRole('button', { name: 'Save scenario' }).click()
    await visible(page.getByText('S-2 written', { exact: true }))

    // ── The clinical lead reads the list.
    const lp = await e2e.newPage()
    await lp.setViewportSize(DESKTOP)
    await signIn(lp, lead.email, lead.password)
    await goto(lp, uatPath)
    await visible(lp.getByLabel('UAT in numbers').getByText('1 of 2'))
    const list = lp.getByRole('list', { name: 'Scenarios' })
    const s1 = list.getByRole('listitem').filter({ has: lp.getByRole('link', { name: 'S-1 The abnormal flag is kept when the reference range is empty' }) })
    await visible(s1.getByText('Fail', { exact: true }))
    await visible(s1.getByText('1 open defect'))
    const s2 = list.getByRole('listitem').filter({ has: lp.getByRole('link', { name: /^S-2 / }) })
    await visible(s2.getByText('Not run', { exact: true }))
    await visible(s2.getByText('Medium priority', { exact: true }))
    await expectAccessible(lp)
    await docScreenshot(lp, 'uat-scenarios')
    // Filter by the latest result.
    await lp.getByLabel('Latest result').selectOption('fail')
    await lp.getByRole('button', { name: 'Filter' }).click()
    await lp.waitForURL(/latest=fail/)
    await waitForHydration(lp)
    await expect(list.locator(':scope > li').count()).resolves.toBe(1)
    // On a phone: nothing wider than the screen.
    await lp.setViewportSize(PHONE)
    await goto(lp, uatPath)
    await expect(lp.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(PHONE.width)
    await expectAccessible(lp)
    await goto(lp, `${uatPath}/defects`)
    await visible(lp.getByRole('heading', { name: 'Abnormal flag H lost when OBX-7 is empty' }))
    await visible(lp.getByText('1 open of severity 1–2', { exact: false }))
    await expect(lp.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(PHONE.width)
    await expectAccessible(lp)
    await goto(lp, scenarioPath)
    await visible(lp.getByRole('heading', { name: 'The abnormal flag is kept when the reference range is empty' }))
    await expect(lp.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(PHONE.width)
    await expectAccessible(lp)
    await page.close()
    await lp.close()
  })
})
