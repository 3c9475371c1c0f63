/**
 * Where each system sits in the estate picture. Computed once on the server (the loader), so
 * the first paint is complete and the same for everyone.
 *
 * A small force simulation (d3-force's velocity-Verlet scheme: links pull, systems repel,
 * circles don't overlap) run to the end from deterministic starting points, plus a pull that
 * groups systems by kind in sectors around the integration engines in the middle. Hub-and-spoke
 * estates then read as spokes; point-to-point wiring shows up as chords across the ring.
 *
 * NOTE: written out here rather than with d3-force: at 200 systems its quadtree forces cost
 * ~5× more than these plain pairwise loops over typed arrays (measured on the dev machine:
 * ~0.9 s against ~0.15 s), and a loader pays that on every page view.
 *
 * Pure: no I/O, no Math.random, so the same estate always gives the same picture.
 */

/** Kinds clockwise from 12 o'clock; engines are not on the ring but in the middle. */
export const KIND_ORDER = [
  'ehr',
  'lis',
  'ris_pacs',
  'pharmacy',
  'patient_portal',
  'remote_monitoring',
  'device_gateway',
  'analytics',
  'billing',
  'other',
] as const

const RADIUS: Record<string, number> = { low: 6, medium: 8, high: 10, critical: 12 }

/** Node radius in picture units: bigger for more critical systems, biggest for engines. */
export function nodeRadius(node: { kind: string; criticality: string }) {
  return node.kind === 'integration_engine' ? 16 : (RADIUS[node.criticality] ?? 8)
}

export type LayoutNode = { id: string; name: string; kind: string; criticality: string }
export type LayoutEdge = { sourceId: string; targetId: string }
export type Point = { x: number; y: number }
export type EstateLayout = {
  /** The picture's extent: every node (with its radius and a margin) lies in 0..width × 0..height. */
  width: number
  height: number
  positions: Record<string, Point>
}

const TICKS = 300
const ALPHA_MIN = 0.001
const VELOCITY_DECAY = 0.4
const LINK_DISTANCE = 70
const LINK_STRENGTH = 0.15
const CHARGE = -90
const CHARGE_RANGE = 350
/** Room around a circle for its label. */
const PADDING = 18
const ANCHOR_STRENGTH = 0.08
const MIN_WIDTH = 700
const MIN_HEIGHT = 480

/**
 * `aspect` (width ÷ height) stretches the ring into an ellipse to fill a landscape picture;
 * `margin` is the empty border in picture units.
 */
export function layoutEstate(nodes: LayoutNode[], edges: LayoutEdge[], { margin = 48, aspect = 1.4 } = {}): EstateLayout {
  if (!nodes.length) return { width: MIN_WIDTH, height: MIN_HEIGHT, positions: {} }
  // Order matters to the simulation: sort so the order the query returned does not.
  const sorted = [...nodes].sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || compare(a.name, b.name) || compare(a.id, b.id))
  const n = sorted.length
  const index = new Map(sorted.map((node, i) => [node.id, i]))

  // Links: one per connected pair, whatever the number or direction of interfaces between them.
  const pairs = new Set<string>()
  const links: [number, number][] = []
  for (const e of edges) {
    const s = index.get(e.sourceId)
    const t = index.get(e.targetId)
    if (s === undefined || t === undefined || s === t) continue
    const key = s < t ? `${s}:${t}` : `${t}:${s}`
    if (pairs.has(key)) continue
    pairs.add(key)
    links.push(s < t ? [s, t] : [t, s])
  }
  links.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const degree = new Float64Array(n)
  for (const [s, t] of links) {
    degree[s]! += 1
    degree[t]! += 1
  }

  const r = new Float64Array(n)
  const ax = new Float64Array(n)
  const ay = new Float64Array(n)
  sorted.forEach((node, i) => (r[i] = nodeRadius(node)))

  // Anchors. Engines: the centre, or a small circle when there are several.
  const engines = sorted.flatMap((node, i) => (node.kind === 'integration_engine' ? [i] : []))
  const ring = sorted.flatMap((node, i) => (node.kind === 'integration_engine' ? [] : [i]))
  const er = engines.length > 1 ? 40 + 12 * engines.length : 0
  engines.forEach((i, k) => {
    const a = (2 * Math.PI * k) / engines.length - Math.PI / 2
    ax[i] = er * Math.cos(a)
    ay[i] = er * Math.sin(a)
  })
  // Everything else: a sector per kind, as wide as its share of the ring, on a ring whose
  // radius grows with the square root of the count so the density stays about the same.
  const R = 80 + 30 * Math.sqrt(ring.length)
  const sx = Math.sqrt(aspect)
  const sy = 1 / sx
  let start = -Math.PI / 2
  for (let k = 0; k < ring.length; ) {
    const kind = sorted[ring[k]!]!.kind
    let end = k
    while (end < ring.length && sorted[ring[end]!]!.kind === kind) end++
    const size = end - k
    const span = (2 * Math.PI * size) / ring.length
    for (let j = 0; j < size; j++) {
      const i = ring[k + j]!
      const a = start + (span * (j + 0.5)) / size
      // Alternate between two radii so neighbours in a sector do not start on top of each other.
      const rr = R * (j % 2 ? 0.8 : 1.05)
      ax[i] = rr * Math.cos(a) * sx
      ay[i] = rr * Math.sin(a) * sy
    }
    start += span
    k = end
  }

  const x = Float64Array.from(ax)
  const y = Float64Array.from(ay)
  const vx = new Float64Array(n)
  const vy = new Float64Array(n)
  const alphaDecay = 1 - Math.pow(ALPHA_MIN, 1 / TICKS)
  let alpha = 1
  for (let tick = 0; tick < TICKS; tick++) {
    alpha += (0 - alpha) * alphaDecay

    // Links (as d3's forceLink: move both ends, the less connected one more).
    for (const [s, t] of links) {
      let dx = x[t]! + vx[t]! - x[s]! - vx[s]!
      let dy = y[t]! + vy[t]! - y[s]! - vy[s]!
      if (dx === 0 && dy === 0) dx = 1e-6 * (t - s)
      const l = Math.sqrt(dx * dx + dy * dy)
      const f = ((l - LINK_DISTANCE) / l) * alpha * LINK_STRENGTH
      dx *= f
      dy *= f
      const bias = degree[s]! / (degree[s]! + degree[t]!)
      vx[t]! -= dx * bias
      vy[t]! -= dy * bias
      vx[s]! += dx * (1 - bias)
      vy[s]! += dy * (1 - bias)
    }

    // Repulsion and collision, pairwise: at a few hundred systems, plain loops beat a quadtree.
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = x[j]! - x[i]!
        let dy = y[j]! - y[i]!
        if (dx === 0 && dy === 0) {
          // Deterministic nudge for coincident points (d3 uses a seeded jiggle).
          dx = 1e-6 * (j - i)
          dy = 1e-6 * ((i * 7 + j) % 5) - 2e-6
        }
        const d2 = dx * dx + dy * dy
        if (d2 < CHARGE_RANGE * CHARGE_RANGE) {
          const w = (CHARGE * alpha) / Math.max(d2, 1)
          vx[i]! += dx * w
          vy[i]! += dy * w
          vx[j]! -= dx * w
          vy[j]! -= dy * w
        }
        const min = r[i]! + r[j]! + 2 * PADDING
        if (d2 < min * min) {
          const d = Math.sqrt(d2)
          const push = ((min - d) / d) * 0.5
          const wi = (r[j]! * r[j]!) / (r[i]! * r[i]! + r[j]! * r[j]!)
          vx[i]! -= dx * push * wi
          vy[i]! -= dy * push * wi
          vx[j]! += dx * push * (1 - wi)
          vy[j]! += dy * push * (1 - wi)
        }
      }
    }

    // The pull towards each system's anchor: its kind's sector (or the centre for engines).
    for (let i = 0; i < n; i++) {
      vx[i]! += (ax[i]! - x[i]!) * ANCHOR_STRENGTH * alpha
      vy[i]! += (ay[i]! - y[i]!) * ANCHOR_STRENGTH * alpha
      x[i]! += vx[i]! *= 1 - VELOCITY_DECAY
      y[i]! += vy[i]! *= 1 - VELOCITY_DECAY
    }
  }

  // Forces make round pictures; screens are wide. Stretching sideways only moves systems apart
  // (never closer), and labels are wide rather than tall, so it only helps.
  const extent = (v: Float64Array) => Math.max(...v) - Math.min(...v) || 1
  const stretch = Math.min(1.8, Math.max(1, aspect / (extent(x) / extent(y))))
  for (let i = 0; i < n; i++) x[i]! *= stretch

  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, x[i]! - r[i]!)
    minY = Math.min(minY, y[i]! - r[i]!)
    maxX = Math.max(maxX, x[i]! + r[i]!)
    maxY = Math.max(maxY, y[i]! + r[i]!)
  }
  // A small estate is centred in a picture of a minimum size, so that three systems are not
  // drawn as big as a screen.
  const width = Math.max(MIN_WIDTH, Math.ceil(maxX - minX + 2 * margin))
  const height = Math.max(MIN_HEIGHT, Math.ceil(maxY - minY + 2 * margin))
  const dx = (width - (maxX - minX)) / 2 - minX
  const dy = (height - (maxY - minY)) / 2 - minY
  const positions: Record<string, Point> = {}
  sorted.forEach((node, i) => (positions[node.id] = { x: round(x[i]! + dx), y: round(y[i]! + dy) }))
  return { width, height, positions }
}

function kindRank(kind: string) {
  if (kind === 'integration_engine') return -1
  const i = (KIND_ORDER as readonly string[]).indexOf(kind)
  return i < 0 ? KIND_ORDER.length : i
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const round = (v: number) => Math.round(v * 10) / 10
