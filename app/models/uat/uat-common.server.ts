/**
 * What the UAT writers share: who may write, the project's row lock that numbers scenarios and
 * defects one at a time, and the latest run of each scenario.
 */
import { dbOf, type Db, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { can } from '#app/utils/permissions.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import type { UatEnvironment, UatResult } from './vocabulary.ts'

export const scenarioLabel = (s: { number: number }) => `S-${s.number}`
export const defectLabel = (d: { number: number }) => `DEF-${d.number}`

/** Analysts, managers and clinical leads write UAT (`uat:write`); everyone who reads projects reads it. */
export function assertMayWriteUat(scope: TenantScope) {
  if (!can(scope.role, 'uat:write')) throw new DomainError('FORBIDDEN', 'Only analysts, managers and clinical leads write UAT scenarios, runs and defects.')
}

/**
 * The project, locked: two people adding at once get S-4 and S-5 (never a unique violation), and
 * it is the scoped first query. Null when not the organisation's project.
 */
export async function lockProject(db: Db, scope: Scope, projectId: string) {
  const [project] = await db.$queryRaw<{ id: string; name: string }[]>`
    SELECT id, name FROM "Project" WHERE id = ${projectId} AND "organizationId" = ${scope.organizationId} FOR UPDATE`
  return project ?? null
}

export type LatestRun = { scenarioId: string; runId: string; result: UatResult; environment: UatEnvironment; executedAt: Date }

/** Each scenario's latest run (by when it was executed, then recorded), of one project. */
export async function latestRunsOf(scope: Scope, input: { projectId: string }, opts: TxOption = {}): Promise<Map<string, LatestRun>> {
  const rows = await dbOf(opts).$queryRaw<LatestRun[]>`
    SELECT DISTINCT ON (r."scenarioId") r."scenarioId" AS "scenarioId", r.id AS "runId", r.result::text AS result, r.environment::text AS environment, r."executedAt" AS "executedAt"
    FROM "UatRun" r
    WHERE r."organizationId" = ${scope.organizationId} AND r."projectId" = ${input.projectId}
    ORDER BY r."scenarioId", r."executedAt" DESC, r."createdAt" DESC, r.id DESC`
  return new Map(rows.map((r) => [r.scenarioId, r]))
}

/** An active member of the organisation, or a field error. */
export async function checkMember(db: Db, scope: Scope, input: { membershipId: string | undefined; field: string }) {
  if (!input.membershipId) return
  if (!(await db.membership.count({ where: { id: input.membershipId, organizationId: scope.organizationId, status: 'active' } }))) {
    throw new DomainError('RULE_VIOLATION', 'Choose an active member of this organisation.', input.field)
  }
}

export const personSelect = { select: { id: true, status: true, user: { select: { name: true } } } } as const
export const personName = (p: { status: string; user: { name: string } } | null) => (p ? `${p.user.name}${p.status === 'active' ? '' : ' (deactivated)'}` : null)
