/**
 * The demo estate (prisma/seed-inventory.ts) exists to teach: its warnings are there on purpose,
 * and the impact view of the LIS is the demo's story. Seeded through the real models for a fresh
 * organisation, it must show exactly those warnings, and no others.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { getEstate, getEstateWarnings } from '#app/models/inventory/estate.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { impactOf, type EstateEdge, type EstateNode, type EstateWarning } from '#app/models/inventory/estate.ts'
import { addMember, createOrgWithOwner, createTestUser } from '#tests/factories.ts'
import { RIVERSIDE_INTERFACES, RIVERSIDE_SYSTEMS, seedInventory } from '../prisma/seed-inventory.ts'

let ids: Map<string, string>
let nodes: EstateNode[]
let edges: EstateEdge[]
let warnings: EstateWarning[]
let organizationId: string

const id = (name: string) => {
  const found = ids.get(name)
  if (!found) throw new Error(`no system named ${name} in the demo estate`)
  return found
}
const edgeId = (name: string) => {
  const found = edges.find((e) => e.name === name)
  if (!found) throw new Error(`no interface named ${name} in the demo estate`)
  return found.id
}

beforeAll(async () => {
  const { org, owner, scope } = await createOrgWithOwner({ orgName: 'Riverside Health (test)' })
  const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
  const engineer = await addMember(org, await createTestUser(), 'analyst', 'it')
  organizationId = org.id
  ids = await seedInventory(scope, { business: ownerMembership.id, technical: engineer.id })
  ;({ nodes, edges } = await getEstate(scope))
  warnings = await getEstateWarnings(scope)
})

describe('the demo estate', () => {
  test('is seeded whole, with the EHR’s CapabilityStatement imported', async () => {
    expect(nodes).toHaveLength(RIVERSIDE_SYSTEMS.length)
    expect(edges).toHaveLength(RIVERSIDE_INTERFACES.length)
    const ehr = nodes.find((n) => n.name === 'Riverside EHR')!
    expect(ehr.capabilityResources).toEqual(expect.arrayContaining(['Patient', 'Observation', 'Appointment']))
    expect(nodes.filter((n) => n.capabilityResources).map((n) => n.name)).toEqual(['Riverside EHR'])
    expect(await prisma.auditEvent.count({ where: { organizationId, action: 'system.capability_imported', targetId: id('Riverside EHR') } })).toBe(1)
  })

  test('has exactly one warning of each teaching kind', () => {
    expect(warnings.map((w) => w.kind).sort()).toEqual(['fhir_resource_unsupported', 'nonstandard_without_exception', 'point_to_point_sprawl'])
  })

  test('point-to-point sprawl around the blood bank, the LIS, the reference lab and the EHR', () => {
    const sprawl = warnings.find((w) => w.kind === 'point_to_point_sprawl')!
    expect(sprawl.systemIds).toEqual(
      expect.arrayContaining([id('SafeUnit Blood Bank'), id('LabTrack LIS'), id('Statewide Reference Lab'), id('Riverside EHR')]),
    )
    expect(sprawl.interfaceIds).toEqual(
      expect.arrayContaining([edgeId('Blood bank ↔ LIS'), edgeId('Blood bank → EHR: transfusion results'), edgeId('LIS → reference lab: send-outs')]),
    )
    // Interfaces through the engine, and the billing ↔ clearinghouse pair (two systems only), are not sprawl.
    expect(sprawl.interfaceIds).not.toContain(edgeId('Engine → LIS: ADT'))
    expect(sprawl.interfaceIds).not.toContain(edgeId('Billing → clearinghouse: claims'))
    expect(sprawl.systemIds).not.toContain(id('Open Integration Engine'))
    expect(sprawl.systemIds).not.toContain(id('Claims Clearinghouse'))
    expect(sprawl.message).toMatch(/SafeUnit Blood Bank/)
    expect(sprawl.message).toMatch(/wired point-to-point/)
    expect(sprawl.advice).toMatch(/integration engine/)
  })

  test('the dictation feed has no written exception; the warehouse extract, which has one, is not flagged', () => {
    const nonstandard = warnings.filter((w) => w.kind === 'nonstandard_without_exception')
    expect(nonstandard).toHaveLength(1)
    expect(nonstandard[0]!.interfaceIds).toEqual([edgeId('Dictation → EHR: reports')])
    expect(nonstandard[0]!.systemIds).toEqual([id('VoiceScribe Dictation'), id('Riverside EHR')])
    expect(nonstandard[0]!.message).toMatch(/^Dictation → EHR: reports uses proprietary between VoiceScribe Dictation and Riverside EHR without a written exception/)
    expect(warnings.flatMap((w) => (w.kind === 'nonstandard_without_exception' ? w.interfaceIds : []))).not.toContain(edgeId('EHR → warehouse: nightly extract'))
    expect(edges.find((e) => e.name === 'EHR → warehouse: nightly extract')).toMatchObject({ standard: 'flat_file', hasException: true })
  })

  test('the portal asks the EHR for QuestionnaireResponse, which its CapabilityStatement does not list', () => {
    const unsupported = warnings.filter((w) => w.kind === 'fhir_resource_unsupported')
    expect(unsupported).toHaveLength(1)
    expect(unsupported[0]).toMatchObject({
      interfaceIds: [edgeId('Portal ↔ EHR: patient API')],
      systemIds: [id('Riverside EHR')],
    })
    // Only the missing resource is named: Patient, Appointment and Observation are in the statement.
    expect(unsupported[0]!.message).toBe(
      'Portal ↔ EHR: patient API exchanges QuestionnaireResponse with Riverside EHR, whose CapabilityStatement does not list it.',
    )
  })

  test('if LabTrack LIS is down: its engine interfaces, the EHR downstream through the engine, and the Laboratory', () => {
    const impact = impactOf(id('LabTrack LIS'), nodes, edges)

    expect(impact.interfaces.map((i) => i.name)).toEqual([
      'Blood bank ↔ LIS',
      'Engine → LIS: ADT',
      'Engine → LIS: lab orders',
      'LIS → engine: results',
      'LIS → reference lab: send-outs',
    ])
    expect(impact.interfaces.find((i) => i.name === 'LIS → engine: results')).toMatchObject({ otherName: 'Open Integration Engine', direction: 'out' })
    expect(impact.interfaces.find((i) => i.name === 'Engine → LIS: ADT')).toMatchObject({ otherName: 'Open Integration Engine', direction: 'in' })
    expect(impact.interfaces.find((i) => i.name === 'Blood bank ↔ LIS')).toMatchObject({ otherName: 'SafeUnit Blood Bank', direction: 'both' })

    const downstream = new Map(impact.downstream.map((d) => [d.name, d.via]))
    expect(downstream.get('Open Integration Engine')).toBeNull()
    expect(downstream.get('Riverside EHR')).toBe('Open Integration Engine')
    expect(downstream.get('SafeUnit Blood Bank')).toBeNull()
    expect(downstream.get('Statewide Reference Lab')).toBeNull()
    expect(downstream.has('LabTrack LIS')).toBe(false)

    expect(impact.upstream.map((u) => u.name).sort()).toEqual(['Open Integration Engine', 'SafeUnit Blood Bank'])
    expect(impact.unitsDirect).toEqual(['Laboratory'])
    expect(impact.unitsDownstream).toEqual(expect.arrayContaining(['Emergency Department', 'ICU']))
    expect(impact.unitsDownstream).not.toContain('Laboratory')
  })
})
