import { describe, expect, test } from 'vitest'
import { createInterface } from '#app/models/inventory/interface.server.ts'
import { InterfaceSchema, SystemSchema } from '#app/models/inventory/inventory.ts'
import { createSystem } from '#app/models/inventory/system.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { SecurityItemSchema } from './decision-schemas.ts'
import { createProject, updateProject } from './projects.server.ts'
import { ProjectSchema } from './schemas.ts'
import { attestSecurityAssessment, getSecurityAssessment, startSecurityAssessment, syncSecurityScope, updateSecurityItem, vendorKeyOf } from './security.server.ts'

const projectFields = { goal: 'Results', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30' }

async function setUp() {
  const { org, scope } = await createOrgWithOwner()
  const sys = (name: string, vendor: string, extra: Record<string, unknown> = {}) => createSystem(scope, SystemSchema.parse({ name: `${name} ${uniqueSuffix()}`, kind: 'lis', vendor, ...extra }))
  const lis = await sys('LIS', 'Northwind Diagnostics, Inc.')
  const ehr = await sys('EHR', 'Meridian Health Systems')
  const refLab = await sys('Reference lab', 'Statewide Labs')
  const iface = await createInterface(scope, InterfaceSchema.parse({ name: `Results ${uniqueSuffix()}`, sourceSystemId: lis.id, targetSystemId: ehr.id, standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine' }))
  const name = `Project ${uniqueSuffix()}`
  const project = await createProject(scope, ProjectSchema.parse({ name, ...projectFields, interfaceIds: [iface.id] }))
  const compliance = await createTestUser()
  await addMember(org, compliance, 'compliance')
  return { org, scope, compliance: await scopeFor(org, compliance), project, name, iface, lis, ehr, refLab }
}

const item = (fields: Record<string, unknown>) => SecurityItemSchema.parse(fields)

async function completeAll(scope: TenantScope, projectId: string) {
  const a = (await getSecurityAssessment(scope, { projectId }))!
  for (const i of a.items.filter((x) => !x.outOfScope && x.status !== 'done' && x.status !== 'not_applicable')) {
    await updateSecurityItem(scope, { projectId, ...item({ itemId: i.id, status: 'done', evidence: 'Checked', evidenceUrl: 'https://docs.example/evidence' }) })
  }
}

describe('the security risk assessment', () => {
  test('starts with the project: the fixed items and one BAA per vendor of its systems and interfaces, audited', async () => {
    const { scope, project } = await setUp()
    const a = (await getSecurityAssessment(scope, { projectId: project.id }))!
    expect(a.started).toBe(true)
    expect(a.items.map((i) => (i.kind === 'baa' ? `baa:${i.vendor}` : i.kind))).toEqual([
      'tls', 'encryption_at_rest', 'access_control', 'audit_logging', 'oauth_smart',
      'baa:Meridian Health Systems', 'baa:Northwind Diagnostics, Inc.', 'risk_review',
    ])
    expect(a.fhirInScope).toBe(false)
    expect(await prisma.auditEvent.count({ where: { organizationId: scope.organizationId, action: 'security_assessment.started', targetId: project.id } })).toBe(1)
    expect(vendorKeyOf('Northwind  Diagnostics, Inc.')).toBe(vendorKeyOf('northwind diagnostics inc'))
  })

  test('items: not applicable needs a reason, links are https only; done records who and when', async () => {
    const { scope, compliance, project } = await setUp()
    const a = (await getSecurityAssessment(scope, { projectId: project.id }))!
    const tls = a.items.find((i) => i.kind === 'tls')!
    expect(SecurityItemSchema.safeParse({ itemId: tls.id, status: 'not_applicable' }).success).toBe(false)
    expect(SecurityItemSchema.safeParse({ itemId: tls.id, status: 'done', evidenceUrl: 'javascript:alert(1)' }).success).toBe(false)
    expect(SecurityItemSchema.safeParse({ itemId: tls.id, status: 'done', evidenceUrl: 'http://plain.example' }).success).toBe(false)
    await updateSecurityItem(compliance, { projectId: project.id, ...item({ itemId: tls.id, status: 'done', evidence: 'MLLP over TLS 1.3', evidenceUrl: 'https://wiki.example/tls' }) })
    const after = (await getSecurityAssessment(scope, { projectId: project.id }))!.items.find((i) => i.kind === 'tls')!
    expect(after).toMatchObject({ status: 'done', evidence: 'MLLP over TLS 1.3', completedBy: expect.any(String) })
    expect(after.completedAt).not.toBeNull()
  })

  test('attesting is refused while an item is open, then records who, when and the note', async () => {
    const { scope, compliance, project } = await setUp()
    await expectDomainError(attestSecurityAssessment(compliance, { projectId: project.id, note: 'ok' }), 'RULE_VIOLATION', /Still open/)
    await completeAll(compliance, project.id)
    await attestSecurityAssessment(compliance, { projectId: project.id, note: 'Reviewed with the CISO' })
    const a = (await getSecurityAssessment(scope, { projectId: project.id }))!
    expect(a).toMatchObject({ attestationNote: 'Reviewed with the CISO', attestedBy: expect.any(String) })
    expect(a.attestedAt).not.toBeNull()
    await expectDomainError(attestSecurityAssessment(compliance, { projectId: project.id }), 'CONFLICT')
  })

  test('a scope change: a new vendor adds an open BAA and re-opens the attested assessment; a vendor leaving is kept, out of scope', async () => {
    const { scope, compliance, project, name, iface, refLab, lis } = await setUp()
    await completeAll(compliance, project.id)
    await attestSecurityAssessment(compliance, { projectId: project.id })
    // The manager adds the reference lab (a new vendor) to the scope.
    await updateProject(scope, { id: project.id, ...ProjectSchema.parse({ name, ...projectFields, interfaceIds: [iface.id], systemIds: [refLab.id] }) })
    let a = (await getSecurityAssessment(scope, { projectId: project.id }))!
    expect(a.attestedAt).toBeNull()
    expect(a.reopenedAt).not.toBeNull()
    expect(a.reopenReason).toMatch(/Statewide Labs/)
    expect(a.items.find((i) => i.vendor === 'Statewide Labs')).toMatchObject({ status: 'open', outOfScope: false })
    await expectDomainError(attestSecurityAssessment(compliance, { projectId: project.id }), 'RULE_VIOLATION', /Statewide Labs/)
    // The interface leaves the scope: its vendors' BAAs are kept but out of scope, and do not block attestation.
    await updateProject(scope, { id: project.id, ...ProjectSchema.parse({ name, ...projectFields, systemIds: [refLab.id] }) })
    a = (await getSecurityAssessment(scope, { projectId: project.id }))!
    expect(a.items.filter((i) => i.outOfScope).map((i) => i.vendor).sort()).toEqual(['Meridian Health Systems', 'Northwind Diagnostics, Inc.'])
    const meridian = a.items.find((i) => i.vendor === 'Meridian Health Systems')!
    await expectDomainError(updateSecurityItem(compliance, { projectId: project.id, ...item({ itemId: meridian.id, status: 'open' }) }), 'RULE_VIOLATION', /no longer/)
    await completeAll(compliance, project.id)
    await attestSecurityAssessment(compliance, { projectId: project.id })
    // A vendor that comes back is re-opened (its agreement is checked again).
    await updateProject(scope, { id: project.id, ...ProjectSchema.parse({ name, ...projectFields, systemIds: [refLab.id, lis.id] }) })
    a = (await getSecurityAssessment(scope, { projectId: project.id }))!
    expect(a.items.find((i) => i.vendor === 'Northwind Diagnostics, Inc.')).toMatchObject({ status: 'open', outOfScope: false })
    expect(a.attestedAt).toBeNull()
    const actions = (await prisma.auditEvent.findMany({ where: { organizationId: scope.organizationId, action: { startsWith: 'security_assessment.' } } })).map((e) => e.action)
    expect(actions.filter((x) => x === 'security_assessment.reopened')).toHaveLength(2)
    expect(actions).toContain('security_assessment.attested')
  })

  test('FHIR in scope is noticed; a project without an assessment row shows what it would hold and starts it once', async () => {
    const { scope, project } = await setUp()
    const portal = await createSystem(scope, SystemSchema.parse({ name: `Portal ${uniqueSuffix()}`, kind: 'patient_portal', vendor: 'Meridian Health Systems', fhirVersion: '4.0.1' }))
    const bare = await prisma.project.create({ data: { organizationId: scope.organizationId, name: `Old ${uniqueSuffix()}`, goal: 'x', approach: 'api_first', startDate: new Date('2027-01-04'), targetGoLive: new Date('2027-06-30'), systems: { create: { systemId: portal.id, organizationId: scope.organizationId } } } })
    const before = (await getSecurityAssessment(scope, { projectId: bare.id }))!
    expect(before).toMatchObject({ started: false, fhirInScope: true })
    expect(before.items.map((i) => i.vendor ?? i.kind)).toContain('Meridian Health Systems')
    await startSecurityAssessment(scope, { projectId: bare.id })
    expect((await getSecurityAssessment(scope, { projectId: bare.id }))!.started).toBe(true)
    await expectDomainError(startSecurityAssessment(scope, { projectId: bare.id }), 'CONFLICT')
    void project
  })

  test('another organisation’s scope cannot read, change, attest or sync the assessment', async () => {
    const { scope, project } = await setUp()
    const tls = (await getSecurityAssessment(scope, { projectId: project.id }))!.items.find((i) => i.kind === 'tls')!
    const { scope: outsider } = await createOrgWithOwner()
    expect(await getSecurityAssessment(outsider, { projectId: project.id })).toBeNull()
    expect(await updateSecurityItem(outsider, { projectId: project.id, ...item({ itemId: tls.id, status: 'done' }) })).toBeNull()
    expect(await attestSecurityAssessment(outsider, { projectId: project.id })).toBeNull()
    expect(await syncSecurityScope(outsider, project.id)).toBeNull()
    expect((await prisma.securityItem.findUniqueOrThrow({ where: { id: tls.id } })).status).toBe('open')
  })
})
