/**
 * An analyst reads a vendor's conformance statement on the system's page before committing to
 * an interface: the upload says plainly what is wrong with a file that is not one (cut off, a
 * Bundle, empty), and a real statement shows all it states — implementation guides, the SMART
 * OAuth endpoints, what the whole server does ($export) and the profiles per resource.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { addMember, createTestOrg, createTestUser, uniqueSuffix } from '#tests/factories.ts'
import { expectAccessible, goto, signIn, useBrowser, visible, waitForHydration } from './fixtures.ts'

const e2e = useBrowser()
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', name))

describe('CapabilityStatement upload', () => {
  test('refuses a cut-off file, a Bundle and an empty file with one plain message each, then shows a US Core statement whole', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Lakeside Health ${suffix}` })
    const analyst = await createTestUser({ name: 'Ana Lyst', email: `ana.${suffix}@lakeside.example` })
    await addMember(org, analyst, 'analyst', 'it', 'Integration Team')
    const system = await prisma.system.create({ data: { organizationId: org.id, name: 'Lakeside EHR', kind: 'ehr', criticality: 'critical' }, select: { id: true } })

    const page = await e2e.newPage()
    await signIn(page, analyst.email, analyst.password)
    await goto(page, `/o/${org.slug}/systems/${system.id}`)
    const section = page.getByRole('region', { name: 'FHIR CapabilityStatement' })
    const upload = async (name: string, buffer: Buffer) => {
      await section.getByLabel('Upload the JSON').setInputFiles({ name, mimeType: 'application/fhir+json', buffer })
      await section.getByRole('button', { name: 'Import file' }).click()
    }
    const alert = section.getByRole('alert')

    // Cut off while copying: said so, with where it ends, not in the JSON parser's words.
    const usCore = fixture('capability-statement-us-core.json')
    await upload('metadata.json', usCore.subarray(0, 4_000))
    await visible(alert.getByText(/^The file ends in the middle of the JSON \(after line \d+\): it looks cut off\./))
    await expect(alert.getByRole('listitem').count()).resolves.toBe(1)
    await expect(alert.innerText()).resolves.not.toMatch(/Unexpected|Expected|position|JSON\.parse/)
    await expectAccessible(page)

    // A searchset Bundle: one message, no second one about fields a Bundle was never going to have.
    await waitForHydration(page)
    await upload('capability-search.json', fixture('capability-bundle-searchset.json'))
    await visible(alert.getByText(/^This is a FHIR Bundle \(searchset, 1 entry\), not a CapabilityStatement; entry 1 holds one\./))
    await expect(alert.getByRole('listitem').count()).resolves.toBe(1)

    await upload('empty.json', Buffer.alloc(0))
    await visible(alert.getByText(/^empty\.json is empty\./))

    // Past the imports' one size limit: said so, in terms of this file.
    await upload('huge.json', Buffer.alloc(21 * 1024 * 1024, 0x20))
    await visible(alert.getByText(/^The file is larger than 20 MB; a CapabilityStatement is rarely more than a few hundred kB\./))

    // Nothing was saved by any of them.
    await expect(prisma.system.findUniqueOrThrow({ where: { id: system.id } }).then((s) => s.capability)).resolves.toBeNull()

    // The real statement, shown whole.
    await upload('metadata.json', usCore)
    await visible(page.getByText('CapabilityStatement imported', { exact: true }).first())
    await visible(section.getByText('Lakeside FHIR Gateway 26.1.4'))
    await visible(section.getByText(/hl7\.fhir\.us\.core\|6\.1\.0/))
    // The security line once: the service in its own words, SMART not repeated after it.
    const securityLine = section.getByRole('region', { name: 'Security' }).locator('p').first()
    await expect(securityLine.innerText()).resolves.toBe('SMART-on-FHIR · CORS allowed')
    const oauth = section.getByRole('list', { name: 'SMART OAuth endpoints' })
    for (const [label, url] of [
      ['Authorize', 'https://auth.lakeside-ehr.example/oauth2/authorize'],
      ['Token', 'https://auth.lakeside-ehr.example/oauth2/token'],
      ['Token revocation', 'https://auth.lakeside-ehr.example/oauth2/revoke'],
    ] as const) {
      await visible(oauth.getByText(label, { exact: true }))
      await visible(oauth.getByText(url, { exact: true }))
    }
    const server = section.getByRole('region', { name: 'The whole server' })
    await visible(server.getByText('transaction, batch, search-system'))
    await visible(server.getByText('$export', { exact: true }))
    const patient = section.getByRole('row', { name: /^Patient/ })
    await visible(patient.getByText('us-core-patient'))
    await visible(patient.getByText('$export, $everything'))
    await expect(section.getByRole('row', { name: /^Observation/ }).getByRole('listitem').count()).resolves.toBe(8)
    await expectAccessible(page)
  })
})
