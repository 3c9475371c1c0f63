/**
 * Integration projects: the project (goal, scope, approach, dates), its plan (five phases, the
 * fourteen standard steps and custom ones, with planned, baseline and actual dates) and the
 * transitions between phases. Every function takes the scope first, its input second and
 * `{ tx }` last (ADR 021, 022); every write is audited in the organisation's chain.
 *
 * The one way into phase 4 (deployment & training) is `startDeployment`: the go-live gate
 * (issue 11) guards it there, so no other function may start that phase.
 */
import type { Prisma } from '#app/generated/prisma/client.ts'
import { inTx, prisma, type Db, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { pageCountOf, pageWindow } from '#app/utils/list.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { zonedParts } from '#app/utils/org.ts'
import { auditInScope, diffFields } from '../audit/audit.server.ts'
import { assertGateOpen } from '../readiness/gate.server.ts'
import { syncSecurityScope } from './security.server.ts'
import { addDays, dateOf, dayOf, initialPlan, planProblems, testingShare, type CheckedPlan, type Day } from './plan.ts'
import type { PhaseInput, ProjectInput, StepInput } from './schemas.ts'
import { syncRaciActivities } from './raci.server.ts'
import { MIN_TESTING_SHARE, PHASE_ORDER, PHASES, STANDARD_STEPS, waveMilestoneLabel, type PhaseKind } from './vocabulary.ts'

type Options = TxOption

export const PROJECTS_PAGE_SIZE = 25
export const PROJECT_SORTS = ['name', 'targetGoLive', 'startDate', 'status', 'updatedAt'] as const
export type ProjectSort = (typeof PROJECT_SORTS)[number]
export type ProjectFilter = { q?: string; status?: string; phase?: string; ownerId?: string; sort?: ProjectSort; dir?: 'asc' | 'desc' }

const person = { select: { id: true, unit: true, status: true, user: { select: { name: true, email: true } } } } as const

/** Today in the organisation's zone, as a day. */
export function todayIn(scope: Pick<TenantScope, 'timeZone'>, now = new Date()): Day {
  return zonedParts(now, scope.timeZone).date
}

// ───────────────────────────── health at a glance ─────────────────────────────

export type Health = 'on_track' | 'at_risk' | 'late' | 'closed'
export const HEALTH_LABELS: Record<Health, string> = { on_track: 'On track', at_risk: 'At risk', late: 'Late', closed: 'Closed' }

/**
 * A project's health from its plan: late when a step that is not done or skipped should have
 * ended before today (or the go-live passed with deployment not done), at risk when testing
 * gets less than the seed's 30 % of the timeline or a step is due within a week without
 * having started; closed when done or cancelled.
 */
export function healthOf(p: {
  status: string
  targetGoLive: Date
  phases: { kind: PhaseKind; status: string; plannedStart: Date | null; plannedEnd: Date | null }[]
  steps: { status: string; plannedStart: Date | null; plannedEnd: Date | null }[]
}, today: Day): { health: Health; reasons: string[] } {
  if (p.status === 'done' || p.status === 'cancelled') return { health: 'closed', reasons: [] }
  const open = (s: { status: string }) => s.status !== 'done' && s.status !== 'skipped'
  const late = p.steps.filter((s) => open(s) && s.plannedEnd && dayOf(s.plannedEnd)! < today).length
  const reasons: string[] = []
  const deployment = p.phases.find((ph) => ph.kind === 'deployment')
  if (dayOf(p.targetGoLive)! < today && deployment && deployment.status !== 'done') reasons.push('the target go-live has passed')
  if (late) reasons.push(`${late} step${late === 1 ? '' : 's'} overdue`)
  if (reasons.length) return { health: 'late', reasons }
  const share = testingShare(p.phases.map((ph) => ({ kind: ph.kind, planned: { start: dayOf(ph.plannedStart), end: dayOf(ph.plannedEnd) } })))
  if (share !== null && share < MIN_TESTING_SHARE) reasons.push(`testing has ${Math.round(share * 100)} % of the timeline (aim for ${MIN_TESTING_SHARE * 100} %)`)
  const weekAhead = addDays(today, 7)
  const dueSoon = p.steps.filter((s) => s.status === 'not_started' && s.plannedEnd && dayOf(s.plannedEnd)! <= weekAhead).length
  if (dueSoon) reasons.push(`${dueSoon} step${dueSoon === 1 ? '' : 's'} due within a week not started`)
  return { health: reasons.length ? 'at_risk' : 'on_track', reasons }
}

/** The phase a project is in: the first (in order) not done, or maintenance when all are. */
export function currentPhaseOf(phases: { kind: PhaseKind; status: string }[]): PhaseKind {
  const sorted = [...phases].sort((a, b) => PHASE_ORDER.indexOf(a.kind) - PHASE_ORDER.indexOf(b.kind))
  return (sorted.find((p) => p.status !== 'done' && p.status !== 'skipped') ?? sorted[sorted.length - 1])?.kind ?? 'discovery'
}

// ───────────────────────────── reading ─────────────────────────────

export async function listProjects(scope: TenantScope, input: ProjectFilter & { page?: number } = {}) {
  const { page = 1, ...filter } = input
  const where: Prisma.ProjectWhereInput = {
    organizationId: scope.organizationId,
    ...(filter.status ? { status: filter.status as never } : {}),
    ...(filter.ownerId ? { ownerId: filter.ownerId } : {}),
    ...(filter.q
      ? { OR: [{ name: { contains: filter.q, mode: 'insensitive' } }, { goal: { contains: filter.q, mode: 'insensitive' } }] }
      : {}),
    // "In phase X": phase X is not done and every phase before it is.
    ...(filter.phase && (PHASE_ORDER as string[]).includes(filter.phase)
      ? {
          AND: [
            { phases: { some: { kind: filter.phase as PhaseKind, status: { notIn: ['done', 'skipped'] } } } },
            ...PHASE_ORDER.slice(0, PHASE_ORDER.indexOf(filter.phase as PhaseKind)).map((k) => ({ phases: { some: { kind: k, status: { in: ['done', 'skipped'] as ('done' | 'skipped')[] } } } })),
          ],
        }
      : {}),
  }
  const sort = filter.sort ?? 'name'
  const dir = filter.dir ?? (sort === 'updatedAt' ? 'desc' : 'asc')
  const [rows, total] = await Promise.all([
    prisma.project.findMany({
      where,
      orderBy: [{ [sort]: dir }, { name: 'asc' }],
      ...pageWindow(page, PROJECTS_PAGE_SIZE),
      select: {
        id: true,
        name: true,
        status: true,
        startDate: true,
        targetGoLive: true,
        updatedAt: true,
        owner: person,
        phases: { select: { kind: true, status: true, plannedStart: true, plannedEnd: true } },
        steps: { select: { status: true, plannedStart: true, plannedEnd: true } },
        _count: { select: { interfaces: true, systems: true } },
      },
    }),
    prisma.project.count({ where }),
  ])
  const today = todayIn(scope)
  const projects = rows.map(({ phases, steps, ...p }) => ({
    ...p,
    phase: currentPhaseOf(phases),
    ...healthOf({ ...p, phases, steps }, today),
  }))
  return { projects, total, pageCount: pageCountOf(total, PROJECTS_PAGE_SIZE) }
}

export async function getProject(scope: TenantScope, id: string) {
  const project = await prisma.project.findFirst({
    where: { id, organizationId: scope.organizationId },
    include: {
      owner: person,
      interfaces: { select: { interface: { select: { id: true, name: true, standard: true, lifecycle: true, source: { select: { id: true, name: true } }, target: { select: { id: true, name: true } } } } }, orderBy: { interface: { name: 'asc' } } },
      systems: { select: { system: { select: { id: true, name: true, kind: true, vendor: true } } }, orderBy: { system: { name: 'asc' } } },
      phases: { include: { owner: person, steps: { include: { owner: person }, orderBy: { position: 'asc' } } } },
      waves: { select: { id: true, kind: true, name: true, goLive: true, status: true, wentLiveOn: true }, orderBy: { position: 'asc' } },
    },
  })
  if (!project) return null
  const phases = [...project.phases].sort((a, b) => PHASE_ORDER.indexOf(a.kind) - PHASE_ORDER.indexOf(b.kind))
  const today = todayIn(scope)
  const steps = phases.flatMap((p) => p.steps)
  return {
    ...project,
    phases,
    interfaces: project.interfaces.map((i) => i.interface),
    systems: project.systems.map((s) => s.system),
    phase: currentPhaseOf(phases),
    testingShare: testingShare(phases.map((p) => ({ kind: p.kind, planned: { start: dayOf(p.plannedStart), end: dayOf(p.plannedEnd) } }))),
    ...healthOf({ ...project, phases, steps }, today),
    today,
  }
}
export type ProjectDetail = NonNullable<Awaited<ReturnType<typeof getProject>>>

/** The projects an interface or a system is in (its page links back to them). */
export function listProjectsTouching(scope: TenantScope, target: { interfaceId?: string; systemId?: string }) {
  return prisma.project.findMany({
    where: {
      organizationId: scope.organizationId,
      OR: [
        ...(target.interfaceId ? [{ interfaces: { some: { interfaceId: target.interfaceId } } }] : []),
        ...(target.systemId ? [{ systems: { some: { systemId: target.systemId } } }, { interfaces: { some: { interface: { OR: [{ sourceSystemId: target.systemId }, { targetSystemId: target.systemId }] } } } }] : []),
      ],
    },
    select: { id: true, name: true, status: true, targetGoLive: true },
    orderBy: { name: 'asc' },
  })
}

// ───────────────────────────── writing the project ─────────────────────────────

async function assertNameFree(db: Db, scope: TenantScope, name: string, exceptId?: string) {
  const clash = await db.project.findFirst({
    where: { organizationId: scope.organizationId, name: { equals: name, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  })
  if (clash) throw new DomainError('CONFLICT', 'A project with this name already exists.', 'name')
}

async function assertMember(db: Db, scope: TenantScope, id: string | undefined | null, field: string) {
  if (!id) return
  const found = await db.membership.count({ where: { id, organizationId: scope.organizationId, status: 'active' } })
  if (!found) throw new DomainError('RULE_VIOLATION', 'Choose an active member of this organisation.', field)
}

/** The scope's ids, each checked to be this organisation's (a form may name anyone's). */
async function resolveScope(db: Db, scope: TenantScope, input: Pick<ProjectInput, 'interfaceIds' | 'systemIds' | 'withSystemInterfaces'>) {
  const org = scope.organizationId
  const systems = await db.system.findMany({ where: { organizationId: org, id: { in: input.systemIds } }, select: { id: true } })
  if (systems.length !== input.systemIds.length) throw new DomainError('RULE_VIOLATION', 'Choose systems from this organisation’s inventory.', 'systemIds')
  const interfaces = await db.interface.findMany({ where: { organizationId: org, id: { in: input.interfaceIds } }, select: { id: true } })
  if (interfaces.length !== input.interfaceIds.length) throw new DomainError('RULE_VIOLATION', 'Choose interfaces from this organisation’s inventory.', 'interfaceIds')
  const interfaceIds = new Set(interfaces.map((i) => i.id))
  if (input.withSystemInterfaces && systems.length) {
    const ids = systems.map((s) => s.id)
    const theirs = await db.interface.findMany({ where: { organizationId: org, OR: [{ sourceSystemId: { in: ids } }, { targetSystemId: { in: ids } }] }, select: { id: true } })
    for (const i of theirs) interfaceIds.add(i.id)
  }
  return { systemIds: systems.map((s) => s.id), interfaceIds: [...interfaceIds] }
}

function projectData(input: ProjectInput) {
  return {
    name: input.name,
    goal: input.goal,
    benefits: input.benefits ?? null,
    approach: input.approach,
    approachReason: input.approachReason ?? null,
    ownerId: input.ownerId ?? null,
    startDate: dateOf(input.startDate)!,
    targetGoLive: dateOf(input.targetGoLive)!,
    status: input.status,
  }
}

/** A new project with its scope and the standard plan (five phases, fourteen steps) spread over its dates. */
export async function createProject(scope: TenantScope, input: ProjectInput, options: Options = {}) {
  return inTx(options, async (tx) => {
    await assertNameFree(tx, scope, input.name)
    await assertMember(tx, scope, input.ownerId, 'ownerId')
    const inScope = await resolveScope(tx, scope, input)
    const org = scope.organizationId
    const project = await tx.project.create({
      data: {
        ...projectData(input),
        organizationId: org,
        interfaces: { create: inScope.interfaceIds.map((interfaceId) => ({ interfaceId, organizationId: org })) },
        systems: { create: inScope.systemIds.map((systemId) => ({ systemId, organizationId: org })) },
      },
    })
    const plan = initialPlan(input.startDate, input.targetGoLive)
    for (const phase of plan) {
      const created = await tx.projectPhase.create({
        data: { organizationId: org, projectId: project.id, kind: phase.kind, plannedStart: dateOf(phase.planned.start), plannedEnd: dateOf(phase.planned.end), ownerId: input.ownerId ?? null },
      })
      await tx.projectStep.createMany({
        data: phase.steps.map((s, i) => ({
          organizationId: org,
          projectId: project.id,
          phaseId: created.id,
          position: i + 1,
          standardKey: s.key,
          title: s.title,
          description: STANDARD_STEPS.find((d) => d.key === s.key)?.description ?? null,
          plannedStart: dateOf(s.planned.start),
          plannedEnd: dateOf(s.planned.end),
        })),
      })
    }
    // The RACI's rows: one per step and per interface in scope (raci.server.ts).
    await syncRaciActivities(scope, project.id, { tx })
    await auditInScope(scope, {
      action: 'project.created',
      targetType: 'project',
      targetId: project.id,
      targetLabel: project.name,
      metadata: { interfaces: inScope.interfaceIds.length, systems: inScope.systemIds.length, approach: input.approach },
    }, { tx })
    // Starting a project active approves its first plan: that plan is the baseline.
    if (input.status === 'active') await copyBaseline(tx, scope, project.id)
    // The security risk assessment starts with the project (a BAA item per vendor in scope).
    await syncSecurityScope(scope, project.id, { tx })
    return project
  })
}

export async function updateProject(scope: TenantScope, input: ProjectInput & { id: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const before = await tx.project.findFirst({
      where: { id: input.id, organizationId: scope.organizationId },
      include: { interfaces: { select: { interfaceId: true } }, systems: { select: { systemId: true } } },
    })
    if (!before) return null
    await assertNameFree(tx, scope, input.name, before.id)
    await assertMember(tx, scope, input.ownerId, 'ownerId')
    const inScope = await resolveScope(tx, scope, input)
    const data = projectData(input)
    const changes: Record<string, unknown> = diffFields(
      { ...before, startDate: dayOf(before.startDate), targetGoLive: dayOf(before.targetGoLive) } as unknown as Record<string, unknown>,
      { ...data, startDate: input.startDate, targetGoLive: input.targetGoLive },
    )
    const had = { interfaces: new Set(before.interfaces.map((i) => i.interfaceId)), systems: new Set(before.systems.map((s) => s.systemId)) }
    const addInterfaces = inScope.interfaceIds.filter((i) => !had.interfaces.has(i))
    const removeInterfaces = [...had.interfaces].filter((i) => !inScope.interfaceIds.includes(i))
    const addSystems = inScope.systemIds.filter((s) => !had.systems.has(s))
    const removeSystems = [...had.systems].filter((s) => !inScope.systemIds.includes(s))
    if (addInterfaces.length || removeInterfaces.length) changes.interfaces = { added: addInterfaces.length, removed: removeInterfaces.length }
    if (addSystems.length || removeSystems.length) changes.systems = { added: addSystems.length, removed: removeSystems.length }
    if (!Object.keys(changes).length) return before
    const org = scope.organizationId
    const project = await tx.project.update({ where: { id: before.id }, data })
    if (removeInterfaces.length) await tx.projectInterface.deleteMany({ where: { projectId: before.id, organizationId: org, interfaceId: { in: removeInterfaces } } })
    if (removeSystems.length) await tx.projectSystem.deleteMany({ where: { projectId: before.id, organizationId: org, systemId: { in: removeSystems } } })
    if (addInterfaces.length) await tx.projectInterface.createMany({ data: addInterfaces.map((interfaceId) => ({ interfaceId, projectId: before.id, organizationId: org })) })
    if (addSystems.length) await tx.projectSystem.createMany({ data: addSystems.map((systemId) => ({ systemId, projectId: before.id, organizationId: org })) })
    // A scope change adds (and re-opens) or retires the assessment's vendor items.
    if (changes.interfaces || changes.systems) await syncSecurityScope(scope, project.id, { tx })
    // The RACI follows the scope: rows for new interfaces, none for those that left (raci.server.ts).
    if (addInterfaces.length || removeInterfaces.length) await syncRaciActivities(scope, before.id, { tx })
    await auditInScope(scope, { action: 'project.updated', targetType: 'project', targetId: project.id, targetLabel: project.name, metadata: { changes } }, { tx })
    if (before.status === 'planned' && input.status === 'active' && !before.baselineSetAt) await copyBaseline(tx, scope, project.id)
    return project
  })
}

// ───────────────────────────── writing the plan ─────────────────────────────

type PlanRow = { id: string; plannedStart: Date | null; plannedEnd: Date | null; actualStart: Date | null; actualEnd: Date | null }

/** The plan as stored, with one phase or step replaced by what is about to be written, checked whole. */
async function assertPlanHolds(tx: Tx, scope: TenantScope, projectId: string, change: { phaseId?: string; stepId?: string; dates: Omit<PlanRow, 'id'>; skipped?: boolean }) {
  const phases = await tx.projectPhase.findMany({
    where: { projectId, organizationId: scope.organizationId },
    include: { steps: { orderBy: { position: 'asc' } } },
  })
  phases.sort((a, b) => PHASE_ORDER.indexOf(a.kind) - PHASE_ORDER.indexOf(b.kind))
  const span = (r: Omit<PlanRow, 'id'>, kind: 'planned' | 'actual') => ({ start: dayOf(kind === 'planned' ? r.plannedStart : r.actualStart), end: dayOf(kind === 'planned' ? r.plannedEnd : r.actualEnd) })
  const plan: CheckedPlan = phases.map((p) => {
    const phaseRow = p.id === change.phaseId ? change.dates : p
    return {
      kind: p.kind,
      planned: span(phaseRow, 'planned'),
      actual: span(phaseRow, 'actual'),
      steps: p.steps.map((s) => {
        const row = s.id === change.stepId ? change.dates : s
        return { title: s.title, skipped: s.id === change.stepId ? change.skipped : s.status === 'skipped', planned: span(row, 'planned'), actual: span(row, 'actual') }
      }),
    }
  })
  const changedPhase = phases.findIndex((ph) => ph.id === change.phaseId)
  const problems = planProblems(plan).filter((p) => {
    // Only the problems the change makes or touches: an older problem elsewhere must not block an unrelated fix.
    const at = phases.findIndex((ph) => ph.kind === p.phase)
    if (change.phaseId) return at === changedPhase || (at === changedPhase + 1 && p.step === undefined && p.field === 'plannedStart')
    return p.step !== undefined && phases[at]!.steps[p.step]?.id === change.stepId
  })
  if (problems.length) throw new DomainError('RULE_VIOLATION', problems[0]!.message, problems[0]!.field)
}

const datesOf = (input: { plannedStart?: string; plannedEnd?: string; actualStart?: string; actualEnd?: string }) => ({
  plannedStart: dateOf(input.plannedStart),
  plannedEnd: dateOf(input.plannedEnd),
  actualStart: dateOf(input.actualStart),
  actualEnd: dateOf(input.actualEnd),
})

const withDays = <T extends PlanRow>(r: T) => ({ ...r, plannedStart: dayOf(r.plannedStart), plannedEnd: dayOf(r.plannedEnd), actualStart: dayOf(r.actualStart), actualEnd: dayOf(r.actualEnd) })

export async function updateStep(scope: TenantScope, input: StepInput & { stepId: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const before = await tx.projectStep.findFirst({ where: { id: input.stepId, organizationId: scope.organizationId }, include: { project: { select: { name: true } } } })
    if (!before) return null
    await assertMember(tx, scope, input.ownerId, 'ownerId')
    const dates = datesOf(input)
    await assertPlanHolds(tx, scope, before.projectId, { stepId: before.id, dates, skipped: input.status === 'skipped' })
    const data = {
      title: input.title,
      description: input.description ?? null,
      ownerId: input.ownerId ?? null,
      status: input.status,
      skipReason: input.status === 'skipped' ? (input.skipReason ?? null) : null,
      ...dates,
    }
    const changes = diffFields(withDays(before) as unknown as Record<string, unknown>, withDays({ ...before, ...data }) as unknown as Record<string, unknown>)
    if (!Object.keys(changes).length) return before
    const step = await tx.projectStep.update({ where: { id: before.id }, data })
    await auditInScope(scope, {
      action: input.status === 'skipped' && before.status !== 'skipped' ? 'project.step_skipped' : 'project.step_updated',
      targetType: 'project',
      targetId: before.projectId,
      targetLabel: `${before.project.name}: ${step.title}`,
      metadata: { stepId: step.id, changes },
    }, { tx })
    return step
  })
}

export async function updatePhase(scope: TenantScope, input: PhaseInput & { phaseId: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const before = await tx.projectPhase.findFirst({ where: { id: input.phaseId, organizationId: scope.organizationId }, include: { project: { select: { name: true } } } })
    if (!before) return null
    // The one way into deployment is startDeployment (the go-live gate guards it).
    if (before.kind === 'deployment' && before.status === 'not_started' && input.status !== 'not_started') {
      throw new DomainError('RULE_VIOLATION', 'Deployment & training starts with “Start deployment”, which checks the go-live readiness.', 'status')
    }
    if (input.status === 'skipped') throw new DomainError('RULE_VIOLATION', 'A phase cannot be skipped: skip its steps, each with a reason.', 'status')
    await assertMember(tx, scope, input.ownerId, 'ownerId')
    const dates = datesOf(input)
    await assertPlanHolds(tx, scope, before.projectId, { phaseId: before.id, dates })
    const data = { ownerId: input.ownerId ?? null, status: input.status, ...dates }
    const changes = diffFields(withDays(before) as unknown as Record<string, unknown>, withDays({ ...before, ...data }) as unknown as Record<string, unknown>)
    if (!Object.keys(changes).length) return before
    const phase = await tx.projectPhase.update({ where: { id: before.id }, data })
    await auditInScope(scope, { action: 'project.phase_updated', targetType: 'project', targetId: before.projectId, targetLabel: `${before.project.name}: ${PHASES[before.kind]}`, metadata: { phase: before.kind, changes } }, { tx })
    return phase
  })
}

/** A custom step at the end of a phase, planned over the phase's dates. */
export async function addStep(scope: TenantScope, input: { phaseId: string; title: string; description?: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const phase = await tx.projectPhase.findFirst({ where: { id: input.phaseId, organizationId: scope.organizationId }, include: { project: { select: { name: true } }, _count: { select: { steps: true } } } })
    if (!phase) return null
    const last = await tx.projectStep.aggregate({ where: { phaseId: phase.id, organizationId: scope.organizationId }, _max: { position: true } })
    const step = await tx.projectStep.create({
      data: {
        organizationId: scope.organizationId,
        projectId: phase.projectId,
        phaseId: phase.id,
        position: (last._max.position ?? 0) + 1,
        title: input.title,
        description: input.description ?? null,
        plannedStart: phase.plannedStart,
        plannedEnd: phase.plannedEnd,
      },
    })
    await syncRaciActivities(scope, phase.projectId, { tx }) // the new step's RACI row
    await auditInScope(scope, { action: 'project.step_added', targetType: 'project', targetId: phase.projectId, targetLabel: `${phase.project.name}: ${step.title}`, metadata: { stepId: step.id, phase: phase.kind } }, { tx })
    return step
  })
}

/** Moves a step one place up or down within its phase. */
export async function moveStep(scope: TenantScope, input: { stepId: string; direction: 'up' | 'down' }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const step = await tx.projectStep.findFirst({ where: { id: input.stepId, organizationId: scope.organizationId } })
    if (!step) return null
    const neighbour = await tx.projectStep.findFirst({
      where: { phaseId: step.phaseId, organizationId: scope.organizationId, position: input.direction === 'up' ? { lt: step.position } : { gt: step.position } },
      orderBy: { position: input.direction === 'up' ? 'desc' : 'asc' },
    })
    if (!neighbour) return step
    await tx.projectStep.update({ where: { id: step.id }, data: { position: neighbour.position } })
    await tx.projectStep.update({ where: { id: neighbour.id }, data: { position: step.position } })
    await auditInScope(scope, { action: 'project.step_moved', targetType: 'project', targetId: step.projectId, targetLabel: step.title, metadata: { stepId: step.id, direction: input.direction } }, { tx })
    return step
  })
}

/** Deletes a custom step (a standard step is skipped with a reason instead, so the plan shows it was considered). */
export async function deleteStep(scope: TenantScope, input: { stepId: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const step = await tx.projectStep.findFirst({ where: { id: input.stepId, organizationId: scope.organizationId } })
    if (!step) return null
    if (step.standardKey) throw new DomainError('RULE_VIOLATION', 'A standard step is not deleted: skip it with a reason, so the plan shows it was considered.')
    await tx.projectStep.deleteMany({ where: { id: step.id, organizationId: scope.organizationId } })
    await auditInScope(scope, { action: 'project.step_deleted', targetType: 'project', targetId: step.projectId, targetLabel: step.title, metadata: { stepId: step.id } }, { tx })
    return step
  })
}

async function copyBaseline(tx: Tx, scope: TenantScope, projectId: string) {
  const org = scope.organizationId
  // One statement per table: every phase's and step's planned dates become its baseline.
  await tx.$executeRaw`UPDATE "ProjectPhase" SET "baselineStart" = "plannedStart", "baselineEnd" = "plannedEnd" WHERE "projectId" = ${projectId} AND "organizationId" = ${org}`
  await tx.$executeRaw`UPDATE "ProjectStep" SET "baselineStart" = "plannedStart", "baselineEnd" = "plannedEnd" WHERE "projectId" = ${projectId} AND "organizationId" = ${org}`
  return tx.project.update({ where: { id: projectId }, data: { baselineSetAt: new Date() } })
}

/** "Set baseline": today's plan becomes the one the timeline compares against. */
export async function setBaseline(scope: TenantScope, input: { projectId: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const project = await tx.project.findFirst({ where: { id: input.projectId, organizationId: scope.organizationId }, select: { id: true, name: true, baselineSetAt: true } })
    if (!project) return null
    const updated = await copyBaseline(tx, scope, project.id)
    await auditInScope(scope, { action: 'project.baseline_set', targetType: 'project', targetId: project.id, targetLabel: project.name, metadata: { previous: project.baselineSetAt?.toISOString() ?? null } }, { tx })
    return updated
  })
}

/**
 * THE transition into phase 4, deployment & training: testing & validation must be done (or
 * its open steps skipped), and the go-live gate open (its readiness checks pass, or are exempted,
 * or the project's accountable person has overridden it).
 */
export async function startDeployment(scope: TenantScope, input: { projectId: string }, options: Options & { now?: Date } = {}) {
  return inTx(options, async (tx) => {
    const project = await tx.project.findFirst({ where: { id: input.projectId, organizationId: scope.organizationId }, include: { phases: { include: { steps: { orderBy: { position: 'asc' } } } } } })
    if (!project) return null
    const deployment = project.phases.find((p) => p.kind === 'deployment')!
    if (deployment.status !== 'not_started') throw new DomainError('CONFLICT', 'Deployment & training has already started.')
    // In plan order (phases, then steps), so the refusal names the first unfinished steps first.
    const earlier = project.phases.filter((p) => PHASE_ORDER.indexOf(p.kind) < PHASE_ORDER.indexOf('deployment')).sort((a, b) => PHASE_ORDER.indexOf(a.kind) - PHASE_ORDER.indexOf(b.kind))
    const open = earlier.flatMap((p) => p.steps.filter((s) => s.status !== 'done' && s.status !== 'skipped').map((s) => `${PHASES[p.kind]}: ${s.title}`))
    if (open.length) throw new DomainError('RULE_VIOLATION', `Finish or skip (with a reason) the steps before deployment first: ${open.slice(0, 5).join('; ')}${open.length > 5 ? ` and ${open.length - 5} more` : ''}.`)
    // The go-live gate (app/models/readiness/gate.server.ts): its readiness checks, an exemption or an override.
    await assertGateOpen(scope, { projectId: project.id }, { tx, now: options.now, path: 'start_deployment' })
    const today = dateOf(todayIn(scope))
    await tx.projectPhase.updateMany({ where: { projectId: project.id, organizationId: scope.organizationId, kind: { in: earlier.map((p) => p.kind) }, status: { not: 'done' } }, data: { status: 'done' } })
    await tx.projectPhase.update({ where: { id: deployment.id }, data: { status: 'in_progress', actualStart: today } })
    if (project.status === 'planned') await tx.project.update({ where: { id: project.id }, data: { status: 'active' } })
    await auditInScope(scope, { action: 'project.deployment_started', targetType: 'project', targetId: project.id, targetLabel: project.name }, { tx })
    return project
  })
}

// ───────────────────────────── what the pages show ─────────────────────────────

const spanOf = (r: { plannedStart: Date | null; plannedEnd: Date | null; baselineStart: Date | null; baselineEnd: Date | null; actualStart: Date | null; actualEnd: Date | null }) => ({
  planned: { start: dayOf(r.plannedStart), end: dayOf(r.plannedEnd) },
  baseline: { start: dayOf(r.baselineStart), end: dayOf(r.baselineEnd) },
  actual: { start: dayOf(r.actualStart), end: dayOf(r.actualEnd) },
})
const personView = (p: { id: string; status: string; user: { name: string } } | null) => (p ? { id: p.id, name: p.user.name, inactive: p.status !== 'active' } : null)

/** A project as its pages show it: days instead of instants, and the timeline's rows. */
export function projectView(p: ProjectDetail) {
  const phases = p.phases.map((ph) => ({
    id: ph.id,
    kind: ph.kind,
    status: ph.status,
    owner: personView(ph.owner),
    ...spanOf(ph),
    steps: ph.steps.map((s) => ({
      id: s.id,
      title: s.title,
      description: s.description,
      standardKey: s.standardKey,
      status: s.status,
      skipReason: s.skipReason,
      owner: personView(s.owner),
      ...spanOf(s),
    })),
  }))
  const timeline = phases.flatMap((ph) => [
    { id: ph.id, kind: 'phase' as const, label: PHASES[ph.kind], status: ph.status, planned: ph.planned, baseline: ph.baseline, actual: ph.actual },
    ...ph.steps.map((s) => ({ id: s.id, kind: 'step' as const, label: s.title, status: s.status, planned: s.planned, baseline: s.baseline, actual: s.actual })),
  ])
  return {
    id: p.id,
    name: p.name,
    goal: p.goal,
    benefits: p.benefits,
    approach: p.approach,
    approachReason: p.approachReason,
    status: p.status,
    owner: personView(p.owner),
    ownerId: p.ownerId,
    startDate: dayOf(p.startDate)!,
    targetGoLive: dayOf(p.targetGoLive)!,
    baselineSetAt: p.baselineSetAt?.toISOString() ?? null,
    phase: p.phase,
    health: p.health,
    reasons: p.reasons,
    testingShare: p.testingShare,
    today: p.today,
    interfaces: p.interfaces,
    systems: p.systems,
    phases,
    timeline,
    // The target go-live and each wave's (pilot first): the timeline draws them, its table lists them.
    milestones: [
      { id: 'go-live', label: 'Go-live', day: dayOf(p.targetGoLive)!, status: null, actual: null },
      ...p.waves.flatMap((w) => (w.goLive ? [{ id: w.id, label: waveMilestoneLabel(w), day: dayOf(w.goLive)!, status: w.status, actual: dayOf(w.wentLiveOn) }] : [])),
    ],
  }
}

/** The inventory a project's scope is picked from. */
export async function listScopeOptions(scope: TenantScope) {
  const [systems, interfaces] = await Promise.all([
    prisma.system.findMany({ where: { organizationId: scope.organizationId }, select: { id: true, name: true, kind: true }, orderBy: { name: 'asc' } }),
    prisma.interface.findMany({
      where: { organizationId: scope.organizationId },
      select: { id: true, name: true, source: { select: { name: true } }, target: { select: { name: true } } },
      orderBy: { name: 'asc' },
    }),
  ])
  return { systems, interfaces: interfaces.map((i) => ({ id: i.id, name: i.name, sourceName: i.source.name, targetName: i.target.name })) }
}
