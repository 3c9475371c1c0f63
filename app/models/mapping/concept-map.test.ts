import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkCodeMap, describeIssue } from './mapping-csv.ts'
import { CODE_SYSTEM_URIS } from './mapping.ts'
import { computableName, conceptMapJson, readConceptMap, toConceptMap, validateConceptMapR4, type ExportCode } from './concept-map.ts'

const meta = { interfaceId: 'cif1', interfaceName: 'Lab results to EHR', versionNumber: 3, approved: true, date: new Date('2026-11-20T10:00:00Z'), publisher: 'Riverside' }
const codes: ExportCode[] = [
  { sourceSystem: 'urn:riverside:lab', localCode: 'NA', localDisplay: 'Sodium', targetSystem: 'http://loinc.org', targetCode: '2951-2', targetDisplay: 'Sodium [Moles/volume] in Serum or Plasma', equivalence: 'equal', comment: null },
  { sourceSystem: 'urn:riverside:lab', localCode: 'GLU', localDisplay: null, targetSystem: 'http://loinc.org', targetCode: '2345-7', targetDisplay: null, equivalence: 'narrower', comment: 'Serum only' },
  { sourceSystem: 'urn:riverside:lab', localCode: 'OLD', localDisplay: 'Retired test', targetSystem: 'http://loinc.org', targetCode: null, targetDisplay: null, equivalence: 'unmatched', comment: 'No LOINC code' },
  { sourceSystem: 'urn:riverside:units', localCode: 'mmol/l', localDisplay: null, targetSystem: 'http://unitsofmeasure.org', targetCode: 'mmol/L', targetDisplay: null, equivalence: 'equal', comment: null },
]

/** A minimal valid R4 ConceptMap with one target, changed by `edit`. */
function oneTarget(target: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    resourceType: 'ConceptMap',
    status: 'draft',
    group: [{ source: 'urn:x:lab', target: 'http://loinc.org', element: [{ code: 'A', target: [target] }] }],
    ...extra,
  })
}

describe('FHIR R4 ConceptMap', () => {
  it('exports a valid R4 ConceptMap: one group per pair of systems, unmatched without a code', () => {
    const cm = toConceptMap(meta, codes)
    expect(validateConceptMapR4(cm)).toEqual([])
    expect(cm).toMatchObject({ resourceType: 'ConceptMap', status: 'active', version: '3', name: 'LabResultsToEHRCodeMaps', url: 'urn:liaison:mapping:cif1', date: '2026-11-20T10:00:00.000Z' })
    expect(cm.group!.map((g) => [g.source, g.target, g.element.map((e) => e.code)])).toEqual([
      ['urn:riverside:lab', 'http://loinc.org', ['GLU', 'NA', 'OLD']],
      ['urn:riverside:units', 'http://unitsofmeasure.org', ['mmol/l']],
    ])
    expect(cm.group![0]!.element[2]).toEqual({ code: 'OLD', display: 'Retired test', target: [{ equivalence: 'unmatched', comment: 'No LOINC code' }] })
    expect(toConceptMap({ ...meta, approved: false }, []).status).toBe('draft')
    expect(toConceptMap({ ...meta, approved: false }, [])).not.toHaveProperty('group')
  })

  it('the validator catches what R4 forbids', () => {
    const cm = JSON.parse(conceptMapJson(toConceptMap(meta, codes)))
    delete cm.group[0].element[0].target[0].comment // GLU is narrower
    cm.group[1].element[0].target[0].equivalence = 'related-to'
    cm.identifier = [cm.identifier]
    expect(validateConceptMapR4(cm).map((i) => i.path)).toEqual(['identifier', 'group[1].element[0].target[0].equivalence'])
    cm.identifier = cm.identifier[0]
    cm.group[1].element[0].target[0].equivalence = 'equal'
    expect(validateConceptMapR4(cm).map((i) => [i.path, i.message])).toEqual([['group[0].element[0].target[0].comment', expect.stringMatching(/cmd-1/)]])
    expect(computableName('3 ADT feeds — Lab')).toBe('Map3ADTFeedsLabCodeMaps')
  })

  it('export → import gives back the same code maps', () => {
    const read = readConceptMap(conceptMapJson(toConceptMap(meta, codes)))
    expect(read.errors).toEqual([])
    expect(read.total).toBe(4)
    const strip = (r: object) => Object.fromEntries(Object.entries(r).filter(([, v]) => v != null))
    const byCode = (a: { localCode: string }, b: { localCode: string }) => a.localCode.localeCompare(b.localCode)
    expect(read.items.map((i) => strip(i.record)).sort(byCode as never)).toEqual(codes.map((c) => strip(c)).sort(byCode as never))
    expect(read.items[0]!.path).toBe('group[0].element[0]')
  })

  it('every set of code maps the matrix accepts exports as valid R4 and reads back the same', () => {
    const text = (max: number) => fc.string({ minLength: 1, maxLength: max }).map((v) => v.trim()).filter(Boolean)
    const candidate = fc.record({
      sourceSystem: fc.constantFrom('urn:riverside:lab', 'http://example.org/cs', 'Riverside lab', 'x'),
      localCode: text(12),
      localDisplay: fc.option(text(20), { nil: undefined }),
      targetSystem: fc.constantFrom(...CODE_SYSTEM_URIS),
      targetCode: fc.option(text(12), { nil: undefined }),
      targetDisplay: fc.option(text(20), { nil: undefined }),
      equivalence: fc.constantFrom('equal', 'wider', 'narrower', 'unmatched'),
      comment: fc.option(text(20), { nil: undefined }),
    })
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 12 }), (candidates) => {
        // What the matrix would hold: valid, one per key.
        const held = new Map<string, ExportCode>()
        for (const c of candidates) {
          const r = checkCodeMap(c)
          if (!r.ok) continue
          const d = r.data
          held.set(`${d.sourceSystem}|${d.localCode}|${d.targetSystem}`, {
            sourceSystem: d.sourceSystem,
            localCode: d.localCode,
            localDisplay: d.localDisplay ?? null,
            targetSystem: d.targetSystem,
            targetCode: d.targetCode ?? null,
            targetDisplay: d.targetDisplay ?? null,
            equivalence: d.equivalence,
            comment: d.comment ?? null,
          })
        }
        const codes = [...held.values()]
        const cm = toConceptMap(meta, codes)
        expect(validateConceptMapR4(JSON.parse(conceptMapJson(cm)))).toEqual([])
        const read = readConceptMap(conceptMapJson(cm))
        expect(read.errors).toEqual([])
        const strip = (r: object) => Object.fromEntries(Object.entries(r).filter(([, v]) => v != null))
        const key = (r: { sourceSystem: string; localCode: string; targetSystem: string }) => `${r.sourceSystem}|${r.localCode}|${r.targetSystem}`
        expect(new Map(read.items.map((i) => [key(i.record), strip(i.record)]))).toEqual(new Map(codes.map((c) => [key(c), strip(c)])))
      }),
      { numRuns: 200 },
    )
  })

  it('maps R4 equivalences to the nearest of ours, and refuses those without one, by JSON path', () => {
    const eq = (e: string, comment?: string) => readConceptMap(oneTarget({ code: '1-8', equivalence: e, ...(comment ? { comment } : {}) }))
    expect(eq('equivalent').items[0]!.record.equivalence).toBe('equal')
    expect(eq('subsumes').items[0]!.record.equivalence).toBe('wider')
    expect(eq('specializes', 'Adults only').items[0]!.record.equivalence).toBe('narrower')
    for (const e of ['inexact', 'relatedto', 'disjoint']) {
      const r = eq(e, 'why')
      expect(r.items).toEqual([])
      expect(r.errors).toEqual([expect.objectContaining({ path: 'group[0].element[0].target[0].equivalence', message: expect.stringMatching(new RegExp(`"${e}" has no counterpart`)) })])
    }
    expect(eq('same').errors).toEqual([expect.objectContaining({ path: 'group[0].element[0].target[0].equivalence', message: expect.stringMatching(/not an R4 equivalence/) })])
  })

  it('reports structure and content problems by JSON path', () => {
    const file = {
      resourceType: 'ConceptMap',
      status: 'draft',
      group: [
        { source: 'urn:x:lab', target: 'http://loinc.org', element: [{ code: 'A', target: [{ code: '1-8', equivalence: 'equal' }] }] },
        {
          source: 'urn:x:lab',
          target: 'http://loinc.org',
          element: [
            { code: 'B', target: [{ equivalence: 'equal' }] },
            { code: 'A', target: [{ code: '1-8', equivalence: 'equal' }] },
            { code: 'C', target: [{ code: '1-9', equivalence: 'unmatched' }] },
            { code: 'D', target: [{ code: '1-9', equivalence: 'equal', dependsOn: [{ property: 'x', value: 'y' }] }] },
            { code: 'E', target: [{ code: '1', equivalence: 'equal' }, { code: '2', equivalence: 'wider' }] },
          ],
        },
        { source: 'urn:x:lab', target: 'http://example.org/private', element: [{ code: 'F', target: [{ code: 'f', equivalence: 'equal' }] }, { code: 'G', target: [{ code: 'g', equivalence: 'equal' }] }] },
      ],
    }
    const r = readConceptMap(JSON.stringify(file))
    expect(r.errors.map((e) => e.path)).toEqual([
      'group[1].element[0].target[0].code',
      'group[1].element[1].code',
      'group[1].element[2].target[0].code',
      'group[1].element[3].target[0].dependsOn',
      'group[1].element[4].target[1]',
      'group[2].target',
    ])
    expect(r.errors[1]!.message).toMatch(/Duplicate: group\[0\]\.element\[0\]/)
    expect(r.errors[5]!.message).toMatch(/Unknown code system "http:\/\/example.org\/private"/)
    // As the import page shows it.
    expect(describeIssue(r.errors[3]!)).toBe('group[1].element[3].target[0].dependsOn: Conditional maps (dependsOn) are not held by Liaison: each local code maps on its own.')
    expect(r.items.map((i) => i.path)).toEqual(['group[0].element[0]', 'group[1].element[4]'])

    const structure = readConceptMap(
      JSON.stringify({ resourceType: 'ConceptMap', group: [{ source: 'urn:x', target: 'http://loinc.org', element: [{ code: 'A', target: [{ code: 'x', relationship: 'equivalent' }] }, { code: '' }] }] }),
    )
    expect(structure.errors.map((e) => [e.path, e.message])).toEqual([
      ['status', expect.stringMatching(/required/)],
      ['group[0].element[0].target[0].equivalence', 'is required in R4'],
      ['group[0].element[0].target[0].relationship', expect.stringMatching(/R5/)],
      ['group[0].element[1].code', expect.stringMatching(/must not be empty/)],
    ])
  })

  it('names JSON syntax errors with line and column, and refuses what is not a ConceptMap', () => {
    const r = readConceptMap('{\n  "resourceType": "ConceptMap",\n  "status": "draft",,\n}')
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]!.message).toMatch(/not valid JSON at line 3, column 21/)
    expect(readConceptMap('[]').errors[0]!.message).toMatch(/one ConceptMap resource/)
    expect(readConceptMap('{"resourceType":"Bundle"}').errors[0]!.message).toMatch(/Bundle/)
    expect(readConceptMap('{"resourceType":"ValueSet","status":"draft"}').errors[0]).toMatchObject({ path: 'resourceType', message: 'must be "ConceptMap"' })
  })
})
