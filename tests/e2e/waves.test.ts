/**
 * A project manager plans the rollout: adds an expansion wave with a go-live before the pilot
 * (a field error, the input kept), fixes it, sees it on the timeline as a milestone; makes a
 * calendar URL, fetches it without a session (text/calendar with the wave's go-live), revokes
 * it (then 404); and reads the training adoption of the project's people only.
 */
import { describe, expect, test } from 'vitest'
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema, WaveSchema } from '#app/models/projects/schemas.ts'
import { createWave } from '#app/models/projects/waves.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { addMember, createTestOrg, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { DESKTOP, docScreenshot, expectAccessible, goto, signIn, useBrowser, visible } from './fixtures.ts'

const e2e = useBrowser()

describe('pilot and waves', () => {
  test('a manager adds a wave (a go-live before the pilot refused), sees it on the timeline, subscribes to the calendar and filters adoption by the project', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Harbor Health ${suffix}` })
    const manager = await createTestUser({ name: 'Maya Manager', email: `maya.${suffix}@harbor.example` })
    await addMember(org, manager, 'manager', 'it', 'IT Project Office')
    const scope = await scopeFor(org, manager)
    // Training, counted by hand: Ward 7 — Ann done, Ben not; ICU — Cal done; Radiology — Dee not (in no wave).
    const module = await prisma.trainingModule.create({ data: { organizationId: org.id, title: 'Results inbox' } })
    const person = async (name: string, unit: string, done: boolean) => {
      const u = await createTestUser({ name, email: `${name.toLowerCase()}.${suffix}@harbor.example` })
      const m = await addMember(org, u, 'staff', 'clinical', unit)
      await prisma.trainingAssignment.create({
        data: { organizationId: org.id, moduleId: module.id, membershipId: m.id, dueAt: new Date(Date.now() + 7 * 86_400_000), ...(done ? { status: 'completed', completedAt: new Date() } : {}) },
      })
      return m
    }
    await person('Ann', 'Ward 7', true)
    await person('Ben', 'Ward 7', false)
    await person('Cal', 'ICU', true)
    await person('Dee', 'Radiology', false)
    const project = await createProject(scope, ProjectSchema.parse({ name: 'Lab results into the EHR', goal: 'Results in the chart', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', ownerId: scope.membershipId }))
    await createWave(scope, { projectId: project.id, ...WaveSchema.parse({ kind: 'pilot', name: 'Ward 7 pilot', units: ['Ward 7'], goLive: '2027-06-30', notes: 'Two weeks at the elbow.' }) })
    const base = `/o/${org.slug}`
    const projectPath = `${base}/projects/${project.id}`

    const page = await e2e.newPage()
    await page.setViewportSize(DESKTOP)
    await signIn(page, manager.email, manager.password)

    await goto(page, `${projectPath}/waves`)
    await visible(page.getByRole('heading', { name: 'Ward 7 pilot' }))
    await expectAccessible(page)

    // A wave before the pilot: refused on the go-live, the input kept.
    const add = page.getByRole('form', { name: 'Add a pilot group or wave' })
    await add.getByLabel('Name', { exact: true }).fill('Wave 1 — critical care')
    await add.getByRole('checkbox', { name: 'ICU', exact: true }).check()
    await add.getByLabel('Other units').fill('Step-down unit')
    await add.getByLabel('Planned go-live').fill('2027-06-01')
    await add.getByRole('button', { name: 'Add' }).click()
    await visible(page.getByText(/An expansion wave goes live after the pilot/))
    const kept = page.getByRole('form', { name: 'Add a pilot group or wave' })
    await expect(kept.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Wave 1 — critical care')
    await expect(kept.getByRole('checkbox', { name: 'ICU', exact: true }).isChecked()).resolves.toBe(true)
    await expect(kept.getByLabel('Other units').inputValue()).resolves.toBe('Step-down unit')
    await expectAccessible(page)
    await kept.getByLabel('Planned go-live').fill('2027-07-20')
    await kept.getByRole('button', { name: 'Add' }).click()
    await visible(page.getByRole('heading', { name: 'Wave 1 — critical care' }))
    // Readiness per wave, by hand: the pilot 1 of 2 (50 %), wave 1 1 of 1 (100 %).
    const pilotCard = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Ward 7 pilot' }) })
    await visible(pilotCard.getByText('50 %'))
    const waveCard = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Wave 1 — critical care' }) })
    await visible(waveCard.getByText('100 %'))
    await visible(waveCard.getByText('ICU, Step-down unit'))
    await expectAccessible(page)
    await page.evaluate(() => window.scrollTo(0, 0))
    await docScreenshot(page, 'project-waves')

    // On the timeline: a milestone in the picture and a row in the table.
    await goto(page, `${projectPath}/timeline`)
    await expect(page.locator('svg.timeline [data-milestone="Go-live: Wave 1 — critical care"]').count()).resolves.toBe(1)
    await visible(page.getByRole('rowheader', { name: 'Go-live: Wave 1 — critical care' }))
    await expectAccessible(page)

    // The calendar: a secret URL, fetched without a session, then revoked.
    await goto(page, `${base}/projects`)
    await page.getByRole('link', { name: 'Calendar feed' }).click()
    await page.waitForURL(`**${base}/projects/calendar`)
    await page.getByRole('button', { name: 'Make a calendar URL' }).click()
    const urlField = page.getByRole('textbox', { name: 'Calendar URL' })
    await visible(urlField)
    await expectAccessible(page)
    const feedPath = new URL(await urlField.inputValue()).pathname
    expect(feedPath).toMatch(/^\/calendar\/[A-Za-z0-9_-]{40,}\.ics$/)
    const anonymous = await e2e.newPage()
    const feed = await anonymous.request.get(feedPath)
    expect(feed.status()).toBe(200)
    expect(feed.headers()['content-type']).toMatch(/^text\/calendar/)
    const ics = (await feed.text()).replace(/\r\n /g, '')
    expect(ics).toContain('SUMMARY:Lab results into the EHR: Go-live: Wave 1 — critical care')
    expect(ics).toContain('DTSTART;VALUE=DATE:20270720')
    await goto(page, `${base}/projects/calendar`)
    await visible(page.getByText(/last fetched/))
    await page.getByRole('button', { name: 'Revoke the URL' }).click()
    await visible(page.getByText('You have no calendar feed.'))
    expect((await anonymous.request.get(feedPath)).status()).toBe(404)

    // Training adoption of the project's people only: Ann, Ben, Cal — 2 of 3 (66.7 %), not the organisation's 2 of 4.
    await goto(page, `${base}/training/adoption`)
    await visible(page.getByText('2 of 4 training needs met'))
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Lab results into the EHR' })
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL(`**/training/adoption?project=${project.id}`)
    await visible(page.getByText('2 of 3 training needs met'))
    await visible(page.getByRole('definition').filter({ hasText: '66.7 %' }))
    await expectAccessible(page)
  })
})
