import { describe, expect, test } from 'vitest'
import { computeWarnings, impactOf, type EstateEdge, type EstateNode } from './estate.ts'

const node = (id: string, over: Partial<EstateNode> = {}): EstateNode => ({
  id,
  name: over.name ?? id.toUpperCase(),
  kind: 'other',
  criticality: 'medium',
  unitsServed: [],
  capabilityResources: null,
  ...over,
})

let seq = 0
const edge = (sourceId: string, targetId: string, over: Partial<EstateEdge> = {}): EstateEdge => ({
  id: over.id ?? `e${++seq}`,
  name: over.name ?? `${sourceId}→${targetId}`,
  sourceId,
  targetId,
  standard: 'hl7v2',
  approach: 'via_engine',
  direction: 'one_way',
  lifecycle: 'live',
  messageTypes: ['ADT^A01'],
  hasException: false,
  ...over,
})

describe('computeWarnings', () => {
  describe('a proprietary or flat-file interface without a written exception', () => {
    test('warns, names both systems and points at the interface', () => {
      const nodes = [node('pas', { name: 'PAS' }), node('fin', { name: 'Finance' })]
      const edges = [edge('pas', 'fin', { id: 'csv', name: 'Nightly extract', standard: 'flat_file', messageTypes: [] })]
      const [w, ...rest] = computeWarnings(nodes, edges)
      expect(rest).toEqual([])
      expect(w).toMatchObject({ kind: 'nonstandard_without_exception', interfaceIds: ['csv'], systemIds: ['pas', 'fin'] })
      expect(w!.message).toContain('Nightly extract uses flat file / csv between PAS and Finance')
      expect(w!.advice).toMatch(/record the exception/)
    })

    test('warns for proprietary too', () => {
      const warnings = computeWarnings([node('a'), node('b')], [edge('a', 'b', { standard: 'proprietary' })])
      expect(warnings.map((w) => w.kind)).toEqual(['nonstandard_without_exception'])
    })

    test('is quiet once the exception is written', () => {
      expect(computeWarnings([node('a'), node('b')], [edge('a', 'b', { standard: 'proprietary', hasException: true })])).toEqual([])
    })

    test('is quiet for a retired interface', () => {
      expect(computeWarnings([node('a'), node('b')], [edge('a', 'b', { standard: 'flat_file', lifecycle: 'retired' })])).toEqual([])
    })

    test('is quiet for standard interfaces', () => {
      const edges = (['hl7v2', 'fhir', 'dicom', 'x12'] as const).map((standard) => edge('a', 'b', { standard, messageTypes: [] }))
      expect(computeWarnings([node('a'), node('b')], edges)).toEqual([])
    })
  })

  describe('point-to-point sprawl', () => {
    test('two systems wired directly are fine: that is what point-to-point is for', () => {
      const edges = [edge('a', 'b', { approach: 'point_to_point' }), edge('b', 'a', { approach: 'point_to_point' })]
      expect(computeWarnings([node('a'), node('b')], edges)).toEqual([])
    })

    test('three systems wired to each other get one warning that suggests an engine', () => {
      const nodes = [node('a', { name: 'Alpha' }), node('b', { name: 'Beta' }), node('c', { name: 'Gamma' })]
      const edges = [edge('a', 'b', { id: 'ab', approach: 'point_to_point' }), edge('c', 'b', { id: 'cb', approach: 'point_to_point' })]
      const warnings = computeWarnings(nodes, edges)
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatchObject({ kind: 'point_to_point_sprawl' })
      expect(warnings[0]!.message).toBe('3 systems are wired point-to-point with 2 interfaces: Alpha, Beta, Gamma.')
      expect(warnings[0]!.advice).toMatch(/integration engine/)
      expect(new Set(warnings[0]!.systemIds)).toEqual(new Set(['a', 'b', 'c']))
      expect(new Set(warnings[0]!.interfaceIds)).toEqual(new Set(['ab', 'cb']))
    })

    test('separate groups are separate warnings; a pair beside a sprawl stays quiet', () => {
      const p2p = { approach: 'point_to_point' as const }
      const nodes = ['a', 'b', 'c', 'd', 'x', 'y', 'z', 'p', 'q'].map((id) => node(id))
      const edges = [
        edge('a', 'b', p2p),
        edge('b', 'c', p2p),
        edge('c', 'd', p2p),
        edge('x', 'y', p2p),
        edge('z', 'y', p2p),
        edge('p', 'q', p2p),
      ]
      const sprawl = computeWarnings(nodes, edges).filter((w) => w.kind === 'point_to_point_sprawl')
      expect(sprawl.map((w) => new Set(w.systemIds))).toEqual(expect.arrayContaining([new Set(['a', 'b', 'c', 'd']), new Set(['x', 'y', 'z'])]))
      expect(sprawl).toHaveLength(2)
    })

    test('links through an engine or retired links do not count', () => {
      const edges = [
        edge('a', 'b', { approach: 'point_to_point' }),
        edge('b', 'c', { approach: 'via_engine' }),
        edge('c', 'a', { approach: 'point_to_point', lifecycle: 'retired' }),
      ]
      expect(computeWarnings([node('a'), node('b'), node('c')], edges)).toEqual([])
    })
  })

  describe('a FHIR interface to a system whose CapabilityStatement lacks the resource', () => {
    const ehr = node('ehr', { name: 'Main EHR', capabilityResources: ['Patient', 'Observation'] })

    test('warns with the missing resources, about the target', () => {
      const edges = [edge('app', 'ehr', { id: 'f', name: 'Portal API', standard: 'fhir', messageTypes: ['Patient', 'Appointment', 'Slot'] })]
      const [w, ...rest] = computeWarnings([node('app'), ehr], edges)
      expect(rest).toEqual([])
      expect(w).toMatchObject({ kind: 'fhir_resource_unsupported', interfaceIds: ['f'], systemIds: ['ehr'] })
      expect(w!.message).toBe('Portal API exchanges Appointment, Slot with Main EHR, whose CapabilityStatement does not list them.')
      expect(w!.advice).toMatch(/re-import its current CapabilityStatement/)
    })

    test('is quiet when every resource is listed', () => {
      expect(computeWarnings([node('app'), ehr], [edge('app', 'ehr', { standard: 'fhir', messageTypes: ['Observation'] })])).toEqual([])
    })

    test('is quiet when no CapabilityStatement was imported (nothing to compare with)', () => {
      expect(computeWarnings([node('app'), node('ehr')], [edge('app', 'ehr', { standard: 'fhir', messageTypes: ['Appointment'] })])).toEqual([])
    })

    test('is quiet for a retired interface', () => {
      expect(computeWarnings([node('app'), ehr], [edge('app', 'ehr', { standard: 'fhir', messageTypes: ['Slot'], lifecycle: 'retired' })])).toEqual([])
    })
  })
})

describe('impactOf', () => {
  // LIS → engine → EHR and → Analytics; EHR → LIS orders; a retired feed LIS → Old; a portal two-way with the EHR.
  const nodes = [
    node('lis', { name: 'LIS', kind: 'lis', unitsServed: ['Laboratory', 'ICU'] }),
    node('eng', { name: 'Engine', kind: 'integration_engine' }),
    node('ehr', { name: 'EHR', kind: 'ehr', unitsServed: ['Wards', 'ICU'] }),
    node('bi', { name: 'Analytics', kind: 'analytics', unitsServed: ['Finance'] }),
    node('old', { name: 'Old Archive', unitsServed: ['Records'] }),
    node('portal', { name: 'Portal', kind: 'patient_portal', unitsServed: ['Patients'] }),
  ]
  const edges = [
    edge('lis', 'eng', { id: 'lis-eng', name: 'Results out' }),
    edge('eng', 'ehr', { id: 'eng-ehr', name: 'Results to EHR' }),
    edge('eng', 'bi', { id: 'eng-bi', name: 'Results to BI' }),
    edge('ehr', 'lis', { id: 'ehr-lis', name: 'Orders', approach: 'point_to_point' }),
    edge('lis', 'old', { id: 'lis-old', name: 'Archive feed', lifecycle: 'retired' }),
    edge('portal', 'ehr', { id: 'portal-ehr', name: 'Portal API', direction: 'bidirectional', standard: 'fhir', approach: 'api_first' }),
  ]

  test('if the LIS is down: its interfaces, the systems fed through the engine, the units', () => {
    const impact = impactOf('lis', nodes, edges)
    expect(impact.interfaces).toEqual([
      { id: 'ehr-lis', name: 'Orders', otherId: 'ehr', otherName: 'EHR', direction: 'in' },
      { id: 'lis-eng', name: 'Results out', otherId: 'eng', otherName: 'Engine', direction: 'out' },
    ])
    // The engine relays: what it feeds loses the LIS's data too, and says through which engine.
    expect(impact.downstream).toEqual([
      { id: 'bi', name: 'Analytics', via: 'Engine' },
      { id: 'ehr', name: 'EHR', via: 'Engine' },
      { id: 'eng', name: 'Engine', via: null },
    ])
    expect(impact.upstream).toEqual([{ id: 'ehr', name: 'EHR' }])
    expect(impact.unitsDirect).toEqual(['ICU', 'Laboratory'])
    // ICU uses the LIS directly, so it is not listed again downstream; the retired archive is not affected.
    expect(impact.unitsDownstream).toEqual(['Finance', 'Wards'])
  })

  test('a system that is not an engine does not relay: the EHR being fed does not make the portal downstream of the LIS', () => {
    expect(impactOf('lis', nodes, edges).downstream.map((d) => d.id)).not.toContain('portal')
  })

  test('bidirectional interfaces count both ways', () => {
    const portal = impactOf('portal', nodes, edges)
    expect(portal.interfaces).toEqual([{ id: 'portal-ehr', name: 'Portal API', otherId: 'ehr', otherName: 'EHR', direction: 'both' }])
    expect(portal.downstream.map((d) => d.id)).toEqual(['ehr'])
    expect(portal.upstream.map((u) => u.id)).toEqual(['ehr'])

    const ehr = impactOf('ehr', nodes, edges)
    expect(ehr.downstream.map((d) => d.id).sort()).toEqual(['lis', 'portal'])
    expect(ehr.upstream.map((u) => u.id).sort()).toEqual(['eng', 'portal'])
  })

  test('retired interfaces are left out', () => {
    const old = impactOf('old', nodes, edges)
    expect(old).toEqual({ interfaces: [], downstream: [], upstream: [], unitsDirect: ['Records'], unitsDownstream: [] })
  })

  test('an engine down takes everything it feeds, and chains of engines are followed', () => {
    const chain = [...nodes, node('eng2', { name: 'Imaging Engine', kind: 'integration_engine' }), node('pacs', { name: 'PACS', kind: 'ris_pacs', unitsServed: ['Radiology'] })]
    const chainEdges = [...edges, edge('eng', 'eng2', { id: 'eng-eng2' }), edge('eng2', 'pacs', { id: 'eng2-pacs' })]
    const impact = impactOf('lis', chain, chainEdges)
    expect(impact.downstream).toContainEqual({ id: 'pacs', name: 'PACS', via: 'Imaging Engine' })
    expect(impact.unitsDownstream).toContain('Radiology')
    expect(impactOf('eng', chain, chainEdges).downstream.map((d) => d.id).sort()).toEqual(['bi', 'ehr', 'eng2', 'pacs'])
  })

  test('cycles through engines terminate and never list the system itself', () => {
    const cyc = [node('a', { kind: 'integration_engine' }), node('b', { kind: 'integration_engine' }), node('s')]
    const cycEdges = [edge('s', 'a'), edge('a', 'b'), edge('b', 'a'), edge('b', 's')]
    expect(impactOf('s', cyc, cycEdges).downstream.map((d) => d.id).sort()).toEqual(['a', 'b'])
  })
})
