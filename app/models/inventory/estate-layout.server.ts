import { createHash } from 'node:crypto'
import { layoutEstate, type EstateLayout, type LayoutEdge, type LayoutNode } from './estate-layout.ts'

/**
 * The layout, remembered per estate shape. A 200-system layout costs ~0.1–0.2 s of CPU; the
 * estate changes far less often than the page is viewed. The key is a digest of exactly what
 * the layout reads (systems' id, name, kind, criticality and which pairs are connected), so any
 * change that would move a node makes a new entry, and organisations never share one (ids are
 * unique across organisations).
 */
const MAX_ENTRIES = 100
const cache = new Map<string, EstateLayout>()

export function getEstateLayout(nodes: LayoutNode[], edges: LayoutEdge[]): EstateLayout {
  const hash = createHash('sha256')
  for (const n of [...nodes].sort((a, b) => (a.id < b.id ? -1 : 1))) hash.update(`${n.id}\0${n.name}\0${n.kind}\0${n.criticality}\n`)
  hash.update('--\n')
  for (const pair of [...new Set(edges.map((e) => (e.sourceId < e.targetId ? `${e.sourceId}|${e.targetId}` : `${e.targetId}|${e.sourceId}`)))].sort()) {
    hash.update(`${pair}\n`)
  }
  const key = hash.digest('hex')
  const hit = cache.get(key)
  if (hit) {
    // Refresh its place: the Map's order is the eviction order.
    cache.delete(key)
    cache.set(key, hit)
    return hit
  }
  const layout = layoutEstate(nodes, edges)
  cache.set(key, layout)
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  return layout
}
