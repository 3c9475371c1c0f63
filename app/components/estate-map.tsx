/**
 * The estate picture: systems as circles (engines as squares) where the server's layout put
 * them, interfaces as arrows coloured by standard and dashed by approach. Pans and zooms by
 * changing the SVG viewBox (buttons, wheel, drag, + / − / 0 keys); systems are buttons in one
 * tab stop (arrow keys move between them, Enter or Space selects, Escape clears).
 *
 * Without JavaScript every system is still a link to `?system=<id>`, which the server renders
 * selected, and the page's table carries the same information.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react'
import type { EstateEdge, EstateNode } from '#app/models/inventory/estate.ts'
import { nodeRadius, type EstateLayout } from '#app/models/inventory/estate-layout.ts'
import {
  APPROACH_DASHES,
  edgePaths,
  KIND_COLOURS,
  kindLabel,
  placeLabels,
  STANDARD_COLOURS,
  type LabelCandidate,
  type PlacedLabel,
} from '#app/models/inventory/estate-view.ts'
import { APPROACHES, CRITICALITIES, LIFECYCLES, STANDARDS } from '#app/models/inventory/vocabulary.ts'

export type MapFocus = {
  selectedId: string
  /** Systems with a live interface to or from the selected one. */
  neighbours: Set<string>
  /** Systems that lose data when it is down (through engines too). */
  downstream: Set<string>
  /** The engines among them, which pass the loss on. */
  relays: Set<string>
  /** Those that lose data only through an engine. */
  relayed: Set<string>
}

type View = { x: number; y: number; w: number; h: number }

/** What the page is assumed to give the picture before the browser has measured it (server render). */
const ASSUMED_PIXELS = { w: 860, h: 620 }
const LABEL_PX = 12
const CRITICALITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 }

export function EstateMap({
  nodes,
  edges,
  layout,
  focus,
  matches,
  hrefFor,
  onSelect,
  describedBy,
}: {
  nodes: EstateNode[]
  edges: EstateEdge[]
  layout: EstateLayout
  focus: MapFocus | null
  matches: Set<string>
  hrefFor: (id: string) => string
  onSelect: (id: string | null) => void
  describedBy?: string
}) {
  const full = useMemo<View>(() => ({ x: 0, y: 0, w: layout.width, h: layout.height }), [layout])
  const [view, setView] = useState<View>(full)
  const [pixels, setPixels] = useState(ASSUMED_PIXELS)
  const [hoverId, setHoverId] = useState<string | null>(null)
  const [focusId, setFocusId] = useState<string | null>(null)
  const svgRef = useRef<SVGSVGElement>(null)
  const drag = useRef<{ x: number; y: number; view: View; moved: boolean; pointerId: number } | null>(null)
  const suppressClick = useRef(false)

  useEffect(() => setView(full), [full])

  useEffect(() => {
    const svg = svgRef.current
    if (!svg) return
    const measure = () => setPixels({ w: svg.clientWidth || ASSUMED_PIXELS.w, h: svg.clientHeight || ASSUMED_PIXELS.h })
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(svg)
    return () => observer.disconnect()
  }, [])

  const scale = Math.min(pixels.w / view.w, pixels.h / view.h)
  // Zoomed in, lines and arrowheads grow less than the picture does (rounded so that panning,
  // which keeps the zoom, does not redraw every arrow).
  const thin = Math.round(100 / Math.sqrt(Math.max(1, full.w / view.w))) / 100
  const positions = layout.positions
  const radii = useMemo(() => Object.fromEntries(nodes.map((n) => [n.id, nodeRadius(n)])), [nodes])

  const zoomAt = useCallback(
    (factor: number, cx?: number, cy?: number) => {
      setView((v) => {
        const longest = Math.max(full.w, full.h)
        const w = clamp(v.w / factor, longest / 12, longest * 1.5)
        const k = v.w / w
        const h = v.h / k
        const px = cx ?? v.x + v.w / 2
        const py = cy ?? v.y + v.h / 2
        return { x: px - (px - v.x) / k, y: py - (py - v.y) / k, w, h }
      })
    },
    [full],
  )

  const toPicture = useCallback((clientX: number, clientY: number) => {
    const svg = svgRef.current
    const ctm = svg?.getScreenCTM()
    if (!svg || !ctm) return null
    const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse())
    return { x: p.x, y: p.y }
  }, [])

  // Wheel zoom needs a non-passive listener to keep the page from scrolling at the same time.
  useEffect(() => {
    const svg = svgRef.current
    if (!svg) return
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      const p = toPicture(e.clientX, e.clientY)
      zoomAt(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)), p?.x, p?.y)
    }
    svg.addEventListener('wheel', onWheel, { passive: false })
    return () => svg.removeEventListener('wheel', onWheel)
  }, [toPicture, zoomAt])

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return
    suppressClick.current = false
    drag.current = { x: e.clientX, y: e.clientY, view, moved: false, pointerId: e.pointerId }
  }
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current
    if (!d) return
    const dx = e.clientX - d.x
    const dy = e.clientY - d.y
    if (!d.moved && Math.hypot(dx, dy) < 4) return
    if (!d.moved) {
      d.moved = true
      // Captured only once it is a drag, so a plain click still reaches the system under it.
      e.currentTarget.setPointerCapture(d.pointerId)
    }
    setView({ ...d.view, x: d.view.x - dx / scale, y: d.view.y - dy / scale })
  }
  const onPointerUp = () => {
    suppressClick.current = Boolean(drag.current?.moved)
    drag.current = null
  }

  /** Pans (keeping the zoom) so that a system is on screen. */
  const reveal = useCallback(
    (id: string) => {
      const p = positions[id]
      if (!p) return
      setView((v) => {
        const m = Math.min(v.w, v.h) * 0.08
        if (p.x > v.x + m && p.x < v.x + v.w - m && p.y > v.y + m && p.y < v.y + v.h - m) return v
        return { ...v, x: p.x - v.w / 2, y: p.y - v.h / 2 }
      })
    },
    [positions],
  )

  const selectedId = focus?.selectedId ?? null
  useEffect(() => {
    if (selectedId) reveal(selectedId)
  }, [selectedId, reveal])

  const nodeIds = useMemo(() => new Set(nodes.map((n) => n.id)), [nodes])

  const focusNode = (id: string) => {
    setFocusId(id)
    reveal(id)
    // After React has made it the tab stop.
    requestAnimationFrame(() => svgRef.current?.querySelector<SVGAElement>(`[data-node="${CSS.escape(id)}"]`)?.focus())
  }

  const onNodeKeyDown = (e: KeyboardEvent<Element>, id: string) => {
    // Both keys handled here: browsers differ on whether Enter on an SVG link fires a click.
    if (e.key === ' ' || e.key === 'Spacebar' || e.key === 'Enter') {
      e.preventDefault()
      onSelect(id === selectedId ? null : id)
      return
    }
    const dir = ARROWS[e.key]
    if (dir) {
      e.preventDefault()
      const next = nearestInDirection(id, dir, nodes, positions)
      if (next) focusNode(next)
    }
  }

  // Stable handlers for the memoised node layer, so that panning (a new viewBox on every
  // pointer move) does not redraw 200 systems; they read the latest props through a ref.
  const latest = useRef({ onNodeKeyDown, onSelect, selectedId })
  latest.current = { onNodeKeyDown, onSelect, selectedId }
  const onActivate = useCallback((id: string) => {
    if (suppressClick.current) {
      suppressClick.current = false
      return
    }
    const { onSelect: select, selectedId: current } = latest.current
    select(id === current ? null : id)
  }, [])
  const onKeyDownStable = useCallback((e: KeyboardEvent<Element>, id: string) => latest.current.onNodeKeyDown(e, id), [])

  const onSvgKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    if (e.key === '+' || e.key === '=') zoomAt(1.4)
    else if (e.key === '-' || e.key === '_') zoomAt(1 / 1.4)
    else if (e.key === '0') setView(full)
    else if (e.key === 'Escape' && selectedId) onSelect(null)
    else return
    e.preventDefault()
  }

  // Which names to write, at this zoom.
  const degree = useMemo(() => {
    const d = new Map<string, number>()
    for (const e of edges) {
      d.set(e.sourceId, (d.get(e.sourceId) ?? 0) + 1)
      d.set(e.targetId, (d.get(e.targetId) ?? 0) + 1)
    }
    return d
  }, [edges])
  // One tab stop for the whole picture: the focused or selected system, else the busiest (an engine, usually).
  const hubId = useMemo(() => nodes.reduce<EstateNode | null>((best, n) => (!best || (degree.get(n.id) ?? 0) > (degree.get(best.id) ?? 0) ? n : best), null)?.id ?? null, [nodes, degree])
  const tabbableId = [focusId, selectedId].find((id) => id && nodeIds.has(id)) ?? hubId

  const highlighted = useCallback(
    (id: string) => (focus ? id === focus.selectedId || focus.neighbours.has(id) || focus.downstream.has(id) : matches.size ? matches.has(id) : true),
    [focus, matches],
  )
  const fontSize = LABEL_PX / scale
  const labels = useMemo(() => {
    const candidates: LabelCandidate[] = nodes
      .filter((n) => highlighted(n.id) || n.kind === 'integration_engine' || n.id === hoverId || n.id === focusId)
      .map((n) => {
        const p = positions[n.id]!
        const priority =
          (n.id === selectedId ? 10_000 : 0) +
          (n.id === hoverId || n.id === focusId ? 9_000 : 0) +
          (matches.has(n.id) ? 8_000 : 0) +
          // Below the 5 000 that may cover circles: around a busy engine, everything is downstream.
          (focus?.neighbours.has(n.id) ? 3_500 : focus?.downstream.has(n.id) ? 3_000 : 0) +
          (n.kind === 'integration_engine' ? 5_000 : 0) +
          (CRITICALITY_RANK[n.criticality] ?? 0) * 100 +
          Math.min(degree.get(n.id) ?? 0, 99)
        return { id: n.id, text: n.name, x: p.x, y: p.y, r: radii[n.id] ?? 8, priority }
      })
    const circles = nodes.map((n) => ({ ...positions[n.id]!, r: radii[n.id] ?? 8 }))
    // The selection, the system under the pointer or focus, search matches and engines are always named.
    const placed = placeLabels(candidates, fontSize, { circles, bounds: { x: 0, y: 0, w: full.w, h: full.h }, mustShowFrom: 5_000 })
    return new Map(placed.map((l) => [l.id, l]))
  }, [nodes, positions, radii, highlighted, hoverId, focusId, selectedId, matches, focus, degree, fontSize, full])

  return (
    <div className="relative h-full">
      <svg
        ref={svgRef}
        viewBox={`${r1(view.x)} ${r1(view.y)} ${r1(view.w)} ${r1(view.h)}`}
        preserveAspectRatio="xMidYMid meet"
        className="h-full w-full cursor-grab touch-none select-none bg-white active:cursor-grabbing"
        role="group"
        aria-label="Estate picture: systems and the interfaces between them"
        aria-describedby={describedBy}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onSvgKeyDown}
      >
        <Markers thin={thin} />
        <EdgeLayer edges={edges} positions={positions} radii={radii} focus={focus} matches={matches} thin={thin} />
        <NodeLayer
          nodes={nodes}
          positions={positions}
          radii={radii}
          focus={focus}
          matches={matches}
          degree={degree}
          labels={labels}
          fontSize={fontSize}
          tabbableId={tabbableId}
          hrefFor={hrefFor}
          onActivate={onActivate}
          onKeyDown={onKeyDownStable}
          onFocusNode={setFocusId}
          onHover={setHoverId}
        />
      </svg>
      <div className="absolute right-2 top-2 flex flex-col gap-1" role="group" aria-label="Zoom">
        <button type="button" className="btn-secondary h-9 w-9 p-0 text-lg" onClick={() => zoomAt(1.4)} aria-label="Zoom in">
          +
        </button>
        <button type="button" className="btn-secondary h-9 w-9 p-0 text-lg" onClick={() => zoomAt(1 / 1.4)} aria-label="Zoom out">
          −
        </button>
        <button type="button" className="btn-secondary h-9 w-9 p-0 text-xs" onClick={() => setView(full)} aria-label="Fit the whole estate">
          Fit
        </button>
      </div>
    </div>
  )
}

function Markers({ thin }: { thin: number }) {
  return (
    <defs>
      {Object.entries(STANDARD_COLOURS).map(([standard, colour]) => (
        <marker
          key={standard}
          id={`estate-arrow-${standard}`}
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth={8 * thin}
          markerHeight={8 * thin}
          markerUnits="userSpaceOnUse"
          orient="auto-start-reverse"
        >
          <path d="M0,0.5 L10,5 L0,9.5 z" fill={colour} />
        </marker>
      ))}
    </defs>
  )
}

const EdgeLayer = memo(function EdgeLayer({
  edges,
  positions,
  radii,
  focus,
  matches,
  thin,
}: {
  edges: EstateEdge[]
  positions: EstateLayout['positions']
  radii: Record<string, number>
  focus: MapFocus | null
  matches: Set<string>
  thin: number
}) {
  const paths = useMemo(() => edgePaths(edges, positions, radii), [edges, positions, radii])
  const byId = useMemo(() => new Map(edges.map((e) => [e.id, e])), [edges])
  // Paint order: faint ones first, so highlighted arrows are on top.
  const ordered = useMemo(() => {
    const rank = (e: EstateEdge) => edgeState(e, focus, matches)
    const weight = { dim: 0, retired: 1, normal: 2, relay: 3, hot: 4 } as const
    return [...edges].sort((a, b) => weight[rank(a)] - weight[rank(b)])
  }, [edges, focus, matches])
  return (
    <g fill="none" strokeLinecap="round">
      {ordered.map((e) => {
        const d = paths.get(e.id)
        if (!d) return null
        const state = edgeState(byId.get(e.id)!, focus, matches)
        const colour = STANDARD_COLOURS[e.standard]
        return (
          <path
            key={e.id}
            data-edge={e.id}
            d={d}
            stroke={colour}
            strokeWidth={(state === 'hot' ? 2.6 : 1.2) * thin}
            strokeDasharray={dashes(e.approach, thin)}
            opacity={state === 'dim' ? 0.06 : state === 'relay' ? 0.2 : state === 'retired' ? 0.3 : state === 'hot' ? 1 : 0.55}
            markerEnd={`url(#estate-arrow-${e.standard})`}
            markerStart={e.direction === 'bidirectional' ? `url(#estate-arrow-${e.standard})` : undefined}
          >
            <title>
              {`${e.name}: ${STANDARDS[e.standard]}, ${APPROACHES[e.approach].toLowerCase()}, ${e.direction === 'bidirectional' ? 'both ways' : 'one way'}, ${LIFECYCLES[e.lifecycle].toLowerCase()}`}
            </title>
          </path>
        )
      })}
    </g>
  )
})

function dashes(approach: EstateEdge['approach'], thin: number) {
  const d = APPROACH_DASHES[approach]
  return d && thin !== 1 ? d.split(' ').map((v) => Number(v) * thin).join(' ') : d
}

function edgeState(e: EstateEdge, focus: MapFocus | null, matches: Set<string>) {
  if (focus) {
    const s = focus.selectedId
    if (e.sourceId === s || e.targetId === s) return 'hot' as const
    // Engine → downstream system: the path the selected system's data takes onwards.
    if (e.lifecycle !== 'retired') {
      if (focus.relays.has(e.sourceId) && focus.downstream.has(e.targetId)) return 'relay' as const
      if (e.direction === 'bidirectional' && focus.relays.has(e.targetId) && focus.downstream.has(e.sourceId)) return 'relay' as const
    }
    return 'dim' as const
  }
  if (matches.size && !matches.has(e.sourceId) && !matches.has(e.targetId)) return 'dim' as const
  return e.lifecycle === 'retired' ? ('retired' as const) : ('normal' as const)
}

const NodeLayer = memo(function NodeLayer({
  nodes,
  positions,
  radii,
  focus,
  matches,
  degree,
  labels,
  fontSize,
  tabbableId,
  hrefFor,
  onActivate,
  onKeyDown,
  onFocusNode,
  onHover,
}: {
  nodes: EstateNode[]
  positions: EstateLayout['positions']
  radii: Record<string, number>
  focus: MapFocus | null
  matches: Set<string>
  degree: Map<string, number>
  labels: Map<string, PlacedLabel>
  fontSize: number
  tabbableId: string | null
  hrefFor: (id: string) => string
  onActivate: (id: string) => void
  onKeyDown: (e: KeyboardEvent<Element>, id: string) => void
  onFocusNode: (id: string) => void
  onHover: (id: string | null) => void
}) {
  // Painted least important first, so an engine's or a critical system's name is on top where
  // one may cover a circle. Fixed for an estate: re-ordering on hover or selection would move
  // the focused node in the DOM, and the browser would drop its focus.
  const painted = useMemo(
    () => [...nodes].sort((a, b) => paintRank(a, degree) - paintRank(b, degree) || (a.id < b.id ? -1 : 1)),
    [nodes, degree],
  )
  return (
    <g fontFamily="ui-sans-serif, system-ui, sans-serif">
      {painted.map((n) => {
        const p = positions[n.id]
        if (!p) return null
        const r = radii[n.id] ?? 8
        const selected = focus?.selectedId === n.id
        const downstream = focus?.downstream.has(n.id) ?? false
        const lit = focus ? selected || downstream || focus.neighbours.has(n.id) : matches.size ? matches.has(n.id) : true
        const engine = n.kind === 'integration_engine'
        const label = labels.get(n.id)
        const count = degree.get(n.id) ?? 0
        const name = `${n.name}, ${kindLabel(n.kind)}, ${CRITICALITIES[n.criticality as keyof typeof CRITICALITIES]?.toLowerCase() ?? n.criticality} criticality, ${count} interface${count === 1 ? '' : 's'} shown${downstream ? ', loses data if the selected system is down' : ''}`
        const shape = (extra: number, props: Record<string, unknown>) =>
          engine ? (
            <rect x={p.x - r - extra} y={p.y - r - extra} width={2 * (r + extra)} height={2 * (r + extra)} rx={4 + extra} {...props} />
          ) : (
            <circle cx={p.x} cy={p.y} r={r + extra} {...props} />
          )
        return (
          <a
            key={n.id}
            href={hrefFor(n.id)}
            data-node={n.id}
            role="button"
            aria-pressed={selected}
            aria-label={name}
            tabIndex={n.id === tabbableId ? 0 : -1}
            className="group cursor-pointer focus:outline-none"
            onClick={(e) => {
              e.preventDefault()
              onActivate(n.id)
            }}
            onKeyDown={(e) => onKeyDown(e, n.id)}
            onFocus={() => onFocusNode(n.id)}
            onMouseEnter={() => onHover(n.id)}
            onMouseLeave={() => onHover(null)}
          >
            <title>{`${n.name} (${kindLabel(n.kind)})`}</title>
            <g style={lit ? undefined : { opacity: 0.25 }}>
            {matches.has(n.id) ? shape(5, { fill: '#fde047', stroke: '#ca8a04', strokeWidth: 1.5 }) : null}
            {selected ? shape(11, { fill: '#bfdbfe', fillOpacity: 0.7, stroke: 'none' }) : null}
            {selected ? shape(6, { fill: 'none', stroke: '#1d5fbf', strokeWidth: 3.5 }) : null}
            {downstream
              ? focus?.relayed.has(n.id)
                ? shape(3.5, { fill: 'none', stroke: '#dc2626', strokeWidth: 1.2, strokeDasharray: '2 2' })
                : shape(4, { fill: 'none', stroke: '#b91c1c', strokeWidth: 2.5 })
              : null}
            {shape(0, { fill: KIND_COLOURS[n.kind] ?? KIND_COLOURS.other, stroke: engine ? '#0f172a' : '#334155', strokeWidth: 1.2 })}
            {/* A focus ring of our own: browsers draw outlines on SVG elements unreliably. */}
            {shape(8, { fill: 'none', strokeWidth: 2.5, className: 'stroke-transparent group-focus-visible:stroke-brand-900' })}
            {/* A bigger invisible target for small circles. */}
            {shape(Math.max(0, 11 - r), { fill: 'transparent', stroke: 'none' })}
            </g>
            {label ? <NodeLabel label={label} fontSize={fontSize} strong={selected || matches.has(n.id)} dim={Boolean(focus) && !lit} /> : null}
          </a>
        )
      })}
    </g>
  )
})

function paintRank(n: EstateNode, degree: Map<string, number>) {
  return (n.kind === 'integration_engine' ? 1_000_000 : 0) + (CRITICALITY_RANK[n.criticality] ?? 0) * 1_000 + Math.min(degree.get(n.id) ?? 0, 999)
}

/**
 * A system's name, inside its node (so the text the user sees is part of what they click, and
 * the start of its accessible name), on a background that covers the arrows under it. The
 * lines keep the spaces they were broken at, so their text reads as the name.
 */
function NodeLabel({ label, fontSize, strong, dim }: { label: PlacedLabel; fontSize: number; strong: boolean; dim: boolean }) {
  const { box } = label
  return (
    <>
      <rect
        x={box.x}
        y={box.y}
        width={box.w}
        height={box.h}
        rx={fontSize * 0.25}
        fill="#ffffff"
        fillOpacity={0.94}
        stroke={strong ? '#1d5fbf' : '#cbd5e1'}
        strokeWidth={fontSize * (strong ? 0.12 : 0.06)}
      />
      <text x={label.x} y={label.y} textAnchor={label.anchor} fontSize={fontSize} fill={dim ? '#475569' : '#0f172a'} fontWeight={strong ? 700 : 500}>
        {label.lines.map((line, i) => (
          <tspan key={i} x={label.x} dy={i ? label.lineHeight : undefined}>
            {line}
          </tspan>
        ))}
      </text>
    </>
  )
}

const ARROWS: Record<string, [number, number]> = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] }

/** The nearest system roughly in a direction (within 60° of it), for arrow-key moves. */
export function nearestInDirection(fromId: string, [dx, dy]: [number, number], nodes: EstateNode[], positions: EstateLayout['positions']) {
  const from = positions[fromId]
  if (!from) return null
  let best: string | null = null
  let bestScore = Infinity
  for (const n of nodes) {
    const p = positions[n.id]
    if (!p || n.id === fromId) continue
    const vx = p.x - from.x
    const vy = p.y - from.y
    const along = vx * dx + vy * dy
    const across = Math.abs(vx * dy - vy * dx)
    if (along <= 0 || across > along * 1.8) continue
    const score = along + across * 2
    if (score < bestScore) {
      bestScore = score
      best = n.id
    }
  }
  return best
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))
const r1 = (v: number) => Math.round(v * 10) / 10
