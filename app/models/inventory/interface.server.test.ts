import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { InterfaceSchema, SystemSchema } from '#app/models/inventory/inventory.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, uniqueSuffix } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { createInterface, deleteInterface, getInterface, INTERFACES_PAGE_SIZE, listInterfaces, updateInterface } from './interface.server.ts'
import { createSystem } from './system.server.ts'

/** The form's fields for an HL7 v2 feed; a test changes what it is about. */
function fields(sourceSystemId: string, targetSystemId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `Feed ${uniqueSuffix()}`,
    sourceSystemId,
    targetSystemId,
    standard: 'hl7v2',
    messageTypes: 'ADT^A01, ADT^A08',
    transport: 'mllp',
    approach: 'via_engine',
    ...over,
  }
}
const parse = (input: Record<string, unknown>) => InterfaceSchema.parse(input)

/** The field errors a form would show, as { field: [messages] }. */
function formErrors(input: Record<string, unknown>) {
  const result = InterfaceSchema.safeParse(input)
  if (result.success) return {}
  return result.error.flatten().fieldErrors as Record<string, string[]>
}

async function systems(scope: TenantScope) {
  const make = (name: string, kind: string) => createSystem(scope, SystemSchema.parse({ name, kind }))
  return {
    ehr: await make('Riverside EHR', 'ehr'),
    engine: await make('Open Integration Engine', 'integration_engine'),
    lis: await make('LabTrack LIS', 'lis'),
    portal: await make('MyRiverside Portal', 'patient_portal'),
    warehouse: await make('Data Warehouse', 'analytics'),
  }
}

function auditOf(organizationId: string, targetId: string) {
  return prisma.auditEvent.findMany({ where: { organizationId, targetId }, orderBy: { seq: 'asc' } })
}

describe('what the interface form accepts (InterfaceSchema)', () => {
  test('an interface connects two different systems', () => {
    expect(formErrors(fields('sys_1', 'sys_1'))).toEqual({ targetSystemId: ['An interface connects two different systems'] })
    expect(formErrors(fields('sys_1', 'sys_2'))).toEqual({})
  })

  test('a FHIR interface names FHIR resources, and unknown ones are listed', () => {
    expect(formErrors(fields('a', 'b', { standard: 'fhir', transport: 'https_rest', messageTypes: '' }))).toEqual({
      messageTypes: ['A FHIR interface names its FHIR resources (e.g. Patient, Observation)'],
    })
    expect(formErrors(fields('a', 'b', { standard: 'fhir', transport: 'https_rest', messageTypes: 'Patient, Patients, ADT^A01, Observation' }))).toEqual({
      messageTypes: ['Not FHIR resources (e.g. Patient, Observation): Patients, ADT^A01'],
    })
    expect(parse(fields('a', 'b', { standard: 'fhir', transport: 'https_rest', messageTypes: 'Patient; Observation\nQuestionnaireResponse' })).messageTypes).toEqual([
      'Patient',
      'Observation',
      'QuestionnaireResponse',
    ])
  })

  test('an HL7 v2 interface names message types from the vocabulary, and the offending values are named', () => {
    expect(formErrors(fields('a', 'b', { messageTypes: [] }))).toEqual({
      messageTypes: ['An HL7 v2 interface names its HL7 v2 message types (e.g. ADT^A01, ORU^R01)'],
    })
    const errors = formErrors(fields('a', 'b', { messageTypes: 'ORU^R01, ADT^A99, oru^r01, ORU-R01' }))
    expect(errors.messageTypes).toHaveLength(1)
    expect(errors.messageTypes![0]).toBe('Not HL7 v2 message types (e.g. ADT^A01, ORU^R01): ADT^A99, oru^r01, ORU-R01')
    expect(parse(fields('a', 'b', { messageTypes: 'ORU^R01, ORU^R01 ,MDM^T02' })).messageTypes).toEqual(['ORU^R01', 'MDM^T02'])
  })

  test('DICOM and X12 interfaces use their own vocabularies', () => {
    expect(formErrors(fields('a', 'b', { standard: 'dicom', transport: 'dicom_dimse', messageTypes: 'C-STORE, MWL' }))).toEqual({})
    expect(formErrors(fields('a', 'b', { standard: 'dicom', transport: 'dicom_dimse', messageTypes: 'ORU^R01' })).messageTypes![0]).toMatch(/^Not DICOM services.*: ORU\^R01$/)
    expect(formErrors(fields('a', 'b', { standard: 'x12', transport: 'sftp', messageTypes: '837P, 835' }))).toEqual({})
    expect(formErrors(fields('a', 'b', { standard: 'x12', transport: 'sftp', messageTypes: '837X' })).messageTypes![0]).toMatch(/: 837X$/)
  })

  test('flat-file and proprietary interfaces take free text, or nothing', () => {
    expect(parse(fields('a', 'b', { standard: 'flat_file', transport: 'sftp', messageTypes: 'encounters.csv, results.csv' })).messageTypes).toEqual([
      'encounters.csv',
      'results.csv',
    ])
    expect(parse(fields('a', 'b', { standard: 'proprietary', transport: 'https_rest', messageTypes: 'ReportUpload' })).messageTypes).toEqual(['ReportUpload'])
    expect(formErrors(fields('a', 'b', { standard: 'flat_file', transport: 'sftp', messageTypes: '' }))).toEqual({})
  })

  test('defaults: one way, proposed, medium criticality', () => {
    expect(parse(fields('a', 'b'))).toMatchObject({ direction: 'one_way', lifecycle: 'proposed', criticality: 'medium' })
  })
})

describe('creating an interface', () => {
  test('stores it in the scope’s organisation and records interface.created', async () => {
    const { org, owner, scope } = await createOrgWithOwner()
    const { ehr, engine } = await systems(scope)
    const iface = await createInterface(scope, parse(fields(ehr.id, engine.id, { name: 'EHR → engine: ADT', lifecycle: 'live', criticality: 'critical' })))

    expect(await getInterface(scope, iface.id)).toMatchObject({
      organizationId: org.id,
      name: 'EHR → engine: ADT',
      messageTypes: ['ADT^A01', 'ADT^A08'],
      lifecycle: 'live',
      source: { id: ehr.id, name: 'Riverside EHR' },
      target: { id: engine.id, name: 'Open Integration Engine' },
    })
    expect(await auditOf(org.id, iface.id)).toEqual([
      expect.objectContaining({ action: 'interface.created', targetType: 'interface', targetLabel: 'EHR → engine: ADT', actorUserId: owner.id }),
    ])
  })

  test('refuses a name already used in the organisation, whatever its case', async () => {
    const { scope } = await createOrgWithOwner()
    const { ehr, engine, lis } = await systems(scope)
    await createInterface(scope, parse(fields(ehr.id, engine.id, { name: 'Lab orders' })))
    const error = await expectDomainError(createInterface(scope, parse(fields(engine.id, lis.id, { name: 'LAB ORDERS' }))), 'CONFLICT', /already exists/)
    expect(error.field).toBe('name')
  })

  test('refuses systems of another organisation, on the source field', async () => {
    const { org, scope } = await createOrgWithOwner()
    const ours = await systems(scope)
    const elsewhere = await createOrgWithOwner()
    const theirs = await createSystem(elsewhere.scope, SystemSchema.parse({ name: 'Their LIS', kind: 'lis' }))

    for (const [source, target] of [
      [ours.ehr.id, theirs.id],
      [theirs.id, ours.ehr.id],
    ] as const) {
      const error = await expectDomainError(createInterface(scope, parse(fields(source, target))), 'RULE_VIOLATION', /this organisation’s systems/)
      expect(error.field).toBe('sourceSystemId')
    }
    await expectDomainError(createInterface(scope, parse(fields(ours.ehr.id, 'no-such-system'))), 'RULE_VIOLATION')
    expect(await prisma.interface.count({ where: { organizationId: org.id } })).toBe(0)
    expect(await prisma.interface.count({ where: { organizationId: elsewhere.org.id } })).toBe(0)
  })

  test('refuses an owner from another organisation, on the owner field', async () => {
    const { org, scope } = await createOrgWithOwner()
    const { ehr, engine } = await systems(scope)
    const colleague = await addMember(org, await createTestUser(), 'analyst')
    const elsewhere = await createOrgWithOwner()
    const outsider = await addMember(elsewhere.org, await createTestUser(), 'analyst')

    const error = await expectDomainError(createInterface(scope, parse(fields(ehr.id, engine.id, { ownerId: outsider.id }))), 'RULE_VIOLATION', /owner/)
    expect(error.field).toBe('ownerId')
    expect(await prisma.interface.count({ where: { organizationId: org.id } })).toBe(0)

    expect(await createInterface(scope, parse(fields(ehr.id, engine.id, { ownerId: colleague.id })))).toMatchObject({ ownerId: colleague.id })
  })
})

describe('updating an interface', () => {
  test('going live is recorded as interface.went_live; other changes as interface.updated; no change records nothing', async () => {
    const { org, scope } = await createOrgWithOwner()
    const { lis, engine } = await systems(scope)
    const base = fields(lis.id, engine.id, { name: 'LIS → engine: results', messageTypes: 'ORU^R01', lifecycle: 'test' })
    const iface = await createInterface(scope, parse(base))

    await updateInterface(scope, { interfaceId: iface.id, ...parse({ ...base, lifecycle: 'live' }) })
    await updateInterface(scope, { interfaceId: iface.id, ...parse({ ...base, lifecycle: 'live', criticality: 'critical' }) })
    const before = await prisma.interface.findUniqueOrThrow({ where: { id: iface.id } })
    expect(await updateInterface(scope, { interfaceId: iface.id, ...parse({ ...base, lifecycle: 'live', criticality: 'critical' }) })).toMatchObject({ id: iface.id })
    expect(await prisma.interface.findUniqueOrThrow({ where: { id: iface.id } })).toEqual(before)
    await updateInterface(scope, { interfaceId: iface.id, ...parse({ ...base, lifecycle: 'retired', criticality: 'critical' }) })

    const audit = await auditOf(org.id, iface.id)
    expect(audit.map((a) => [a.action, a.metadata])).toEqual([
      ['interface.created', {}],
      ['interface.went_live', { changes: { lifecycle: { from: 'test', to: 'live' } } }],
      ['interface.updated', { changes: { criticality: { from: 'medium', to: 'critical' } } }],
      ['interface.updated', { changes: { lifecycle: { from: 'live', to: 'retired' } } }],
    ])
  })

  test('moving it onto another organisation’s system is refused and nothing changes', async () => {
    const { scope } = await createOrgWithOwner()
    const { ehr, engine } = await systems(scope)
    const elsewhere = await createOrgWithOwner()
    const theirs = await createSystem(elsewhere.scope, SystemSchema.parse({ name: 'Their EHR', kind: 'ehr' }))
    const base = fields(ehr.id, engine.id)
    const iface = await createInterface(scope, parse(base))

    await expectDomainError(updateInterface(scope, { interfaceId: iface.id, ...parse({ ...base, targetSystemId: theirs.id }) }), 'RULE_VIOLATION')
    expect(await prisma.interface.findUniqueOrThrow({ where: { id: iface.id } })).toMatchObject({ targetSystemId: engine.id })
  })

  test('keeping its own name (in another case) is not a conflict', async () => {
    const { scope } = await createOrgWithOwner()
    const { ehr, engine } = await systems(scope)
    const base = fields(ehr.id, engine.id, { name: 'ehr adt' })
    const iface = await createInterface(scope, parse(base))
    expect(await updateInterface(scope, { interfaceId: iface.id, ...parse({ ...base, name: 'EHR ADT' }) })).toMatchObject({ name: 'EHR ADT' })
  })
})

describe('deleting an interface', () => {
  test('removes it and records interface.deleted', async () => {
    const { org, scope } = await createOrgWithOwner()
    const { ehr, engine } = await systems(scope)
    const iface = await createInterface(scope, parse(fields(ehr.id, engine.id)))
    expect(await deleteInterface(scope, iface.id)).toMatchObject({ id: iface.id })
    expect(await getInterface(scope, iface.id)).toBeNull()
    expect((await auditOf(org.id, iface.id)).map((a) => a.action)).toEqual(['interface.created', 'interface.deleted'])
    expect(await deleteInterface(scope, iface.id)).toBeNull()
  })
})

describe('listing interfaces', () => {
  async function estate() {
    const { org, scope } = await createOrgWithOwner()
    const s = await systems(scope)
    const make = (name: string, source: string, target: string, over: Record<string, unknown>) => createInterface(scope, parse(fields(source, target, { name, ...over })))
    await make('EHR → engine: ADT', s.ehr.id, s.engine.id, { messageTypes: 'ADT^A01, ADT^A08', lifecycle: 'live' })
    await make('Engine → LIS: orders', s.engine.id, s.lis.id, { messageTypes: 'ORM^O01', lifecycle: 'live' })
    await make('LIS → engine: results', s.lis.id, s.engine.id, { messageTypes: 'ORU^R01', lifecycle: 'test' })
    await make('Engine → EHR: results', s.engine.id, s.ehr.id, { messageTypes: 'ORU^R01, MDM^T02', lifecycle: 'build' })
    await make('Portal ↔ EHR: patient API', s.portal.id, s.ehr.id, {
      standard: 'fhir',
      transport: 'https_rest',
      approach: 'api_first',
      direction: 'bidirectional',
      messageTypes: 'Patient, Observation',
      lifecycle: 'design',
    })
    await make('EHR → warehouse: extract', s.ehr.id, s.warehouse.id, {
      standard: 'flat_file',
      transport: 'sftp',
      approach: 'point_to_point',
      messageTypes: 'encounters.csv',
      lifecycle: 'live',
      standardsException: 'No bulk export before 2027.1',
    })
    return { org, scope, ...s }
  }
  test('sorted by name, with the systems at each end', async () => {
    const { scope, ehr, engine } = await estate()
    const all = await listInterfaces(scope)
    expect(all).toMatchObject({ total: 6, pageCount: 1 })
    expect(names(all)).toEqual([
      'EHR → engine: ADT',
      'EHR → warehouse: extract',
      'Engine → EHR: results',
      'Engine → LIS: orders',
      'LIS → engine: results',
      'Portal ↔ EHR: patient API',
    ])
    expect(all.interfaces[0]).toMatchObject({ source: { id: ehr.id, name: 'Riverside EHR' }, target: { id: engine.id, name: 'Open Integration Engine' } })
    expect(all.interfaces[1]).toMatchObject({ standardsException: 'No bulk export before 2027.1' })
  })

  test('filters by standard, lifecycle, approach and system', async () => {
    const { scope, lis, portal } = await estate()
    expect(names(await listInterfaces(scope, { standard: 'fhir' }))).toEqual(['Portal ↔ EHR: patient API'])
    expect(names(await listInterfaces(scope, { standard: 'flat_file' }))).toEqual(['EHR → warehouse: extract'])
    expect(names(await listInterfaces(scope, { lifecycle: 'live' }))).toEqual(['EHR → engine: ADT', 'EHR → warehouse: extract', 'Engine → LIS: orders'])
    expect(names(await listInterfaces(scope, { approach: 'point_to_point' }))).toEqual(['EHR → warehouse: extract'])
    expect(names(await listInterfaces(scope, { approach: 'api_first' }))).toEqual(['Portal ↔ EHR: patient API'])
    // Either end of the interface.
    expect(names(await listInterfaces(scope, { systemId: lis.id }))).toEqual(['Engine → LIS: orders', 'LIS → engine: results'])
    expect(names(await listInterfaces(scope, { systemId: portal.id }))).toEqual(['Portal ↔ EHR: patient API'])
    expect(names(await listInterfaces(scope, { standard: 'hl7v2', lifecycle: 'live' }))).toEqual(['EHR → engine: ADT', 'Engine → LIS: orders'])
  })

  test('search finds a message type (in any case), a system name or part of the name', async () => {
    const { scope, ehr } = await estate()
    expect(names(await listInterfaces(scope, { q: 'ORU^R01' }))).toEqual(['Engine → EHR: results', 'LIS → engine: results'])
    expect(names(await listInterfaces(scope, { q: 'oru^r01' }))).toEqual(['Engine → EHR: results', 'LIS → engine: results'])
    expect(names(await listInterfaces(scope, { q: 'MDM^T02' }))).toEqual(['Engine → EHR: results'])
    expect(names(await listInterfaces(scope, { q: 'Observation' }))).toEqual(['Portal ↔ EHR: patient API'])
    expect(names(await listInterfaces(scope, { q: 'labtrack' }))).toEqual(['Engine → LIS: orders', 'LIS → engine: results'])
    expect(names(await listInterfaces(scope, { q: 'data warehouse' }))).toEqual(['EHR → warehouse: extract'])
    expect(names(await listInterfaces(scope, { q: 'patient api' }))).toEqual(['Portal ↔ EHR: patient API'])
    // Search and the system filter narrow each other (neither replaces the other).
    expect(names(await listInterfaces(scope, { q: 'ORU^R01', systemId: ehr.id }))).toEqual(['Engine → EHR: results'])
    expect(await listInterfaces(scope, { q: 'ADT^A99' })).toMatchObject({ interfaces: [], total: 0 })
  })

  test('sorts by lifecycle, and by name descending', async () => {
    const { scope } = await estate()
    expect(names(await listInterfaces(scope, { sort: 'lifecycle' })).slice(0, 3)).toEqual(['Portal ↔ EHR: patient API', 'Engine → EHR: results', 'LIS → engine: results'])
    expect(names(await listInterfaces(scope, { sort: 'name', dir: 'desc' }))[0]).toBe('Portal ↔ EHR: patient API')
  })

  test('pages of fifty', async () => {
    const { org, scope } = await createOrgWithOwner()
    const { ehr, engine } = await systems(scope)
    const count = INTERFACES_PAGE_SIZE + 2
    await prisma.interface.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        organizationId: org.id,
        name: `Feed ${String(i).padStart(3, '0')}`,
        sourceSystemId: ehr.id,
        targetSystemId: engine.id,
        standard: 'hl7v2' as const,
        messageTypes: ['ADT^A01'],
        transport: 'mllp' as const,
        approach: 'via_engine' as const,
      })),
    })
    const first = await listInterfaces(scope, { page: 1 })
    expect(first).toMatchObject({ total: count, pageCount: 2 })
    expect(first.interfaces).toHaveLength(INTERFACES_PAGE_SIZE)
    expect(names(await listInterfaces(scope, { page: 2 }))).toEqual(['Feed 050', 'Feed 051'])
    expect((await listInterfaces(scope, { q: 'ADT^A01', page: 2 })).total).toBe(count)
  })
})

describe('another organisation', () => {
  test('can neither read, change nor delete the interfaces of this one', async () => {
    const a = await createOrgWithOwner()
    const b = await createOrgWithOwner()
    const ours = await systems(a.scope)
    const theirs = await systems(b.scope)
    const base = fields(ours.lis.id, ours.engine.id, { name: 'LIS → engine: results', messageTypes: 'ORU^R01', lifecycle: 'test' })
    const iface = await createInterface(a.scope, parse(base))
    await createInterface(b.scope, parse(fields(theirs.ehr.id, theirs.engine.id, { name: 'Their ADT' })))
    const rowBefore = await prisma.interface.findUniqueOrThrow({ where: { id: iface.id } })
    const auditBefore = await auditOf(a.org.id, iface.id)

    expect(await getInterface(b.scope, iface.id)).toBeNull()
    expect(await updateInterface(b.scope, { interfaceId: iface.id, ...parse({ ...base, lifecycle: 'live' }) })).toBeNull()
    // Even pointed at their own systems: the id is A's, so it is not found.
    expect(await updateInterface(b.scope, { interfaceId: iface.id, ...parse({ ...base, sourceSystemId: theirs.lis.id, targetSystemId: theirs.engine.id }) })).toBeNull()
    expect(await deleteInterface(b.scope, iface.id)).toBeNull()

    for (const filter of [{}, { q: 'ORU^R01' }, { q: 'LabTrack' }, { systemId: ours.lis.id }, { standard: 'hl7v2' }, { lifecycle: 'test' }]) {
      expect((await listInterfaces(b.scope, filter)).interfaces.map((i) => i.id)).not.toContain(iface.id)
    }
    expect(await listInterfaces(b.scope, { systemId: ours.lis.id })).toMatchObject({ interfaces: [], total: 0 })
    expect(names(await listInterfaces(b.scope))).toEqual(['Their ADT'])

    expect(await prisma.interface.findUniqueOrThrow({ where: { id: iface.id } })).toEqual(rowBefore)
    expect(await auditOf(a.org.id, iface.id)).toEqual(auditBefore)
    expect(await prisma.auditEvent.count({ where: { targetId: iface.id, NOT: { organizationId: a.org.id } } })).toBe(0)
  })
})

function names(r: Awaited<ReturnType<typeof listInterfaces>>) {
  return r.interfaces.map((i) => i.name)
}
