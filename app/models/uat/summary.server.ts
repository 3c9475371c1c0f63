/**
 * UAT in numbers, for the scenario list, the project home and the readiness checks: per project
 * and per interface in its scope — scenarios, executed (with a run), the latest results, not run,
 * open defects by severity.
 */
import { dbOf, type TxOption } from '#app/utils/db.server.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import { latestRunsOf } from './uat-common.server.ts'
import { BLOCKING_SEVERITY, type DefectSeverity } from './vocabulary.ts'

export type UatCounts = {
  scenarios: number
  executed: number
  pass: number
  fail: number
  blocked: number
  notRun: number
  openDefects: Record<DefectSeverity, number>
  /** Open defects of severity 1–2 (they block go-live). */
  openBlocking: number
}

const emptyCounts = (): UatCounts => ({ scenarios: 0, executed: 0, pass: 0, fail: 0, blocked: 0, notRun: 0, openDefects: { 1: 0, 2: 0, 3: 0, 4: 0 }, openBlocking: 0 })

/**
 * The project's UAT counts, and the same per interface of its scope (scenarios about the
 * project as a whole count only for the project; so do open defects that name no scenario).
 * Null when not the organisation's project.
 */
export async function uatSummary(scope: Scope, input: { projectId: string }, opts: TxOption = {}) {
  const db = dbOf(opts)
  const org = scope.organizationId
  const project = await db.project.findFirst({ where: { id: input.projectId, organizationId: org }, select: { id: true } })
  if (!project) return null
  const [scenarios, latest, defects, inScope] = await Promise.all([
    db.uatScenario.findMany({ where: { organizationId: org, projectId: project.id }, select: { id: true, interfaceId: true } }),
    latestRunsOf(scope, { projectId: project.id }, opts),
    db.uatDefect.findMany({ where: { organizationId: org, projectId: project.id, status: 'open' }, select: { severity: true, scenario: { select: { interfaceId: true } } } }),
    db.projectInterface.findMany({ where: { organizationId: org, projectId: project.id }, select: { interface: { select: { id: true, name: true } } }, orderBy: { interface: { name: 'asc' } } }),
  ])
  const total = emptyCounts()
  const byInterface = new Map(inScope.map((i) => [i.interface.id, { interfaceId: i.interface.id, name: i.interface.name, counts: emptyCounts() }]))
  for (const s of scenarios) {
    const run = latest.get(s.id)
    for (const c of [total, s.interfaceId ? byInterface.get(s.interfaceId)?.counts : undefined]) {
      if (!c) continue
      c.scenarios++
      if (run) {
        c.executed++
        c[run.result]++
      } else c.notRun++
    }
  }
  for (const d of defects) {
    const sev = Math.min(4, Math.max(1, d.severity)) as DefectSeverity
    for (const c of [total, d.scenario?.interfaceId ? byInterface.get(d.scenario.interfaceId)?.counts : undefined]) {
      if (!c) continue
      c.openDefects[sev]++
      if (sev <= BLOCKING_SEVERITY) c.openBlocking++
    }
  }
  return { projectId: project.id, counts: total, interfaces: [...byInterface.values()] }
}
export type UatSummary = NonNullable<Awaited<ReturnType<typeof uatSummary>>>
