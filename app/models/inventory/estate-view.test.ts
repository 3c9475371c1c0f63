import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { EstateEdge, EstateNode } from './estate.ts'
import { applyEstateFilter, DEFAULT_FILTER, edgePaths, isDefaultFilter, matchSystems, parseEstateFilter, placeLabels, wrapLabel, writeEstateFilter } from './estate-view.ts'

const node = (id: string, kind = 'other', name = id): EstateNode => ({ id, name, kind, criticality: 'medium', unitsServed: [], capabilityResources: null })
const edge = (id: string, sourceId: string, targetId: string, over: Partial<EstateEdge> = {}): EstateEdge => ({
  id,
  name: id,
  sourceId,
  targetId,
  standard: 'hl7v2',
  approach: 'via_engine',
  direction: 'one_way',
  lifecycle: 'live',
  messageTypes: [],
  hasException: false,
  ...over,
})

describe('the filter in the query string', () => {
  test('by default everything shows except retired interfaces, and the URL stays clean', () => {
    const filter = parseEstateFilter(new URLSearchParams())
    expect(filter).toEqual(DEFAULT_FILTER)
    expect(filter.lifecycles).not.toContain('retired')
    expect(writeEstateFilter(filter).toString()).toBe('')
    expect(isDefaultFilter(filter)).toBe(true)
  })

  test('round-trips, keeps other parameters and drops unknown values', () => {
    const filter = { ...DEFAULT_FILTER, standards: ['fhir' as const], lifecycles: [...DEFAULT_FILTER.lifecycles, 'retired' as const], q: ' lab ' }
    const sp = writeEstateFilter(filter, new URLSearchParams('system=abc&standard=dicom'))
    expect(sp.get('system')).toBe('abc')
    expect(sp.getAll('standard')).toEqual(['fhir'])
    expect(parseEstateFilter(sp)).toEqual({ ...filter, q: 'lab' })
    expect(parseEstateFilter(new URLSearchParams('standard=fhir&standard=<script>')).standards).toEqual(['fhir'])
  })

  test('a submitted form with nothing ticked in a group (only its empty hidden value) hides that group', () => {
    const filter = parseEstateFilter(new URLSearchParams('standard=&approach=&approach=api_first&kind=&kind=lis&kind=ehr'))
    expect(filter.standards).toEqual([])
    expect(filter.approaches).toEqual(['api_first'])
    expect(filter.kinds).toEqual(['ehr', 'lis'])
    // …and writing it keeps "none" distinct from "all".
    expect(parseEstateFilter(writeEstateFilter(filter)).standards).toEqual([])
  })

  test('filters systems by kind and interfaces by standard, approach, lifecycle and both ends being shown', () => {
    const nodes = [node('lis', 'lis'), node('ehr', 'ehr'), node('eng', 'integration_engine')]
    const edges = [
      edge('a', 'lis', 'eng'),
      edge('b', 'eng', 'ehr', { standard: 'fhir' }),
      edge('c', 'lis', 'ehr', { approach: 'point_to_point' }),
      edge('d', 'lis', 'ehr', { lifecycle: 'retired' }),
    ]
    const ids = (f: Partial<typeof DEFAULT_FILTER>) => applyEstateFilter(nodes, edges, { ...DEFAULT_FILTER, ...f }).edges.map((e) => e.id)
    expect(ids({})).toEqual(['a', 'b', 'c'])
    expect(ids({ lifecycles: ['retired'] })).toEqual(['d'])
    expect(ids({ standards: ['fhir'] })).toEqual(['b'])
    expect(ids({ approaches: ['point_to_point'] })).toEqual(['c'])
    const noEngines = applyEstateFilter(nodes, edges, { ...DEFAULT_FILTER, kinds: ['lis', 'ehr'] })
    expect(noEngines.nodes.map((n) => n.id)).toEqual(['lis', 'ehr'])
    expect(noEngines.edges.map((e) => e.id)).toEqual(['c'])
  })

  test('search matches names regardless of case and accents', () => {
    const nodes = [node('1', 'other', 'Pédiatrie Records'), node('2', 'other', 'Core Lab LIS'), node('3', 'other', 'Blood bank')]
    expect(matchSystems(nodes, 'pediatrie')).toEqual(new Set(['1']))
    expect(matchSystems(nodes, 'LAB')).toEqual(new Set(['2']))
    expect(matchSystems(nodes, '  ')).toEqual(new Set())
  })
})

describe('edgePaths', () => {
  const positions = { a: { x: 0, y: 0 }, b: { x: 100, y: 0 } }
  const radii = { a: 10, b: 10 }

  test('a single interface is a straight line that stops short of both circles', () => {
    const d = edgePaths([edge('x', 'a', 'b')], positions, radii).get('x')!
    const [x1, y1, x2, y2] = d.match(/-?[\d.]+/g)!.map(Number)
    expect(d.startsWith('M')).toBe(true)
    expect(d).toContain('L')
    expect(x1).toBeGreaterThanOrEqual(10)
    expect(x2).toBeLessThanOrEqual(90)
    expect([y1, y2]).toEqual([0, 0])
  })

  test('several interfaces between one pair fan out into distinct curves, whichever way they run', () => {
    const paths = edgePaths([edge('x', 'a', 'b'), edge('y', 'b', 'a'), edge('z', 'a', 'b')], positions, radii)
    expect(new Set(paths.values()).size).toBe(3)
    expect([...paths.values()].filter((d) => d.includes('Q'))).toHaveLength(2)
  })
})

describe('placeLabels', () => {
  test('labels never overlap each other or other circles; the most important wins a contested spot', () => {
    const candidates = Array.from({ length: 40 }, (_, i) => ({ id: `n${i}`, text: `System number ${i}`, x: (i % 8) * 30, y: Math.floor(i / 8) * 40, r: 5, priority: i === 17 ? 100 : 1 }))
    const placed = placeLabels(candidates, 10)
    expect(placed.map((p) => p.id)).toContain('n17')
    expect(placed.length).toBeLessThan(candidates.length)
    const boxes = placed.map((p) => p.box)
    // Each background holds its text: as wide as the longest line, as tall as the lines.
    for (const p of placed) {
      expect(p.box.w).toBeGreaterThanOrEqual(Math.max(...p.lines.map((l) => l.trimEnd().length)) * 10 * 0.58)
      expect(p.box.h).toBeGreaterThanOrEqual(p.lines.length * p.lineHeight)
      expect(p.y).toBeGreaterThan(p.box.y)
      expect(p.y + (p.lines.length - 1) * p.lineHeight).toBeLessThanOrEqual(p.box.y + p.box.h)
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!
        const b = boxes[j]!
        const overlap = a.x < b.x + b.w - 0.01 && b.x < a.x + a.w - 0.01 && a.y < b.y + b.h - 0.01 && b.y < a.y + a.h - 0.01
        expect(overlap, `${placed[i]!.id} and ${placed[j]!.id}`).toBe(false)
      }
    }
  })

  test('zoomed in (a smaller font in picture units) fits more names', () => {
    const candidates = Array.from({ length: 40 }, (_, i) => ({ id: `n${i}`, text: `System ${i}`, x: (i % 8) * 40, y: Math.floor(i / 8) * 40, r: 5, priority: 1 }))
    expect(placeLabels(candidates, 4).length).toBeGreaterThan(placeLabels(candidates, 14).length)
  })

  test('labels stay inside the picture, and the names that matter most may cover circles (never other labels)', () => {
    // A system in a corner, hemmed in by circles on every side.
    const crowd = [
      { id: 'hub', text: 'Rhapsody Engine', x: 60, y: 60, r: 10, priority: 5_000 },
      ...[-1, 0, 1].flatMap((i) => [-1, 0, 1].map((j) => ({ id: `c${i}${j}`, text: 'x', x: 60 + i * 30, y: 60 + j * 22, r: 9, priority: 0 }))).filter((c) => c.x !== 60 || c.y !== 60),
    ]
    const bounds = { x: 0, y: 0, w: 200, h: 120 }
    const strict = placeLabels(crowd.slice(0, 1).map((c) => ({ ...c, priority: 1 })), 10, { circles: crowd, bounds })
    expect(strict).toEqual([])
    const forced = placeLabels(crowd.slice(0, 1), 10, { circles: crowd, bounds, mustShowFrom: 5_000 })
    expect(forced.map((l) => l.id)).toEqual(['hub'])
    // Near the right edge, the label goes where it fits rather than off the picture.
    const [edge] = placeLabels([{ id: 'e', text: 'Bedside Monitor Gateway', x: 190, y: 60, r: 6, priority: 1 }], 10, { bounds: { x: 0, y: 0, w: 200, h: 120 } })
    expect(edge!.anchor).toBe('end')
  })

  test('long names are wrapped onto lines, never cut', () => {
    const [label] = placeLabels([{ id: 'g', text: 'Bedside Monitor Gateway Intensive Care 3', x: 100, y: 100, r: 8, priority: 1 }], 10)
    expect(label!.lines).toEqual(['Bedside Monitor ', 'Gateway ', 'Intensive Care 3'])
    expect(label!.lines.join('')).toBe('Bedside Monitor Gateway Intensive Care 3')
    // Taller, not wider, than one line of the longest piece.
    expect(label!.box.h).toBeGreaterThan(3 * 10)
    expect(label!.box.w).toBeLessThan(17 * 10 * 0.58 + 10)
  })
})

describe('wrapLabel', () => {
  test('breaks at spaces, keeping each space at the end of its line so the lines read as the name', () => {
    expect(wrapLabel('Open Integration Engine')).toEqual(['Open Integration ', 'Engine'])
    expect(wrapLabel('LIS')).toEqual(['LIS'])
    expect(wrapLabel('  Main   EHR  ')).toEqual(['Main EHR'])
    expect(wrapLabel('')).toEqual([''])
  })

  test('a word longer than a line is split where it must, without a space added', () => {
    expect(wrapLabel('Abcdefghijklmnopqrstuvwxyz EHR')).toEqual(['Abcdefghijklmnop', 'qrstuvwxyz EHR'])
    expect(wrapLabel('Abcdefghijklmnopqrstuvwxyz', 10)).toEqual(['Abcdefghij', 'klmnopqrst', 'uvwxyz'])
  })

  test('any name: no line is longer than the limit and the lines put together are the name (spaces normalised)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.integer({ min: 1, max: 30 }), (name, max) => {
        const lines = wrapLabel(name, max)
        expect(lines.join('')).toBe(name.trim().split(/\s+/).filter(Boolean).join(' '))
        for (const l of lines) expect(l.trimEnd().length).toBeLessThanOrEqual(max)
      }),
    )
  })
})
