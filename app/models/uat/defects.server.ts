/**
 * UAT defects: numbered DEF-1, DEF-2 … per project, severity 1 (critical) to 4 (cosmetic), with
 * an owner and the scenario and run they were found in. Status: open → fixed → verified, or
 * won't fix (with a reason); a fixed, verified or won't-fix defect can be reopened.
 *
 * A severity 1–2 defect blocks go-live, so opening one — or raising an open one to 1–2, or
 * reopening one — makes sign-offs stale in the same transaction: those covering its scenario,
 * or all of the project's when it names none.
 */
import type { Prisma } from '#app/generated/prisma/client.ts'
import { dbOf, inTx, type Db, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope, diffFields } from '../audit/audit.server.ts'
import { DEFECT_MOVES, type DefectEditInput, type DefectInput, type DefectStatusInput } from './schemas.ts'
import { markSignoffsStale } from './signoff-stale.server.ts'
import { assertMayWriteUat, checkMember, defectLabel, lockProject, personName, personSelect, scenarioLabel } from './uat-common.server.ts'
import { BLOCKING_SEVERITY, DEFECT_STATUSES, type DefectSeverity, type DefectStatus } from './vocabulary.ts'

export { defectLabel }

const defectInclude = {
  owner: personSelect,
  createdBy: personSelect,
  scenario: { select: { id: true, number: true, title: true, interface: { select: { id: true, name: true } } } },
  run: { select: { id: true, result: true, environment: true, executedAt: true } },
} satisfies Prisma.UatDefectInclude
type DefectRow = Prisma.UatDefectGetPayload<{ include: typeof defectInclude }>

function defectView(d: DefectRow) {
  return {
    id: d.id,
    number: d.number,
    label: defectLabel(d),
    title: d.title,
    description: d.description,
    severity: d.severity as DefectSeverity,
    status: d.status as DefectStatus,
    wontFixReason: d.wontFixReason,
    ownerId: d.ownerId,
    owner: personName(d.owner),
    createdBy: personName(d.createdBy),
    scenario: d.scenario ? { id: d.scenario.id, label: scenarioLabel(d.scenario), title: d.scenario.title, interface: d.scenario.interface?.name ?? null } : null,
    run: d.run ? { id: d.run.id, result: d.run.result, environment: d.run.environment, executedAt: d.run.executedAt.toISOString() } : null,
    fixedAt: d.fixedAt?.toISOString() ?? null,
    verifiedAt: d.verifiedAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  }
}
export type DefectView = ReturnType<typeof defectView>

export type DefectFilter = { projectId: string; status?: DefectStatus; severity?: DefectSeverity; scenarioId?: string; interfaceId?: string }

/** The project's defects: open ones first, then by severity and number. */
export async function listDefects(scope: Scope, input: DefectFilter, opts: TxOption = {}) {
  const rows = await dbOf(opts).uatDefect.findMany({
    where: {
      organizationId: scope.organizationId,
      projectId: input.projectId,
      ...(input.status ? { status: input.status } : {}),
      ...(input.severity ? { severity: input.severity } : {}),
      ...(input.scenarioId ? { scenarioId: input.scenarioId } : {}),
      ...(input.interfaceId ? { scenario: { interfaceId: input.interfaceId } } : {}),
    },
    include: defectInclude,
    orderBy: [{ severity: 'asc' }, { number: 'asc' }],
  })
  const rank: Record<string, number> = { open: 0, fixed: 1, verified: 2, wont_fix: 3 }
  return rows.map(defectView).sort((a, b) => rank[a.status]! - rank[b.status]! || a.severity - b.severity || a.number - b.number)
}

export async function getDefect(scope: Scope, input: { projectId: string; defectId: string }, opts: TxOption = {}) {
  const row = await dbOf(opts).uatDefect.findFirst({ where: { id: input.defectId, organizationId: scope.organizationId, projectId: input.projectId }, include: defectInclude })
  return row ? defectView(row) : null
}

/** The scenario and run must be the project's, and the run the scenario's; the owner an active member. */
async function checkDefectLinks(db: Db, scope: Scope, input: { projectId: string; scenarioId?: string; runId?: string; ownerId?: string }) {
  const org = scope.organizationId
  await checkMember(db, scope, { membershipId: input.ownerId, field: 'ownerId' })
  const scenario = input.scenarioId
    ? await db.uatScenario.findFirst({ where: { id: input.scenarioId, organizationId: org, projectId: input.projectId }, select: { id: true, number: true } })
    : null
  if (input.scenarioId && !scenario) throw new DomainError('RULE_VIOLATION', 'Choose a scenario of this project.', 'scenarioId')
  if (input.runId) {
    const run = await db.uatRun.findFirst({ where: { id: input.runId, organizationId: org, projectId: input.projectId }, select: { scenarioId: true } })
    if (!run) throw new DomainError('RULE_VIOLATION', 'Choose a run of this project.', 'runId')
    if (scenario && run.scenarioId !== scenario.id) throw new DomainError('RULE_VIOLATION', 'That run is of another scenario.', 'runId')
    if (!scenario) return db.uatScenario.findFirst({ where: { id: run.scenarioId, organizationId: org }, select: { id: true, number: true } })
  }
  return scenario
}

const severe = (severity: number) => severity <= BLOCKING_SEVERITY

async function staleForDefect(scope: Scope, d: { projectId: string; number: number; severity: number; scenarioId: string | null }, verb: string, opts: TxOption) {
  if (!severe(d.severity)) return
  await markSignoffsStale(scope, { projectId: d.projectId, ...(d.scenarioId ? { scenarioIds: [d.scenarioId] } : {}), reason: `${defectLabel(d)} (severity ${d.severity}) was ${verb}` }, opts)
}

/** Opens a defect with the project's next number. Null when not the organisation's project. */
export async function createDefect(scope: TenantScope, input: DefectInput & { projectId: string }, opts: TxOption = {}) {
  assertMayWriteUat(scope)
  return inTx(opts, async (tx) => {
    const project = await lockProject(tx, scope, input.projectId)
    if (!project) return null
    const scenario = await checkDefectLinks(tx, scope, { ...input, projectId: project.id })
    const last = await tx.uatDefect.aggregate({ where: { organizationId: scope.organizationId, projectId: project.id }, _max: { number: true } })
    const defect = await tx.uatDefect.create({
      data: {
        organizationId: scope.organizationId,
        projectId: project.id,
        number: (last._max.number ?? 0) + 1,
        title: input.title,
        description: input.description ?? null,
        severity: input.severity,
        status: 'open',
        ownerId: input.ownerId ?? null,
        scenarioId: scenario?.id ?? null,
        runId: input.runId ?? null,
        createdById: scope.membershipId,
      },
    })
    await auditInScope(scope, {
      action: 'uat.defect_opened',
      targetType: 'project',
      targetId: project.id,
      targetLabel: `${project.name}: ${defectLabel(defect)} ${defect.title}`,
      metadata: { defectId: defect.id, number: defect.number, severity: defect.severity, scenario: scenario ? scenarioLabel(scenario) : null, runId: defect.runId },
    }, { tx })
    await staleForDefect(scope, defect, 'opened', { tx })
    return defect
  })
}

async function lockDefect(tx: Db, scope: Scope, input: { projectId: string; defectId: string }) {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "UatDefect" WHERE id = ${input.defectId} AND "organizationId" = ${scope.organizationId} AND "projectId" = ${input.projectId} FOR UPDATE`
  if (!row) return null
  return tx.uatDefect.findFirst({ where: { id: row.id, organizationId: scope.organizationId }, include: { project: { select: { name: true } } } })
}

/** Edits a defect's title, description, severity and owner. Raising an open one to severity 1–2 makes sign-offs stale. */
export async function updateDefect(scope: TenantScope, input: DefectEditInput & { projectId: string; defectId: string }, opts: TxOption = {}) {
  assertMayWriteUat(scope)
  return inTx(opts, async (tx) => {
    const before = await lockDefect(tx, scope, input)
    if (!before) return null
    await checkMember(tx, scope, { membershipId: input.ownerId, field: 'ownerId' })
    const data = { title: input.title, description: input.description ?? null, severity: input.severity, ownerId: input.ownerId ?? null }
    const changes = diffFields(before as unknown as Record<string, unknown>, data)
    if (!Object.keys(changes).length) return before
    const updated = await tx.uatDefect.update({ where: { id: before.id }, data })
    await auditInScope(scope, {
      action: 'uat.defect_updated',
      targetType: 'project',
      targetId: before.projectId,
      targetLabel: `${before.project.name}: ${defectLabel(before)} ${updated.title}`,
      metadata: { defectId: before.id, number: before.number, changes },
    }, { tx })
    if (before.status === 'open' && !severe(before.severity) && severe(updated.severity)) await staleForDefect(scope, updated, `raised to severity ${updated.severity}`, { tx })
    return updated
  })
}


/**
 * Moves a defect: fixed (sets fixedAt), verified (a fixed one; sets verifiedAt), won't fix (with
 * its reason), or reopened (clears them). Reopening a severity 1–2 defect makes sign-offs stale.
 */
export async function setDefectStatus(scope: TenantScope, input: DefectStatusInput & { projectId: string; defectId: string }, opts: TxOption & { now?: Date } = {}) {
  assertMayWriteUat(scope)
  const now = opts.now ?? new Date()
  return inTx(opts, async (tx) => {
    const before = await lockDefect(tx, scope, input)
    if (!before) return null
    const from = before.status as DefectStatus
    if (from === input.status) throw new DomainError('CONFLICT', `${defectLabel(before)} is already ${DEFECT_STATUSES[from].toLowerCase()}.`)
    if (!DEFECT_MOVES[from].includes(input.status)) {
      throw new DomainError('RULE_VIOLATION', `${defectLabel(before)} is ${DEFECT_STATUSES[from].toLowerCase()}: it can be ${DEFECT_MOVES[from].map((s) => (s === 'open' ? 'reopened' : `marked ${DEFECT_STATUSES[s].toLowerCase()}`)).join(' or ')}.`, 'status')
    }
    if (input.status === 'wont_fix' && !input.wontFixReason) throw new DomainError('RULE_VIOLATION', 'Say why it will not be fixed.', 'wontFixReason')
    const data =
      input.status === 'fixed'
        ? { status: 'fixed' as const, fixedAt: now, verifiedAt: null, wontFixReason: null }
        : input.status === 'verified'
          ? { status: 'verified' as const, verifiedAt: now }
          : input.status === 'wont_fix'
            ? { status: 'wont_fix' as const, wontFixReason: input.wontFixReason!, verifiedAt: null }
            : { status: 'open' as const, fixedAt: null, verifiedAt: null, wontFixReason: null }
    const updated = await tx.uatDefect.update({ where: { id: before.id }, data })
    await auditInScope(scope, {
      action: input.status === 'open' ? 'uat.defect_reopened' : 'uat.defect_status_changed',
      targetType: 'project',
      targetId: before.projectId,
      targetLabel: `${before.project.name}: ${defectLabel(before)} ${before.title}`,
      metadata: { defectId: before.id, number: before.number, from, to: input.status, ...(input.status === 'wont_fix' ? { reason: input.wontFixReason } : {}) },
    }, { tx })
    if (input.status === 'open') await staleForDefect(scope, updated, 'reopened', { tx })
    return updated
  })
}
