import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { parseCapabilityJson, type CapabilitySummary } from '#app/models/inventory/fhir-capability.ts'
import { InterfaceSchema, SystemSchema } from '#app/models/inventory/inventory.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, uniqueSuffix } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { createInterface, deleteInterface } from './interface.server.ts'
import {
  addConformanceTest,
  createSystem,
  deleteConformanceTest,
  deleteSystem,
  getSystem,
  listSystems,
  saveCapability,
  SYSTEMS_PAGE_SIZE,
  updateSystem,
} from './system.server.ts'

/** What the form would submit, through the same schema. */
function systemInput(fields: Record<string, unknown> = {}) {
  return SystemSchema.parse({ name: `System ${uniqueSuffix()}`, kind: 'ehr', ...fields })
}

function auditOf(organizationId: string, targetId: string) {
  return prisma.auditEvent.findMany({ where: { organizationId, targetId }, orderBy: { seq: 'asc' } })
}

function fixtureSummary(): CapabilitySummary {
  const text = readFileSync(join(import.meta.dirname, '..', '..', '..', 'tests', 'fixtures', 'capability-statement-r4.json'), 'utf8')
  const parsed = parseCapabilityJson(text)
  if (!parsed.ok) throw new Error(parsed.errors.join('; '))
  return parsed.summary
}

async function connect(scope: TenantScope, sourceSystemId: string, targetSystemId: string, name = `Feed ${uniqueSuffix()}`) {
  return createInterface(
    scope,
    InterfaceSchema.parse({ name, sourceSystemId, targetSystemId, standard: 'hl7v2', messageTypes: ['ADT^A01'], transport: 'mllp', approach: 'via_engine' }),
  )
}

describe('creating a system', () => {
  test('stores it in the organisation of the scope and records system.created by the user', async () => {
    const { org, owner, scope } = await createOrgWithOwner()
    const system = await createSystem(
      scope,
      systemInput({ name: 'Riverside EHR', vendor: 'Meridian', version: '2026.1', criticality: 'critical', unitsServed: 'ICU; Emergency Department', hl7v2Versions: '2.5.1' }),
    )

    expect(await prisma.system.findUniqueOrThrow({ where: { id: system.id } })).toMatchObject({
      organizationId: org.id,
      name: 'Riverside EHR',
      vendor: 'Meridian',
      version: '2026.1',
      criticality: 'critical',
      environment: 'production',
      unitsServed: ['ICU', 'Emergency Department'],
      hl7v2Versions: ['2.5.1'],
      capability: null,
    })
    const audit = await auditOf(org.id, system.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: 'system.created', targetType: 'system', targetLabel: 'Riverside EHR', actorUserId: owner.id })
  })

  test('refuses a name already used in the organisation, whatever its case, on the name field', async () => {
    const { org, scope } = await createOrgWithOwner()
    await createSystem(scope, systemInput({ name: 'LabTrack LIS', kind: 'lis' }))

    const error = await expectDomainError(createSystem(scope, systemInput({ name: 'labtrack lis', kind: 'lis' })), 'CONFLICT', /already exists/)
    expect(error.field).toBe('name')
    expect(await prisma.system.count({ where: { organizationId: org.id } })).toBe(1)
  })

  test('the same name is free in another organisation', async () => {
    const a = await createOrgWithOwner()
    const b = await createOrgWithOwner()
    await createSystem(a.scope, systemInput({ name: 'Riverside EHR' }))
    expect(await createSystem(b.scope, systemInput({ name: 'Riverside EHR' }))).toMatchObject({ organizationId: b.org.id, name: 'Riverside EHR' })
  })

  test('owners must be people of this organisation', async () => {
    const { org, scope } = await createOrgWithOwner()
    const colleague = await addMember(org, await createTestUser(), 'analyst')
    const elsewhere = await createOrgWithOwner()
    const outsider = await addMember(elsewhere.org, await createTestUser(), 'analyst')

    await expectDomainError(createSystem(scope, systemInput({ businessOwnerId: outsider.id })), 'RULE_VIOLATION', /people of this organisation/)
    await expectDomainError(createSystem(scope, systemInput({ technicalOwnerId: outsider.id })), 'RULE_VIOLATION', /people of this organisation/)
    await expectDomainError(
      createSystem(scope, systemInput({ businessOwnerId: colleague.id, technicalOwnerId: outsider.id })),
      'RULE_VIOLATION',
      /people of this organisation/,
    )
    expect(await prisma.system.count({ where: { organizationId: org.id } })).toBe(0)

    const owned = await createSystem(scope, systemInput({ businessOwnerId: colleague.id, technicalOwnerId: colleague.id }))
    expect(owned).toMatchObject({ businessOwnerId: colleague.id, technicalOwnerId: colleague.id })
  })
})

describe('updating a system', () => {
  test('a version change is recorded as system.upgraded, with what changed', async () => {
    const { org, scope } = await createOrgWithOwner()
    const fields = { name: 'ClearView PACS', kind: 'ris_pacs', vendor: 'Aurora', version: '7.2' }
    const system = await createSystem(scope, systemInput(fields))

    const updated = await updateSystem(scope, { systemId: system.id, ...systemInput({ ...fields, version: '7.3' }) })
    expect(updated).toMatchObject({ id: system.id, version: '7.3' })

    const audit = await auditOf(org.id, system.id)
    expect(audit.map((a) => a.action)).toEqual(['system.created', 'system.upgraded'])
    expect(audit[1]!.metadata).toEqual({ changes: { version: { from: '7.2', to: '7.3' } } })
  })

  test('other changes are recorded as system.updated', async () => {
    const { org, scope } = await createOrgWithOwner()
    const fields = { name: 'RxCentral', kind: 'pharmacy', version: '12.0', criticality: 'medium' }
    const system = await createSystem(scope, systemInput(fields))

    await updateSystem(scope, { systemId: system.id, ...systemInput({ ...fields, criticality: 'high', unitsServed: 'Pharmacy' }) })

    const audit = await auditOf(org.id, system.id)
    expect(audit.map((a) => a.action)).toEqual(['system.created', 'system.updated'])
    expect(audit[1]!.metadata).toEqual({
      changes: { criticality: { from: 'medium', to: 'high' }, unitsServed: { from: [], to: ['Pharmacy'] } },
    })
    expect(await prisma.system.findUniqueOrThrow({ where: { id: system.id } })).toMatchObject({ criticality: 'high', unitsServed: ['Pharmacy'], version: '12.0' })
  })

  test('saving without a change writes nothing and records nothing', async () => {
    const { org, scope } = await createOrgWithOwner()
    const fields = { name: 'HomeVitals', kind: 'remote_monitoring', vendor: 'Pulsewise', unitsServed: 'Cardiology', hl7v2Versions: '2.6', fhirVersion: '4.0.1' }
    const system = await createSystem(scope, systemInput(fields))
    const before = await prisma.system.findUniqueOrThrow({ where: { id: system.id } })

    const result = await updateSystem(scope, { systemId: system.id, ...systemInput(fields) })
    expect(result).toMatchObject({ id: system.id })

    expect(await prisma.system.findUniqueOrThrow({ where: { id: system.id } })).toEqual(before)
    expect((await auditOf(org.id, system.id)).map((a) => a.action)).toEqual(['system.created'])
  })

  test('renaming onto another system’s name (any case) is a conflict; changing the case of its own name is not', async () => {
    const { scope } = await createOrgWithOwner()
    await createSystem(scope, systemInput({ name: 'Open Integration Engine', kind: 'integration_engine' }))
    const lis = await createSystem(scope, systemInput({ name: 'LabTrack', kind: 'lis' }))

    const error = await expectDomainError(updateSystem(scope, { systemId: lis.id, ...systemInput({ name: 'OPEN integration engine', kind: 'lis' }) }), 'CONFLICT')
    expect(error.field).toBe('name')
    expect(await updateSystem(scope, { systemId: lis.id, ...systemInput({ name: 'LABTRACK', kind: 'lis' }) })).toMatchObject({ name: 'LABTRACK' })
  })

  test('an owner from another organisation is refused and nothing changes', async () => {
    const { scope } = await createOrgWithOwner()
    const elsewhere = await createOrgWithOwner()
    const outsider = await addMember(elsewhere.org, await createTestUser(), 'analyst')
    const system = await createSystem(scope, systemInput({ name: 'Billing', kind: 'billing' }))

    await expectDomainError(updateSystem(scope, { systemId: system.id, ...systemInput({ name: 'Billing', kind: 'billing', businessOwnerId: outsider.id }) }), 'RULE_VIOLATION')
    expect(await prisma.system.findUniqueOrThrow({ where: { id: system.id } })).toMatchObject({ businessOwnerId: null })
  })
})

describe('deleting a system', () => {
  test('is refused while interfaces use it, with how many', async () => {
    const { org, scope } = await createOrgWithOwner()
    const ehr = await createSystem(scope, systemInput({ name: 'Riverside EHR' }))
    const lis = await createSystem(scope, systemInput({ name: 'LabTrack LIS', kind: 'lis' }))
    const engine = await createSystem(scope, systemInput({ name: 'Engine', kind: 'integration_engine' }))
    const out = await connect(scope, ehr.id, engine.id)
    const incoming = await connect(scope, lis.id, ehr.id)

    await expectDomainError(deleteSystem(scope, ehr.id), 'RULE_VIOLATION', /^Riverside EHR still has 2 interface\(s\)/)
    await deleteInterface(scope, incoming.id)
    await expectDomainError(deleteSystem(scope, ehr.id), 'RULE_VIOLATION', /still has 1 interface\(s\)/)
    expect(await prisma.system.count({ where: { id: ehr.id } })).toBe(1)

    await deleteInterface(scope, out.id)
    expect(await deleteSystem(scope, ehr.id)).toMatchObject({ id: ehr.id, name: 'Riverside EHR' })
    expect(await prisma.system.count({ where: { id: ehr.id } })).toBe(0)
    expect(await getSystem(scope, ehr.id)).toBeNull()
    expect((await auditOf(org.id, ehr.id)).map((a) => a.action)).toEqual(['system.created', 'system.deleted'])
  })

  test('takes its conformance results with it', async () => {
    const { scope } = await createOrgWithOwner()
    const system = await createSystem(scope, systemInput())
    await addConformanceTest(scope, { systemId: system.id, standard: 'HL7 v2.5.1', testedOn: new Date('2026-05-01'), result: 'passed' })
    await deleteSystem(scope, system.id)
    expect(await prisma.conformanceTest.count({ where: { systemId: system.id } })).toBe(0)
  })
})

describe('importing a CapabilityStatement', () => {
  test('stores the summary, takes the FHIR version from it, stamps the import and derives the base URL', async () => {
    const { org, scope } = await createOrgWithOwner()
    const system = await createSystem(scope, systemInput({ name: 'Riverside EHR' }))
    const summary = fixtureSummary()
    const before = Date.now()

    const saved = await saveCapability(scope, { systemId: system.id, summary, source: 'https://fhir.riverside-ehr.example/r4/metadata' })

    expect(saved).not.toBeNull()
    const row = await prisma.system.findUniqueOrThrow({ where: { id: system.id } })
    expect(row.capability).toEqual(summary)
    expect(row.fhirVersion).toBe('4.0.1')
    expect(row.fhirBaseUrl).toBe('https://fhir.riverside-ehr.example/r4')
    expect(row.capabilityImportedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(row.capabilityImportedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000)

    const audit = await auditOf(org.id, system.id)
    expect(audit.at(-1)).toMatchObject({
      action: 'system.capability_imported',
      metadata: { source: 'https://fhir.riverside-ehr.example/r4/metadata', fhirVersion: '4.0.1', software: 'Example EHR FHIR Server 2026.2.1', resources: 18 },
    })
  })

  test('keeps a base URL already entered, and an uploaded file sets none', async () => {
    const { scope } = await createOrgWithOwner()
    const entered = await createSystem(scope, systemInput({ fhirVersion: '4.0.1', fhirBaseUrl: 'https://api.vendor.example/fhir' }))
    const uploaded = await createSystem(scope, systemInput())

    await saveCapability(scope, { systemId: entered.id, summary: fixtureSummary(), source: 'https://other.vendor.example/r4/metadata' })
    await saveCapability(scope, { systemId: uploaded.id, summary: fixtureSummary(), source: 'upload: metadata.json' })

    expect(await prisma.system.findUniqueOrThrow({ where: { id: entered.id } })).toMatchObject({ fhirBaseUrl: 'https://api.vendor.example/fhir' })
    expect(await prisma.system.findUniqueOrThrow({ where: { id: uploaded.id } })).toMatchObject({ fhirBaseUrl: null, fhirVersion: '4.0.1' })
  })

  test('a version the checklist does not know leaves the recorded FHIR version as it was', async () => {
    const { scope } = await createOrgWithOwner()
    const system = await createSystem(scope, systemInput({ fhirVersion: '4.0.1' }))
    await saveCapability(scope, { systemId: system.id, summary: { ...fixtureSummary(), fhirVersion: '6.0.0-ballot1' }, source: 'upload: r6.json' })
    const row = await prisma.system.findUniqueOrThrow({ where: { id: system.id } })
    expect(row.fhirVersion).toBe('4.0.1')
    expect(row.capability).toMatchObject({ fhirVersion: '6.0.0-ballot1' })
  })
})

describe('conformance tests', () => {
  test('are added, listed newest first on the system, and deleted, each audited', async () => {
    const { org, scope } = await createOrgWithOwner()
    const system = await createSystem(scope, systemInput({ name: 'LabTrack LIS', kind: 'lis' }))

    const older = await addConformanceTest(scope, { systemId: system.id, standard: 'HL7 v2.5.1 ELR', testedOn: new Date('2025-11-03'), result: 'passed_with_issues', notes: 'OBX-5 units' })
    const newer = await addConformanceTest(scope, {
      systemId: system.id,
      standard: 'HL7 v2.5.1 ELR',
      testedOn: new Date('2026-05-01'),
      result: 'passed',
      evidenceUrl: 'https://evidence.example/run/42',
    })
    expect(older).toMatchObject({ organizationId: org.id, systemId: system.id, result: 'passed_with_issues', notes: 'OBX-5 units', evidenceUrl: null })

    const withTests = await getSystem(scope, system.id)
    expect(withTests!.conformanceTests.map((t) => t.id)).toEqual([newer!.id, older!.id])

    expect(await deleteConformanceTest(scope, { systemId: system.id, testId: older!.id })).toMatchObject({ id: older!.id })
    expect((await getSystem(scope, system.id))!.conformanceTests.map((t) => t.id)).toEqual([newer!.id])

    const audit = await auditOf(org.id, system.id)
    expect(audit.map((a) => [a.action, a.metadata])).toEqual([
      ['system.created', {}],
      ['system.conformance_recorded', { standard: 'HL7 v2.5.1 ELR', result: 'passed_with_issues', testedOn: '2025-11-03' }],
      ['system.conformance_recorded', { standard: 'HL7 v2.5.1 ELR', result: 'passed', testedOn: '2026-05-01' }],
      ['system.conformance_deleted', { standard: 'HL7 v2.5.1 ELR', result: 'passed_with_issues' }],
    ])
  })

  test('a test is deleted only through its own system', async () => {
    const { scope } = await createOrgWithOwner()
    const lis = await createSystem(scope, systemInput({ kind: 'lis' }))
    const ehr = await createSystem(scope, systemInput())
    const run = await addConformanceTest(scope, { systemId: lis.id, standard: 'FHIR US Core', testedOn: new Date('2026-01-10'), result: 'failed' })

    expect(await deleteConformanceTest(scope, { systemId: ehr.id, testId: run!.id })).toBeNull()
    expect(await prisma.conformanceTest.count({ where: { id: run!.id } })).toBe(1)
  })
})

describe('listing systems', () => {
  async function estate() {
    const { org, scope } = await createOrgWithOwner()
    const ehr = await createSystem(scope, systemInput({ name: 'Riverside EHR', kind: 'ehr', vendor: 'Meridian Health Systems', criticality: 'critical' }))
    const lis = await createSystem(scope, systemInput({ name: 'LabTrack LIS', kind: 'lis', vendor: 'Northwind Diagnostics', product: 'LabTrack', criticality: 'high' }))
    const bank = await createSystem(scope, systemInput({ name: 'SafeUnit Blood Bank', kind: 'lis', vendor: 'Haemo Systems', criticality: 'critical', environment: 'test' }))
    const portal = await createSystem(scope, systemInput({ name: 'MyRiverside Portal', kind: 'patient_portal', vendor: 'Meridian Health Systems', product: 'Patient Portal', criticality: 'medium' }))
    const warehouse = await createSystem(scope, systemInput({ name: 'Data Warehouse', kind: 'analytics', criticality: 'low' }))
    return { org, scope, ehr, lis, bank, portal, warehouse }
  }
  const names = (r: Awaited<ReturnType<typeof listSystems>>) => r.systems.map((s) => s.name)

  test('sorted by name by default, with totals and interface counts', async () => {
    const { scope, ehr, lis } = await estate()
    await connect(scope, ehr.id, lis.id)
    const all = await listSystems(scope)
    expect(names(all)).toEqual(['Data Warehouse', 'LabTrack LIS', 'MyRiverside Portal', 'Riverside EHR', 'SafeUnit Blood Bank'])
    expect(all).toMatchObject({ total: 5, pageCount: 1 })
    expect(all.systems.find((s) => s.id === ehr.id)!._count).toEqual({ outgoing: 1, incoming: 0 })
    expect(all.systems.find((s) => s.id === lis.id)!._count).toEqual({ outgoing: 0, incoming: 1 })
  })

  test('search matches name, vendor or product, in any case', async () => {
    const { scope } = await estate()
    expect(names(await listSystems(scope, { q: 'meridian' }))).toEqual(['MyRiverside Portal', 'Riverside EHR'])
    expect(names(await listSystems(scope, { q: 'LABTRACK' }))).toEqual(['LabTrack LIS'])
    expect(names(await listSystems(scope, { q: 'patient portal' }))).toEqual(['MyRiverside Portal'])
    expect(names(await listSystems(scope, { q: 'haemo' }))).toEqual(['SafeUnit Blood Bank'])
    expect(await listSystems(scope, { q: 'nothing like this' })).toMatchObject({ systems: [], total: 0, pageCount: 1 })
  })

  test('filters by kind, criticality and environment, combined with search', async () => {
    const { scope } = await estate()
    expect(names(await listSystems(scope, { kind: 'lis' }))).toEqual(['LabTrack LIS', 'SafeUnit Blood Bank'])
    expect(names(await listSystems(scope, { criticality: 'critical' }))).toEqual(['Riverside EHR', 'SafeUnit Blood Bank'])
    expect(names(await listSystems(scope, { environment: 'test' }))).toEqual(['SafeUnit Blood Bank'])
    expect(names(await listSystems(scope, { kind: 'lis', criticality: 'high' }))).toEqual(['LabTrack LIS'])
    expect(names(await listSystems(scope, { q: 'meridian', kind: 'ehr' }))).toEqual(['Riverside EHR'])
    expect((await listSystems(scope, { kind: 'lis' })).total).toBe(2)
  })

  test('sorts by criticality (most critical first when descending), vendor, and name descending', async () => {
    const { scope } = await estate()
    expect(names(await listSystems(scope, { sort: 'criticality', dir: 'desc' }))).toEqual([
      'Riverside EHR',
      'SafeUnit Blood Bank',
      'LabTrack LIS',
      'MyRiverside Portal',
      'Data Warehouse',
    ])
    expect(names(await listSystems(scope, { sort: 'criticality', dir: 'asc' }))[0]).toBe('Data Warehouse')
    expect(names(await listSystems(scope, { sort: 'vendor' })).slice(0, 4)).toEqual(['SafeUnit Blood Bank', 'MyRiverside Portal', 'Riverside EHR', 'LabTrack LIS'])
    expect(names(await listSystems(scope, { sort: 'name', dir: 'desc' }))).toEqual([
      'SafeUnit Blood Bank',
      'Riverside EHR',
      'MyRiverside Portal',
      'LabTrack LIS',
      'Data Warehouse',
    ])
  })

  test('most recently updated first when sorting by update', async () => {
    const { scope, lis } = await estate()
    await updateSystem(scope, { systemId: lis.id, ...systemInput({ name: 'LabTrack LIS', kind: 'lis', vendor: 'Northwind Diagnostics', product: 'LabTrack', criticality: 'critical' }) })
    expect(names(await listSystems(scope, { sort: 'updatedAt' }))[0]).toBe('LabTrack LIS')
  })

  test('pages of fifty', async () => {
    const { org, scope } = await createOrgWithOwner()
    const count = SYSTEMS_PAGE_SIZE + 3
    await prisma.system.createMany({
      data: Array.from({ length: count }, (_, i) => ({ organizationId: org.id, name: `System ${String(i).padStart(3, '0')}`, kind: 'other' as const })),
    })
    const first = await listSystems(scope, { page: 1 })
    const second = await listSystems(scope, { page: 2 })
    expect(first).toMatchObject({ total: count, pageCount: 2 })
    expect(first.systems).toHaveLength(SYSTEMS_PAGE_SIZE)
    expect(names(first)[0]).toBe('System 000')
    expect(names(second)).toEqual(['System 050', 'System 051', 'System 052'])
    // A page number below 1 is the first page.
    expect(names(await listSystems(scope, { page: 0 }))).toEqual(names(first))
    expect((await listSystems(scope, { page: 3 })).systems).toEqual([])
  })
})

describe('another organisation', () => {
  test('can neither read, change nor delete the systems of this one', async () => {
    const a = await createOrgWithOwner()
    const b = await createOrgWithOwner()
    const system = await createSystem(a.scope, systemInput({ name: 'Riverside EHR', vendor: 'Meridian', version: '2026.1' }))
    const run = await addConformanceTest(a.scope, { systemId: system.id, standard: 'US Core 6.1', testedOn: new Date('2026-04-01'), result: 'passed' })
    await createSystem(b.scope, systemInput({ name: 'Their own EHR' }))
    const rowBefore = await prisma.system.findUniqueOrThrow({ where: { id: system.id } })
    const auditBefore = await auditOf(a.org.id, system.id)

    expect(await getSystem(b.scope, system.id)).toBeNull()
    expect(await updateSystem(b.scope, { systemId: system.id, ...systemInput({ name: 'Riverside EHR', version: '2027.1' }) })).toBeNull()
    expect(await saveCapability(b.scope, { systemId: system.id, summary: fixtureSummary(), source: 'https://attacker.example/metadata' })).toBeNull()
    expect(await addConformanceTest(b.scope, { systemId: system.id, standard: 'forged', testedOn: new Date('2026-04-02'), result: 'failed' })).toBeNull()
    expect(await deleteConformanceTest(b.scope, { systemId: system.id, testId: run!.id })).toBeNull()
    expect(await deleteSystem(b.scope, system.id)).toBeNull()

    for (const filter of [{}, { q: 'Riverside' }, { q: 'Meridian' }, { kind: 'ehr' }]) {
      const listed = await listSystems(b.scope, filter)
      expect(listed.systems.map((s) => s.id)).not.toContain(system.id)
    }
    expect((await listSystems(b.scope)).systems.map((s) => s.name)).toEqual(['Their own EHR'])

    expect(await prisma.system.findUniqueOrThrow({ where: { id: system.id } })).toEqual(rowBefore)
    expect(await prisma.conformanceTest.findMany({ where: { systemId: system.id } })).toEqual([expect.objectContaining({ id: run!.id, standard: 'US Core 6.1' })])
    expect(await auditOf(a.org.id, system.id)).toEqual(auditBefore)
    expect(await prisma.auditEvent.count({ where: { targetId: system.id, NOT: { organizationId: a.org.id } } })).toBe(0)
  })
})
