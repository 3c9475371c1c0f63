/**
 * A project manager asks for the UAT sign-off of the results interface; the clinical lead finds
 * the request in her inbox, opens it, reads the scenarios and the open defect, is asked for her
 * password (a wrong one first: refused, nothing signed), re-enters it and signs; the record
 * says the content is intact and still matches. On a phone the page reads in one column; without
 * JavaScript the lab's clinical lead re-enters her password and signs the whole project's set.
 */
import { describe, expect, test } from 'vitest'
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import { addMember, createTestOrg, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { holdUat, makeDefect, makeRun, makeScenario } from '#tests/signoff-fixtures.ts'
import { DESKTOP, PHONE, docScreenshot, expectAccessible, goto, signIn, useBrowser, visible } from './fixtures.ts'

const e2e = useBrowser()

describe('clinical sign-off', () => {
  test('a manager asks; the clinical lead reads, re-enters her password and signs; the record is intact', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Harbor Health ${suffix}` })
    const manager = await createTestUser({ name: 'Maya Manager', email: `maya.${suffix}@harbor.example` })
    const managerM = await addMember(org, manager, 'manager', 'it', 'IT Project Office')
    const analyst = await createTestUser({ name: 'Arjun Analyst', email: `arjun.${suffix}@harbor.example` })
    const analystM = await addMember(org, analyst, 'analyst', 'it', 'Integration Team')
    const lead = await createTestUser({ name: 'Dr. Grace Chen', email: `grace.${suffix}@harbor.example` })
    const leadM = await addMember(org, lead, 'clinical_lead', 'clinical', 'Emergency Department')
    const lis = await prisma.system.create({ data: { organizationId: org.id, name: 'LabTrack LIS', kind: 'lis', vendor: 'Northwind Diagnostics' } })
    const ehr = await prisma.system.create({ data: { organizationId: org.id, name: 'Harbor EHR', kind: 'ehr', vendor: 'Meridian Health Systems' } })
    const results = await prisma.interface.create({
      data: { organizationId: org.id, name: 'Engine → EHR: results', sourceSystemId: lis.id, targetSystemId: ehr.id, standard: 'hl7v2', transport: 'mllp', approach: 'via_engine', messageTypes: ['ORU^R01'] },
    })
    const project = await createProject(
      await scopeFor(org, manager),
      ProjectSchema.parse({ name: 'Lab results into the EHR', goal: 'Results in the chart within minutes.', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', ownerId: managerM.id, interfaceIds: [results.id] }),
    )
    await prisma.projectWave.create({ data: { organizationId: org.id, projectId: project.id, kind: 'pilot', name: 'Emergency Department pilot', position: 0, units: ['Emergency Department'] } })
    const o = { organizationId: org.id }
    await holdUat(o, { projectId: project.id, membershipId: leadM.id, letter: 'A' })
    const s1 = await makeScenario(o, { projectId: project.id, interfaceId: results.id, authorId: analystM.id, title: 'Potassium result files to the chart', steps: 'Send an ORU^R01 with K 5.9 mmol/L (LOINC 2823-3).' })
    const s2 = await makeScenario(o, { projectId: project.id, interfaceId: results.id, authorId: analystM.id, title: 'Unknown local code is held, not filed', steps: 'Send an ORU^R01 with the local code ZZK9.' })
    await makeRun(o, { projectId: project.id, scenarioId: s1.id, result: 'pass', testerId: leadM.id, notes: 'Filed with its reference range; flagged high.' })
    await makeRun(o, { projectId: project.id, scenarioId: s2.id, result: 'pass', testerId: leadM.id, notes: 'Held in the engine’s error queue; the lab was told.' })
    await makeDefect(o, { projectId: project.id, scenarioId: s2.id, severity: 3, title: 'Held-message notice names the wrong bench' })
    const uat = `/o/${org.slug}/projects/${project.id}/uat`

    // ── The manager asks for the sign-off of the results interface.
    const mp = await e2e.newPage()
    await mp.setViewportSize(DESKTOP)
    await signIn(mp, manager.email, manager.password)
    await goto(mp, `${uat}/signoff?interface=${results.id}`)
    await visible(mp.getByText('Not signed off yet.'))
    await visible(mp.getByText('A clinical lead who is Responsible or Accountable for UAT', { exact: false }))
    await expectAccessible(mp)
    await mp.getByRole('button', { name: 'Ask the clinical leads to sign' }).click()
    await visible(mp.getByText('Sign-off requested', { exact: true }))
    await visible(mp.getByText('Asked Dr. Grace Chen in their inbox.'))

    // ── The clinical lead finds it in her inbox and opens it.
    const page = await e2e.newPage()
    await page.setViewportSize(DESKTOP)
    await signIn(page, lead.email, lead.password)
    await goto(page, `/o/${org.slug}/inbox`)
    const notice = page.getByRole('listitem').filter({ hasText: 'Sign-off requested: Lab results into the EHR' })
    await visible(notice.getByText('Maya Manager asks you to review and sign off', { exact: false }))
    await notice.getByRole('button', { name: 'Open' }).click()
    await page.waitForURL((url) => url.pathname.endsWith('/uat/signoff') && url.searchParams.get('interface') === results.id)

    // She reads every scenario with its latest result, and the open defect.
    const scenarios = page.getByRole('list', { name: 'Scenarios' })
    await visible(scenarios.getByRole('heading', { name: 'S-1: Potassium result files to the chart' }))
    await visible(scenarios.getByRole('heading', { name: 'S-2: Unknown local code is held, not filed' }))
    await visible(scenarios.getByText('Filed with its reference range; flagged high.'))
    await visible(page.getByRole('list', { name: 'Open defects' }).getByText('DEF-1: Held-message notice names the wrong bench'))
    // First her password.
    await visible(page.getByRole('heading', { name: 'Confirm it is you' }))
    await expect(page.getByRole('button', { name: 'Sign off' }).count()).resolves.toBe(0)
    await expectAccessible(page)
    await page.getByLabel('Your password').fill('not my password')
    await page.getByRole('button', { name: 'Confirm password' }).click()
    await visible(page.getByText('This is not your password.'))
    await page.getByLabel('Your password').fill(lead.password)
    // Leaving the field revalidates it and removes the error (the button moves): leave it before clicking.
    await page.getByLabel('Your password').press('Tab')
    await expect(page.getByText('This is not your password.').count()).resolves.toBe(0)
    await page.getByRole('button', { name: 'Confirm password' }).click()
    await visible(page.getByText('Password confirmed', { exact: true }))
    const statement = page.getByText('I have reviewed S-1 and S-2 with their latest results and the open defects listed', { exact: false })
    await visible(statement)
    await expect(statement.innerText()).resolves.toMatch(/accept the UAT scenarios of the interface “Engine → EHR: results” for go-live in the pilot “Emergency Department pilot” \(Emergency Department\)\.$/)
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Dismiss' }).click()
    await page.getByRole('heading', { name: 'Sign or refuse' }).scrollIntoViewIfNeeded()
    await docScreenshot(page, 'uat-signoff')

    // Refusing without a reason is a field error; then she signs.
    await page.getByRole('button', { name: 'Refuse' }).click()
    await visible(page.getByText('Say why you refuse', { exact: false }))
    await page.getByLabel('Reason for refusing').focus()
    await page.getByLabel('Reason for refusing').press('Tab')
    await page.getByRole('button', { name: 'Sign off' }).click()
    await visible(page.getByText('UAT signed off', { exact: true }))
    await page.waitForURL(/\/uat\/signoffs\/[a-z0-9]+$/)
    await visible(page.getByText('Content intact: the stored content still hashes to the signed SHA-256.'))
    await visible(page.getByText('Still matches the live scenarios, results and open defects.'))
    await visible(page.getByText('Not stale.'))
    await visible(page.getByText('Signed by'))
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Dismiss' }).click()
    await docScreenshot(page, 'uat-signoff-record')

    const row = await prisma.uatSignoff.findFirstOrThrow({ where: { projectId: project.id } })
    expect(row).toMatchObject({ decision: 'signed', signerName: 'Dr. Grace Chen', interfaceId: results.id })
    expect(await prisma.auditEvent.count({ where: { organizationId: org.id, actorUserId: lead.id, action: 'auth.step_up_failed' } })).toBe(1)
    expect(await prisma.auditEvent.count({ where: { organizationId: org.id, actorUserId: lead.id, action: 'auth.step_up' } })).toBe(1)

    // ── The history, on a phone: one column, nothing wider than the screen.
    await page.setViewportSize(PHONE)
    await goto(page, `${uat}/signoffs`)
    await visible(page.getByRole('list', { name: 'Sign-offs' }).getByText('Dr. Grace Chen', { exact: false }))
    await expectAccessible(page)
    await goto(page, `${uat}/signoff?interface=${results.id}`)
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(PHONE.width)
    await expectAccessible(page)

    // ── Without JavaScript, on a phone: the lab's clinical lead (now R on UAT) signs the whole project's set.
    const labLead = await createTestUser({ name: 'Priya Nair', email: `priya.${suffix}@harbor.example` })
    await holdUat(o, { projectId: project.id, membershipId: (await addMember(org, labLead, 'clinical_lead', 'clinical', 'Laboratory')).id, letter: 'R' })
    const plain = await e2e.newPage({ javaScriptEnabled: false })
    await plain.setViewportSize(PHONE)
    await plain.goto('/login')
    await plain.getByLabel('Email').fill(labLead.email)
    await plain.getByLabel('Password').fill(labLead.password)
    await plain.getByRole('button', { name: 'Sign in' }).click()
    await plain.waitForURL((url) => url.pathname !== '/login')
    await plain.goto(`${uat}/signoff`)
    await visible(plain.getByRole('heading', { name: 'Confirm it is you' }))
    await plain.getByLabel('Your password').fill(labLead.password)
    await plain.getByRole('button', { name: 'Confirm password' }).click()
    await visible(plain.getByText('I have reviewed S-1 and S-2 with their latest results', { exact: false }))
    await plain.getByRole('button', { name: 'Sign off' }).click()
    await plain.waitForURL(/\/uat\/signoffs\/[a-z0-9]+$/)
    await visible(plain.getByText('Content intact: the stored content still hashes to the signed SHA-256.'))
    expect(await prisma.uatSignoff.count({ where: { projectId: project.id, interfaceId: null, decision: 'signed', signerName: 'Priya Nair' } })).toBe(1)
    await plain.close()
    await mp.close()
    await page.close()
  })
})
