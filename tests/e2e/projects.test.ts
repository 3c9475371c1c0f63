/**
 * A project manager starts a project from the inventory, gets the standard plan, re-plans a
 * step (a bad date first: a field error, the input kept), approves the plan as the baseline,
 * re-plans again and sees the timeline show the change against the baseline. A staff member
 * reads the projects without the means to change them.
 */
import { describe, expect, test } from 'vitest'
import { createDecision } from '#app/models/projects/decisions.server.ts'
import { DecisionSchema } from '#app/models/projects/decision-schemas.ts'
import { createProject } from '#app/models/projects/projects.server.ts'
import { getRaci, setRaciCell } from '#app/models/projects/raci.server.ts'
import { ProjectSchema, WaveSchema } from '#app/models/projects/schemas.ts'
import { createWave } from '#app/models/projects/waves.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { addMember, createTestOrg, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { DESKTOP, PHONE, docScreenshot, expectAccessible, goto, signIn, useBrowser, visible, waitForHydration } from './fixtures.ts'

const e2e = useBrowser()

async function estate(orgId: string) {
  const lis = await prisma.system.create({ data: { organizationId: orgId, name: 'LabTrack LIS', kind: 'lis', vendor: 'Northwind Diagnostics' } })
  const ehr = await prisma.system.create({ data: { organizationId: orgId, name: 'Harbor EHR', kind: 'ehr' } })
  const base = { organizationId: orgId, standard: 'hl7v2' as const, transport: 'mllp' as const, approach: 'via_engine' as const }
  await prisma.interface.create({ data: { ...base, name: 'LIS → EHR: results', sourceSystemId: lis.id, targetSystemId: ehr.id, messageTypes: ['ORU^R01'] } })
  await prisma.interface.create({ data: { ...base, name: 'EHR → LIS: orders', sourceSystemId: ehr.id, targetSystemId: lis.id, messageTypes: ['ORM^O01'] } })
  return { lis }
}

const plannedWidth = async (page: import('playwright-core').Page, label: string) => {
  const row = page.locator('svg.timeline g[data-row]').filter({ hasText: label })
  return Number(await row.locator('rect[data-bar="planned"]').getAttribute('width'))
}

describe('projects', () => {
  test('a manager starts a project from a system, re-plans a step, sets the baseline and sees the timeline change', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Harbor Health ${suffix}` })
    const manager = await createTestUser({ name: 'Maya Manager', email: `maya.${suffix}@harbor.example` })
    await addMember(org, manager, 'manager', 'it', 'IT Project Office')
    const { lis } = await estate(org.id)
    const base = `/o/${org.slug}`

    const page = await e2e.newPage()
    await page.setViewportSize(DESKTOP)
    await signIn(page, manager.email, manager.password)

    await goto(page, `${base}/projects`)
    await visible(page.getByText('No projects yet'))
    await expectAccessible(page)

    // From the system's page: the system comes into scope.
    await goto(page, `${base}/systems/${lis.id}`)
    await page.getByRole('link', { name: 'Start a project with it' }).click()
    await page.waitForURL(`**${base}/projects/new?systemId=${lis.id}`)
    await waitForHydration(page)
    await expectAccessible(page)
    await expect(page.getByRole('checkbox', { name: 'LabTrack LIS', exact: true }).isChecked()).resolves.toBe(true)
    await page.getByLabel('Name', { exact: true }).fill('Lab results into the EHR')
    await page.getByLabel('Goal').fill('Results in the chart within minutes, no re-keying.')
    await page.getByRole('radio', { name: /Middleware \/ integration engine/ }).check()
    await page.getByRole('checkbox', { name: 'Add every interface of the chosen systems' }).check()
    await page.getByLabel('Start', { exact: true }).fill('2027-01-04')
    await page.getByLabel('Target go-live').fill('2026-12-01')
    await page.getByRole('button', { name: 'Create project' }).click()
    await visible(page.getByText('The target go-live comes after the start date'))
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Lab results into the EHR')
    await page.getByLabel('Target go-live').fill('2027-06-30')
    await page.getByRole('button', { name: 'Create project' }).click()
    await page.waitForURL(/\/projects\/(?!new)[a-z0-9]+$/)
    await visible(page.getByRole('heading', { name: 'Lab results into the EHR', level: 1 }))
    await visible(page.getByText('1 of 5 · Discovery & planning'))
    await visible(page.getByRole('link', { name: 'LIS → EHR: results' }))
    await visible(page.getByRole('link', { name: 'EHR → LIS: orders' }))
    await expectAccessible(page)
    const projectPath = new URL(page.url()).pathname

    // The timeline of the standard plan.
    await goto(page, `${projectPath}/timeline`)
    await visible(page.getByText(/Testing & validation has \d+ % of the delivery timeline\./))
    const before = await plannedWidth(page, 'Unit testing')
    expect(before).toBeGreaterThan(0)
    await expectAccessible(page)

    // Re-plan a step: an end after its phase is refused on the field, with the input kept.
    await goto(page, `${projectPath}/plan`)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Edit Unit testing' }).click()
    await waitForHydration(page)
    const form = page.getByRole('form', { name: 'Edit Unit testing' })
    await form.getByLabel('Planned end').fill('2027-12-31')
    await form.getByLabel('Owner').selectOption({ label: 'Maya Manager · Project manager' })
    await form.getByRole('button', { name: 'Save step' }).click()
    await visible(page.getByText(/ends \(2027-12-31\) after its phase, Testing & validation/))
    await expect(form.getByLabel('Planned end').inputValue()).resolves.toBe('2027-12-31')
    const start = await form.getByLabel('Planned start').inputValue()
    const shorter = new Date(Date.parse(`${start}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10)
    await form.getByLabel('Planned end').fill(shorter)
    await form.getByRole('button', { name: 'Save step' }).click()
    await visible(page.getByText('Step saved', { exact: true }))

    // Approve the plan as the baseline, then re-plan: the baseline keeps the approved dates.
    await page.getByRole('button', { name: 'Approve plan as baseline' }).click()
    await visible(page.getByText('Baseline set', { exact: true }))
    await page.getByRole('link', { name: 'Edit Integration testing' }).click()
    await waitForHydration(page)
    const integration = page.getByRole('form', { name: 'Edit Integration testing' })
    const itStart = await integration.getByLabel('Planned start').inputValue()
    await integration.getByLabel('Planned end').fill(new Date(Date.parse(`${itStart}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10))
    await integration.getByRole('button', { name: 'Save step' }).click()
    await visible(page.getByText('Step saved', { exact: true }))
    await visible(page.getByText(/baseline ends/))
    await docScreenshot(page, 'project-plan')

    await goto(page, `${projectPath}/timeline`)
    expect(await plannedWidth(page, 'Unit testing')).toBeLessThan(before)
    const itRow = page.locator('svg.timeline g[data-row]').filter({ hasText: 'Integration testing' })
    const [planned, baseline] = await Promise.all([itRow.locator('rect[data-bar="planned"]').getAttribute('width'), itRow.locator('rect[data-bar="baseline"]').getAttribute('width')])
    expect(Number(planned)).toBeLessThan(Number(baseline))
    await visible(page.getByRole('cell', { name: /earlier than baseline/ }).first())
    await expectAccessible(page)
    await docScreenshot(page, 'project-timeline')

    // Deployment starts only through its own action, which says what is still open.
    await goto(page, `${projectPath}/plan`)
    await page.getByRole('button', { name: 'Start deployment' }).click()
    await visible(page.getByText(/Finish or skip \(with a reason\) the steps before deployment first/))

    await goto(page, `${base}/projects`)
    await visible(page.getByRole('link', { name: 'Lab results into the EHR' }))
    await docScreenshot(page, 'projects')
    await page.close()
  })

  test('a staff member reads the projects but cannot change them', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Harbor Health ${suffix}` })
    const owner = await createTestUser()
    const ownerMembership = await addMember(org, owner, 'owner', 'executive')
    const staff = await createTestUser({ name: 'Sam Staff', email: `sam.${suffix}@harbor.example` })
    await addMember(org, staff, 'staff', 'clinical', 'Emergency Department')
    const project = await createProject(
      await scopeFor(org, owner),
      ProjectSchema.parse({ name: 'Patient portal on FHIR', goal: 'Questionnaires at home', approach: 'api_first', startDate: '2027-01-04', targetGoLive: '2027-09-30', ownerId: ownerMembership.id }),
    )
    const page = await e2e.newPage()
    await signIn(page, staff.email, staff.password)
    await goto(page, `/o/${org.slug}/projects`)
    await visible(page.getByRole('link', { name: 'Patient portal on FHIR' }))
    await expect(page.getByRole('link', { name: 'New project' }).count()).resolves.toBe(0)
    await goto(page, `/o/${org.slug}/projects/${project.id}/plan`)
    await visible(page.getByRole('heading', { name: 'Plan', level: 1 }))
    await expect(page.getByRole('link', { name: /^Edit / }).count()).resolves.toBe(0)
    await goto(page, `/o/${org.slug}/projects/new`, 403)
    await page.close()
  })

  test('the project home shows waves, RACI problems, decisions and security in one screen, on a desk and on a phone', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Harbor Health ${suffix}` })
    const manager = await createTestUser({ name: 'Maya Manager', email: `maya.${suffix}@harbor.example` })
    const managerMembership = await addMember(org, manager, 'manager', 'it', 'IT Project Office')
    const nurse = await createTestUser({ name: 'Nora Nurse', email: `nora.${suffix}@harbor.example` })
    const nurseMembership = await addMember(org, nurse, 'clinical_lead', 'clinical', 'Emergency Department')
    const { lis } = await estate(org.id)
    const scope = await scopeFor(org, manager)
    const project = await createProject(
      scope,
      ProjectSchema.parse({ name: 'Lab results into the EHR', goal: 'Results in the chart within minutes.', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', ownerId: managerMembership.id, systemIds: [lis.id], withSystemInterfaces: 'on' }),
    )
    await createWave(scope, { ...WaveSchema.parse({ kind: 'pilot', name: 'Emergency Department pilot', units: ['Emergency Department'], goLive: '2027-05-03', memberIds: [nurseMembership.id] }), projectId: project.id })
    await createWave(scope, { ...WaveSchema.parse({ kind: 'expansion', name: 'Wave 1', units: ['ICU'], goLive: '2027-06-14' }), projectId: project.id })
    // One letter only: every other row has no A and no R, so the home counts problems.
    const raci = await getRaci(scope, project.id)
    const uat = raci!.activities.find((a) => a.title.startsWith('User acceptance testing'))!
    await setRaciCell(scope, { projectId: project.id, activityId: uat.id, holder: { membershipId: nurseMembership.id }, letter: 'A' })
    await createDecision(scope, { ...DecisionSchema.parse({ title: 'Route results through the engine', decision: 'Every result goes through the integration engine.' }), projectId: project.id })

    const page = await e2e.newPage()
    await page.setViewportSize(DESKTOP)
    await signIn(page, manager.email, manager.password)
    const home = `/o/${org.slug}/projects/${project.id}`
    await goto(page, home)
    await visible(page.getByRole('heading', { name: 'Pilot & waves: training readiness' }))
    await visible(page.getByText('Emergency Department pilot', { exact: true }))
    await visible(page.getByText(/\d+ problems? in \d+ activit/))
    await visible(page.getByRole('link', { name: 'D-1 · Route results through the engine' }))
    await visible(page.getByText(/items done or not applicable — not attested yet/))
    await expectAccessible(page)
    await docScreenshot(page, 'project-home')
    // The scope has no mapping yet: said in words, never "null %".
    await visible(page.getByText('no required rows yet, no code maps yet, 2 interfaces without a mapping.', { exact: false }))
    // A RACI problem links to its row.
    await page.getByRole('link', { name: 'Define scope and objectives' }).first().click()
    await page.waitForURL(/\/raci#row-/)

    for (const [path, name] of [['', 'project-home-phone'], ['/plan', 'project-plan-phone'], ['/raci', 'project-raci-phone']] as const) {
      await page.setViewportSize(PHONE)
      await goto(page, `${home}${path}`)
      await visible(page.getByRole('navigation', { name: 'Project Lab results into the EHR' }))
      await expectAccessible(page)
      await docScreenshot(page, name)
    }
    await page.close()
  })
})
