/**
 * A project's UAT scenarios (docs/decisions/027-uat.md): numbered S-1, S-2 … per project, about
 * the project as a whole or one interface in its scope, with the mapping rows they exercise (by
 * lineage, so a new mapping version keeps the link). Every edit makes the sign-offs that cover
 * the scenario stale, in the same transaction (signoff-stale.server.ts).
 *
 * Writers need `uat:write` (the routes guard with it; each writing function checks again);
 * everyone who reads projects reads them.
 */
import type { Prisma } from '#app/generated/prisma/client.ts'
import { dbOf, inTx, type Db, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { pageCountOf, pageWindow } from '#app/utils/list.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope, diffFields } from '../audit/audit.server.ts'
import type { ScenarioInput } from './schemas.ts'
import { markSignoffsStale } from './signoff-stale.server.ts'
import { assertMayWriteUat, latestRunsOf, lockProject, personName, personSelect, scenarioLabel } from './uat-common.server.ts'
import type { UatEdgeCase, UatPriority, UatResult } from './vocabulary.ts'

export { scenarioLabel }

export const SCENARIOS_PAGE_SIZE = 50

const scenarioInclude = {
  interface: { select: { id: true, name: true } },
  author: personSelect,
  mappingRows: { select: { lineageId: true, interfaceId: true } },
} satisfies Prisma.UatScenarioInclude
type ScenarioRow = Prisma.UatScenarioGetPayload<{ include: typeof scenarioInclude }>

function scenarioView(s: ScenarioRow) {
  return {
    id: s.id,
    number: s.number,
    label: scenarioLabel(s),
    title: s.title,
    interfaceId: s.interfaceId,
    interface: s.interface?.name ?? null,
    preconditions: s.preconditions,
    steps: s.steps,
    expectedResult: s.expectedResult,
    edgeCases: s.edgeCases as UatEdgeCase[],
    priority: s.priority as UatPriority,
    authorId: s.authorId,
    author: personName(s.author),
    lineageIds: s.mappingRows.map((r) => r.lineageId),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  }
}
export type ScenarioView = ReturnType<typeof scenarioView>

/** The latest result filter: a result, or "not run" (no run yet). */
export type LatestFilter = UatResult | 'not_run'

export type ScenarioFilter = {
  projectId: string
  /** An interface's id, or "project" for the scenarios about the project as a whole. */
  interfaceId?: string
  latest?: LatestFilter
  edgeCase?: UatEdgeCase
  page?: number
}

/** The project's scenarios by number, each with its latest run and open defects, filtered and paged. */
export async function listScenarios(scope: Scope, input: ScenarioFilter, opts: TxOption = {}) {
  const db = dbOf(opts)
  const latest = await latestRunsOf(scope, { projectId: input.projectId }, opts)
  const where: Prisma.UatScenarioWhereInput = {
    organizationId: scope.organizationId,
    projectId: input.projectId,
    ...(input.interfaceId === 'project' ? { interfaceId: null } : input.interfaceId ? { interfaceId: input.interfaceId } : {}),
    ...(input.edgeCase ? { edgeCases: { has: input.edgeCase } } : {}),
  }
  if (input.latest) {
    const ran = [...latest.values()]
    if (input.latest === 'not_run') where.id = { notIn: ran.map((r) => r.scenarioId) }
    else where.id = { in: ran.filter((r) => r.result === input.latest).map((r) => r.scenarioId) }
  }
  const [total, rows] = await Promise.all([
    db.uatScenario.count({ where }),
    db.uatScenario.findMany({ where, include: scenarioInclude, orderBy: { number: 'asc' }, ...pageWindow(input.page ?? 1, SCENARIOS_PAGE_SIZE) }),
  ])
  const open = await db.uatDefect.groupBy({
    by: ['scenarioId'],
    where: { organizationId: scope.organizationId, projectId: input.projectId, status: 'open', scenarioId: { in: rows.map((r) => r.id) } },
    _count: { _all: true },
  })
  const openOf = new Map(open.map((o) => [o.scenarioId, o._count._all]))
  return {
    total,
    pageCount: pageCountOf(total, SCENARIOS_PAGE_SIZE),
    scenarios: rows.map((r) => {
      const run = latest.get(r.id)
      return {
        ...scenarioView(r),
        latest: run ? { result: run.result, environment: run.environment, executedAt: run.executedAt.toISOString() } : null,
        openDefects: openOf.get(r.id) ?? 0,
      }
    }),
  }
}

/** One scenario of the project (null: not the organisation's, or not this project's). */
export async function getScenario(scope: Scope, input: { projectId: string; scenarioId: string }, opts: TxOption = {}) {
  const row = await dbOf(opts).uatScenario.findFirst({
    where: { id: input.scenarioId, organizationId: scope.organizationId, projectId: input.projectId },
    include: scenarioInclude,
  })
  return row ? scenarioView(row) : null
}

/** The project and what a scenario may be about: the interfaces of its scope. Null when not the organisation's project. */
export async function getUatProject(scope: Scope, input: { projectId: string }, opts: TxOption = {}) {
  const db = dbOf(opts)
  const project = await db.project.findFirst({ where: { id: input.projectId, organizationId: scope.organizationId }, select: { id: true, name: true, ownerId: true } })
  if (!project) return null
  const interfaces = await db.projectInterface.findMany({
    where: { organizationId: scope.organizationId, projectId: project.id },
    select: { interface: { select: { id: true, name: true } } },
    orderBy: { interface: { name: 'asc' } },
  })
  return { ...project, interfaces: interfaces.map((i) => i.interface) }
}

/**
 * The mapping rows a scenario about this interface may link: one per lineage, as the row reads in
 * its newest version (a row removed from the latest version still shows, so an old link is named).
 */
export async function listMappingRowOptions(scope: Scope, input: { interfaceId: string }, opts: TxOption = {}) {
  const rows = await dbOf(opts).mappingRow.findMany({
    where: { organizationId: scope.organizationId, version: { interfaceId: input.interfaceId, organizationId: scope.organizationId } },
    select: { lineageId: true, sourceField: true, sourcePath: true, targetField: true, targetPath: true, position: true, version: { select: { number: true } } },
    orderBy: [{ version: { number: 'desc' } }, { position: 'asc' }],
  })
  const seen = new Map<string, (typeof rows)[number]>()
  for (const r of rows) if (!seen.has(r.lineageId)) seen.set(r.lineageId, r)
  const newest = rows[0]?.version.number
  return [...seen.values()]
    .sort((a, b) => b.version.number - a.version.number || a.position - b.position)
    .map((r) => ({
      lineageId: r.lineageId,
      sourcePath: r.sourcePath,
      label: `${r.sourcePath} ${r.sourceField} → ${r.targetPath}`,
      current: r.version.number === newest,
    }))
}

// ───────────────────────────── writing ─────────────────────────────

/** Checks the interface (in the project's scope) and the mapping rows (its own), as field errors. */
export async function checkScenarioLinks(db: Db, scope: Scope, input: { projectId: string; interfaceId?: string; lineageIds: string[] }) {
  if (input.interfaceId && !(await db.projectInterface.count({ where: { interfaceId: input.interfaceId, organizationId: scope.organizationId, projectId: input.projectId } }))) {
    throw new DomainError('RULE_VIOLATION', 'Choose an interface in this project’s scope.', 'interfaceId')
  }
  if (!input.lineageIds.length) return
  if (!input.interfaceId) throw new DomainError('RULE_VIOLATION', 'Mapping rows belong to an interface: choose the interface, or remove the rows.', 'lineageIds')
  const found = await db.mappingRow.findMany({
    where: { organizationId: scope.organizationId, lineageId: { in: input.lineageIds }, version: { interfaceId: input.interfaceId, organizationId: scope.organizationId } },
    select: { lineageId: true },
    distinct: ['lineageId'],
  })
  if (found.length !== input.lineageIds.length) throw new DomainError('RULE_VIOLATION', 'Choose mapping rows of this scenario’s interface.', 'lineageIds')
}

export const scenarioContent = (input: ScenarioInput) => ({
  title: input.title,
  interfaceId: input.interfaceId ?? null,
  preconditions: input.preconditions ?? null,
  steps: input.steps,
  expectedResult: input.expectedResult,
  edgeCases: [...input.edgeCases].sort(),
  priority: input.priority,
})

/** Creates a scenario with the project's next number; its author is the acting member. Null when not the organisation's project. */
export async function createScenario(scope: TenantScope, input: ScenarioInput & { projectId: string }, opts: TxOption = {}) {
  assertMayWriteUat(scope)
  return inTx(opts, async (tx) => {
    const project = await lockProject(tx, scope, input.projectId)
    if (!project) return null
    await checkScenarioLinks(tx, scope, { projectId: project.id, interfaceId: input.interfaceId, lineageIds: input.lineageIds })
    const last = await tx.uatScenario.aggregate({ where: { organizationId: scope.organizationId, projectId: project.id }, _max: { number: true } })
    const scenario = await tx.uatScenario.create({
      data: { ...scenarioContent(input), organizationId: scope.organizationId, projectId: project.id, number: (last._max.number ?? 0) + 1, authorId: scope.membershipId },
    })
    if (input.lineageIds.length) {
      await tx.uatScenarioMappingRow.createMany({
        data: input.lineageIds.map((lineageId) => ({ organizationId: scope.organizationId, scenarioId: scenario.id, interfaceId: input.interfaceId!, lineageId })),
      })
    }
    await auditInScope(scope, {
      action: 'uat.scenario_created',
      targetType: 'project',
      targetId: project.id,
      targetLabel: `${project.name}: ${scenarioLabel(scenario)} ${scenario.title}`,
      metadata: { scenarioId: scenario.id, number: scenario.number, interfaceId: scenario.interfaceId, edgeCases: scenario.edgeCases, mappingRows: input.lineageIds.length },
    }, { tx })
    return scenario
  })
}

/**
 * Edits a scenario. A change (content or linked rows) makes every sign-off covering it stale, in
 * this transaction. Null when not the organisation's or not the project's scenario.
 */
export async function updateScenario(scope: TenantScope, input: ScenarioInput & { projectId: string; scenarioId: string }, opts: TxOption = {}) {
  assertMayWriteUat(scope)
  return inTx(opts, async (tx) => {
    const project = await lockProject(tx, scope, input.projectId)
    if (!project) return null
    const before = await tx.uatScenario.findFirst({
      where: { id: input.scenarioId, organizationId: scope.organizationId, projectId: project.id },
      include: { mappingRows: { select: { lineageId: true } } },
    })
    if (!before) return null
    await checkScenarioLinks(tx, scope, { projectId: project.id, interfaceId: input.interfaceId, lineageIds: input.lineageIds })
    const data = scenarioContent(input)
    const changes = diffFields({ ...before, edgeCases: [...before.edgeCases].sort() } as unknown as Record<string, unknown>, data)
    const oldRows = before.mappingRows.map((r) => r.lineageId).sort()
    const newRows = [...input.lineageIds].sort()
    const rowsChanged = oldRows.join('|') !== newRows.join('|')
    if (!Object.keys(changes).length && !rowsChanged) return before
    const updated = await tx.uatScenario.update({ where: { id: before.id }, data })
    if (rowsChanged) {
      await tx.uatScenarioMappingRow.deleteMany({ where: { organizationId: scope.organizationId, scenarioId: before.id } })
      if (newRows.length) {
        await tx.uatScenarioMappingRow.createMany({
          data: newRows.map((lineageId) => ({ organizationId: scope.organizationId, scenarioId: before.id, interfaceId: input.interfaceId!, lineageId })),
        })
      }
    }
    await auditInScope(scope, {
      action: 'uat.scenario_updated',
      targetType: 'project',
      targetId: project.id,
      targetLabel: `${project.name}: ${scenarioLabel(before)} ${updated.title}`,
      metadata: { scenarioId: before.id, number: before.number, changes, ...(rowsChanged ? { mappingRows: { from: oldRows.length, to: newRows.length } } : {}) },
    }, { tx })
    await markSignoffsStale(scope, { projectId: project.id, scenarioIds: [before.id], reason: `${scenarioLabel(before)} was edited` }, { tx })
    return updated
  })
}

/** Every scenario of the project by number, for a form's choice (a defect's scenario). */
export async function listScenarioOptions(scope: Scope, input: { projectId: string }, opts: TxOption = {}) {
  const rows = await dbOf(opts).uatScenario.findMany({
    where: { organizationId: scope.organizationId, projectId: input.projectId },
    select: { id: true, number: true, title: true },
    orderBy: { number: 'asc' },
  })
  return rows.map((r) => ({ id: r.id, label: scenarioLabel(r), title: r.title }))
}
