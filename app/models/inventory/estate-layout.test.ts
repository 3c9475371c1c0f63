import { describe, expect, test } from 'vitest'
import { buildBigEstate } from '#tests/fixtures/big-estate.ts'
import { layoutEstate, nodeRadius, type EstateLayout, type LayoutNode } from './estate-layout.ts'

function expectInside(layout: EstateLayout, nodes: LayoutNode[]) {
  for (const n of nodes) {
    const p = layout.positions[n.id]!
    const r = nodeRadius(n)
    expect(p.x - r).toBeGreaterThanOrEqual(0)
    expect(p.y - r).toBeGreaterThanOrEqual(0)
    expect(p.x + r).toBeLessThanOrEqual(layout.width)
    expect(p.y + r).toBeLessThanOrEqual(layout.height)
  }
}

/** The smallest gap between two circles' edges (negative: they overlap). */
function smallestGap(layout: EstateLayout, nodes: LayoutNode[]) {
  let min = Infinity
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = layout.positions[nodes[i]!.id]!
      const b = layout.positions[nodes[j]!.id]!
      min = Math.min(min, Math.hypot(a.x - b.x, a.y - b.y) - nodeRadius(nodes[i]!) - nodeRadius(nodes[j]!))
    }
  }
  return min
}

describe('layoutEstate', () => {
  const estate = buildBigEstate({ systems: 200, interfaces: 400 })

  test('200 systems and 400 interfaces: every system placed inside the picture, none on another, in well under a second', () => {
    const started = performance.now()
    const layout = layoutEstate(estate.nodes, estate.edges)
    const ms = performance.now() - started
    console.info(`layoutEstate: ${estate.nodes.length} systems, ${estate.edges.length} interfaces in ${ms.toFixed(0)} ms (${layout.width}×${layout.height})`)
    expect(Object.keys(layout.positions)).toHaveLength(200)
    expectInside(layout, estate.nodes)
    // Circles never touch: there is room for a label between any two.
    expect(smallestGap(layout, estate.nodes)).toBeGreaterThan(4)
    // Generous for a loaded CI machine; ~0.1–0.2 s is usual (see the report in the test output).
    expect(ms).toBeLessThan(3000)
    // Compact enough to read when fitted to a screen: not a sprawl of empty space.
    expect(layout.width * layout.height).toBeLessThan(200 * 90 * 90)
  })

  test('is deterministic, whatever order the systems and interfaces come in', () => {
    const a = layoutEstate(estate.nodes, estate.edges)
    const b = layoutEstate([...estate.nodes].reverse(), [...estate.edges].reverse())
    expect(b).toEqual(a)
  })

  test('engines sit in the middle, other systems around them grouped by kind', () => {
    const layout = layoutEstate(estate.nodes, estate.edges)
    const centre = { x: layout.width / 2, y: layout.height / 2 }
    const dist = (id: string) => Math.hypot(layout.positions[id]!.x - centre.x, layout.positions[id]!.y - centre.y)
    const engines = estate.nodes.filter((n) => n.kind === 'integration_engine')
    const others = estate.nodes.filter((n) => n.kind !== 'integration_engine')
    const meanOthers = others.reduce((s, n) => s + dist(n.id), 0) / others.length
    for (const e of engines) expect(dist(e.id)).toBeLessThan(meanOthers * 0.6)
    // Systems of one kind are closer to each other than to the estate at large.
    const spread = (ns: LayoutNode[]) => {
      const cx = ns.reduce((s, n) => s + layout.positions[n.id]!.x, 0) / ns.length
      const cy = ns.reduce((s, n) => s + layout.positions[n.id]!.y, 0) / ns.length
      return ns.reduce((s, n) => s + Math.hypot(layout.positions[n.id]!.x - cx, layout.positions[n.id]!.y - cy), 0) / ns.length
    }
    const gateways = others.filter((n) => n.kind === 'device_gateway')
    expect(spread(gateways)).toBeLessThan(spread(others) * 0.7)
  })

  test('small and odd estates: none, one, unconnected, self-loops and unknown ends', () => {
    expect(layoutEstate([], [])).toEqual({ width: 700, height: 480, positions: {} })
    const one = [{ id: 'a', name: 'A', kind: 'ehr', criticality: 'high' }]
    const single = layoutEstate(one, [{ sourceId: 'a', targetId: 'a' }, { sourceId: 'a', targetId: 'ghost' }])
    expectInside(single, one)
    // A lone system sits in the middle of a picture of ordinary size, not blown up to fill it.
    expect(single).toEqual({ width: 700, height: 480, positions: { a: { x: 350, y: 240 } } })
    const loose = Array.from({ length: 30 }, (_, i) => ({ id: `n${i}`, name: `System ${i}`, kind: i % 3 ? 'other' : 'lis', criticality: 'low' }))
    const layout = layoutEstate(loose, [])
    expectInside(layout, loose)
    expect(smallestGap(layout, loose)).toBeGreaterThan(4)
  })

  test('systems with the same name and kind still get places of their own', () => {
    const twins = Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, name: 'Same', kind: 'integration_engine', criticality: 'critical' }))
    const layout = layoutEstate(twins, [])
    expect(smallestGap(layout, twins)).toBeGreaterThan(4)
  })
})
