/**
 * A project manager opens the readiness scorecard and sees the failing checks with their reasons
 * and the page that fixes each; she tries "Start deployment" and is refused, the refusal naming
 * the checks; the compliance officer exempts one check (a past expiry first: a field error, the
 * input kept) and the scorecard shows the exemption; the portfolio lists the project. Desk and
 * phone, axe on every page; screenshots for the docs.
 */
import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { createOrgWithOwner, DEFAULT_TEST_PASSWORD } from '#tests/factories.ts'
import { readyProject } from '#tests/readiness-factories.ts'
import { DESKTOP, docScreenshot, expectAccessible, goto, PHONE, signIn, useBrowser, visible, waitForHydration } from './fixtures.ts'

const e2e = useBrowser()

describe('readiness and the go-live gate', () => {
  test('a manager sees why the gate is closed and is refused deployment; compliance exempts a check', async () => {
    const { org, scope } = await createOrgWithOwner({ orgName: 'Harbor Health' })
    const ready = await readyProject({
      org,
      ownerScope: scope,
      names: { project: 'Lab results into the EHR', interface: 'LIS → EHR: results', pilot: 'Emergency Department pilot', unit: 'Emergency Department', systems: ['LabTrack LIS', 'Harbor EHR'] },
    })
    // Two real problems: a required mapping row back in review, the security assessment not attested.
    await prisma.mappingRow.update({ where: { id: ready.row.id }, data: { reviewState: 'in_review' } })
    await prisma.securityAssessment.updateMany({ where: { projectId: ready.project.id }, data: { attestedAt: null } })
    await prisma.projectStep.updateMany({ where: { projectId: ready.project.id, phase: { kind: { in: ['discovery', 'design', 'testing'] } } }, data: { status: 'done' } })
    await prisma.user.update({ where: { id: (await prisma.membership.findUniqueOrThrow({ where: { id: ready.manager.id } })).userId }, data: { name: 'Maya Manager' } })
    await prisma.user.update({ where: { id: (await prisma.membership.findUniqueOrThrow({ where: { id: ready.compliance.id } })).userId }, data: { name: 'Cleo Compliance' } })
    const emailOf = async (membershipId: string) => (await prisma.membership.findUniqueOrThrow({ where: { id: membershipId }, include: { user: true } })).user.email
    const projectPath = `/o/${org.slug}/projects/${ready.project.id}`

    // ── The manager's scorecard.
    const page = await e2e.newPage()
    await page.setViewportSize(DESKTOP)
    await signIn(page, await emailOf(ready.manager.id), DEFAULT_TEST_PASSWORD)
    await goto(page, `${projectPath}/readiness`)
    await visible(page.getByRole('heading', { name: 'Go-live gate: closed' }))
    await visible(page.getByText('Failing: Mapping coverage, Security risk assessment complete and attested.', { exact: false }))
    const mapping = page.locator('#check-mapping_coverage')
    await visible(mapping.getByText('LIS → EHR: results: v1: 1 required row not approved.'))
    await expect(mapping.getByRole('link', { name: 'Fix: Mapping coverage' }).getAttribute('href')).resolves.toBe(`/o/${org.slug}/mapping/${ready.iface.id}`)
    await visible(page.locator('#check-security').getByText('compliance has not attested', { exact: false }))
    await visible(page.getByRole('table', { name: 'Per interface' }))
    await visible(page.getByRole('table', { name: 'Per wave' }))
    // She is the A of "Phased rollout": the override form is hers.
    await visible(page.getByRole('form', { name: 'Override the gate' }))
    await expectAccessible(page)
    await docScreenshot(page, 'readiness')

    // ── "Start deployment" is refused, naming the checks.
    await goto(page, `${projectPath}/plan`)
    await page.getByRole('button', { name: 'Start deployment' }).click()
    await visible(page.getByText(/Deployment & training cannot start: the go-live gate of “Lab results into the EHR” is closed\. Failing: Mapping coverage, Security risk assessment complete and attested/))
    expect(await prisma.auditEvent.count({ where: { organizationId: org.id, action: 'gate.refused' } })).toBe(1)

    // ── The portfolio.
    await goto(page, `/o/${org.slug}/projects`)
    await page.getByRole('link', { name: 'Readiness portfolio' }).click()
    await page.waitForURL(/\/projects\/readiness$/)
    const row = page.getByRole('row').filter({ hasText: 'Lab results into the EHR' })
    await visible(row.getByText('Needs attention'))
    await visible(row.getByText('Mapping coverage, Security risk assessment complete and attested'))
    await expectAccessible(page)
    await docScreenshot(page, 'readiness-portfolio')
    await page.close()

    // ── Compliance exempts the security check (a past date first).
    const officer = await e2e.newPage()
    await officer.setViewportSize(DESKTOP)
    await signIn(officer, await emailOf(ready.compliance.id), DEFAULT_TEST_PASSWORD)
    await goto(officer, `${projectPath}/readiness`)
    await waitForHydration(officer)
    const form = officer.getByRole('form', { name: 'Exempt a check' })
    await form.getByLabel('Check').selectOption({ label: 'Security risk assessment complete and attested' })
    await form.getByLabel('Expires on').fill('2020-01-01')
    await form.getByLabel('Reason').fill('Attestation meeting booked for Friday; every item is done.')
    await form.getByRole('button', { name: 'Grant exemption' }).click()
    await visible(form.getByText(/The expiry must be in the future/))
    await expect(form.getByLabel('Reason').inputValue()).resolves.toBe('Attestation meeting booked for Friday; every item is done.')
    const future = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10)
    await officer.waitForLoadState('networkidle')
    await form.getByLabel('Expires on').fill(future)
    await form.getByLabel('Expires on').blur()
    await form.getByRole('button', { name: 'Grant exemption' }).click()
    await visible(officer.getByText('Exemption granted', { exact: true }))
    await visible(officer.locator('#check-security').getByText(/^Exempted until .* by Cleo Compliance: Attestation meeting booked for Friday/))
    await visible(officer.getByRole('list', { name: 'Exemptions' }).getByText('Security risk assessment complete and attested'))
    // On a phone: no horizontal scroll at 390 px but inside the tables' own scroll boxes.
    await officer.setViewportSize(PHONE)
    expect(await officer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    await expectAccessible(officer)
    await officer.close()
  })
})
