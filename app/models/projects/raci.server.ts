/**
 * A project's RACI matrix (docs/decisions/023-raci.md): its activities (the project's steps, the
 * interfaces in its scope, custom activities), its cells (a member or a function holding R, A, C
 * or I), the rules' problems (raci.ts), the templates, the CSV export and import (the one import
 * pipeline), and "My responsibilities" for Home.
 *
 * Who edits: a role with `raci:write`, or the project's owner (Project.ownerId, a membership).
 * The route asks only for `projects:read`; the check is here, where the project is known
 * (`editableProject`): a refusal writes `security.permission_denied` like the tenant guard, and
 * throws FORBIDDEN (→ 403). Every change is audited in the organisation's chain.
 */
import { Prisma } from '#app/generated/prisma/client.ts'
import { insertRows, newId, type SqlColumns } from '#app/utils/bulk-sql.server.ts'
import type { CsvIssue } from '#app/utils/csv.ts'
import { inTx, prisma, type Db, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { can } from '#app/utils/permissions.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope, recordAudit } from '../audit/audit.server.ts'
import { applyImportBatch, auditImport, cleanFileName, importAuditMetadata, invalidImport, keepRows, keptRows, previewImportBatch, type KeptRows } from '../imports/import-batch.server.ts'
import { FUNCTION_LABELS, FUNCTIONS, type MemberFunction } from '../people/vocabulary.ts'
import { dateOf, dayOf } from './plan.ts'
import { todayIn } from './projects.server.ts'
import { activityKeyOf, parseRaciCsv, raciCsv, type RaciCsvParse, type RaciCsvRecord } from './raci-csv.ts'
import { CLINICAL_CATEGORIES, dueWords, FUNCTION_LETTERS, holderKey, raciProblems, type CustomActivityInput, type Holder, type RaciTemplate, type RuleCell, type RuleMember } from './raci.ts'
import { CATEGORY_OF_PHASE, PHASE_ORDER, PHASES, type PhaseKind, type RaciActivityKind, type RaciCategory, type RaciLetter } from './vocabulary.ts'

type Options = TxOption
type ProjectRef = { id: string; name: string; ownerId: string | null }

const projectSelect = { id: true, name: true, ownerId: true } as const

/** May this member edit this project's RACI? (The UI asks the same to show or hide the editing.) */
export function canEditRaci(scope: Pick<TenantScope, 'role' | 'membershipId'>, project: { ownerId: string | null }) {
  return can(scope.role, 'raci:write') || (!!project.ownerId && project.ownerId === scope.membershipId)
}

/**
 * The project, when it is the organisation's (else null → 404) and the member may edit its
 * RACI (else an audited FORBIDDEN). The denial is written outside the caller's transaction, so
 * it stays when the transaction rolls back; this is the first thing every write does, before
 * the transaction touches the audit chain.
 */
async function editableProject(db: Db, scope: TenantScope, projectId: string): Promise<ProjectRef | null> {
  const project = await db.project.findFirst({ where: { id: projectId, organizationId: scope.organizationId }, select: projectSelect })
  if (!project) return null
  if (!canEditRaci(scope, project)) {
    await recordAudit({
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      actorEmail: scope.userEmail,
      action: 'security.permission_denied',
      targetType: 'project',
      targetId: project.id,
      targetLabel: `RACI of ${project.name}`,
      metadata: { capability: 'raci:write', role: scope.role, owner: false },
    })
    throw new DomainError('FORBIDDEN', 'Only the project’s owner and members who may edit RACI matrices (managers, admins, owners) change this RACI.')
  }
  return project
}

// ───────────────────────────── keeping the rows in sync ─────────────────────────────

/**
 * The project's step and interface rows, made to match its plan and scope: a missing step or
 * interface row is created (a step's category from its phase, an interface's "design"); the row
 * of an interface no longer in scope is removed with its cells. Deleted steps take their rows
 * with them (the foreign key cascades). Called inside the transaction of the change
 * (createProject, addStep, updateProject); idempotent.
 */
export async function syncRaciActivities(scope: Pick<TenantScope, 'organizationId'>, projectId: string, options: Options = {}) {
  return inTx(options, async (tx) => {
    const org = scope.organizationId
    const [steps, inScope, existing] = await Promise.all([
      tx.projectStep.findMany({ where: { projectId, organizationId: org }, select: { id: true, position: true, phase: { select: { kind: true } } } }),
      tx.projectInterface.findMany({ where: { projectId, organizationId: org }, select: { interfaceId: true } }),
      tx.raciActivity.findMany({ where: { projectId, organizationId: org, kind: { in: ['step', 'interface'] } }, select: { id: true, stepId: true, interfaceId: true } }),
    ])
    const haveSteps = new Set(existing.map((a) => a.stepId).filter(Boolean))
    const haveInterfaces = new Set(existing.map((a) => a.interfaceId).filter(Boolean))
    const scopeIds = new Set(inScope.map((i) => i.interfaceId))
    const create = [
      ...steps
        .filter((s) => !haveSteps.has(s.id))
        .map((s) => ({ organizationId: org, projectId, kind: 'step' as const, stepId: s.id, category: CATEGORY_OF_PHASE[s.phase.kind], position: PHASE_ORDER.indexOf(s.phase.kind) * 1000 + s.position })),
      ...[...scopeIds].filter((id) => !haveInterfaces.has(id)).map((interfaceId) => ({ organizationId: org, projectId, kind: 'interface' as const, interfaceId, category: 'design' as const, position: 0 })),
    ]
    if (create.length) await tx.raciActivity.createMany({ data: create })
    const remove = existing.filter((a) => a.interfaceId && !scopeIds.has(a.interfaceId)).map((a) => a.id)
    if (remove.length) await tx.raciActivity.deleteMany({ where: { id: { in: remove }, organizationId: org, projectId } })
    return { created: create.length, removed: remove.length }
  })
}

// ───────────────────────────── reading ─────────────────────────────

const activitySelect = {
  id: true,
  kind: true,
  title: true,
  category: true,
  dueDate: true,
  position: true,
  step: { select: { title: true, status: true, position: true, plannedEnd: true, phase: { select: { kind: true } } } },
  interface: { select: { id: true, name: true } },
} as const
type ActivityRow = Prisma.RaciActivityGetPayload<{ select: typeof activitySelect }>

const titleOf = (a: { kind: RaciActivityKind; title: string | null; step: { title: string } | null; interface: { name: string } | null }) =>
  a.kind === 'step' ? (a.step?.title ?? '') : a.kind === 'interface' ? (a.interface?.name ?? '') : (a.title ?? '')

/** Rows in the page's order: the plan's steps phase by phase, then the interfaces by name, then the custom activities. */
function ordered(rows: ActivityRow[]) {
  const rank = (a: ActivityRow) => (a.kind === 'step' ? PHASE_ORDER.indexOf(a.step!.phase.kind) : a.kind === 'interface' ? 10 : 20)
  return [...rows].sort((a, b) => rank(a) - rank(b) || (a.kind === 'step' ? a.step!.position - b.step!.position : a.kind === 'interface' ? titleOf(a).localeCompare(titleOf(b)) : a.position - b.position) || a.id.localeCompare(b.id))
}

export type RaciGroup = { key: string; label: string; phase: PhaseKind | null }

const groupOf = (a: ActivityRow): RaciGroup =>
  a.kind === 'step' ? { key: a.step!.phase.kind, label: PHASES[a.step!.phase.kind], phase: a.step!.phase.kind } : a.kind === 'interface' ? { key: 'interfaces', label: 'Interfaces', phase: null } : { key: 'custom', label: 'Custom activities', phase: null }

/**
 * The matrix as the page shows it: rows (grouped), columns (the members with a letter, those
 * the editor added with `?with=`, then the six functions), cells, each row's problems and the
 * summary. Null when the project is not the organisation's.
 */
export async function getRaci(scope: TenantScope, projectId: string, options: { withMembers?: readonly string[] } = {}) {
  const org = scope.organizationId
  const project = await prisma.project.findFirst({ where: { id: projectId, organizationId: org }, select: { ...projectSelect, status: true } })
  if (!project) return null
  const [rows, grouped, everyone] = await Promise.all([
    prisma.raciActivity.findMany({ where: { projectId, organizationId: org }, select: activitySelect }),
    // The cells one object per activity ({ "m:<id>": "R", "f:clinical": "C" }): 300 rows instead of 45,000 (scripts/bench/raci.bench.ts).
    prisma.$queryRaw<{ activityId: string; cells: Record<string, RaciLetter> }[]>`
      SELECT "activityId", jsonb_object_agg(CASE WHEN "membershipId" IS NOT NULL THEN 'm:' || "membershipId" ELSE 'f:' || "function"::text END, "letter"::text) AS cells
        FROM "RaciAssignment" WHERE "projectId" = ${projectId} AND "organizationId" = ${org} GROUP BY "activityId"`,
    prisma.membership.findMany({ where: { organizationId: org }, select: { id: true, function: true, status: true, user: { select: { name: true } } }, orderBy: { user: { name: 'asc' } } }),
  ])
  const byId = new Map(everyone.map((m) => [m.id, m]))
  const ruleMembers = new Map<string, RuleMember>(everyone.map((m) => [m.id, { id: m.id, function: m.function, active: m.status === 'active', name: m.user.name }]))
  const cellMap = new Map(grouped.map((g) => [g.activityId, g.cells]))
  const shown = new Set<string>((options.withMembers ?? []).filter((id) => byId.get(id)?.status === 'active'))
  const cellsOf = new Map<string, RuleCell[]>()
  for (const g of grouped) {
    const list: RuleCell[] = []
    for (const key in g.cells) {
      const member = key.startsWith('m:')
      if (member) shown.add(key.slice(2))
      list.push({ membershipId: member ? key.slice(2) : null, function: member ? null : (key.slice(2) as MemberFunction), letter: g.cells[key]! })
    }
    cellsOf.set(g.activityId, list)
  }
  const sorted = ordered(rows)
  const { byActivity, summary } = raciProblems(
    sorted.map((a) => ({ id: a.id, category: a.category, cells: cellsOf.get(a.id) ?? [] })),
    ruleMembers,
  )
  const activities = sorted.map((a) => ({
    id: a.id,
    kind: a.kind,
    title: titleOf(a),
    category: a.category,
    group: groupOf(a),
    due: a.kind === 'custom' ? dayOf(a.dueDate) : dayOf(a.step?.plannedEnd),
    stepStatus: a.step?.status ?? null,
    cells: cellMap.get(a.id) ?? ({} as Record<string, RaciLetter>),
    problems: byActivity[a.id] ?? [],
  }))
  const columns = [
    ...everyone
      .filter((m) => shown.has(m.id))
      .map((m) => ({ key: `m:${m.id}`, kind: 'member' as const, label: m.user.name, detail: FUNCTION_LABELS[m.function], inactive: m.status !== 'active' })),
    ...FUNCTIONS.map((f) => ({ key: `f:${f}`, kind: 'function' as const, label: `Any ${FUNCTION_LABELS[f].toLowerCase()} member`, detail: 'Function: C or I', inactive: false })),
  ]
  const addable = everyone.filter((m) => m.status === 'active' && !shown.has(m.id)).map((m) => ({ id: m.id, name: m.user.name, function: m.function }))
  return {
    project: { id: project.id, name: project.name, status: project.status, ownerId: project.ownerId, ownerName: project.ownerId ? (byId.get(project.ownerId)?.user.name ?? null) : null },
    canEdit: canEditRaci(scope, project),
    activities,
    columns,
    addable,
    summary,
  }
}
export type RaciView = NonNullable<Awaited<ReturnType<typeof getRaci>>>

/** The open RACI problems of a project (for its home page and the readiness checks): the counts and the rows that have one. */
export async function raciSummaryOf(scope: TenantScope, projectId: string) {
  const view = await getRaci(scope, projectId)
  if (!view) return null
  const rows = view.activities.filter((a) => a.problems.length).map((a) => ({ id: a.id, title: a.title, problems: a.problems.map((p) => p.message) }))
  return { ...view.summary, rows }
}

// ───────────────────────────── writing cells ─────────────────────────────

async function activityOf(tx: Tx, scope: TenantScope, project: ProjectRef, activityId: string) {
  return tx.raciActivity.findFirst({
    where: { id: activityId, projectId: project.id, organizationId: scope.organizationId },
    select: { id: true, kind: true, title: true, category: true, step: { select: { title: true } }, interface: { select: { name: true } } },
  })
}

/** The holder's words for the audit trail, after checking a member is the organisation's and active. */
async function holderLabel(tx: Tx, scope: TenantScope, holder: Holder, letter: RaciLetter | null) {
  if (holder.function) {
    if (letter && !FUNCTION_LETTERS.includes(letter)) throw new DomainError('RULE_VIOLATION', 'A function holds only C or I: R and A go to a person.', 'letter')
    return `any ${FUNCTION_LABELS[holder.function].toLowerCase()} member`
  }
  const m = await tx.membership.findFirst({ where: { id: holder.membershipId, organizationId: scope.organizationId }, select: { status: true, user: { select: { name: true } } } })
  if (!m) throw new DomainError('RULE_VIOLATION', 'Choose a member of this organisation.', 'holder')
  if (letter && m.status !== 'active') throw new DomainError('RULE_VIOLATION', `${m.user.name} is deactivated: give the letter to an active member.`, 'holder')
  return m.user.name
}

const holderWhere = (h: Holder) => (h.membershipId ? { membershipId: h.membershipId } : { function: h.function! })

/** Sets (a letter) or clears (null) one cell; audited when it changes. */
async function writeCell(tx: Tx, scope: TenantScope, project: ProjectRef, activity: NonNullable<Awaited<ReturnType<typeof activityOf>>>, holder: Holder, letter: RaciLetter | null) {
  const label = await holderLabel(tx, scope, holder, letter)
  const before = await tx.raciAssignment.findFirst({ where: { activityId: activity.id, organizationId: scope.organizationId, ...holderWhere(holder) }, select: { id: true, letter: true } })
  if ((before?.letter ?? null) === letter) return false
  if (!letter) await tx.raciAssignment.deleteMany({ where: { id: before!.id, organizationId: scope.organizationId } })
  else if (before) await tx.raciAssignment.updateMany({ where: { id: before.id, organizationId: scope.organizationId }, data: { letter } })
  else await tx.raciAssignment.create({ data: { organizationId: scope.organizationId, projectId: project.id, activityId: activity.id, ...holderWhere(holder), letter } })
  await auditInScope(scope, {
    action: letter ? 'raci.cell_set' : 'raci.cell_cleared',
    targetType: 'project',
    targetId: project.id,
    targetLabel: `${project.name}: ${titleOf({ ...activity, kind: activity.kind })}`,
    metadata: { activityId: activity.id, holder: holderKey(holder), who: label, from: before?.letter ?? null, to: letter },
  }, { tx })
  return true
}

/** One cell: a letter, or null to clear it. Null when the project or activity is not the organisation's. */
export async function setRaciCell(scope: TenantScope, input: { projectId: string; activityId: string; holder: Holder; letter: RaciLetter | null }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const project = await editableProject(tx, scope, input.projectId)
    if (!project) return null
    const activity = await activityOf(tx, scope, project, input.activityId)
    if (!activity) return null
    return { changed: await writeCell(tx, scope, project, activity, input.holder, input.letter) }
  })
}

/** A whole row at once (the form without JavaScript): each holder's letter, or null to clear. */
export async function setRaciRow(scope: TenantScope, input: { projectId: string; activityId: string; cells: { holder: Holder; letter: RaciLetter | null }[] }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const project = await editableProject(tx, scope, input.projectId)
    if (!project) return null
    const activity = await activityOf(tx, scope, project, input.activityId)
    if (!activity) return null
    let changed = 0
    for (const c of input.cells) if (await writeCell(tx, scope, project, activity, c.holder, c.letter)) changed++
    return { changed }
  })
}

// ───────────────────────────── activities ─────────────────────────────

async function assertTitleFree(tx: Tx, scope: TenantScope, projectId: string, title: string, exceptId?: string) {
  const clash = await tx.raciActivity.count({
    where: { projectId, organizationId: scope.organizationId, kind: 'custom', title: { equals: title, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
  })
  if (clash) throw new DomainError('CONFLICT', 'This project already has a custom activity with this title.', 'title')
}

export async function addRaciActivity(scope: TenantScope, input: CustomActivityInput & { projectId: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const project = await editableProject(tx, scope, input.projectId)
    if (!project) return null
    await assertTitleFree(tx, scope, project.id, input.title)
    const last = await tx.raciActivity.aggregate({ where: { projectId: project.id, organizationId: scope.organizationId, kind: 'custom' }, _max: { position: true } })
    const activity = await tx.raciActivity.create({
      data: { organizationId: scope.organizationId, projectId: project.id, kind: 'custom', title: input.title, category: input.category, dueDate: dateOf(input.dueDate), position: (last._max.position ?? 0) + 1 },
    })
    await auditInScope(scope, { action: 'raci.activity_added', targetType: 'project', targetId: project.id, targetLabel: `${project.name}: ${input.title}`, metadata: { activityId: activity.id, category: input.category, dueDate: input.dueDate ?? null } }, { tx })
    return activity
  })
}

/** A custom activity's title, category and due date; a step's or interface's category (its title is the step's or interface's). */
export async function updateRaciActivity(scope: TenantScope, input: { projectId: string; activityId: string; category: RaciCategory; title?: string; dueDate?: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const project = await editableProject(tx, scope, input.projectId)
    if (!project) return null
    const before = await tx.raciActivity.findFirst({ where: { id: input.activityId, projectId: project.id, organizationId: scope.organizationId }, select: { ...activitySelect } })
    if (!before) return null
    const custom = before.kind === 'custom'
    if (!custom && (input.title !== undefined || input.dueDate !== undefined)) {
      throw new DomainError('RULE_VIOLATION', 'A step or interface row takes its title and due date from the plan: change only its category here.', 'title')
    }
    if (custom && input.title) await assertTitleFree(tx, scope, project.id, input.title, before.id)
    const data = custom ? { category: input.category, title: input.title ?? before.title, dueDate: dateOf(input.dueDate) } : { category: input.category }
    const changes: Record<string, { from: unknown; to: unknown }> = {}
    if (before.category !== data.category) changes.category = { from: before.category, to: data.category }
    if (custom && before.title !== data.title) changes.title = { from: before.title, to: data.title }
    if (custom && dayOf(before.dueDate) !== (input.dueDate ?? null)) changes.dueDate = { from: dayOf(before.dueDate), to: input.dueDate ?? null }
    if (!Object.keys(changes).length) return before
    await tx.raciActivity.updateMany({ where: { id: before.id, organizationId: scope.organizationId }, data })
    await auditInScope(scope, { action: 'raci.activity_updated', targetType: 'project', targetId: project.id, targetLabel: `${project.name}: ${titleOf(before)}`, metadata: { activityId: before.id, changes } }, { tx })
    return before
  })
}

/** Deletes a custom activity and its cells (step and interface rows follow the plan and the scope). */
export async function deleteRaciActivity(scope: TenantScope, input: { projectId: string; activityId: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const project = await editableProject(tx, scope, input.projectId)
    if (!project) return null
    const activity = await tx.raciActivity.findFirst({ where: { id: input.activityId, projectId: project.id, organizationId: scope.organizationId }, select: { id: true, kind: true, title: true, _count: { select: { assignments: true } } } })
    if (!activity) return null
    if (activity.kind !== 'custom') throw new DomainError('RULE_VIOLATION', 'Only a custom activity is deleted here: a step row goes with its step, an interface row when the interface leaves the scope.')
    await tx.raciActivity.deleteMany({ where: { id: activity.id, organizationId: scope.organizationId } })
    await auditInScope(scope, { action: 'raci.activity_deleted', targetType: 'project', targetId: project.id, targetLabel: `${project.name}: ${activity.title}`, metadata: { activityId: activity.id, cells: activity._count.assignments } }, { tx })
    return activity
  })
}

// ───────────────────────────── templates ─────────────────────────────

/**
 * Bulk-fills from a template, never overwriting a letter the holder already has:
 * - clinical_design_testing: the holder (a chosen member, or the clinical function) gets C on
 *   every design and testing activity;
 * - owner_accountable: the project's owner gets A on every activity that has no A;
 * - compliance_security: the holder (a member, or the compliance function) gets C on every
 *   security activity.
 * Returns how many cells it set (one audit event lists them).
 */
export async function applyRaciTemplate(scope: TenantScope, input: { projectId: string; template: RaciTemplate; holder?: Holder }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const project = await editableProject(tx, scope, input.projectId)
    if (!project) return null
    let holder: Holder
    let letter: RaciLetter
    if (input.template === 'owner_accountable') {
      if (!project.ownerId) throw new DomainError('RULE_VIOLATION', 'The project has no owner: choose one on the project’s page first.', 'template')
      holder = { membershipId: project.ownerId }
      letter = 'A'
    } else {
      holder = input.holder ?? { function: input.template === 'compliance_security' ? 'compliance' : 'clinical' }
      letter = 'C'
    }
    const who = await holderLabel(tx, scope, holder, letter)
    const categories: RaciCategory[] | null = input.template === 'clinical_design_testing' ? [...CLINICAL_CATEGORIES] : input.template === 'compliance_security' ? ['security'] : null
    const activities = await tx.raciActivity.findMany({
      where: {
        projectId: project.id,
        organizationId: scope.organizationId,
        ...(categories ? { category: { in: categories } } : {}),
        // Never overwrite: the holder has no letter here yet (and, for the owner's A, nobody has an A).
        assignments: { none: input.template === 'owner_accountable' ? { OR: [holderWhere(holder), { letter: 'A' }] } : holderWhere(holder) },
      },
      select: { id: true },
    })
    if (activities.length) {
      await tx.raciAssignment.createMany({ data: activities.map((a) => ({ organizationId: scope.organizationId, projectId: project.id, activityId: a.id, ...holderWhere(holder), letter })) })
    }
    await auditInScope(scope, {
      action: 'raci.template_applied',
      targetType: 'project',
      targetId: project.id,
      targetLabel: project.name,
      metadata: { template: input.template, holder: holderKey(holder), who, letter, cells: activities.length, activityIds: activities.map((a) => a.id) },
    }, { tx })
    return { set: activities.length, who }
  })
}

// ───────────────────────────── "My responsibilities" ─────────────────────────────

/**
 * What the signed-in member is R or A for in active and planned projects, open activities only
 * (a done or skipped step is no longer a responsibility), earliest due first (no due date last).
 */
export async function listMyResponsibilities(scope: TenantScope, limit = 50) {
  const rows = await prisma.raciAssignment.findMany({
    where: {
      organizationId: scope.organizationId,
      membershipId: scope.membershipId,
      letter: { in: ['R', 'A'] },
      project: { status: { in: ['active', 'planned'] } },
      activity: { OR: [{ stepId: null }, { step: { status: { notIn: ['done', 'skipped'] } } }] },
    },
    select: {
      letter: true,
      project: { select: { id: true, name: true } },
      activity: { select: { id: true, kind: true, title: true, dueDate: true, step: { select: { title: true, plannedEnd: true } }, interface: { select: { name: true } } } },
    },
  })
  const today = todayIn(scope)
  const items = rows
    .map((r) => {
      const due = r.activity.kind === 'custom' ? dayOf(r.activity.dueDate) : dayOf(r.activity.step?.plannedEnd)
      return { projectId: r.project.id, projectName: r.project.name, activityId: r.activity.id, title: titleOf(r.activity), letter: r.letter, due, ...dueWords(due, today) }
    })
    .sort((a, b) => (a.due ?? '9999') .localeCompare(b.due ?? '9999') || a.projectName.localeCompare(b.projectName) || a.title.localeCompare(b.title))
  return { items: items.slice(0, limit), total: items.length, overdue: items.filter((i) => i.overdue).length, today }
}

// ───────────────────────────── CSV export and import ─────────────────────────────

/** The matrix as CSV (raci-csv.ts), one row per cell, in the page's row order. Null when not the organisation's project. */
export async function exportRaci(scope: TenantScope, projectId: string) {
  const org = scope.organizationId
  const project = await prisma.project.findFirst({ where: { id: projectId, organizationId: org }, select: projectSelect })
  if (!project) return null
  const [rows, cells] = await Promise.all([
    prisma.raciActivity.findMany({ where: { projectId, organizationId: org }, select: activitySelect }),
    prisma.raciAssignment.findMany({ where: { projectId, organizationId: org }, select: { activityId: true, function: true, letter: true, membership: { select: { user: { select: { email: true, name: true } } } } } }),
  ])
  const cellsOf = new Map<string, typeof cells>()
  for (const c of cells) (cellsOf.get(c.activityId) ?? cellsOf.set(c.activityId, []).get(c.activityId)!).push(c)
  const out: Parameters<typeof raciCsv>[0] = []
  for (const a of ordered(rows)) {
    const list = (cellsOf.get(a.id) ?? []).sort((x, y) => (x.membership?.user.name ?? `~${x.function}`).localeCompare(y.membership?.user.name ?? `~${y.function}`))
    for (const c of list) out.push({ activity: titleOf(a), kind: a.kind, category: a.category, email: c.membership?.user.email ?? '', function: c.function ?? '', letter: c.letter })
  }
  const slug = project.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'project'
  await auditInScope(scope, { action: 'raci.exported', targetType: 'project', targetId: project.id, targetLabel: project.name, metadata: { cells: out.length } })
  return { fileName: `raci-${slug}.csv`, body: raciCsv(out) }
}

const KIND = 'raci'
const CELL_COLUMNS_SQL: SqlColumns = [
  ['id', 'text'],
  ['organizationId', 'text'],
  ['projectId', 'text'],
  ['activityId', 'text'],
  ['membershipId', 'text'],
  ['function', '"MemberFunction"'],
  ['letter', '"RaciLetter"'],
  ['createdAt', 'timestamp(3)'],
  ['updatedAt', 'timestamp(3)'],
]

export type RaciImportChange = { line: number; activity: string; who: string; from: RaciLetter | null; to: RaciLetter | null }
export type RaciImportPlan = {
  fileName: string
  total: number
  counts: { set: number; cleared: number; unchanged: number }
  changes: RaciImportChange[]
  errors: CsvIssue[]
}
type Write = { activityId: string; membershipId: string | null; function: MemberFunction | null; letter: RaciLetter | null; existingId: string | null }

async function planImport(db: Db, scope: TenantScope, projectId: string, parsed: RaciCsvParse, fileName: string): Promise<{ plan: RaciImportPlan; writes: Write[] }> {
  const org = scope.organizationId
  const errors = [...parsed.errors]
  const emails = [...new Set(parsed.rows.map((r) => r.record.email).filter((e): e is string => !!e))]
  const [rows, existing, members] = await Promise.all([
    db.raciActivity.findMany({ where: { projectId, organizationId: org }, select: activitySelect }),
    db.raciAssignment.findMany({ where: { projectId, organizationId: org }, select: { id: true, activityId: true, membershipId: true, function: true, letter: true } }),
    // Only this organisation's members: another organisation's person is "no member", like an unknown address.
    db.membership.findMany({ where: { organizationId: org, user: { email: { in: emails } } }, select: { id: true, status: true, user: { select: { email: true, name: true } } } }),
  ])
  const activityByKey = new Map<string, ActivityRow | 'ambiguous'>()
  for (const a of rows) {
    const key = activityKeyOf(a.kind, titleOf(a))
    activityByKey.set(key, activityByKey.has(key) ? 'ambiguous' : a)
  }
  const memberByEmail = new Map(members.map((m) => [m.user.email.toLowerCase(), m]))
  const nameOf = new Map<string, string>()
  const current = new Map<string, { id: string; letter: RaciLetter }>()
  for (const c of existing) current.set(`${c.activityId}|${holderKey(c)}`, { id: c.id, letter: c.letter })
  const writes: Write[] = []
  const changes: RaciImportChange[] = []
  const counts = { set: 0, cleared: 0, unchanged: 0 }
  // The A's each activity will have after the import: the lines that give one, and the members who keep one.
  const finalA = new Map<string, { lines: { line: number; position: number; value: string }[]; holders: Set<string> }>()
  const fileHolders = new Map<string, Set<string>>()
  for (const row of parsed.rows) {
    const rec = row.record
    const issue = (column: string, value: string, message: string) => errors.push({ line: row.line, column, columnNumber: row.positions[column] ?? null, value, message })
    const activity = activityByKey.get(activityKeyOf(rec.kind, rec.activity))
    if (!activity) {
      issue('activity', rec.activity, 'No such activity in this project (check the title and the kind; add a custom activity on the RACI page first).')
      continue
    }
    if (activity === 'ambiguous') {
      issue('activity', rec.activity, 'Two activities of this kind have this title: rename one on the page first.')
      continue
    }
    let holder: Holder
    let who: string
    if (rec.email) {
      const m = memberByEmail.get(rec.email)
      if (!m) {
        issue('email', rec.email, 'No member of this organisation has this email.')
        continue
      }
      if (m.status !== 'active' && rec.letter) {
        issue('email', rec.email, `${m.user.name} is deactivated: give the letter to an active member.`)
        continue
      }
      holder = { membershipId: m.id }
      who = m.user.name
      nameOf.set(m.id, m.user.name)
    } else {
      holder = { function: rec.function! }
      who = `any ${FUNCTION_LABELS[rec.function!].toLowerCase()} member`
    }
    const hk = holderKey(holder)
    const before = current.get(`${activity.id}|${hk}`)
    ;(fileHolders.get(activity.id) ?? fileHolders.set(activity.id, new Set()).get(activity.id)!).add(hk)
    if (rec.letter === 'A' && holder.membershipId) {
      const entry = finalA.get(activity.id) ?? finalA.set(activity.id, { lines: [], holders: new Set() }).get(activity.id)!
      entry.lines.push({ line: row.line, position: row.positions.letter ?? 0, value: 'A' })
      entry.holders.add(hk)
    }
    if ((before?.letter ?? null) === rec.letter) {
      counts.unchanged++
      continue
    }
    writes.push({ activityId: activity.id, membershipId: holder.membershipId ?? null, function: holder.function ?? null, letter: rec.letter, existingId: before?.id ?? null })
    changes.push({ line: row.line, activity: titleOf(activity), who, from: before?.letter ?? null, to: rec.letter })
    if (rec.letter) counts.set++
    else counts.cleared++
  }
  // Two A's after the import: the file's A lines for an activity that ends up with more than one.
  for (const c of existing) {
    if (c.letter !== 'A' || !c.membershipId) continue
    if (fileHolders.get(c.activityId)?.has(holderKey(c))) continue // the file decides this cell
    const entry = finalA.get(c.activityId)
    if (entry) entry.holders.add(holderKey(c))
  }
  if (finalA.size) {
    const names = new Map((await db.membership.findMany({ where: { organizationId: org, id: { in: [...new Set([...finalA.values()].flatMap((e) => [...e.holders].map((h) => h.slice(2))))] } }, select: { id: true, user: { select: { name: true } } } })).map((m) => [m.id, m.user.name]))
    for (const [activityId, entry] of finalA) {
      if (entry.holders.size < 2) continue
      const title = titleOf(rows.find((a) => a.id === activityId)!)
      const who = [...entry.holders].map((h) => names.get(h.slice(2)) ?? 'a member').join(', ')
      for (const l of entry.lines) {
        errors.push({ line: l.line, column: 'letter', columnNumber: l.position || null, value: l.value, message: `“${title}” would have ${entry.holders.size} A’s after the import (${who}): keep exactly one.` })
      }
    }
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.columnNumber ?? 1e9) - (b.columnNumber ?? 1e9))
  return { plan: { fileName, total: parsed.total, counts, changes, errors }, writes }
}

/** Reads and checks a RACI file against the project; keeps it as a batch when it has no problem. Null when not the organisation's project. */
export async function previewRaciImport(scope: TenantScope, input: { projectId: string; fileName?: string | null; content: string | Uint8Array }) {
  const project = await editableProject(prisma, scope, input.projectId)
  if (!project) return null
  const fileName = cleanFileName(input.fileName, 'raci.csv')
  return previewImportBatch(
    scope,
    { kind: `${KIND}:${project.id}`, fileName, content: input.content },
    {
      plan: async (text) => {
        const parsed = parseRaciCsv(text)
        return { plan: (await planImport(prisma, scope, project.id, parsed, fileName)).plan, keep: keepRows(parsed) }
      },
      unreadable: (issue): RaciImportPlan => ({ fileName, total: 0, counts: { set: 0, cleared: 0, unchanged: 0 }, changes: [], errors: [issue] }),
    },
  )
}

export type RaciApplyResult = { status: 'applied'; plan: RaciImportPlan } | { status: 'invalid'; plan: RaciImportPlan }

/**
 * Applies a previewed file: every cell or none. The batch's kind names the project, so a batch
 * previewed for one project cannot be applied to another. Null when the batch or the project is
 * not the organisation's. One audit event records the import (the file's hash, the batch that
 * keeps it, the counts and the cells changed).
 */
export async function applyRaciImport(scope: TenantScope, input: { projectId: string; batchId: string }): Promise<RaciApplyResult | null> {
  const project = await editableProject(prisma, scope, input.projectId)
  if (!project) return null
  return applyImportBatch<RaciImportPlan, RaciApplyResult>(scope, { batchId: input.batchId }, {
    kinds: [`${KIND}:${project.id}`],
    noun: 'RACI import',
    changedMeanwhile: 'Someone changed this RACI meanwhile: upload the file again.',
    // The project's row lock: two imports (or an import and a template) do not interleave.
    lock: async (tx) => (await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Project" WHERE "id" = ${project.id} AND "organizationId" = ${scope.organizationId} FOR UPDATE`).length === 1,
    apply: async (tx, batch) => {
      const parsed = batch.records ? keptRows(batch.records as KeptRows<RaciCsvRecord>) : parseRaciCsv(batch.content)
      const planned = await planImport(tx, scope, project.id, parsed, batch.fileName)
      if (planned.plan.errors.length) invalidImport(planned.plan)
      const replaced = planned.writes.map((w) => w.existingId).filter((id): id is string => !!id)
      if (replaced.length) await tx.$executeRaw`DELETE FROM "RaciAssignment" WHERE "organizationId" = ${scope.organizationId} AND "projectId" = ${project.id} AND "id" = ANY(${replaced}::text[])`
      const now = new Date()
      const created = planned.writes.filter((w) => w.letter).map((w) => ({ id: newId(), organizationId: scope.organizationId, projectId: project.id, activityId: w.activityId, membershipId: w.membershipId, function: w.function, letter: w.letter, createdAt: now, updatedAt: now }))
      await insertRows(tx, 'RaciAssignment', CELL_COLUMNS_SQL, created)
      await auditImport(scope, {
        action: 'raci.imported',
        targetType: 'project',
        targetId: project.id,
        targetLabel: `${project.name}: ${batch.fileName}`,
        metadata: importAuditMetadata(batch, {
          rows: planned.plan.total,
          counts: planned.plan.counts,
          extra: {
            // The cells themselves while they are few; the kept batch holds the file for larger imports.
            cells: planned.plan.changes.length <= 500 ? planned.plan.changes.map((c) => ({ line: c.line, activity: c.activity, who: c.who, from: c.from, to: c.to })) : undefined,
            // A changed cell is a new row; the row it replaced is deleted.
            replaced,
          },
          created: created.map((c) => c.id),
        }),
      }, { tx })
      return { status: 'applied', plan: planned.plan }
    },
  })
}
