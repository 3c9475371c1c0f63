import { parse as parseCsv } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { sha256 } from '#app/utils/crypto.server.ts'
import { escapeCsvCell, MAX_ROWS, unescapeCsvCell } from '#app/utils/csv.ts'
import { FHIR_VERSIONS, HL7V2_VERSIONS, InterfaceSchema, SystemSchema, vocabularyFor } from '#app/models/inventory/inventory.ts'
import { CRITICALITIES, DIRECTIONS, ENVIRONMENTS, HOSTINGS, LIFECYCLES, APPROACHES, STANDARDS, SYSTEM_KINDS, TRANSPORTS, type InterfaceStandard } from '#app/models/inventory/vocabulary.ts'
import {
  INTERFACE_COLUMNS,
  interfacesToCsv,
  parseInterfacesCsv,
  parseSystemsCsv,
  recordCells,
  SYSTEM_COLUMNS,
  systemsToCsv,
  templateCsv,
  type InterfaceRecord,
  type SystemRecord,
} from '#app/models/inventory/inventory-csv.ts'
import { addMember, createOrgWithOwner, createTestUser, requestAs, scopeFor } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { verifyChain } from '../audit/audit.server.ts'
import { applyImport, exportInventoryCsv, previewImport } from './inventory-csv.server.ts'

const SYSTEM_HEADER = SYSTEM_COLUMNS.map((c) => c.name).join(',')
const INTERFACE_HEADER = INTERFACE_COLUMNS.map((c) => c.name).join(',')

/** A systems row from a few cells; the others empty. */
function systemLine(cells: Partial<Record<string, string>>) {
  return SYSTEM_COLUMNS.map((c) => cells[c.name] ?? '').join(',')
}
function interfaceLine(cells: Partial<Record<string, string>>) {
  return INTERFACE_COLUMNS.map((c) => cells[c.name] ?? '').join(',')
}

async function setup() {
  const { org, owner, scope } = await createOrgWithOwner()
  const analystUser = await createTestUser()
  const analyst = await addMember(org, analystUser, 'analyst')
  return { org, owner, scope, analystUser, analyst, analystScope: await scopeFor(org, analystUser) }
}

async function previewAndApply(scope: Awaited<ReturnType<typeof setup>>['scope'], kind: 'systems' | 'interfaces', content: string | Uint8Array, fileName = `${kind}.csv`) {
  const preview = await previewImport(scope, { kind, fileName, content })
  expect(preview.plan.errors).toEqual([])
  expect(preview.batchId).toBeTruthy()
  const applied = await applyImport(scope, preview.batchId!)
  expect(applied?.status).toBe('applied')
  return { preview, applied: applied! }
}

describe('CSV import and export of the inventory', () => {
  let ctx: Awaited<ReturnType<typeof setup>>
  beforeAll(async () => {
    ctx = await setup()
  })

  it('imports systems, then interfaces between them, and audits each import once', async () => {
    const { scope, analystScope, analystUser, analyst } = await setup()
    const systems = [
      SYSTEM_HEADER,
      systemLine({ name: 'Main EHR', kind: 'EHR', vendor: 'Epic', criticality: 'Critical', business_owner_email: analystUser.email.toUpperCase(), units_served: 'ED; ICU', hl7v2_versions: '2.5.1', fhir_version: 'R4 (4.0.1)', fhir_base_url: 'https://fhir.example.org/r4' }),
      systemLine({ name: 'Lab', kind: 'Laboratory (LIS)', dicom: 'no', x12: 'yes' }),
      systemLine({ name: 'PACS', kind: 'ris_pacs', hosting: 'Vendor hosted', dicom: 'yes' }),
    ].join('\n')
    const s = await previewAndApply(analystScope, 'systems', systems)
    expect(s.preview.plan.counts).toEqual({ create: 3, update: 0, unchanged: 0 })
    expect(s.preview.plan.total).toBe(3)
    const ehr = await prisma.system.findFirstOrThrow({ where: { organizationId: scope.organizationId, name: 'Main EHR' } })
    expect(ehr).toMatchObject({
      kind: 'ehr',
      vendor: 'Epic',
      criticality: 'critical',
      environment: 'production',
      businessOwnerId: analyst.id,
      unitsServed: ['ED', 'ICU'],
      hl7v2Versions: ['2.5.1'],
      fhirVersion: '4.0.1',
      fhirBaseUrl: 'https://fhir.example.org/r4',
      dicom: false,
    })
    expect(await prisma.system.findFirstOrThrow({ where: { organizationId: scope.organizationId, name: 'Lab' } })).toMatchObject({ kind: 'lis', x12: true })
    // Rows written in bulk look like rows written by the forms.
    expect(ehr.id).toMatch(/^c[0-9a-z]{24}$/)
    expect(ehr.updatedAt).toEqual(ehr.createdAt)
    expect(Math.abs(ehr.createdAt.getTime() - Date.now())).toBeLessThan(60_000)

    const interfaces = [
      INTERFACE_HEADER,
      interfaceLine({ name: 'ADT to lab', source_system: 'main ehr', target_system: 'LAB', standard: 'HL7 v2', message_types: 'adt^a01; ADT^A08', transport: 'MLLP', approach: 'Via integration engine', lifecycle: 'Live' }),
      interfaceLine({ name: 'Images', source_system: 'PACS', target_system: 'Main EHR', standard: 'dicom', message_types: 'C-STORE', transport: 'dicom_dimse', approach: 'point_to_point', direction: 'Bidirectional' }),
    ].join('\r\n')
    const i = await previewAndApply(analystScope, 'interfaces', interfaces)
    expect(i.preview.plan.counts).toEqual({ create: 2, update: 0, unchanged: 0 })
    const adt = await prisma.interface.findFirstOrThrow({ where: { organizationId: scope.organizationId, name: 'ADT to lab' }, include: { source: true, target: true } })
    expect(adt).toMatchObject({ standard: 'hl7v2', messageTypes: ['ADT^A01', 'ADT^A08'], transport: 'mllp', approach: 'via_engine', lifecycle: 'live', direction: 'one_way' })
    expect([adt.source.name, adt.target.name]).toEqual(['Main EHR', 'Lab'])

    // ONE audit event per applied file (ADR 029), naming the batch, the file's hash and what it created.
    const events = await prisma.auditEvent.findMany({ where: { organizationId: scope.organizationId, action: { in: ['system.created', 'interface.created', 'inventory.imported'] } }, orderBy: { seq: 'asc' } })
    expect(events.map((e) => e.action)).toEqual(['inventory.imported', 'inventory.imported'])
    const [systemIds, interfaceIds] = await Promise.all([
      prisma.system.findMany({ where: { organizationId: scope.organizationId }, select: { id: true } }),
      prisma.interface.findMany({ where: { organizationId: scope.organizationId }, select: { id: true } }),
    ])
    const batches = await prisma.importBatch.findMany({ where: { organizationId: scope.organizationId }, orderBy: { createdAt: 'asc' } })
    expect(events[0]!.metadata).toMatchObject({ kind: 'systems', fileName: 'systems.csv', batchId: batches[0]!.id, sha256: sha256(batches[0]!.content), rows: 3, create: 3, update: 0, unchanged: 0 })
    expect(events[0]).toMatchObject({ targetId: batches[0]!.id, actorEmail: analystUser.email })
    expect([...(events[0]!.metadata as { created: string[] }).created].sort()).toEqual(systemIds.map((s) => s.id).sort())
    expect([...(events[1]!.metadata as { created: string[] }).created].sort()).toEqual(interfaceIds.map((s) => s.id).sort())
    expect(events[1]!.metadata).toMatchObject({ kind: 'interfaces', create: 2, batchId: batches[1]!.id })
    expect(await verifyChain(scope.organizationId)).toMatchObject({ ok: true })
  })

  it('previews what each row would do: create, update (with the changed columns) or unchanged', async () => {
    const { analystScope, scope } = await setup()
    await previewAndApply(analystScope, 'systems', [SYSTEM_HEADER, systemLine({ name: 'A', kind: 'ehr' }), systemLine({ name: 'B', kind: 'lis', version: '1' })].join('\n'))
    const preview = await previewImport(analystScope, {
      kind: 'systems',
      fileName: 'next.csv',
      content: [SYSTEM_HEADER, systemLine({ name: 'a', kind: 'EHR' }), systemLine({ name: 'B', kind: 'lis', version: '2' }), systemLine({ name: 'C', kind: 'other' })].join('\n'),
    })
    expect(preview.plan.errors).toEqual([])
    expect(preview.plan.counts).toEqual({ create: 1, update: 2, unchanged: 0 })
    expect(preview.plan.rows).toEqual([
      { line: 2, name: 'a', action: 'update', changes: [{ column: 'name', from: 'A', to: 'a' }] },
      { line: 3, name: 'B', action: 'update', changes: [{ column: 'version', from: '1', to: '2' }] },
      { line: 4, name: 'C', action: 'create', changes: [] },
    ])
    // The preview changes nothing.
    expect(await prisma.system.count({ where: { organizationId: scope.organizationId } })).toBe(2)
    const applied = await applyImport(analystScope, preview.batchId!)
    expect(applied?.plan.counts).toEqual({ create: 1, update: 2, unchanged: 0 })
    const b = await prisma.system.findFirstOrThrow({ where: { organizationId: scope.organizationId, name: 'B' } })
    expect(b.version).toBe('2')
    expect(b.updatedAt.getTime()).toBeGreaterThan(b.createdAt.getTime())
    const a = await prisma.system.findFirstOrThrow({ where: { organizationId: scope.organizationId, name: 'a' } })
    const c = await prisma.system.findFirstOrThrow({ where: { organizationId: scope.organizationId, name: 'C' } })
    // The import's one event names each changed row with what changed, in the forms' words.
    const imported = await prisma.auditEvent.findFirstOrThrow({ where: { organizationId: scope.organizationId, action: 'inventory.imported', targetId: preview.batchId! } })
    expect(imported.metadata).toMatchObject({
      create: 1,
      update: 2,
      created: [c.id],
      updated: [
        { id: a.id, name: 'a', action: 'system.updated', changes: { name: { from: 'A', to: 'a' } } },
        { id: b.id, name: 'B', action: 'system.upgraded', changes: { version: { from: '1', to: '2' } } },
      ],
    })
    expect(await prisma.auditEvent.count({ where: { organizationId: scope.organizationId, action: { in: ['system.updated', 'system.upgraded', 'system.created'] } } })).toBe(0)
    expect(await verifyChain(scope.organizationId)).toMatchObject({ ok: true })
  })

  it('reports every bad row with its physical line and column, and writes nothing', async () => {
    const { analystScope, scope } = await setup()
    const csv =
      '\uFEFF' +
      [
        SYSTEM_HEADER, // line 1
        systemLine({ name: 'Good one', kind: 'ehr', notes: '"first line\r\nsecond line\r\nthird"' }), // lines 2–4
        systemLine({ name: 'Bad kind', kind: 'mainframe' }), // line 5
        'Short row,ehr,Vendor', // line 6
        systemLine({ name: 'good ONE', kind: 'lis' }), // line 7: duplicate of line 2
        '', // line 8: blank, skipped
        systemLine({ name: 'Bad flags', kind: 'ehr', dicom: 'maybe', fhir_base_url: 'ftp://x', fhir_version: '4.0.1' }), // line 9
        systemLine({ name: 'Stranger', kind: 'ehr', technical_owner_email: 'nobody@example.test' }), // line 10
        systemLine({ name: 'Too wide', kind: 'ehr' }) + ',extra', // line 11
      ].join('\r\n') +
      '\r\n'
    const { batchId, plan } = await previewImport(analystScope, { kind: 'systems', fileName: 'bad.csv', content: Buffer.from(csv) })
    expect(batchId).toBeNull()
    const col = (name: string) => SYSTEM_COLUMNS.findIndex((c) => c.name === name) + 1
    expect(plan.errors.map((e) => [e.line, e.column, e.columnNumber])).toEqual([
      [5, 'kind', col('kind')],
      [6, 'product', 4],
      [7, 'name', 1],
      [9, 'fhir_base_url', col('fhir_base_url')],
      [9, 'dicom', col('dicom')],
      [10, 'technical_owner_email', col('technical_owner_email')],
      [11, null, SYSTEM_COLUMNS.length + 1],
    ])
    const byLine = new Map(plan.errors.map((e) => [`${e.line}:${e.column}`, e]))
    expect(byLine.get('5:kind')).toMatchObject({ value: 'mainframe', message: expect.stringMatching(/Unknown kind value.*lis \(Laboratory \(LIS\)\)/) })
    expect(byLine.get('6:product')!.message).toMatch(/3 cells but the header has 17 columns/)
    expect(byLine.get('7:name')!.message).toMatch(/Duplicate name: line 2/)
    expect(byLine.get('9:dicom')).toMatchObject({ value: 'maybe', message: expect.stringMatching(/yes or no/) })
    expect(byLine.get('10:technical_owner_email')!.message).toMatch(/No member of this organisation has the email nobody@example.test/)
    // The valid rows were planned, but nothing can be applied and nothing was written.
    expect(plan.rows.map((r) => r.name)).toEqual(['Good one'])
    expect(await prisma.system.count({ where: { organizationId: scope.organizationId } })).toBe(0)
    expect(await prisma.importBatch.count({ where: { organizationId: scope.organizationId } })).toBe(0)
  })

  it('reports unknown and missing columns, unknown systems and unusable files clearly', async () => {
    const { analystScope } = await setup()
    const header = await previewImport(analystScope, { kind: 'systems', fileName: 'x.csv', content: 'name,kind,colour\nA,ehr,red\n' })
    expect(header.plan.errors.map((e) => e.message).join('\n')).toMatch(/Unknown column "colour"[\s\S]*Missing columns: vendor, product/)
    expect(header.plan.errors[0]).toMatchObject({ line: 1, column: 'colour', columnNumber: 3 })

    await previewAndApply(analystScope, 'systems', [SYSTEM_HEADER, systemLine({ name: 'EHR', kind: 'ehr' })].join('\n'))
    const unknown = await previewImport(analystScope, {
      kind: 'interfaces',
      fileName: 'i.csv',
      content: [INTERFACE_HEADER, interfaceLine({ name: 'Feed', source_system: 'EHR', target_system: 'Ghost', standard: 'fhir', message_types: 'Patient', transport: 'https_rest', approach: 'api_first' })].join('\n'),
    })
    expect(unknown.plan.errors).toEqual([
      { line: 2, column: 'target_system', columnNumber: 3, value: 'Ghost', message: expect.stringMatching(/No system named "Ghost"/) },
    ])

    const xlsx = await previewImport(analystScope, { kind: 'systems', fileName: 'x.xlsx', content: Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) })
    expect(xlsx.plan.errors[0]!.message).toMatch(/workbook/)
    const latin1 = await previewImport(analystScope, { kind: 'systems', fileName: 'x.csv', content: Uint8Array.from([...Buffer.from(`${SYSTEM_HEADER}\nCaf`), 0xe9]) })
    expect(latin1.plan.errors[0]!.message).toMatch(/not UTF-8/)
    const unclosed = await previewImport(analystScope, { kind: 'systems', fileName: 'x.csv', content: `${SYSTEM_HEADER}\n${systemLine({ name: 'A', kind: 'ehr' })}\n"B,ehr\n` })
    expect(unclosed.plan.errors).toEqual([expect.objectContaining({ line: 3, message: expect.stringMatching(/never closed/) })])
    expect(parseSystemsCsv(`${SYSTEM_HEADER}\n${'x\n'.repeat(MAX_ROWS + 1)}`).errors).toEqual([expect.objectContaining({ line: null, message: expect.stringMatching(/more than 50,000 rows/) })])
  })

  it('re-importing the same file changes nothing and writes nothing but the import record', async () => {
    const { analystScope, scope } = await setup()
    const csv = [SYSTEM_HEADER, systemLine({ name: 'A', kind: 'ehr', notes: 'x' }), systemLine({ name: 'B', kind: 'lis', units_served: 'Lab;Wards' })].join('\n')
    await previewAndApply(analystScope, 'systems', csv)
    const before = await prisma.system.findMany({ where: { organizationId: scope.organizationId }, orderBy: { name: 'asc' } })
    const eventsBefore = await prisma.auditEvent.count({ where: { organizationId: scope.organizationId } })
    const again = await previewAndApply(analystScope, 'systems', csv)
    expect(again.applied.plan.counts).toEqual({ create: 0, update: 0, unchanged: 2 })
    const after = await prisma.system.findMany({ where: { organizationId: scope.organizationId }, orderBy: { name: 'asc' } })
    expect(after).toEqual(before)
    expect(after.map((s) => s.updatedAt)).toEqual(before.map((s) => s.updatedAt))
    const newEvents = await prisma.auditEvent.findMany({ where: { organizationId: scope.organizationId }, orderBy: { seq: 'asc' }, skip: eventsBefore })
    expect(newEvents.map((e) => e.action)).toEqual(['inventory.imported'])
  })

  it('export then import is the identity, with formula cells escaped and quotes kept', async () => {
    const { analystScope, scope, analystUser, analyst } = await setup()
    const tricky = ['=HYPERLINK("http://evil.example","x")', '+1 555 0100', '-5 mg', '@SUM(A1)', "'quoted", "'=already escaped", "''+two"]
    const data = tricky.map((t, i) => ({
      organizationId: scope.organizationId,
      name: i === 0 ? t : `${t} ${i}`,
      kind: 'ehr' as const,
      vendor: t,
      notes: `${t}\nsecond line, with a comma and "quotes"`,
      unitsServed: [t.replace(/[;,]/g, '')],
      businessOwnerId: analyst.id,
    }))
    await prisma.system.createMany({ data })
    await prisma.system.create({ data: { organizationId: scope.organizationId, name: 'Plain', kind: 'lis', hl7v2Versions: ['2.3', '2.5.1'], fhirVersion: '4.0.1', fhirBaseUrl: 'https://x.example/fhir', dicom: true, hosting: 'saas', environment: 'test', criticality: 'high' } })
    await prisma.interface.create({
      data: { organizationId: scope.organizationId, name: '-> feed', sourceSystemId: (await prisma.system.findFirstOrThrow({ where: { organizationId: scope.organizationId, name: 'Plain' } })).id, targetSystemId: (await prisma.system.findFirstOrThrow({ where: { organizationId: scope.organizationId, name: data[0]!.name } })).id, standard: 'proprietary', messageTypes: ['=cmd', 'ping'], transport: 'other', approach: 'point_to_point', standardsException: '@legacy', description: '+ more' },
    })

    const csv = await exportInventoryCsv(scope, 'systems')
    expect(csv.startsWith('\uFEFFname,kind,')).toBe(true)
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`)
    expect(csv).toContain(`'+1 555 0100`)
    expect(csv).toContain(`'-5 mg`)
    expect(csv).toContain(`'@SUM(A1)`)
    expect(csv).toContain(`''=already escaped`)
    expect(csv).toContain(analystUser.email)
    // No cell of the export starts with a formula character.
    for (const row of parseCsv(csv, { bom: true }) as string[][]) {
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
    }
    const systems = await previewImport(analystScope, { kind: 'systems', fileName: 'export.csv', content: csv })
    expect(systems.plan.errors).toEqual([])
    expect(systems.plan.counts).toEqual({ create: 0, update: 0, unchanged: tricky.length + 1 })
    const dbRecords = parseSystemsCsv(csv).rows.map((r) => r.record)
    expect(dbRecords.find((r) => r.name === "'quoted 4")).toMatchObject({ vendor: "'quoted", notes: `'quoted\nsecond line, with a comma and "quotes"` })
    expect(dbRecords.find((r) => r.name === "'=already escaped 5")).toMatchObject({ vendor: "'=already escaped" })

    const interfaces = await exportInventoryCsv(scope, 'interfaces')
    expect(interfaces).toContain(`'-> feed`)
    const back = await previewImport(analystScope, { kind: 'interfaces', fileName: 'export.csv', content: interfaces })
    expect(back.plan.errors).toEqual([])
    expect(back.plan.counts).toEqual({ create: 0, update: 0, unchanged: 1 })

    // Applying the export to an empty organisation rebuilds the same export.
    const other = await setup()
    await previewAndApply(other.analystScope, 'systems', csv.replaceAll(analystUser.email, other.analystUser.email))
    await previewAndApply(other.analystScope, 'interfaces', interfaces)
    expect(await exportInventoryCsv(other.scope, 'systems')).toBe(csv.replaceAll(analystUser.email, other.analystUser.email))
    expect(await exportInventoryCsv(other.scope, 'interfaces')).toBe(interfaces)
  })

  it('re-validates at apply time: a change since the preview makes the whole import fail', async () => {
    const { analystScope, scope } = await setup()
    await previewAndApply(analystScope, 'systems', [SYSTEM_HEADER, systemLine({ name: 'A', kind: 'ehr' }), systemLine({ name: 'B', kind: 'lis' }), systemLine({ name: 'C', kind: 'lis' })].join('\n'))
    const preview = await previewImport(analystScope, {
      kind: 'interfaces',
      fileName: 'i.csv',
      content: [
        INTERFACE_HEADER,
        interfaceLine({ name: 'A to B', source_system: 'A', target_system: 'B', standard: 'flat_file', transport: 'sftp', approach: 'point_to_point' }),
        interfaceLine({ name: 'A to C', source_system: 'A', target_system: 'C', standard: 'flat_file', transport: 'sftp', approach: 'point_to_point' }),
      ].join('\n'),
    })
    expect(preview.plan.errors).toEqual([])
    await prisma.system.deleteMany({ where: { organizationId: scope.organizationId, name: 'C' } })
    const result = await applyImport(analystScope, preview.batchId!)
    expect(result?.status).toBe('invalid')
    expect(result!.plan.errors).toEqual([expect.objectContaining({ line: 3, column: 'target_system', columnNumber: 3, value: 'C' })])
    expect(await prisma.interface.count({ where: { organizationId: scope.organizationId } })).toBe(0)
    // Still unapplied (the claim was rolled back with the rest): fix the data and apply.
    await prisma.system.create({ data: { organizationId: scope.organizationId, name: 'C', kind: 'lis' } })
    expect((await applyImport(analystScope, preview.batchId!))?.status).toBe('applied')
    expect(await prisma.interface.count({ where: { organizationId: scope.organizationId } })).toBe(2)
  })

  it('refuses a batch applied already or older than an hour', async () => {
    const { analystScope } = await setup()
    const csv = [SYSTEM_HEADER, systemLine({ name: 'A', kind: 'ehr' })].join('\n')
    const { preview } = await previewAndApply(analystScope, 'systems', csv)
    await expectDomainError(applyImport(analystScope, preview.batchId!), 'CONFLICT', /already been applied/)
    const old = await previewImport(analystScope, { kind: 'systems', fileName: 'a.csv', content: csv })
    await prisma.importBatch.update({ where: { id: old.batchId! }, data: { createdAt: new Date(Date.now() - 61 * 60 * 1000) } })
    await expectDomainError(applyImport(analystScope, old.batchId!), 'RULE_VIOLATION', /more than an hour old/)
    // The next preview clears expired batches.
    await previewImport(analystScope, { kind: 'systems', fileName: 'a.csv', content: csv })
    expect(await prisma.importBatch.findUnique({ where: { id: old.batchId! } })).toBeNull()
  })

  it('owners must be active members; an exported deactivated owner imports back unchanged', async () => {
    const { org, analystScope, scope } = await setup()
    const leaver = await createTestUser()
    const membership = await addMember(org, leaver, 'staff')
    await previewAndApply(analystScope, 'systems', [SYSTEM_HEADER, systemLine({ name: 'A', kind: 'ehr', business_owner_email: leaver.email })].join('\n'))
    await prisma.membership.update({ where: { id: membership.id }, data: { status: 'deactivated' } })
    const csv = await exportInventoryCsv(scope, 'systems')
    expect((await previewImport(analystScope, { kind: 'systems', fileName: 'e.csv', content: csv })).plan.counts).toMatchObject({ unchanged: 1 })
    const assign = await previewImport(analystScope, { kind: 'systems', fileName: 'b.csv', content: [SYSTEM_HEADER, systemLine({ name: 'B', kind: 'ehr', technical_owner_email: leaver.email })].join('\n') })
    expect(assign.plan.errors).toEqual([expect.objectContaining({ line: 2, column: 'technical_owner_email', message: expect.stringMatching(/no longer an active member/) })])
    // Someone of another organisation is not a member here either.
    const stranger = await createOrgWithOwner()
    const foreign = await previewImport(analystScope, { kind: 'systems', fileName: 'c.csv', content: [SYSTEM_HEADER, systemLine({ name: 'C', kind: 'ehr', business_owner_email: stranger.owner.email })].join('\n') })
    expect(foreign.plan.errors[0]!.message).toMatch(/No member of this organisation/)
  })

  describe('tenancy', () => {
    it("another organisation's scope can't apply the batch (null → 404) or see it", async () => {
      const a = ctx
      const b = await setup()
      const preview = await previewImport(a.analystScope, { kind: 'systems', fileName: 'a.csv', content: [SYSTEM_HEADER, systemLine({ name: 'Secret', kind: 'ehr' })].join('\n') })
      expect(await applyImport(b.scope, preview.batchId!)).toBeNull()
      expect(await prisma.importBatch.findUniqueOrThrow({ where: { id: preview.batchId! } })).toMatchObject({ appliedAt: null })
      expect(await prisma.system.count({ where: { name: 'Secret' } })).toBe(0)
    })

    it("never touches another organisation's systems of the same name", async () => {
      const a = await setup()
      const b = await setup()
      const theirs = await prisma.system.create({ data: { organizationId: b.scope.organizationId, name: 'Shared name', kind: 'lis', vendor: 'B vendor' } })
      const { applied } = await previewAndApply(a.analystScope, 'systems', [SYSTEM_HEADER, systemLine({ name: 'shared NAME', kind: 'ehr', vendor: 'A vendor' })].join('\n'))
      expect(applied.plan.counts).toEqual({ create: 1, update: 0, unchanged: 0 })
      expect(await prisma.system.findUniqueOrThrow({ where: { id: theirs.id } })).toEqual(theirs)
      // Interfaces can't reach the other organisation's systems by name either.
      const iface = await previewImport(a.analystScope, {
        kind: 'interfaces',
        fileName: 'i.csv',
        content: [INTERFACE_HEADER, interfaceLine({ name: 'X', source_system: 'shared name', target_system: 'Other', standard: 'flat_file', transport: 'sftp', approach: 'point_to_point' })].join('\n'),
      })
      expect(iface.plan.errors.map((e) => e.column)).toEqual(['target_system'])
      await prisma.system.create({ data: { organizationId: b.scope.organizationId, name: 'Other', kind: 'lis' } })
      const again = await previewImport(a.analystScope, { kind: 'interfaces', fileName: 'i.csv', content: [INTERFACE_HEADER, interfaceLine({ name: 'X', source_system: 'shared name', target_system: 'Other', standard: 'flat_file', transport: 'sftp', approach: 'point_to_point' })].join('\n') })
      expect(again.plan.errors.map((e) => e.column)).toEqual(['target_system'])
      // And the export has only the organisation's own rows.
      expect(await exportInventoryCsv(a.scope, 'systems')).not.toContain('B vendor')
    })
  })

  describe('routes', () => {
    const call = async (fn: () => Promise<unknown>) => {
      try {
        return (await fn()) as Response
      } catch (e) {
        if (e instanceof Response) return e
        throw e
      }
    }

    it('an analyst previews an upload and applies it; the toast counts; export and template download', async () => {
      const { scope, analystUser } = await setup()
      const route = await import('#app/routes/o.$orgSlug+/inventory.import.tsx')
      const url = `/o/${scope.orgSlug}/inventory/import`
      const form = new FormData()
      form.set('intent', 'preview')
      form.set('kind', 'systems')
      form.set('file', new File([`\uFEFF${SYSTEM_HEADER}\r\n${systemLine({ name: 'Routed', kind: 'ehr' })}\r\n`], 'mine.csv', { type: 'text/csv' }))
      const preview = await call(async () => route.action({ request: await requestAs(analystUser.id, url, { method: 'POST', body: form }), params: { orgSlug: scope.orgSlug }, context: {} }))
      expect(preview.status).toBe(200)
      const body = (await preview.json()) as { preview: { batchId: string; counts: unknown; fileName: string } }
      expect(body.preview).toMatchObject({ fileName: 'mine.csv', counts: { create: 1, update: 0, unchanged: 0 } })

      const apply = await call(async () =>
        route.action({ request: await requestAs(analystUser.id, url, { method: 'POST', body: new URLSearchParams({ intent: 'apply', batchId: body.preview.batchId }) }), params: { orgSlug: scope.orgSlug }, context: {} }),
      )
      expect(apply.status).toBe(302)
      expect(apply.headers.get('location')).toBe(`/o/${scope.orgSlug}/systems`)
      expect(apply.headers.get('set-cookie')).toMatch(/liaison_toast=/)
      expect(await prisma.system.count({ where: { organizationId: scope.organizationId, name: 'Routed' } })).toBe(1)

      const staff = await createTestUser()
      await addMember({ id: scope.organizationId }, staff, 'staff')
      const denied = await call(async () => route.action({ request: await requestAs(staff.id, url, { method: 'POST', body: new URLSearchParams({ intent: 'apply', batchId: body.preview.batchId }) }), params: { orgSlug: scope.orgSlug }, context: {} }))
      expect(denied.status).toBe(403)

      const exportRoute = await import('#app/routes/o.$orgSlug+/inventory.export.tsx')
      const csv = await call(async () => exportRoute.loader({ request: await requestAs(staff.id, `/o/${scope.orgSlug}/inventory/export?kind=systems`), params: { orgSlug: scope.orgSlug }, context: {} }))
      expect(csv.status).toBe(200)
      expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
      expect(await csv.text()).toContain('Routed,ehr,')
      const template = await import('#app/routes/o.$orgSlug+/inventory.template.tsx')
      const t = await call(async () => template.loader({ request: await requestAs(staff.id, `/o/${scope.orgSlug}/inventory/template?kind=interfaces`), params: { orgSlug: scope.orgSlug }, context: {} }))
      expect(await t.text()).toContain(INTERFACE_HEADER)
    })

    it('a preview with problems answers 422 with every problem; a missing file is a clear error', async () => {
      const { scope, analystUser } = await setup()
      const route = await import('#app/routes/o.$orgSlug+/inventory.import.tsx')
      const url = `/o/${scope.orgSlug}/inventory/import`
      const form = new FormData()
      form.set('intent', 'preview')
      form.set('kind', 'systems')
      form.set('file', new File([`${SYSTEM_HEADER}\n${systemLine({ name: 'A', kind: 'nope' })}\n${systemLine({ name: 'B', kind: 'nope' })}\n`], 'bad.csv'))
      const res = await call(async () => route.action({ request: await requestAs(analystUser.id, url, { method: 'POST', body: form }), params: { orgSlug: scope.orgSlug }, context: {} }))
      expect(res.status).toBe(422)
      const body = (await res.json()) as { preview: { batchId: null; errors: { line: number; column: string }[] } }
      expect(body.preview.batchId).toBeNull()
      expect(body.preview.errors.map((e) => [e.line, e.column])).toEqual([
        [2, 'kind'],
        [3, 'kind'],
      ])
      const empty = await call(async () => route.action({ request: await requestAs(analystUser.id, url, { method: 'POST', body: new URLSearchParams({ intent: 'preview', kind: 'systems' }) }), params: { orgSlug: scope.orgSlug }, context: {} }))
      expect(empty.status).toBe(400)
      expect(await empty.json()).toMatchObject({ formError: 'Choose a CSV file to upload.' })
    })
  })

  it('the templates read back without errors', () => {
    expect(parseSystemsCsv(templateCsv('systems')).errors).toEqual([])
    expect(parseInterfacesCsv(templateCsv('interfaces')).errors).toEqual([])
  })
})

// ─── properties ──────────────────────────────────────────────────────────────────────────

const noNul = (s: string) => !s.includes('\u0000')
const anyText = (maxLength: number) => fc.string({ unit: 'binary', maxLength }).filter(noNul)
/** Text with the characters CSV and the escaping care about, more often than chance would give. */
const csvishText = (maxLength: number) =>
  fc.oneof(
    anyText(maxLength),
    fc.array(fc.constantFrom('=', '+', '-', '@', "'", '"', ',', ';', '\n', '\r', '\r\n', '\t', ' ', 'a', 'Z', 'é', '😀', '\uFEFF'), { maxLength }).map((a) => a.join('')),
  )
const listItem = fc.oneof(anyText(20), fc.constantFrom('=x', "'=y", '-1', 'ICU', ' ED ')).filter((s) => !/[;,\n]/.test(s))
const keyOf = <T extends Record<string, string>>(map: T) => fc.constantFrom(...(Object.keys(map) as (keyof T & string)[]))
const email = fc.constantFrom(undefined, 'ana@example.test', 'b.o+x@hospital.example.org')

const systemInput = fc.record({
  name: csvishText(40),
  kind: keyOf(SYSTEM_KINDS),
  vendor: fc.option(csvishText(30), { nil: undefined }),
  product: fc.option(csvishText(30), { nil: undefined }),
  version: fc.option(csvishText(20), { nil: undefined }),
  environment: keyOf(ENVIRONMENTS),
  hosting: fc.option(keyOf(HOSTINGS), { nil: undefined }),
  criticality: keyOf(CRITICALITIES),
  unitsServed: fc.array(listItem, { maxLength: 4 }),
  notes: fc.option(csvishText(200), { nil: undefined }),
  hl7v2Versions: fc.subarray([...HL7V2_VERSIONS]),
  fhir: fc.option(fc.tuple(keyOf(FHIR_VERSIONS), fc.option(fc.constantFrom('https://fhir.example.org/r4', 'http://x.test/=1'), { nil: undefined })), { nil: undefined }),
  dicom: fc.boolean(),
  x12: fc.boolean(),
  businessOwnerEmail: email,
  technicalOwnerEmail: email,
})

/** Valid records as the import returns them (the form schema's output), with distinct names. */
const systemRecords = fc.array(systemInput, { maxLength: 8 }).map((inputs) => {
  const seen = new Set<string>()
  const out: SystemRecord[] = []
  for (const { fhir, businessOwnerEmail, technicalOwnerEmail, ...rest } of inputs) {
    const parsed = SystemSchema.safeParse({ ...rest, fhirVersion: fhir?.[0], fhirBaseUrl: fhir?.[1] })
    if (!parsed.success) continue
    const key = parsed.data.name.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    const { businessOwnerId: _b, technicalOwnerId: _t, ...data } = parsed.data
    out.push({ ...data, businessOwnerEmail, technicalOwnerEmail })
  }
  return out
})

const interfaceInput = fc
  .record({
    name: csvishText(40),
    sourceSystem: csvishText(20),
    targetSystem: csvishText(20),
    standard: keyOf(STANDARDS),
    picks: fc.array(fc.nat(), { maxLength: 4 }),
    freeTypes: fc.array(listItem, { maxLength: 3 }),
    transport: keyOf(TRANSPORTS),
    approach: keyOf(APPROACHES),
    direction: keyOf(DIRECTIONS),
    lifecycle: keyOf(LIFECYCLES),
    criticality: keyOf(CRITICALITIES),
    ownerEmail: email,
    standardsException: fc.option(csvishText(60), { nil: undefined }),
    description: fc.option(csvishText(200), { nil: undefined }),
  })
  .map(({ picks, freeTypes, ...r }) => {
    const vocab = vocabularyFor(r.standard as InterfaceStandard)
    return { ...r, messageTypes: vocab ? [vocab[0]!, ...picks.map((p) => vocab[p % vocab.length]!)] : freeTypes }
  })

const interfaceRecords = fc.array(interfaceInput, { maxLength: 8 }).map((inputs) => {
  const seen = new Set<string>()
  const out: InterfaceRecord[] = []
  for (const { ownerEmail, sourceSystem, targetSystem, ...rest } of inputs) {
    const source = sourceSystem.trim()
    const target = targetSystem.trim()
    const parsed = InterfaceSchema.safeParse({ ...rest, sourceSystemId: source.toLowerCase(), targetSystemId: target.toLowerCase() })
    if (!parsed.success) continue
    const key = parsed.data.name.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    const { sourceSystemId: _s, targetSystemId: _t, ownerId: _o, ...data } = parsed.data
    out.push({ ...data, sourceSystem: source, targetSystem: target, ownerEmail })
  }
  return out
})

describe('CSV properties (fast-check)', () => {
  it('escaping for spreadsheets is reversible and leaves no formula cell', () => {
    fc.assert(
      fc.property(csvishText(30), (s) => {
        expect(unescapeCsvCell(escapeCsvCell(s))).toBe(s)
        expect(escapeCsvCell(s)).not.toMatch(/^[=+\-@\t\r]/)
      }),
      { numRuns: 500 },
    )
  })

  it('arbitrary bytes and text never crash the reader: problems come back as errors', () => {
    const header = fc.constantFrom('', `${SYSTEM_HEADER}\n`, `${INTERFACE_HEADER}\r\n`, '\uFEFF' + `${SYSTEM_HEADER}\r\n`)
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc.string({ maxLength: 600 }),
      fc.tuple(header, csvishText(600)).map(([h, t]) => h + t),
      fc.tuple(header, fc.uint8Array({ maxLength: 300 })).map(([h, b]) => Uint8Array.from([...Buffer.from(h), ...b])),
    )
    fc.assert(
      fc.property(inputs, (input) => {
        for (const parse of [parseSystemsCsv, parseInterfacesCsv]) {
          const result = parse(input)
          // Every row read is either valid or named by a problem on its line, never both; a
          // file without problems has every row valid.
          const errorLines = new Set(result.errors.map((e) => e.line))
          for (const r of result.rows) expect(errorLines.has(r.line)).toBe(false)
          expect(result.rows.length).toBeLessThanOrEqual(result.total)
          if (!result.errors.length) expect(result.rows.length).toBe(result.total)
          for (const e of result.errors) {
            expect(e.message.length).toBeGreaterThan(0)
            if (e.line !== null) expect(Number.isInteger(e.line) && e.line >= 1).toBe(true)
            if (e.columnNumber !== null) expect(Number.isInteger(e.columnNumber) && e.columnNumber >= 1).toBe(true)
          }
          for (const r of result.rows) expect(r.line).toBeGreaterThanOrEqual(2)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('parse(export(systems)) deep-equals the systems', () => {
    fc.assert(
      fc.property(systemRecords, (records) => {
        const result = parseSystemsCsv(systemsToCsv(records))
        expect(result.errors).toEqual([])
        expect(result.rows.map((r) => r.record)).toEqual(records)
      }),
      { numRuns: 150 },
    )
  })

  it('parse(export(interfaces)) deep-equals the interfaces', () => {
    fc.assert(
      fc.property(interfaceRecords, (records) => {
        const result = parseInterfacesCsv(interfacesToCsv(records))
        expect(result.errors).toEqual([])
        expect(result.rows.map((r) => r.record)).toEqual(records)
      }),
      { numRuns: 150 },
    )
  })

  it('line numbers are the physical lines where rows start, whatever the line endings', () => {
    const delimiters = { '\n': 'unix', '\r\n': 'windows', '\r': 'mac' } as const
    fc.assert(
      fc.property(systemRecords, fc.constantFrom('\n', '\r\n', '\r') as fc.Arbitrary<keyof typeof delimiters>, fc.boolean(), (records, eol, bom) => {
        const cells = records.map((r) => recordCells(SYSTEM_COLUMNS, r))
        const csv = stringify([SYSTEM_COLUMNS.map((c) => c.name), ...cells.map((row) => SYSTEM_COLUMNS.map((c) => escapeCsvCell(row[c.name]!)))], {
          bom,
          record_delimiter: delimiters[eol],
        })
        const result = parseSystemsCsv(csv)
        expect(result.errors).toEqual([])
        let line = 2
        const expected = cells.map((row) => {
          const start = line
          line += 1 + Object.values(row).reduce((n, v) => n + (v.match(/\r\n|\r|\n/g)?.length ?? 0), 0)
          return start
        })
        expect(result.rows.map((r) => r.line)).toEqual(expected)
      }),
      { numRuns: 100 },
    )
  })
})
