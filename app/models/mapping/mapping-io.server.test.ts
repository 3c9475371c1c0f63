import { beforeAll, describe, expect, it } from 'vitest'
import { validateConceptMapR4 } from '#app/models/mapping/concept-map.ts'
import { prisma } from '#app/utils/db.server.ts'
import { sha256 } from '#app/utils/crypto.server.ts'
import { CODE_COLUMNS, ROW_COLUMNS } from '#app/models/mapping/mapping-csv.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { verifyChain } from '../audit/audit.server.ts'
import { applyMappingImport, exportMapping, previewMappingImport } from './mapping-io.server.ts'

const ROW_HEADER = ROW_COLUMNS.map((c) => c.name).join(',')
const CODE_HEADER = CODE_COLUMNS.map((c) => c.name).join(',')
const rowLine = (cells: Partial<Record<string, string>>) => ROW_COLUMNS.map((c) => cells[c.name] ?? '').join(',')
const codeLine = (cells: Partial<Record<string, string>>) => CODE_COLUMNS.map((c) => cells[c.name] ?? '').join(',')

const DOB = {
  sourceField: 'Date of birth',
  sourcePath: 'PID-7.1',
  targetField: 'Birth date',
  targetPath: 'Patient.birthDate',
  dataType: 'date',
  requirement: 'required',
  transformType: 'format_date',
  transformRule: 'YYYYMMDD → YYYY-MM-DD',
  qualityRule: 'Missing → reject and flag; never default',
} as const
const TEST_CODE = { sourceField: 'Test code', sourcePath: 'OBX-3', targetField: 'Code', targetPath: 'Observation.code', dataType: 'CodeableConcept', requirement: 'optional', transformType: 'lookup' } as const

async function makeVersion(org: { id: string }, status: 'draft' | 'approved' = 'draft', number = 1, interfaceId?: string) {
  const u = uniqueSuffix()
  let ifaceId = interfaceId
  if (!ifaceId) {
    const [a, b] = await Promise.all(
      (['ehr', 'lis'] as const).map((kind) => prisma.system.create({ data: { organizationId: org.id, name: `${kind} ${u}`, kind } })),
    )
    const iface = await prisma.interface.create({
      data: { organizationId: org.id, name: `Lab results ${u}`, sourceSystemId: b!.id, targetSystemId: a!.id, standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine' },
    })
    ifaceId = iface.id
  }
  return prisma.mappingVersion.create({ data: { organizationId: org.id, interfaceId: ifaceId, number, status } })
}

async function importFile(scope: TenantScope, versionId: string, kind: 'rows' | 'codes' | 'conceptmap', content: string | Uint8Array) {
  const preview = await previewMappingImport(scope, { versionId, kind, fileName: `${kind}.csv`, content })
  expect(preview?.plan.errors).toEqual([])
  const applied = await applyMappingImport(scope, { versionId, batchId: preview!.batchId! })
  expect(applied?.status).toBe('applied')
  return applied!.plan
}

async function setup() {
  const { org, owner, scope } = await createOrgWithOwner()
  const analystUser = await createTestUser()
  const analyst = await addMember(org, analystUser, 'analyst')
  return { org, owner, scope, analyst, analystScope: await scopeFor(org, analystUser) }
}

describe('mapping rows: CSV import', () => {
  let ctx: Awaited<ReturnType<typeof setup>>
  beforeAll(async () => {
    ctx = await setup()
  })

  it('creates rows authored by the importer after the last, in file order, and audits the import once with the batch', async () => {
    const { org, analystScope, analyst } = ctx
    const v = await makeVersion(org)
    const existing = await prisma.mappingRow.create({
      data: { organizationId: org.id, versionId: v.id, lineageId: 'lin-existing', position: 7, ...DOB, sourcePath: 'PID-5', targetPath: 'Patient.name', requirement: 'optional', transformType: 'copy' },
    })
    const csv = [ROW_HEADER, rowLine(DOB), rowLine(TEST_CODE)].join('\r\n')
    const plan = await importFile(analystScope, v.id, 'rows', csv)
    expect(plan.counts).toEqual({ create: 2, update: 0, unchanged: 0 })
    const rows = await prisma.mappingRow.findMany({ where: { versionId: v.id }, orderBy: { position: 'asc' } })
    expect(rows.map((r) => [r.sourcePath, r.position, r.authorId, r.reviewState])).toEqual([
      ['PID-5', 7, null, 'draft'],
      ['PID-7.1', 8, analyst.id, 'draft'],
      ['OBX-3', 9, analyst.id, 'draft'],
    ])
    expect(rows[1]!.lineageId).toBe(rows[1]!.id)
    expect(rows[1]).toMatchObject({ transformRule: 'YYYYMMDD → YYYY-MM-DD', allowedValues: null, requirement: 'required' })
    const events = await prisma.auditEvent.findMany({ where: { organizationId: org.id, action: { startsWith: 'mapping.' } }, orderBy: { seq: 'asc' } })
    // ONE event for the applied file (ADR 029): the batch, the file's hash, the rows it created.
    expect(events.map((e) => e.action)).toEqual(['mapping.imported'])
    const summary = events.at(-1)!
    expect(summary.metadata).toMatchObject({ kind: 'rows', fileName: 'rows.csv', version: 'v1', create: 2, update: 0, unchanged: 0, items: 2, created: [rows[1]!.id, rows[2]!.id] })
    const batch = await prisma.importBatch.findFirstOrThrow({ where: { id: (summary.metadata as { batchId: string }).batchId, organizationId: org.id } })
    expect((summary.metadata as { sha256: string }).sha256).toBe(sha256(batch.content))
    // The row already there is not touched: same id, lineage and last change.
    expect(rows[0]).toMatchObject({ id: existing.id, lineageId: 'lin-existing', updatedAt: existing.updatedAt })
    expect((await verifyChain(org.id)).ok).toBe(true)
  })

  it('a changed row goes back to draft with the reviewer cleared; an unchanged one keeps its review', async () => {
    const { org, owner, analystScope } = ctx
    const ownerMember = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
    const v = await makeVersion(org)
    const reviewed = { reviewState: 'approved' as const, reviewedById: ownerMember.id, reviewedAt: new Date(), reviewComment: 'Looks right' }
    const [dob, code] = await Promise.all([
      prisma.mappingRow.create({ data: { organizationId: org.id, versionId: v.id, lineageId: `l1-${v.id}`, position: 1, ...DOB, ...reviewed } }),
      prisma.mappingRow.create({ data: { organizationId: org.id, versionId: v.id, lineageId: `l2-${v.id}`, position: 2, ...TEST_CODE, ...reviewed } }),
    ])
    // Paths match without regard to case; only notes change on the first row.
    const csv = [ROW_HEADER, rowLine({ ...DOB, sourcePath: 'pid-7.1', notes: 'Partial dates happen' }), rowLine(TEST_CODE)].join('\n')
    const preview = await previewMappingImport(analystScope, { versionId: v.id, kind: 'rows', fileName: 'rows.csv', content: csv })
    expect(preview!.plan.counts).toEqual({ create: 0, update: 1, unchanged: 1 })
    expect(preview!.plan.items[0]).toMatchObject({
      line: 2,
      action: 'update',
      changes: [
        { column: 'sourcePath', from: 'PID-7.1', to: 'pid-7.1' },
        { column: 'notes', from: '', to: 'Partial dates happen' },
      ],
    })
    expect((await applyMappingImport(analystScope, { versionId: v.id, batchId: preview!.batchId! }))?.status).toBe('applied')
    const after = await prisma.mappingRow.findMany({ where: { versionId: v.id }, orderBy: { position: 'asc' } })
    expect(after[0]).toMatchObject({ id: dob.id, notes: 'Partial dates happen', reviewState: 'draft', reviewedById: null, reviewedAt: null, reviewComment: null })
    expect(after[1]).toMatchObject({ id: code.id, reviewState: 'approved', reviewedById: ownerMember.id, reviewComment: 'Looks right' })
    const imported = await prisma.auditEvent.findFirstOrThrow({ where: { organizationId: org.id, action: 'mapping.imported', targetId: v.id } })
    expect(imported.metadata).toMatchObject({ created: [], updated: [{ id: dob.id, reviewStateWas: 'approved', changes: { notes: { from: null, to: 'Partial dates happen' } } }] })
  })

  it('reports every bad row by line and column and writes nothing', async () => {
    const { org, analystScope } = ctx
    const v = await makeVersion(org)
    const csv = [ROW_HEADER, rowLine(DOB), rowLine({ ...TEST_CODE, requirement: 'must' }), rowLine({ ...DOB, qualityRule: '' }), rowLine(DOB)].join('\n')
    const preview = await previewMappingImport(analystScope, { versionId: v.id, kind: 'rows', fileName: 'bad.csv', content: csv })
    expect(preview!.batchId).toBeNull()
    expect(preview!.plan.errors.map((e) => [e.line, e.columnNumber, e.column])).toEqual([
      [3, 6, 'requirement'],
      [4, 4, 'targetPath'],
      [4, 11, 'qualityRule'],
      [5, 4, 'targetPath'],
    ])
    expect(await prisma.mappingRow.count({ where: { versionId: v.id } })).toBe(0)
    expect(await prisma.importBatch.count({ where: { organizationId: org.id, fileName: 'bad.csv' } })).toBe(0)
  })

  it('refuses an approved version, at preview and when it was approved after the preview', async () => {
    const { org, analystScope } = ctx
    const approved = await makeVersion(org, 'approved', 2)
    const csv = [ROW_HEADER, rowLine(DOB)].join('\n')
    await expectDomainError(previewMappingImport(analystScope, { versionId: approved.id, kind: 'rows', content: csv }), 'RULE_VIOLATION', /^v2 is approved and frozen; start a new version to change it\.$/)

    const draft = await makeVersion(org, 'draft', 3)
    const preview = await previewMappingImport(analystScope, { versionId: draft.id, kind: 'codes', content: [CODE_HEADER, codeLine({ sourceSystem: 'urn:x', localCode: 'A', targetSystem: 'LOINC', targetCode: '1-8', equivalence: 'equal' })].join('\n') })
    await prisma.mappingVersion.update({ where: { id: draft.id }, data: { status: 'approved' } })
    await expectDomainError(applyMappingImport(analystScope, { versionId: draft.id, batchId: preview!.batchId! }), 'RULE_VIOLATION', /^v3 is approved and frozen/)
    expect(await prisma.codeMap.count({ where: { versionId: draft.id } })).toBe(0)
    // The claim rolled back with the rest.
    expect((await prisma.importBatch.findUniqueOrThrow({ where: { id: preview!.batchId! } })).appliedAt).toBeNull()
  })

  it('applies a batch once, and only to the version it was previewed for', async () => {
    const { org, analystScope } = ctx
    const v = await makeVersion(org)
    const other = await makeVersion(org)
    const preview = await previewMappingImport(analystScope, { versionId: v.id, kind: 'rows', content: [ROW_HEADER, rowLine(DOB)].join('\n') })
    expect(await applyMappingImport(analystScope, { versionId: other.id, batchId: preview!.batchId! })).toBeNull()
    expect((await applyMappingImport(analystScope, { versionId: v.id, batchId: preview!.batchId! }))?.status).toBe('applied')
    await expectDomainError(applyMappingImport(analystScope, { versionId: v.id, batchId: preview!.batchId! }), 'CONFLICT', /already been applied/)
    expect(await prisma.mappingRow.count({ where: { versionId: { in: [v.id, other.id] } } })).toBe(1)
  })

  it("keeps another organisation out: its scope can't preview, apply or export a version", async () => {
    const { org, analystScope } = ctx
    const intruder = await setup()
    const v = await makeVersion(org)
    await importFile(analystScope, v.id, 'rows', [ROW_HEADER, rowLine(DOB)].join('\n'))
    const csv = [ROW_HEADER, rowLine({ ...DOB, notes: 'intruder' })].join('\n')
    expect(await previewMappingImport(intruder.scope, { versionId: v.id, kind: 'rows', content: csv })).toBeNull()
    for (const kind of ['rows', 'codes', 'conceptmap'] as const) expect(await exportMapping(intruder.scope, { versionId: v.id, kind })).toBeNull()
    // A batch of A's, for A's version, applied with B's scope: not found.
    const preview = await previewMappingImport(analystScope, { versionId: v.id, kind: 'rows', content: csv })
    expect(await applyMappingImport(intruder.scope, { versionId: v.id, batchId: preview!.batchId! })).toBeNull()
    // B's own batch, named with A's version: not found either.
    const theirs = await makeVersion(intruder.org)
    const theirPreview = await previewMappingImport(intruder.scope, { versionId: theirs.id, kind: 'rows', content: csv })
    expect(await applyMappingImport(intruder.scope, { versionId: v.id, batchId: theirPreview!.batchId! })).toBeNull()
    expect(await applyMappingImport(analystScope, { versionId: v.id, batchId: theirPreview!.batchId! })).toBeNull()
    expect((await prisma.mappingRow.findFirstOrThrow({ where: { versionId: v.id } })).notes).toBeNull()
  })
})

describe('code maps: CSV import', () => {
  let ctx: Awaited<ReturnType<typeof setup>>
  beforeAll(async () => {
    ctx = await setup()
  })

  it('upserts by (sourceSystem, localCode, targetSystem); rowSourcePath links a row, or names the missing one', async () => {
    const { org, analystScope } = ctx
    const v = await makeVersion(org)
    await importFile(analystScope, v.id, 'rows', [ROW_HEADER, rowLine(TEST_CODE), rowLine({ ...TEST_CODE, targetPath: 'Observation.category' })].join('\n'))
    const [obx3] = await prisma.mappingRow.findMany({ where: { versionId: v.id }, orderBy: { position: 'asc' } })
    const glu = { sourceSystem: 'urn:riverside:lab', localCode: 'GLU', targetSystem: 'LOINC', targetCode: '2345-7', equivalence: 'equal' }
    const bad = [
      CODE_HEADER,
      codeLine({ ...glu, rowSourcePath: 'OBX-3' }),
      codeLine({ ...glu, localCode: 'NA', rowSourcePath: 'OBX-99' }),
      codeLine({ ...glu, localCode: 'K', targetSystem: 'MeSH' }),
      codeLine({ ...glu, localCode: 'glu' }),
      codeLine({ ...glu, targetSystem: 'http://loinc.org' }),
    ].join('\n')
    const refused = await previewMappingImport(analystScope, { versionId: v.id, kind: 'codes', content: bad })
    expect(refused!.plan.errors.map((e) => [e.line, e.columnNumber, e.column, e.message])).toEqual([
      [2, 9, 'rowSourcePath', expect.stringMatching(/^2 rows of this version have the source path OBX-3: write which one, e\.g\. "OBX-3 → Observation\.code"/)],
      [3, 9, 'rowSourcePath', 'No row of this version has the source path OBX-99 (import or add the row first).'],
      [4, 4, 'targetSystem', expect.stringMatching(/^Unknown code system "MeSH"/)],
      [6, 2, 'localCode', 'Duplicate: line 2 has the same sourceSystem, localCode and targetSystem.'],
    ])

    const good = [CODE_HEADER, codeLine({ ...glu, rowSourcePath: 'obx-3 → observation.code' }), codeLine({ ...glu, localCode: 'OLD', targetCode: '', equivalence: 'unmatched', comment: 'Retired' })].join('\n')
    expect((await importFile(analystScope, v.id, 'codes', good)).counts).toEqual({ create: 2, update: 0, unchanged: 0 })
    const maps = await prisma.codeMap.findMany({ where: { versionId: v.id }, orderBy: { localCode: 'asc' } })
    expect(maps.map((m) => [m.localCode, m.targetSystem, m.targetCode, m.equivalence, m.rowId])).toEqual([
      ['GLU', 'http://loinc.org', '2345-7', 'equal', obx3!.id],
      ['OLD', 'http://loinc.org', null, 'unmatched', null],
    ])
    // The same file again (the link spelled differently): nothing changes. Without the link
    // column, links stay; a changed code is an update.
    expect((await importFile(analystScope, v.id, 'codes', good)).counts).toEqual({ create: 0, update: 0, unchanged: 2 })
    const noLinks = CODE_COLUMNS.filter((c) => c.name !== 'rowSourcePath')
    const changed = [noLinks.map((c) => c.name).join(','), noLinks.map((c) => ({ ...glu, targetCode: '2339-0' })[c.name as keyof typeof glu] ?? '').join(',')].join('\n')
    const plan = await importFile(analystScope, v.id, 'codes', changed)
    expect(plan.counts).toEqual({ create: 0, update: 1, unchanged: 0 })
    expect(plan.items[0]!.changes).toEqual([{ column: 'targetCode', from: '2345-7', to: '2339-0' }])
    expect(await prisma.codeMap.findFirstOrThrow({ where: { versionId: v.id, localCode: 'GLU' } })).toMatchObject({ targetCode: '2339-0', rowId: obx3!.id })
    const glucose = await prisma.codeMap.findFirstOrThrow({ where: { versionId: v.id, localCode: 'GLU' } })
    const updated = await prisma.auditEvent.findFirstOrThrow({ where: { organizationId: org.id, action: 'mapping.imported' }, orderBy: { seq: 'desc' } })
    expect(updated.metadata).toMatchObject({ update: 1, updated: [{ id: glucose.id, changes: { targetCode: { from: '2345-7', to: '2339-0' } } }] })
    expect((await verifyChain(org.id)).ok).toBe(true)
  })
})

describe('round trips', () => {
  let ctx: Awaited<ReturnType<typeof setup>>
  beforeAll(async () => {
    ctx = await setup()
  })

  /** A version with rows (formula-looking cells, line breaks, commas) and code maps linked to them. */
  async function populated() {
    const { org, analystScope } = ctx
    const v = await makeVersion(org)
    const rows = [
      ROW_HEADER,
      rowLine(DOB),
      rowLine({ ...TEST_CODE, notes: '"=HYPERLINK(""x""), then\r\na second line"', allowedValues: '+/-' }),
      rowLine({ ...TEST_CODE, targetPath: 'Observation.category', usageFrequency: '@rare' }),
      rowLine({ ...TEST_CODE, sourcePath: 'OBX-6', targetPath: 'Observation.valueQuantity.unit', transformType: 'lookup' }),
    ].join('\r\n')
    await importFile(analystScope, v.id, 'rows', rows)
    const codes = [
      CODE_HEADER,
      codeLine({ sourceSystem: 'urn:riverside:lab', localCode: 'GLU', localDisplay: 'Glucose', targetSystem: 'LOINC', targetCode: '2345-7', targetDisplay: 'Glucose [Mass/volume] in Serum or Plasma', equivalence: 'equal', rowSourcePath: 'OBX-3 → Observation.code' }),
      codeLine({ sourceSystem: 'urn:riverside:lab', localCode: 'HBA', targetSystem: 'LOINC', targetCode: '4548-4', equivalence: 'narrower', comment: '"Whole blood only, per lab"' }),
      codeLine({ sourceSystem: 'urn:riverside:lab', localCode: '-OLD', targetSystem: 'LOINC', equivalence: 'unmatched', comment: 'Retired' }),
      codeLine({ sourceSystem: 'urn:riverside:units', localCode: 'mg/dl', targetSystem: 'UCUM', targetCode: 'mg/dL', equivalence: 'equal', rowSourcePath: 'OBX-6' }),
      codeLine({ sourceSystem: 'urn:riverside:dx', localCode: 'DM2', targetSystem: 'SNOMED CT', targetCode: '44054006', equivalence: 'wider' }),
    ].join('\r\n')
    await importFile(analystScope, v.id, 'codes', codes)
    return v
  }

  it('export CSV → import into a new draft → export gives the same files', async () => {
    const { org, analystScope } = ctx
    const v = await populated()
    const rows = (await exportMapping(analystScope, { versionId: v.id, kind: 'rows' }))!
    const codes = (await exportMapping(analystScope, { versionId: v.id, kind: 'codes' }))!
    expect(rows.body.startsWith('\uFEFFsourceField,sourcePath,')).toBe(true)
    expect(rows.body).toContain("'=HYPERLINK")
    expect(codes.body).toContain('OBX-3 → Observation.code')
    expect(codes.body).toContain(',OBX-6\r\n')

    const fresh = await makeVersion(org)
    await importFile(analystScope, fresh.id, 'rows', rows.body)
    await importFile(analystScope, fresh.id, 'codes', new TextEncoder().encode(codes.body))
    expect((await exportMapping(analystScope, { versionId: fresh.id, kind: 'rows' }))!.body).toBe(rows.body)
    expect((await exportMapping(analystScope, { versionId: fresh.id, kind: 'codes' }))!.body).toBe(codes.body)
    // Re-importing the export into the version it came from changes nothing.
    expect((await importFile(analystScope, v.id, 'rows', rows.body)).counts).toEqual({ create: 0, update: 0, unchanged: 4 })
    expect((await importFile(analystScope, v.id, 'codes', codes.body)).counts).toEqual({ create: 0, update: 0, unchanged: 5 })
  })

  it('exports a valid R4 ConceptMap; ConceptMap → new draft → ConceptMap is the same (but its date and version)', async () => {
    const { org, analystScope } = ctx
    const v = await populated()
    await prisma.mappingVersion.update({ where: { id: v.id }, data: { status: 'approved', approvedAt: new Date('2026-11-01T09:00:00Z') } })
    const exported = (await exportMapping(analystScope, { versionId: v.id, kind: 'conceptmap' }))!
    expect(exported.contentType).toMatch(/^application\/fhir\+json/)
    const cm = JSON.parse(exported.body)
    expect(validateConceptMapR4(cm)).toEqual([])
    expect(cm).toMatchObject({ resourceType: 'ConceptMap', status: 'active', version: '1', date: '2026-11-01T09:00:00.000Z' })
    expect(cm.group).toHaveLength(3)

    const next = await makeVersion(org, 'draft', 2, v.interfaceId)
    const plan = await importFile(analystScope, next.id, 'conceptmap', exported.body)
    expect(plan.counts).toEqual({ create: 5, update: 0, unchanged: 0 })
    const again = JSON.parse((await exportMapping(analystScope, { versionId: next.id, kind: 'conceptmap' }))!.body)
    expect(again).toMatchObject({ status: 'draft', version: '2' })
    // A draft's date is its last change, code maps included.
    const newest = await prisma.codeMap.aggregate({ where: { versionId: next.id }, _max: { updatedAt: true } })
    expect(again.date).toBe(newest._max.updatedAt!.toISOString())
    const comparable = (x: Record<string, unknown>) => ({ ...x, date: undefined, version: undefined, status: undefined })
    expect(comparable(again)).toEqual(comparable(cm))
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { organizationId: org.id, action: 'mapping.imported', targetId: next.id } })
    expect(audit.metadata).toMatchObject({ kind: 'conceptmap', create: 5 })
  })

  it('reports a ConceptMap problem by JSON path and imports nothing', async () => {
    const { org, analystScope } = ctx
    const v = await makeVersion(org)
    const cm = { resourceType: 'ConceptMap', status: 'draft', group: [{ source: 'urn:x', target: 'http://loinc.org', element: [{ code: 'A', target: [{ code: '1-8', equivalence: 'inexact', comment: 'partly' }] }] }] }
    const preview = await previewMappingImport(analystScope, { versionId: v.id, kind: 'conceptmap', fileName: 'cm.json', content: JSON.stringify(cm) })
    expect(preview!.batchId).toBeNull()
    expect(preview!.plan.errors).toEqual([expect.objectContaining({ path: 'group[0].element[0].target[0].equivalence', message: expect.stringMatching(/"inexact" has no counterpart/) })])
    expect(await prisma.codeMap.count({ where: { versionId: v.id } })).toBe(0)
  })
})
