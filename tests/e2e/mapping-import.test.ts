/**
 * An analyst imports code maps from a spreadsheet into a draft mapping: the first file has
 * mistakes, each named by line and column with the file type kept; the corrected file previews
 * and applies. An approved version refuses imports.
 */
import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { CODE_COLUMNS } from '#app/models/mapping/mapping-csv.ts'
import { addMember, createTestOrg, createTestUser, uniqueSuffix } from '#tests/factories.ts'
import { expectAccessible, goto, signIn, useBrowser, visible, waitForHydration } from './fixtures.ts'

const e2e = useBrowser()

const header = CODE_COLUMNS.map((c) => c.name).join(',')
const line = (cells: Record<string, string>) => CODE_COLUMNS.map((c) => cells[c.name] ?? '').join(',')
const glucose = { sourceSystem: 'urn:harbor:lab', localCode: 'GLU', localDisplay: 'Glucose', targetSystem: 'LOINC', targetCode: '2345-7', equivalence: 'equal' }

describe('mapping import', () => {
  test('an analyst sees each problem by line and column, fixes the file and applies it', async () => {
    const suffix = uniqueSuffix()
    const org = await createTestOrg({ name: `Harbor Health ${suffix}` })
    const analyst = await createTestUser({ name: 'Ana Lyst', email: `ana.${suffix}@harbor.example` })
    await addMember(org, analyst, 'analyst', 'it', 'Integration Team')
    const [lis, ehr] = await Promise.all(
      (['lis', 'ehr'] as const).map((kind) => prisma.system.create({ data: { organizationId: org.id, name: `Harbor ${kind}`, kind } })),
    )
    const iface = await prisma.interface.create({
      data: { organizationId: org.id, name: 'Lab results', sourceSystemId: lis!.id, targetSystemId: ehr!.id, standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine' },
    })
    const draft = await prisma.mappingVersion.create({ data: { organizationId: org.id, interfaceId: iface.id, number: 2 } })
    const page = await e2e.newPage()
    await signIn(page, analyst.email, analyst.password)

    await goto(page, `/o/${org.slug}/mapping/v/${draft.id}/import`)
    await waitForHydration(page)
    await visible(page.getByRole('heading', { name: 'Import into Lab results v2', level: 1 }))
    await expectAccessible(page)

    const bad = [header, line(glucose), line({ ...glucose, localCode: 'NA', targetSystem: 'MeSH' }), line({ ...glucose, localCode: 'K', equivalence: 'close' }), line(glucose)].join('\r\n')
    await page.getByRole('radio', { name: 'Code maps (CSV)' }).check()
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'codes.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
    await page.getByRole('button', { name: 'Preview the import' }).click()
    const problems = page.getByRole('list', { name: 'Problems in the file' })
    await visible(problems)
    await expect(problems.getByRole('listitem').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^line 3, column 4 \(targetSystem\): Unknown code system "MeSH"/),
      expect.stringMatching(/^line 4, column 7 \(equivalence\): Unknown equivalence "close"/),
      expect.stringMatching(/^line 5, column 2 \(localCode\): Duplicate: line 2 has the same sourceSystem, localCode and targetSystem\./),
    ])
    await expect(page.getByRole('radio', { name: 'Code maps (CSV)' }).isChecked()).resolves.toBe(true)
    await expect(page.getByRole('button', { name: 'Apply the import' }).isDisabled()).resolves.toBe(true)
    await expectAccessible(page)
    expect(await prisma.codeMap.count({ where: { versionId: draft.id } })).toBe(0)

    const good = [header, line(glucose), line({ ...glucose, localCode: 'NA', localDisplay: 'Sodium', targetCode: '2951-2' }), line({ ...glucose, localCode: 'OLD', targetCode: '', equivalence: 'unmatched', comment: 'Retired' })].join('\r\n')
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'codes-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(good) })
    await page.getByRole('button', { name: 'Preview the import' }).click()
    await visible(page.getByRole('heading', { name: 'Preview: codes-fixed.csv (Code maps (CSV))' }))
    await expect(page.getByText('To create').locator('xpath=following-sibling::dd[1]').innerText()).resolves.toBe('3')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Apply the import' }).click()
    await page.waitForURL(`**/o/${org.slug}/mapping/v/${draft.id}/codes`)
    await visible(page.getByText('Imported: 3 created, 0 updated, 0 unchanged'))
    const maps = await prisma.codeMap.findMany({ where: { versionId: draft.id }, orderBy: { localCode: 'asc' } })
    expect(maps.map((m) => [m.localCode, m.targetSystem, m.targetCode, m.equivalence])).toEqual([
      ['GLU', 'http://loinc.org', '2345-7', 'equal'],
      ['NA', 'http://loinc.org', '2951-2', 'equal'],
      ['OLD', 'http://loinc.org', null, 'unmatched'],
    ])

    // A frozen version says so and offers no upload.
    await prisma.mappingVersion.update({ where: { id: draft.id }, data: { status: 'approved', approvedAt: new Date() } })
    await goto(page, `/o/${org.slug}/mapping/v/${draft.id}/import`)
    await visible(page.getByText('v2 is approved and frozen; start a new version to change it.'))
    await expect(page.getByRole('button', { name: 'Preview the import' }).count()).resolves.toBe(0)
    await expectAccessible(page)
  })
})
