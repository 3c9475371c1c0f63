/**
 * What the estate picture shows and how: colours and line styles (the legend), the filter in
 * the query string, which systems and interfaces pass it, where the arrows run and which labels
 * fit. Pure and browser-safe: the server renders the first paint with it, the browser redraws
 * with it as the user filters, selects and zooms.
 */
import type { EstateEdge, EstateNode } from './estate.ts'
import { APPROACHES, LIFECYCLES, STANDARDS, SYSTEM_KINDS, type Lifecycle } from './vocabulary.ts'
import type { Point } from './estate-layout.ts'

type Approach = EstateEdge['approach']
type Standard = EstateEdge['standard']

/** Arrow colours, one per standard. Each has ≥ 4.5:1 contrast on white. */
export const STANDARD_COLOURS: Record<Standard, string> = {
  hl7v2: '#1d4ed8',
  fhir: '#c2410c',
  dicom: '#7e22ce',
  x12: '#0f766e',
  flat_file: '#854d0e',
  proprietary: '#be123c',
}

/** Line styles, one per approach: via an engine is the norm (solid), point-to-point dashed, API-first dotted. */
export const APPROACH_DASHES: Record<Approach, string | undefined> = {
  via_engine: undefined,
  point_to_point: '7 4',
  api_first: '1.5 3.5',
}

/** Node fills, one per kind (light, with a dark outline; engines dark). */
export const KIND_COLOURS: Record<string, string> = {
  integration_engine: '#0d2a55',
  ehr: '#93c5fd',
  lis: '#86efac',
  ris_pacs: '#c4b5fd',
  pharmacy: '#f9a8d4',
  patient_portal: '#fdba74',
  remote_monitoring: '#fde047',
  device_gateway: '#cbd5e1',
  analytics: '#67e8f9',
  billing: '#bef264',
  other: '#f8fafc',
}

export const kindLabel = (kind: string) => (SYSTEM_KINDS as Record<string, string>)[kind] ?? kind

// ---------------------------------------------------------------------------------------------
// The filter, in the query string so a view can be linked and works without JavaScript.
//
// Each checkbox group is written as repeated parameters (`standard=hl7v2&standard=fhir`). The
// form also sends an empty value per group (a hidden input), so "group present, nothing
// ticked" (hide all) differs from "group absent" (the default). Defaults are left out of URLs.

export type EstateFilter = {
  standards: Standard[]
  approaches: Approach[]
  lifecycles: Lifecycle[]
  kinds: string[]
  q: string
}

const ALL_STANDARDS = Object.keys(STANDARDS) as Standard[]
const ALL_APPROACHES = Object.keys(APPROACHES) as Approach[]
const ALL_LIFECYCLES = Object.keys(LIFECYCLES) as Lifecycle[]
const ALL_KINDS = Object.keys(SYSTEM_KINDS)

export const FILTER_GROUPS = {
  standard: { key: 'standards', all: ALL_STANDARDS, defaults: ALL_STANDARDS },
  approach: { key: 'approaches', all: ALL_APPROACHES, defaults: ALL_APPROACHES },
  // Retired interfaces are history: hidden unless asked for.
  lifecycle: { key: 'lifecycles', all: ALL_LIFECYCLES, defaults: ALL_LIFECYCLES.filter((l) => l !== 'retired') },
  kind: { key: 'kinds', all: ALL_KINDS, defaults: ALL_KINDS },
} as const
type GroupParam = keyof typeof FILTER_GROUPS

export const DEFAULT_FILTER: EstateFilter = {
  standards: [...FILTER_GROUPS.standard.defaults],
  approaches: [...FILTER_GROUPS.approach.defaults],
  lifecycles: [...FILTER_GROUPS.lifecycle.defaults],
  kinds: [...FILTER_GROUPS.kind.defaults],
  q: '',
}

export function parseEstateFilter(sp: URLSearchParams): EstateFilter {
  const group = <P extends GroupParam>(param: P) => {
    const g = FILTER_GROUPS[param]
    if (!sp.has(param)) return [...g.defaults]
    const values = new Set(sp.getAll(param))
    // Keep the vocabulary's order, drop anything unknown.
    return (g.all as readonly string[]).filter((v) => values.has(v))
  }
  return {
    standards: group('standard') as Standard[],
    approaches: group('approach') as Approach[],
    lifecycles: group('lifecycle') as Lifecycle[],
    kinds: group('kind'),
    q: (sp.get('q') ?? '').trim().slice(0, 100),
  }
}

/** Writes `filter` into `base` (keeping its other parameters, e.g. `system`), leaving out defaults. */
export function writeEstateFilter(filter: EstateFilter, base = new URLSearchParams()): URLSearchParams {
  const sp = new URLSearchParams(base)
  for (const param of Object.keys(FILTER_GROUPS) as GroupParam[]) {
    const g = FILTER_GROUPS[param]
    const values = filter[g.key] as readonly string[]
    sp.delete(param)
    const isDefault = values.length === g.defaults.length && g.defaults.every((v) => values.includes(v))
    if (isDefault) continue
    if (!values.length) sp.append(param, '')
    for (const v of values) sp.append(param, v)
  }
  sp.delete('q')
  if (filter.q.trim()) sp.set('q', filter.q.trim())
  return sp
}

export function isDefaultFilter(filter: EstateFilter) {
  return writeEstateFilter(filter).toString() === ''
}

/** Systems whose name matches the search (case- and accent-insensitive). */
export function matchSystems(nodes: EstateNode[], q: string): Set<string> {
  const needle = fold(q)
  if (!needle) return new Set()
  return new Set(nodes.filter((n) => fold(n.name).includes(needle)).map((n) => n.id))
}
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()

/** The systems and interfaces that pass the filter (the search highlights, it does not hide). */
export function applyEstateFilter(nodes: EstateNode[], edges: EstateEdge[], filter: EstateFilter) {
  const kinds = new Set(filter.kinds)
  const visibleNodes = nodes.filter((n) => kinds.has(n.kind))
  const ids = new Set(visibleNodes.map((n) => n.id))
  const standards = new Set(filter.standards)
  const approaches = new Set(filter.approaches)
  const lifecycles = new Set(filter.lifecycles)
  const visibleEdges = edges.filter(
    (e) => ids.has(e.sourceId) && ids.has(e.targetId) && standards.has(e.standard) && approaches.has(e.approach) && lifecycles.has(e.lifecycle),
  )
  return { nodes: visibleNodes, edges: visibleEdges }
}

// ---------------------------------------------------------------------------------------------
// Geometry.

/**
 * An SVG path per interface: straight between two systems, or fanned out into curves when
 * several interfaces join the same pair; trimmed so the arrowheads stop at the circles.
 */
export function edgePaths(edges: EstateEdge[], positions: Record<string, Point>, radii: Record<string, number>, gap = 3): Map<string, string> {
  const byPair = new Map<string, EstateEdge[]>()
  for (const e of edges) {
    const key = e.sourceId < e.targetId ? `${e.sourceId}|${e.targetId}` : `${e.targetId}|${e.sourceId}`
    byPair.set(key, [...(byPair.get(key) ?? []), e])
  }
  const paths = new Map<string, string>()
  for (const group of byPair.values()) {
    group.sort((a, b) => (a.id < b.id ? -1 : 1))
    group.forEach((e, k) => {
      const s = positions[e.sourceId]
      const t = positions[e.targetId]
      if (!s || !t) return
      // Offsets are measured against the pair's canonical direction, so A→B and B→A fan apart.
      const [a, b] = e.sourceId < e.targetId ? [s, t] : [t, s]
      const dx = b.x - a.x
      const dy = b.y - a.y
      const len = Math.hypot(dx, dy) || 1
      const nx = -dy / len
      const ny = dx / len
      const offset = (k - (group.length - 1) / 2) * 16
      const c = { x: (s.x + t.x) / 2 + nx * offset * 2, y: (s.y + t.y) / 2 + ny * offset * 2 }
      const rs = (radii[e.sourceId] ?? 8) + (e.direction === 'bidirectional' ? gap : 1)
      const rt = (radii[e.targetId] ?? 8) + gap
      const from = towards(s, offset ? c : t, rs)
      const to = towards(t, offset ? c : s, rt)
      paths.set(e.id, offset ? `M${f(from.x)},${f(from.y)}Q${f(c.x)},${f(c.y)} ${f(to.x)},${f(to.y)}` : `M${f(from.x)},${f(from.y)}L${f(to.x)},${f(to.y)}`)
    })
  }
  return paths
}

function towards(p: Point, q: Point, d: number): Point {
  const len = Math.hypot(q.x - p.x, q.y - p.y) || 1
  return { x: p.x + ((q.x - p.x) / len) * d, y: p.y + ((q.y - p.y) / len) * d }
}
const f = (v: number) => Math.round(v * 10) / 10

export type LabelCandidate = { id: string; text: string; x: number; y: number; r: number; priority: number }
export type PlacedLabel = {
  id: string
  /** The whole name, wrapped (see `wrapLabel`): put together, the lines give the name back. */
  lines: string[]
  /** Where the first line's baseline starts (`anchor` says how the lines hang from `x`). */
  x: number
  y: number
  anchor: 'middle' | 'start' | 'end'
  lineHeight: number
  /** The label's background: it covers the arrows under it. */
  box: Box
}

/** Characters on one line of a label before it wraps. */
export const LABEL_LINE_CHARS = 16

/**
 * A system's name on lines of at most `max` characters, broken at spaces (a word longer than a
 * line is split where it must). Nothing is cut: the lines put together are the name (each line
 * broken at a space keeps that space at its end), so the text a sighted user reads is exactly
 * the start of the node's accessible name (WCAG 2.5.3, "label in name"). Pure, so the server's
 * first paint and the browser agree.
 */
export function wrapLabel(name: string, max = LABEL_LINE_CHARS): string[] {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const lines: string[] = []
  let line = ''
  for (let word of words) {
    if (line && line.length + 1 + word.length <= max) {
      line += ` ${word}`
      continue
    }
    if (line) lines.push(`${line} `)
    while (word.length > max) {
      lines.push(word.slice(0, max))
      word = word.slice(max)
    }
    line = word
  }
  if (line || !lines.length) lines.push(line)
  return lines
}

/**
 * Which system names fit, and where, at this zoom: labels keep the same size on screen
 * (`fontSize` picture units), so zooming out shows fewer and zooming in more. Names are never
 * cut, but wrapped onto lines (`wrapLabel`). Greedy by priority (selection and search matches
 * first): below the circle, else above, right, left; a label that would cover another label or
 * another circle is left out (its name is still in the node's tooltip, its aria-label and the
 * table).
 */
export function placeLabels(
  candidates: LabelCandidate[],
  fontSize: number,
  {
    circles = candidates,
    bounds,
    mustShowFrom = Infinity,
  }: {
    /** Circles a label must not cover (by default the candidates' own). */
    circles?: { x: number; y: number; r: number }[]
    /** Labels stay inside this box (the picture), so none is cut off at its edge. */
    bounds?: Box
    /** Candidates with at least this priority may cover circles (never other labels): their names matter most. */
    mustShowFrom?: number
  } = {},
): PlacedLabel[] {
  const placed: PlacedLabel[] = []
  const boxes: Box[] = []
  const charWidth = fontSize * 0.58
  const lineHeight = fontSize * 1.2
  // The background's margin around the text, and the gap between it and the circle.
  const padX = fontSize * 0.25
  const padY = fontSize * 0.1
  const gap = fontSize * 0.2
  const ascent = fontSize * 0.9
  const order = [...candidates].sort((a, b) => b.priority - a.priority || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
  for (const c of order) {
    const lines = wrapLabel(c.text)
    const w = Math.max(...lines.map((l) => l.trimEnd().length)) * charWidth + 2 * padX
    const h = lines.length * lineHeight + 2 * padY
    const at = (box: Box, anchor: PlacedLabel['anchor']): PlacedLabel => ({
      id: c.id,
      lines,
      x: anchor === 'middle' ? box.x + box.w / 2 : anchor === 'start' ? box.x + padX : box.x + box.w - padX,
      y: box.y + padY + (lineHeight - fontSize) / 2 + ascent,
      anchor,
      lineHeight,
      box,
    })
    const options = [
      at({ x: c.x - w / 2, y: c.y + c.r + gap, w, h }, 'middle'),
      at({ x: c.x - w / 2, y: c.y - c.r - gap - h, w, h }, 'middle'),
      at({ x: c.x + c.r + gap, y: c.y - h / 2, w, h }, 'start'),
      at({ x: c.x - c.r - gap - w, y: c.y - h / 2, w, h }, 'end'),
    ]
    const free = ({ box }: PlacedLabel) => (!bounds || inside(box, bounds)) && !boxes.some((b) => overlaps(b, box))
    const clear = ({ box }: PlacedLabel) => !circles.some((o) => (o.x !== c.x || o.y !== c.y) && circleHits(o, box))
    const fit = options.find((o) => free(o) && clear(o)) ?? (c.priority >= mustShowFrom ? options.find(free) : undefined)
    if (!fit) continue
    boxes.push(fit.box)
    placed.push(fit)
  }
  return placed
}

type Box = { x: number; y: number; w: number; h: number }
const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h
const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
function circleHits(c: { x: number; y: number; r: number }, b: Box) {
  const nx = Math.max(b.x, Math.min(c.x, b.x + b.w))
  const ny = Math.max(b.y, Math.min(c.y, b.y + b.h))
  return (c.x - nx) ** 2 + (c.y - ny) ** 2 < c.r * c.r
}
