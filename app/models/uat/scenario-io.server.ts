/**
 * UAT scenarios in and out as CSV (uat-csv.ts) through the one import pipeline (ADR 017):
 * preview (every bad row by line and column, nothing written), apply all-or-nothing in one
 * transaction that plans again against the data as it is then. Scenarios are matched by
 * number, so an export imported back changes nothing. Edited scenarios make the sign-offs that
 * cover them stale in the apply's transaction.
 */
import { allOn, prisma, type Db } from '#app/utils/db.server.ts'
import { sha256 } from '#app/utils/crypto.server.ts'
import type { CsvIssue } from '#app/utils/csv.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope } from '../audit/audit.server.ts'
import { applyImportBatch, cleanFileName, invalidImport, previewImportBatch } from '../imports/import-batch.server.ts'
import { scenarioContent } from './scenarios.server.ts'
import type { ScenarioInput } from './schemas.ts'
import { markSignoffsStale } from './signoff-stale.server.ts'
import { assertMayWriteUat, lockProject, scenarioLabel } from './uat-common.server.ts'
import { joinCells, parseUatCsv, uatCsv } from './uat-csv.ts'

const KIND = 'uat'
const slugOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'project'

/** Per interface: each lineage's newest row's source path, and the lineages of each path. */
async function mappingPathsOf(db: Db, scope: { organizationId: string }, interfaceIds: string[]) {
  const rows = await db.mappingRow.findMany({
    where: { organizationId: scope.organizationId, version: { organizationId: scope.organizationId, interfaceId: { in: interfaceIds } } },
    select: { lineageId: true, sourcePath: true, version: { select: { interfaceId: true, number: true } } },
    orderBy: { version: { number: 'desc' } },
  })
  const pathOf = new Map<string, string>()
  const lineagesOf = new Map<string, Set<string>>()
  for (const r of rows) {
    if (pathOf.has(r.lineageId)) continue
    pathOf.set(r.lineageId, r.sourcePath)
    const key = `${r.version.interfaceId}|${r.sourcePath.toLowerCase()}`
    ;(lineagesOf.get(key) ?? lineagesOf.set(key, new Set()).get(key)!).add(r.lineageId)
  }
  return { pathOf, lineagesOf }
}

/** The project's scenarios as CSV, by number. Null when not the organisation's project. */
export async function exportScenarios(scope: TenantScope, input: { projectId: string }) {
  const org = scope.organizationId
  const project = await prisma.project.findFirst({ where: { id: input.projectId, organizationId: org }, select: { id: true, name: true } })
  if (!project) return null
  const scenarios = await prisma.uatScenario.findMany({
    where: { organizationId: org, projectId: project.id },
    include: { interface: { select: { name: true } }, mappingRows: { select: { lineageId: true } } },
    orderBy: { number: 'asc' },
  })
  const { pathOf } = await mappingPathsOf(prisma, scope, [...new Set(scenarios.map((s) => s.interfaceId).filter((id): id is string => !!id))])
  const rows = scenarios.map((s) => ({
    number: scenarioLabel(s),
    interface: s.interface?.name ?? '',
    title: s.title,
    priority: s.priority,
    edge_cases: joinCells([...s.edgeCases].sort()),
    preconditions: s.preconditions ?? '',
    steps: s.steps,
    expected_result: s.expectedResult,
    mapping_rows: joinCells([...new Set(s.mappingRows.map((r) => pathOf.get(r.lineageId)).filter((p): p is string => !!p))].sort()),
  }))
  await auditInScope(scope, { action: 'uat.exported', targetType: 'project', targetId: project.id, targetLabel: project.name, metadata: { scenarios: rows.length } })
  return { fileName: `uat-${slugOf(project.name)}.csv`, body: uatCsv(rows) }
}

export type UatImportChange = { line: number; label: string; title: string; kind: 'added' | 'updated'; fields: string[] }
export type UatImportPlan = {
  fileName: string
  total: number
  counts: { added: number; updated: number; unchanged: number }
  changes: UatImportChange[]
  errors: CsvIssue[]
}
type Write = { line: number; scenarioId: string | null; number: number | null; input: ScenarioInput; linksChanged: boolean }

const FIELD_NAMES: Record<string, string> = { title: 'title', interfaceId: 'interface', preconditions: 'preconditions', steps: 'steps', expectedResult: 'expected result', edgeCases: 'edge cases', priority: 'priority' }

async function planImport(db: Db, scope: TenantScope, input: { projectId: string; text: string; fileName: string }): Promise<{ plan: UatImportPlan; writes: Write[] }> {
  const org = scope.organizationId
  const parsed = parseUatCsv(input.text)
  const errors = [...parsed.errors]
  const [inScope, existing] = await allOn(db, [
    () => db.projectInterface.findMany({ where: { organizationId: org, projectId: input.projectId }, select: { interface: { select: { id: true, name: true } } } }),
    () => db.uatScenario.findMany({ where: { organizationId: org, projectId: input.projectId }, include: { mappingRows: { select: { lineageId: true } } } }),
  ])
  const interfaceByName = new Map<string, string | 'ambiguous'>()
  for (const { interface: i } of inScope) {
    const key = i.name.trim().toLowerCase()
    interfaceByName.set(key, interfaceByName.has(key) ? 'ambiguous' : i.id)
  }
  const byNumber = new Map(existing.map((s) => [s.number, s]))
  const { lineagesOf } = await mappingPathsOf(db, scope, inScope.map((i) => i.interface.id))
  const writes: Write[] = []
  const changes: UatImportChange[] = []
  const counts = { added: 0, updated: 0, unchanged: 0 }
  for (const row of parsed.rows) {
    const rec = row.record
    const issue = (column: string, value: string, message: string) => errors.push({ line: row.line, column, columnNumber: row.positions[column] ?? null, value, message })
    let ok = true
    let interfaceId: string | undefined
    if (rec.interface) {
      const found = interfaceByName.get(rec.interface.trim().toLowerCase())
      if (!found) {
        issue('interface', rec.interface, 'No interface of this name in the project’s scope (add it to the project first, or leave it empty for the whole project).')
        ok = false
      } else if (found === 'ambiguous') {
        issue('interface', rec.interface, 'Two interfaces in the scope have this name: rename one first.')
        ok = false
      } else interfaceId = found
    }
    const lineageIds: string[] = []
    if (rec.mappingRows.length && !rec.interface) {
      issue('mapping_rows', joinCells(rec.mappingRows), 'Mapping rows belong to an interface: name the interface, or leave this empty.')
      ok = false
    } else if (interfaceId) {
      for (const path of rec.mappingRows) {
        const found = lineagesOf.get(`${interfaceId}|${path.toLowerCase()}`)
        if (!found) {
          issue('mapping_rows', path, `No mapping row of “${rec.interface}” has the source path ${path}.`)
          ok = false
        } else if (found.size > 1) {
          issue('mapping_rows', path, `Several mapping rows of “${rec.interface}” have the source path ${path}: link them on the scenario’s page.`)
          ok = false
        } else lineageIds.push(...found)
      }
    }
    const before = rec.number ? byNumber.get(rec.number) : undefined
    if (rec.number && !before) {
      issue('number', `S-${rec.number}`, `No scenario S-${rec.number} in this project: leave the number empty to add a new one.`)
      ok = false
    }
    if (!ok) continue
    const scenario: ScenarioInput = { title: rec.title, interfaceId, preconditions: rec.preconditions, steps: rec.steps, expectedResult: rec.expectedResult, edgeCases: rec.edgeCases, priority: rec.priority, lineageIds }
    if (!before) {
      writes.push({ line: row.line, scenarioId: null, number: null, input: scenario, linksChanged: true })
      changes.push({ line: row.line, label: 'new', title: rec.title, kind: 'added', fields: [] })
      counts.added++
      continue
    }
    const next = scenarioContent(scenario)
    const fields = (Object.keys(next) as (keyof typeof next)[]).filter((k) => {
      const old = k === 'edgeCases' ? [...before.edgeCases].sort() : before[k]
      return JSON.stringify(old ?? null) !== JSON.stringify(next[k] ?? null)
    })
    const linksChanged = before.mappingRows.map((r) => r.lineageId).sort().join('|') !== [...lineageIds].sort().join('|')
    if (linksChanged) fields.push('lineageIds' as never)
    if (!fields.length) {
      counts.unchanged++
      continue
    }
    writes.push({ line: row.line, scenarioId: before.id, number: before.number, input: scenario, linksChanged })
    changes.push({ line: row.line, label: scenarioLabel(before), title: rec.title, kind: 'updated', fields: fields.map((f) => FIELD_NAMES[f] ?? 'mapping rows') })
    counts.updated++
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.columnNumber ?? 1e9) - (b.columnNumber ?? 1e9))
  return { plan: { fileName: input.fileName, total: parsed.total, counts, changes, errors }, writes }
}

/** Reads and checks a scenarios file against the project; keeps it as a batch when it has no problem. Null when not the organisation's project. */
export async function previewScenarioImport(scope: TenantScope, input: { projectId: string; fileName?: string | null; content: string | Uint8Array }) {
  assertMayWriteUat(scope)
  const project = await prisma.project.findFirst({ where: { id: input.projectId, organizationId: scope.organizationId }, select: { id: true } })
  if (!project) return null
  const fileName = cleanFileName(input.fileName, 'uat.csv')
  return previewImportBatch(
    scope,
    { kind: `${KIND}:${project.id}`, fileName, content: input.content },
    {
      // NOTE: no `keep`: a UAT file is a few hundred scenarios at most, so the apply reads it again.
      plan: async (text) => ({ plan: (await planImport(prisma, scope, { projectId: project.id, text, fileName })).plan }),
      unreadable: (issue): UatImportPlan => ({ fileName, total: 0, counts: { added: 0, updated: 0, unchanged: 0 }, changes: [], errors: [issue] }),
    },
  )
}

export type UatApplyResult = { status: 'applied'; plan: UatImportPlan } | { status: 'invalid'; plan: UatImportPlan }

/**
 * Applies a previewed file: every scenario or none. The batch's kind names the project, so a
 * batch previewed for one project cannot be applied to another. Null when the batch or the
 * project is not the organisation's.
 */
export async function applyScenarioImport(scope: TenantScope, input: { projectId: string; batchId: string }): Promise<UatApplyResult | null> {
  assertMayWriteUat(scope)
  const project = await prisma.project.findFirst({ where: { id: input.projectId, organizationId: scope.organizationId }, select: { id: true, name: true } })
  if (!project) return null
  return applyImportBatch<UatImportPlan, UatApplyResult>(
    scope,
    { batchId: input.batchId },
    {
      kinds: [`${KIND}:${project.id}`],
      noun: 'UAT import',
      changedMeanwhile: 'Someone added scenarios meanwhile: upload the file again.',
      // The project's row lock numbers new scenarios and keeps two imports from interleaving.
      lock: async (tx) => !!(await lockProject(tx, scope, project.id)),
      apply: async (tx, batch) => {
      const planned = await planImport(tx, scope, { projectId: project.id, text: batch.content, fileName: batch.fileName })
      if (planned.plan.errors.length) invalidImport(planned.plan)
      const last = await tx.uatScenario.aggregate({ where: { organizationId: scope.organizationId, projectId: project.id }, _max: { number: true } })
      let number = last._max.number ?? 0
      const edited: { id: string; number: number }[] = []
      const added: number[] = []
      for (const w of planned.writes) {
        const data = scenarioContent(w.input)
        let scenarioId = w.scenarioId
        if (!scenarioId) {
          number++
          const created = await tx.uatScenario.create({ data: { ...data, organizationId: scope.organizationId, projectId: project.id, number, authorId: scope.membershipId }, select: { id: true } })
          scenarioId = created.id
          added.push(number)
        } else {
          await tx.uatScenario.updateMany({ where: { id: scenarioId, organizationId: scope.organizationId, projectId: project.id }, data })
          edited.push({ id: scenarioId, number: w.number! })
        }
        if (w.linksChanged) {
          await tx.uatScenarioMappingRow.deleteMany({ where: { organizationId: scope.organizationId, scenarioId } })
          if (w.input.lineageIds.length) {
            await tx.uatScenarioMappingRow.createMany({
              data: w.input.lineageIds.map((lineageId) => ({ organizationId: scope.organizationId, scenarioId: scenarioId!, interfaceId: w.input.interfaceId!, lineageId })),
            })
          }
        }
      }
      await auditInScope(scope, {
        action: 'uat.imported',
        targetType: 'project',
        targetId: project.id,
        targetLabel: `${project.name}: ${batch.fileName}`,
        metadata: {
          batchId: batch.id,
          fileName: batch.fileName,
          sha256: sha256(batch.content),
          rows: planned.plan.total,
          ...planned.plan.counts,
          added: added.map((n) => `S-${n}`),
          changes: planned.plan.changes.length <= 500 ? planned.plan.changes.filter((c) => c.kind === 'updated').map((c) => ({ line: c.line, scenario: c.label, fields: c.fields })) : undefined,
        },
      }, { tx })
      if (edited.length) {
        const labels = edited.map(scenarioLabel)
        await markSignoffsStale(
          scope,
          { projectId: project.id, scenarioIds: edited.map((e) => e.id), reason: `${labels.length === 1 ? `${labels[0]} was` : `${labels.join(', ')} were`} edited by a CSV import` },
          { tx },
        )
      }
      return { status: 'applied', plan: planned.plan }
      },
    },
  )
}
