/**
 * UAT runs: one execution of a scenario — pass, fail or blocked — with its tester, environment,
 * notes and evidence. Runs are history: this file has no update and no delete, and a database
 * trigger (migration 20261204042902_uat_signoff_gate) refuses either, whoever writes. A run
 * recorded after a sign-off makes the sign-offs covering its scenario stale, in the same
 * transaction.
 */
import { dbOf, inTx, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { todayIn } from '../projects/projects.server.ts'
import { auditInScope } from '../audit/audit.server.ts'
import type { RunInput } from './schemas.ts'
import { markSignoffsStale } from './signoff-stale.server.ts'
import { assertMayWriteUat, checkMember, lockProject, personName, personSelect, scenarioLabel } from './uat-common.server.ts'
import type { UatEnvironment, UatResult } from './vocabulary.ts'

/** A scenario's runs, newest first (by when executed). */
export async function listRuns(scope: Scope, input: { projectId: string; scenarioId: string }, opts: TxOption = {}) {
  const rows = await dbOf(opts).uatRun.findMany({
    where: { organizationId: scope.organizationId, projectId: input.projectId, scenarioId: input.scenarioId },
    include: { tester: personSelect, defects: { select: { id: true, number: true, status: true } } },
    orderBy: [{ executedAt: 'desc' }, { createdAt: 'desc' }, { id: 'desc' }],
  })
  return rows.map((r) => ({
    id: r.id,
    result: r.result as UatResult,
    environment: r.environment as UatEnvironment,
    tester: personName(r.tester),
    testerId: r.testerId,
    notes: r.notes,
    evidence: r.evidence,
    evidenceUrl: r.evidenceUrl,
    executedAt: r.executedAt.toISOString(),
    defects: r.defects.map((d) => ({ id: d.id, label: `DEF-${d.number}`, status: d.status })),
  }))
}
export type RunView = Awaited<ReturnType<typeof listRuns>>[number]

/** One run of the project (for pre-filling a defect from it). */
export async function getRun(scope: Scope, input: { projectId: string; runId: string }, opts: TxOption = {}) {
  return dbOf(opts).uatRun.findFirst({
    where: { id: input.runId, organizationId: scope.organizationId, projectId: input.projectId },
    select: { id: true, result: true, environment: true, notes: true, executedAt: true, scenarioId: true, scenario: { select: { number: true, title: true } } },
  })
}

/**
 * When the run was executed: now for today or no day; otherwise midday (UTC) of that day, so it
 * reads as that day anywhere. A day after today (in the organisation's time zone) is refused.
 */
function executedAtOf(scope: TenantScope, day: string | undefined, now: Date) {
  if (!day) return now
  const today = todayIn(scope, now)
  if (day > today) throw new DomainError('RULE_VIOLATION', 'A run cannot be recorded for a day that has not come yet.', 'executedOn')
  if (day === today) return now
  return new Date(`${day}T12:00:00.000Z`)
}

/**
 * Records a run of a scenario; the tester is the acting member unless named. Null when the
 * scenario is not the organisation's or not the project's.
 */
export async function recordRun(scope: TenantScope, input: RunInput & { projectId: string; scenarioId: string }, opts: TxOption & { now?: Date } = {}) {
  assertMayWriteUat(scope)
  const now = opts.now ?? new Date()
  return inTx(opts, async (tx) => {
    const project = await lockProject(tx, scope, input.projectId)
    if (!project) return null
    const scenario = await tx.uatScenario.findFirst({ where: { id: input.scenarioId, organizationId: scope.organizationId, projectId: project.id }, select: { id: true, number: true, title: true } })
    if (!scenario) return null
    await checkMember(tx, scope, { membershipId: input.testerId, field: 'testerId' })
    const run = await tx.uatRun.create({
      data: {
        organizationId: scope.organizationId,
        projectId: project.id,
        scenarioId: scenario.id,
        result: input.result,
        environment: input.environment,
        testerId: input.testerId ?? scope.membershipId,
        notes: input.notes ?? null,
        evidence: input.evidence ?? null,
        evidenceUrl: input.evidenceUrl ?? null,
        executedAt: executedAtOf(scope, input.executedOn, now),
      },
    })
    await auditInScope(scope, {
      action: 'uat.run_recorded',
      targetType: 'project',
      targetId: project.id,
      targetLabel: `${project.name}: ${scenarioLabel(scenario)} ${scenario.title}`,
      metadata: { scenarioId: scenario.id, runId: run.id, result: run.result, environment: run.environment, executedAt: run.executedAt.toISOString(), testerId: run.testerId },
    }, { tx })
    await markSignoffsStale(scope, { projectId: project.id, scenarioIds: [scenario.id], reason: `a run of ${scenarioLabel(scenario)} was recorded (${run.result})` }, { tx })
    return run
  })
}
