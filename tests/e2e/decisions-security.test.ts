/**
 * A project manager logs a decision (a missing title first: a field error, the input kept),
 * accepts it, finds it can no longer be edited, and supersedes it; a compliance officer
 * completes the security risk assessment (attesting too early is refused, a plain http link is
 * a field error) and attests it; then the manager adds a system of a new vendor to the scope and
 * the assessment shows re-opened, with a new business associate agreement to get.
 */
import { describe, expect, test } from 'vitest'
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { SECURITY_ITEM_KINDS } from '#app/models/projects/vocabulary.ts'
import { prisma } from '#app/utils/db.server.ts'
import { addMember, createTestOrg, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { DESKTOP, docScreenshot, expectAccessible, goto, signIn, useBrowser, visible, waitForHydration } from './fixtures.ts'

const e2e = useBrowser()

describe('decisions and security', () => {
  test('a manager logs, accepts and supersedes a decision; compliance completes and attests the assessment; a new vendor re-opens it', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Harbor Health ${suffix}` })
    const manager = await createTestUser({ name: 'Maya Manager', email: `maya.${suffix}@harbor.example` })
    await addMember(org, manager, 'manager', 'it', 'IT Project Office')
    const officer = await createTestUser({ name: 'Cleo Compliance', email: `cleo.${suffix}@harbor.example` })
    await addMember(org, officer, 'compliance', 'compliance', 'Privacy Office')
    const lis = await prisma.system.create({ data: { organizationId: org.id, name: 'LabTrack LIS', kind: 'lis', vendor: 'Northwind Diagnostics' } })
    const ehr = await prisma.system.create({ data: { organizationId: org.id, name: 'Harbor EHR', kind: 'ehr', vendor: 'Meridian Health Systems' } })
    await prisma.system.create({ data: { organizationId: org.id, name: 'Statewide Reference Lab', kind: 'lis', vendor: 'Statewide Labs' } })
    const results = await prisma.interface.create({
      data: { organizationId: org.id, name: 'LIS → EHR: results', sourceSystemId: lis.id, targetSystemId: ehr.id, standard: 'hl7v2', transport: 'mllp', approach: 'via_engine', messageTypes: ['ORU^R01'] },
    })
    const project = await createProject(
      await scopeFor(org, manager),
      ProjectSchema.parse({ name: 'Lab results into the EHR', goal: 'Results in the chart within minutes.', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', interfaceIds: [results.id] }),
    )
    const projectPath = `/o/${org.slug}/projects/${project.id}`

    // ── The manager's decision log.
    const page = await e2e.newPage()
    await page.setViewportSize(DESKTOP)
    await signIn(page, manager.email, manager.password)
    await goto(page, `${projectPath}/decisions`)
    await visible(page.getByText('No decisions logged yet'))
    await expectAccessible(page)
    const logForm = page.getByRole('form', { name: 'Log a decision' })
    await logForm.getByLabel('Decision', { exact: true }).fill('Deliver results in a nightly batch file.')
    await logForm.getByRole('button', { name: 'Log decision' }).click()
    await visible(logForm.getByText('Give the decision a title'))
    await expect(logForm.getByLabel('Decision', { exact: true }).inputValue()).resolves.toBe('Deliver results in a nightly batch file.')
    await logForm.getByLabel('Title').fill('Nightly batch delivery')
    await logForm.getByLabel('Rationale').fill('Matches the reference lab’s end-of-day export.')
    await logForm.getByLabel('Owner').selectOption({ label: 'Maya Manager · Project manager' })
    await logForm.getByLabel('Linked interface').selectOption({ label: 'LIS → EHR: results' })
    await logForm.getByRole('button', { name: 'Log decision' }).click()
    await visible(page.getByText('D-1 logged', { exact: true }))
    await page.getByRole('button', { name: 'Accept D-1' }).click()
    await visible(page.getByText('D-1 accepted', { exact: true }))

    // Accepted: no edit form, only "supersede".
    await page.getByRole('link', { name: 'D-1 Nightly batch delivery' }).click()
    await page.waitForURL(/\/decisions\/[a-z0-9]+$/)
    await visible(page.getByText('This decision is accepted and can no longer be edited.', { exact: false }))
    await expect(page.getByRole('form', { name: 'Edit D-1' }).count()).resolves.toBe(0)
    await expectAccessible(page)
    await page.getByRole('link', { name: 'Supersede D-1' }).click()
    await waitForHydration(page)
    const supersede = page.getByRole('form', { name: 'Supersede D-1' })
    await expect(supersede.getByLabel('Title').inputValue()).resolves.toBe('Nightly batch delivery')
    await supersede.getByLabel('Title').fill('Real-time delivery over MLLP')
    await supersede.getByLabel('Decision', { exact: true }).fill('Results are filed as they arrive, over MLLP with TLS.')
    await supersede.getByRole('button', { name: 'Propose the new decision' }).click()
    await visible(page.getByText('D-2 proposed', { exact: true }))
    await visible(page.getByText('supersedes'))
    await page.getByRole('button', { name: 'Accept D-2' }).click()
    await visible(page.getByText('D-2 accepted', { exact: true }))
    await goto(page, `${projectPath}/decisions`)
    const first = page.getByRole('list', { name: 'Decisions' }).getByRole('listitem').filter({ hasText: 'Nightly batch delivery' })
    await visible(first.getByText('superseded by'))
    await visible(first.getByText('Superseded', { exact: true }))
    await expectAccessible(page)
    await docScreenshot(page, 'project-decisions')

    // ── Compliance completes the assessment and attests it.
    const cp = await e2e.newPage()
    await cp.setViewportSize(DESKTOP)
    await signIn(cp, officer.email, officer.password)
    await goto(cp, `${projectPath}/security`)
    await visible(cp.getByText('0 of 8 items done or not applicable', { exact: false }))
    await expectAccessible(cp)
    await cp.getByRole('button', { name: 'Attest' }).click()
    await visible(cp.getByText(/Complete every item before attesting/))
    const labels = [
      ...(['tls', 'encryption_at_rest', 'access_control', 'audit_logging', 'oauth_smart'] as const).map((k) => SECURITY_ITEM_KINDS[k].label),
      `${SECURITY_ITEM_KINDS.baa.label} — Meridian Health Systems`,
      `${SECURITY_ITEM_KINDS.baa.label} — Northwind Diagnostics`,
      SECURITY_ITEM_KINDS.risk_review.label,
    ]
    for (const [i, label] of labels.entries()) {
      await cp.getByText(`Update ${label}`, { exact: true }).click()
      const form = cp.getByRole('form', { name: `Update ${label}` })
      if (label === SECURITY_ITEM_KINDS.oauth_smart.label) {
        // No FHIR in scope: offered as not applicable, with the reason filled in.
        await expect(form.getByLabel('Status').inputValue()).resolves.toBe('not_applicable')
      } else {
        await form.getByLabel('Status').selectOption('done')
        await form.getByLabel('Evidence', { exact: true }).fill(`Checked: ${label}`)
        await form.getByLabel('Evidence link').fill(i === 0 ? 'http://wiki.harbor.example/tls' : `https://wiki.harbor.example/security/${i}`)
      }
      await form.getByRole('button', { name: `Save ${label}` }).click()
      if (i === 0) {
        await visible(form.getByText('Enter an https:// link'))
        await expect(form.getByLabel('Evidence', { exact: true }).inputValue()).resolves.toBe(`Checked: ${label}`)
        await form.getByLabel('Evidence link').fill('https://wiki.harbor.example/tls')
        // Leaving the field revalidates it and removes the error (the button moves): leave it before clicking.
        await form.getByLabel('Evidence link').press('Tab')
        await expect(form.getByText('Enter an https:// link').count()).resolves.toBe(0)
        await form.getByRole('button', { name: `Save ${label}` }).click()
      }
      await visible(cp.getByText(`${i + 1} of 8 items done or not applicable`, { exact: false }))
    }
    await cp.getByLabel('Attestation note').fill('Reviewed with the CISO.')
    await cp.getByRole('button', { name: 'Attest' }).click()
    await visible(cp.getByText('Assessment attested', { exact: true }))
    await visible(cp.getByText('Attested by Cleo Compliance', { exact: true }))

    // ── The manager adds the reference lab (a new vendor) to the scope: the assessment re-opens.
    await goto(page, `${projectPath}/edit`)
    await page.getByRole('checkbox', { name: 'Statewide Reference Lab', exact: true }).check()
    await page.getByRole('button', { name: 'Save project' }).click()
    await visible(page.getByText('Project saved', { exact: true }))
    await goto(page, `${projectPath}/security`)
    await visible(page.getByText(/^Re-opened on/))
    await visible(page.getByText('Scope changed: vendor Statewide Labs needs a business associate agreement.'))
    const baa = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: `${SECURITY_ITEM_KINDS.baa.label} — Statewide Labs` }) })
    await visible(baa.getByText('Open', { exact: true }))
    await visible(page.getByText('8 of 9 items done or not applicable', { exact: false }))
    await expectAccessible(page)
    await docScreenshot(page, 'project-security')
    await page.close()
    await cp.close()
  })
})
