/**
 * A project manager opens the go/no-go page (the panel pre-filled: the accountable person, the
 * clinical lead on UAT, IT, compliance; the score's trend from three scheduled snapshots), tries
 * a "go with conditions" without conditions (a field error), records it with the four votes,
 * and opens the printable record: the decision, the conditions, the votes, the scorecard, the
 * sign-off and the open defect as they were — on one A4 page when printed. Then a snapshot by
 * hand; the page at 390 px; and a meeting recorded without JavaScript.
 */
import { describe, expect, test } from 'vitest'
import { addDays } from '#app/models/projects/plan.ts'
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { takeSnapshot } from '#app/models/readiness/snapshots.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { addMember, createTestOrg, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { DESKTOP, PHONE, docScreenshot, expectAccessible, goto, pathOf, signIn, useBrowser, visible, waitForHydration } from './fixtures.ts'

const e2e = useBrowser()

async function harbor() {
  const suffix = uniqueSuffix()
  const org = await createTestOrg({ name: `Harbor Health ${suffix}` })
  const manager = await createTestUser({ name: 'Maya Manager', email: `maya.${suffix}@harbor.example` })
  const managerM = await addMember(org, manager, 'manager', 'it', 'IT Project Office')
  const lead = await addMember(org, await createTestUser({ name: 'Dr. Lena Ortiz' }), 'clinical_lead', 'clinical', 'Laboratory')
  await addMember(org, await createTestUser({ name: 'Ivan Ito' }), 'analyst', 'it', 'Integration Team')
  await addMember(org, await createTestUser({ name: 'Cora Lind' }), 'compliance', 'compliance', 'Privacy Office')
  const lis = await prisma.system.create({ data: { organizationId: org.id, name: 'LabTrack LIS', kind: 'lis', vendor: 'Northwind Diagnostics' } })
  const ehr = await prisma.system.create({ data: { organizationId: org.id, name: 'Harbor EHR', kind: 'ehr', vendor: 'Meridian Health Systems' } })
  const results = await prisma.interface.create({
    data: { organizationId: org.id, name: 'LIS → EHR: results', sourceSystemId: lis.id, targetSystemId: ehr.id, standard: 'hl7v2', transport: 'mllp', approach: 'via_engine', messageTypes: ['ORU^R01'] },
  })
  const today = new Date().toISOString().slice(0, 10)
  const goLive = addDays(today, 20)
  const project = await createProject(
    await scopeFor(org, manager),
    ProjectSchema.parse({ name: 'Lab results into the EHR', goal: 'Results in the chart within minutes.', approach: 'via_engine', startDate: addDays(today, -150), targetGoLive: goLive, ownerId: managerM.id, status: 'active', interfaceIds: [results.id] }),
  )
  const pilot = await prisma.projectWave.create({ data: { organizationId: org.id, projectId: project.id, kind: 'pilot', name: 'Emergency Department pilot', position: 0, units: ['Emergency Department'], goLive: new Date(`${goLive}T00:00:00Z`) } })
  // The clinical lead is R on UAT; a scenario she signed; an open severity-2 defect.
  const uat = await prisma.raciActivity.findFirstOrThrow({ where: { projectId: project.id, step: { standardKey: 'uat' } } })
  await prisma.raciAssignment.create({ data: { organizationId: org.id, projectId: project.id, activityId: uat.id, membershipId: lead.id, letter: 'R' } })
  const scenario = await prisma.uatScenario.create({ data: { organizationId: org.id, projectId: project.id, interfaceId: results.id, number: 1, title: 'Potassium result files with units', steps: 'Send an ORU', expectedResult: 'Result in the chart' } })
  await prisma.uatRun.create({ data: { organizationId: org.id, projectId: project.id, scenarioId: scenario.id, result: 'pass', environment: 'test', testerId: lead.id } })
  const signoff = await prisma.uatSignoff.create({
    data: { organizationId: org.id, projectId: project.id, interfaceId: results.id, decision: 'signed', statement: 'I accept.', content: {}, contentHash: 'a'.repeat(64), signerId: lead.id, signerName: 'Dr. Lena Ortiz', stepUpAt: new Date() },
  })
  await prisma.uatSignoffScenario.create({ data: { organizationId: org.id, signoffId: signoff.id, scenarioId: scenario.id } })
  await prisma.uatDefect.create({ data: { organizationId: org.id, projectId: project.id, number: 1, title: 'Units missing on potassium results', severity: 2, ownerId: lead.id } })
  // The trend: the 120, 90 and 60 day snapshots, taken with those days' clock.
  for (const d of [120, 90, 60]) await takeSnapshot(systemScope(org.id), { projectId: project.id, kind: 'scheduled', waveId: pilot.id, daysBefore: d }, { now: new Date(`${addDays(goLive, -d)}T14:00:00Z`) })
  return { org, manager, project }
}

describe('go/no-go', () => {
  test('a manager records a go-with-conditions meeting with four votes and opens the printable record', async () => {
    const { org, manager, project } = await harbor()
    const path = `/o/${org.slug}/projects/${project.id}/gonogo`
    const page = await e2e.newPage()
    await page.setViewportSize(DESKTOP)
    await signIn(page, manager.email, manager.password)
    await goto(page, path)
    await visible(page.getByRole('heading', { name: 'Go/no-go', level: 1 }))
    await visible(page.getByRole('link', { name: 'Go/no-go', exact: true }))
    await visible(page.getByRole('cell', { name: '60 days before Emergency Department pilot’s go-live' }))
    await expectAccessible(page)

    const form = page.getByRole('form', { name: 'Record a go/no-go meeting' })
    const selected = async (label: string) => form.getByLabel(label).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? '')
    await expect(selected('Project accountable (A): member')).resolves.toMatch(/^Maya Manager/)
    await expect(selected('Clinical lead: member')).resolves.toMatch(/^Dr\. Lena Ortiz/)
    await expect(selected('IT: member')).resolves.toMatch(/^Ivan Ito/)
    await expect(selected('Compliance: member')).resolves.toMatch(/^Cora Lind/)
    await expect(selected('For')).resolves.toBe('Emergency Department pilot')

    const vote = (seat: string, choice: string) => form.getByRole('group', { name: `${seat}: vote`, exact: true }).getByRole('radio', { name: choice, exact: true }).check()
    await form.getByRole('group', { name: 'Decision', exact: true }).getByRole('radio', { name: 'Go with conditions' }).check()
    await vote('Project accountable (A)', 'Go')
    await vote('Clinical lead', 'Go')
    await vote('IT', 'Abstain')
    await vote('Compliance', 'Go')
    await form.getByLabel('IT: comment').fill('The fix is in test, not yet in production.')
    await form.getByRole('button', { name: 'Record the meeting' }).click()
    await visible(form.getByText('Write the conditions of the go'))
    await form.getByRole('textbox', { name: 'Conditions' }).fill('DEF-1 fixed and verified in test before the pilot’s go-live.')
    await form.getByLabel('Notes').fill('Board room, 10:00.')
    await form.getByRole('button', { name: 'Record the meeting' }).click()
    await page.waitForURL(/\/gonogo\/[a-z0-9]+$/)
    await waitForHydration(page)
    const recordPath = pathOf(page)

    // The record: decision, conditions, votes, the frozen scorecard, sign-off and defect.
    await visible(page.getByRole('heading', { name: 'Lab results into the EHR', level: 1 }))
    await visible(page.getByText('Go with conditions', { exact: true }))
    await visible(page.getByText('DEF-1 fixed and verified in test before the pilot’s go-live.'))
    const votes = page.getByRole('table', { name: 'The panel’s votes' })
    await visible(votes.getByRole('row', { name: /IT Ivan Ito Abstain The fix is in test/ }))
    await expect(votes.getByRole('row').count()).resolves.toBe(5)
    await visible(page.getByRole('table', { name: 'The readiness checks as they were' }).getByRole('row', { name: /UAT.*Fail.*DEF-1/ }))
    await visible(page.getByRole('table', { name: 'The clinical sign-offs as they were' }).getByRole('row', { name: /Interface: LIS → EHR: results Dr\. Lena Ortiz .* Signed off Current/ }))
    await visible(page.getByRole('table', { name: 'The open defects as they were' }).getByRole('row', { name: /DEF-1 Units missing on potassium results 2 Dr\. Lena Ortiz/ }))
    await expectAccessible(page)

    // Printed: no app frame, one A4 page.
    await page.emulateMedia({ media: 'print' })
    await expect(page.getByRole('navigation', { name: 'Main' }).isVisible()).resolves.toBe(false)
    await expect(page.getByRole('link', { name: /Go\/no-go of/ }).isVisible()).resolves.toBe(false)
    await page.setViewportSize({ width: 794, height: 1123 })
    await docScreenshot(page, 'gonogo-record')
    const pdf = await page.pdf({ format: 'A4', printBackground: true })
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length
    expect(pages, 'the record fits one A4 page').toBe(1)
    await page.emulateMedia({ media: 'screen' })

    // Back on the list: the meeting; a snapshot by hand.
    await goto(page, path)
    await visible(page.getByRole('link', { name: /Emergency Department pilot/ }).first())
    await visible(page.getByText(/Votes: 3 go, 1 abstain/))
    await page.getByRole('button', { name: 'Take a snapshot now' }).click()
    await visible(page.getByText(/^Snapshot taken: \d+ %$/))
    await visible(page.getByRole('cell', { name: 'Taken by hand' }))
    await page.getByRole('button', { name: 'Dismiss' }).click()
    await page.setViewportSize({ width: 1280, height: 1100 })
    await page.evaluate(() => window.scrollTo(0, 0))
    await docScreenshot(page, 'gonogo')

    // At 390 px: no sideways scrolling of the page.
    await page.setViewportSize(PHONE)
    await goto(page, path)
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
    expect(scroll).toBeLessThanOrEqual(client)
    await expectAccessible(page)
    await goto(page, recordPath)
    const record = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
    expect(record.scroll).toBeLessThanOrEqual(record.client)
    await expectAccessible(page)
  })

  test('without JavaScript: the form refuses a go with conditions without them (input kept), then records', async () => {
    const { org, manager, project } = await harbor()
    const signedIn = await e2e.newPage()
    await signIn(signedIn, manager.email, manager.password)
    const page = await e2e.newPage({ javaScriptEnabled: false, storageState: await signedIn.context().storageState() })
    await page.setViewportSize(DESKTOP)
    const response = await page.goto(`/o/${org.slug}/projects/${project.id}/gonogo`)
    expect(response?.status()).toBe(200)
    const form = page.getByRole('form', { name: 'Record a go/no-go meeting' })
    await form.getByRole('group', { name: 'Decision', exact: true }).getByRole('radio', { name: 'Go with conditions' }).check()
    for (const seat of ['Project accountable (A)', 'Clinical lead', 'IT', 'Compliance']) await form.getByRole('group', { name: `${seat}: vote`, exact: true }).getByRole('radio', { name: 'Go', exact: true }).check()
    await form.getByLabel('Notes').fill('Kept when refused.')
    await form.getByRole('button', { name: 'Record the meeting' }).click()
    await visible(page.getByText('Write the conditions of the go'))
    await expect(page.getByRole('form', { name: 'Record a go/no-go meeting' }).getByLabel('Notes').inputValue()).resolves.toBe('Kept when refused.')
    await page.getByRole('form', { name: 'Record a go/no-go meeting' }).getByRole('textbox', { name: 'Conditions' }).fill('The open defect fixed first.')
    await page.getByRole('form', { name: 'Record a go/no-go meeting' }).getByRole('button', { name: 'Record the meeting' }).click()
    await page.waitForURL(/\/gonogo\/[a-z0-9]+$/)
    await visible(page.getByText('The open defect fixed first.'))
  })
})
