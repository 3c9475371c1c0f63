import { prisma } from '#app/utils/db.server.ts'
import { computeWarnings, type EstateEdge, type EstateNode } from '#app/models/inventory/estate.ts'
import type { CapabilitySummary } from '#app/models/inventory/fhir-capability.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'

/** The whole estate of an organisation as nodes and edges (two queries, whatever its size). */
export async function getEstate(scope: TenantScope): Promise<{ nodes: EstateNode[]; edges: EstateEdge[] }> {
  const [systems, interfaces] = await Promise.all([
    prisma.system.findMany({
      where: { organizationId: scope.organizationId },
      select: { id: true, name: true, kind: true, criticality: true, unitsServed: true, capability: true },
      orderBy: { name: 'asc' },
    }),
    prisma.interface.findMany({
      where: { organizationId: scope.organizationId },
      select: {
        id: true,
        name: true,
        sourceSystemId: true,
        targetSystemId: true,
        standard: true,
        approach: true,
        direction: true,
        lifecycle: true,
        messageTypes: true,
        standardsException: true,
      },
      orderBy: { name: 'asc' },
    }),
  ])
  return {
    nodes: systems.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      criticality: s.criticality,
      unitsServed: s.unitsServed,
      capabilityResources: s.capability ? (s.capability as unknown as CapabilitySummary).resources.map((r) => r.type) : null,
    })),
    edges: interfaces.map((i) => ({
      id: i.id,
      name: i.name,
      sourceId: i.sourceSystemId,
      targetId: i.targetSystemId,
      standard: i.standard,
      approach: i.approach,
      direction: i.direction,
      lifecycle: i.lifecycle,
      messageTypes: i.messageTypes,
      hasException: Boolean(i.standardsException?.trim()),
    })),
  }
}

export async function getEstateWarnings(scope: TenantScope) {
  const { nodes, edges } = await getEstate(scope)
  return computeWarnings(nodes, edges)
}

/** The estate at a glance, for the organisation's home page. */
export async function getEstateSummary(scope: TenantScope) {
  const { nodes, edges } = await getEstate(scope)
  const byLifecycle: Record<string, number> = {}
  for (const e of edges) byLifecycle[e.lifecycle] = (byLifecycle[e.lifecycle] ?? 0) + 1
  const warnings = computeWarnings(nodes, edges)
  return {
    systems: nodes.length,
    interfaces: edges.length,
    byLifecycle,
    standardsBased: edges.filter((e) => e.lifecycle !== 'retired' && e.standard !== 'proprietary' && e.standard !== 'flat_file').length,
    active: edges.filter((e) => e.lifecycle !== 'retired').length,
    warnings: warnings.length,
  }
}
