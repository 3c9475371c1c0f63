/**
 * The estate as a graph, and what it teaches: warnings computed from the inventory, and the
 * impact of a system going down. Pure functions over plain data: the same code runs on the
 * server (lists, readiness later) and in the browser (the picture).
 */
import { STANDARDS, type InterfaceStandard, type Lifecycle } from './vocabulary.ts'

export type EstateNode = {
  id: string
  name: string
  kind: string
  criticality: string
  unitsServed: string[]
  /** Resource types of the imported CapabilityStatement, or null when none was imported. */
  capabilityResources: string[] | null
}

export type EstateEdge = {
  id: string
  name: string
  sourceId: string
  targetId: string
  standard: InterfaceStandard
  approach: 'point_to_point' | 'via_engine' | 'api_first'
  direction: 'one_way' | 'bidirectional'
  lifecycle: Lifecycle
  messageTypes: string[]
  hasException: boolean
}

export type EstateWarning = {
  kind: 'nonstandard_without_exception' | 'point_to_point_sprawl' | 'fhir_resource_unsupported'
  message: string
  advice: string
  interfaceIds: string[]
  systemIds: string[]
}

const active = (e: EstateEdge) => e.lifecycle !== 'retired'

export function computeWarnings(nodes: EstateNode[], edges: EstateEdge[]): EstateWarning[] {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const name = (id: string) => byId.get(id)?.name ?? 'unknown system'
  const warnings: EstateWarning[] = []

  for (const e of edges.filter(active)) {
    if ((e.standard === 'proprietary' || e.standard === 'flat_file') && !e.hasException) {
      warnings.push({
        kind: 'nonstandard_without_exception',
        message: `${e.name} uses ${STANDARDS[e.standard].toLowerCase()} between ${name(e.sourceId)} and ${name(e.targetId)} without a written exception.`,
        advice: 'Prefer HL7 v2 or FHIR. If neither is possible, record the exception (why, who agreed, until when) on the interface.',
        interfaceIds: [e.id],
        systemIds: [e.sourceId, e.targetId],
      })
    }
    if (e.standard === 'fhir') {
      const target = byId.get(e.targetId)
      if (target?.capabilityResources) {
        const missing = e.messageTypes.filter((r) => !target.capabilityResources!.includes(r))
        if (missing.length) {
          warnings.push({
            kind: 'fhir_resource_unsupported',
            message: `${e.name} exchanges ${missing.join(', ')} with ${target.name}, whose CapabilityStatement does not list ${missing.length > 1 ? 'them' : 'it'}.`,
            advice: `Confirm with the vendor of ${target.name}, or re-import its current CapabilityStatement before design sign-off.`,
            interfaceIds: [e.id],
            systemIds: [e.targetId],
          })
        }
      }
    }
  }

  // Point-to-point sprawl: connected groups of 3+ systems wired directly to each other.
  const p2p = edges.filter((e) => active(e) && e.approach === 'point_to_point')
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    const p = parent.get(x) ?? x
    if (p === x) return x
    const root = find(p)
    parent.set(x, root)
    return root
  }
  for (const e of p2p) parent.set(find(e.sourceId), find(e.targetId))
  const groups = new Map<string, { systems: Set<string>; edges: string[] }>()
  for (const e of p2p) {
    const root = find(e.sourceId)
    const g = groups.get(root) ?? { systems: new Set<string>(), edges: [] }
    g.systems.add(e.sourceId).add(e.targetId)
    g.edges.push(e.id)
    groups.set(root, g)
  }
  for (const g of groups.values()) {
    if (g.systems.size < 3) continue
    const n = g.systems.size
    const names = [...g.systems].map(name).sort()
    warnings.push({
      kind: 'point_to_point_sprawl',
      message: `${n} systems are wired point-to-point with ${g.edges.length} interfaces: ${names.join(', ')}.`,
      advice: `Point-to-point suits two systems. With ${n}, every new system can need up to ${n} new links (${(n * (n - 1)) / 2} possible in all): route them through an integration engine.`,
      interfaceIds: g.edges,
      systemIds: [...g.systems],
    })
  }
  return warnings
}

export type Impact = {
  interfaces: { id: string; name: string; otherId: string; otherName: string; direction: 'in' | 'out' | 'both' }[]
  /** Systems that stop receiving data from it (through engines too). */
  downstream: { id: string; name: string; via: string | null }[]
  /** Systems it stops receiving data from. */
  upstream: { id: string; name: string }[]
  /** Units that use the system itself, and units of the systems downstream of it. */
  unitsDirect: string[]
  unitsDownstream: string[]
}

/** "If this system is down": its interfaces, the systems that lose data from it, and the units affected. */
export function impactOf(systemId: string, nodes: EstateNode[], edges: EstateEdge[]): Impact {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const live = edges.filter(active)
  const touching = live.filter((e) => e.sourceId === systemId || e.targetId === systemId)
  const interfaces = touching
    .map((e) => {
      const out = e.sourceId === systemId
      const otherId = out ? e.targetId : e.sourceId
      return {
        id: e.id,
        name: e.name,
        otherId,
        otherName: byId.get(otherId)?.name ?? '',
        direction: e.direction === 'bidirectional' ? ('both' as const) : out ? ('out' as const) : ('in' as const),
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name))
  const sendsTo = (from: string) =>
    live.filter((e) => e.sourceId === from || (e.direction === 'bidirectional' && e.targetId === from)).map((e) => (e.sourceId === from ? e.targetId : e.sourceId))

  const downstream = new Map<string, string | null>()
  const queue: { id: string; via: string | null }[] = sendsTo(systemId).map((id) => ({ id, via: null }))
  while (queue.length) {
    const { id, via } = queue.shift()!
    if (id === systemId || downstream.has(id)) continue
    downstream.set(id, via)
    // Engines relay what they receive: whatever they feed loses data too.
    if (byId.get(id)?.kind === 'integration_engine') {
      for (const next of sendsTo(id)) queue.push({ id: next, via: byId.get(id)!.name })
    }
  }
  const upstream = [...new Set(live.filter((e) => e.targetId === systemId || (e.direction === 'bidirectional' && e.sourceId === systemId)).map((e) => (e.targetId === systemId ? e.sourceId : e.targetId)))]
    .filter((id) => id !== systemId)
    .map((id) => ({ id, name: byId.get(id)?.name ?? '' }))
  const unitsDirect = [...(byId.get(systemId)?.unitsServed ?? [])].sort()
  const unitsDownstream = [...new Set([...downstream.keys()].flatMap((id) => byId.get(id)?.unitsServed ?? []))]
    .filter((u) => !unitsDirect.includes(u))
    .sort()
  return {
    interfaces,
    downstream: [...downstream].map(([id, via]) => ({ id, name: byId.get(id)?.name ?? '', via })).sort((a, b) => a.name.localeCompare(b.name)),
    upstream,
    unitsDirect,
    unitsDownstream,
  }
}
