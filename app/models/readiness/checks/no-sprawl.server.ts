/**
 * No point-to-point sprawl. Sprawl is what the estate picture warns about
 * (app/models/inventory/estate.ts `computeWarnings`): a connected group of three or more systems
 * wired to each other point-to-point (each new system can need a link to every other). The check
 * fails when an interface in scope is one of the links of such a group — the project adds to, or
 * depends on, the sprawl; routing it through the engine (or an API) fixes it.
 */
import { computeWarnings, type EstateEdge, type EstateNode } from '#app/models/inventory/estate.ts'
import { byProject, defineCheck, someOf } from './define.server.ts'

type Sprawl = Map<string, string>

export default defineCheck<Sprawl>({
  key: 'no_sprawl',
  title: 'No point-to-point sprawl',
  description: 'No interface in scope belongs to a group of three or more systems wired point-to-point.',
  weight: 1,
  level: 'design',
  appliesTo: 'interface',
  // The organisation's point-to-point links (not retired) once, whatever the number of projects.
  async load({ db, organizationId, projects }) {
    const edges = await db.interface.findMany({
      where: { organizationId, approach: 'point_to_point', lifecycle: { not: 'retired' } },
      select: { id: true, name: true, sourceSystemId: true, targetSystemId: true, standard: true, approach: true, direction: true, lifecycle: true, messageTypes: true },
    })
    const ids = [...new Set(edges.flatMap((e) => [e.sourceSystemId, e.targetSystemId]))]
    const systems = ids.length ? await db.system.findMany({ where: { organizationId, id: { in: ids } }, select: { id: true, name: true, kind: true, criticality: true } }) : []
    const nodes: EstateNode[] = systems.map((s) => ({ ...s, unitsServed: [], capabilityResources: null }))
    const warnings = computeWarnings(nodes, edges.map((e): EstateEdge => ({ ...e, sourceId: e.sourceSystemId, targetId: e.targetSystemId, hasException: true })))
    // Interface id → the warning's words, for every link of a sprawling group.
    const sprawl: Sprawl = new Map()
    for (const w of warnings) if (w.kind === 'point_to_point_sprawl') for (const id of w.interfaceIds) sprawl.set(id, w.message)
    return byProject(projects, () => sprawl)
  },
  evaluate(project, sprawl, { links }) {
    if (!project.interfaces.length) return { status: 'na', why: 'No interface in scope.', link: null }
    const items = project.interfaces.map((i) => {
      const message = sprawl?.get(i.id)
      return message
        ? { kind: 'interface' as const, id: i.id, status: 'fail' as const, why: `Part of point-to-point sprawl: ${message}`, link: links.interfaceEdit(i.id) }
        : { kind: 'interface' as const, id: i.id, status: 'pass' as const, why: i.approach === 'point_to_point' ? 'Point-to-point, between two systems only.' : 'Through the engine or an API.', link: null }
    })
    const failing = project.interfaces.filter((_, n) => items[n]!.status === 'fail')
    if (!failing.length) return { status: 'pass', why: 'No interface in scope is part of point-to-point sprawl.', link: null, items }
    return {
      status: 'fail',
      why: `${someOf(failing.map((i) => i.name))} ${failing.length === 1 ? 'is' : 'are'} part of point-to-point sprawl (${sprawl!.get(failing[0]!.id)}): route ${failing.length === 1 ? 'it' : 'them'} through the integration engine.`,
      link: links.estate,
      items,
    }
  },
})
