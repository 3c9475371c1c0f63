/**
 * A project's pilot group and expansion waves: which units (and, for the pilot, which named
 * members) go live when, in order, and how ready each wave is — the training completion of its
 * people and the mapping coverage of the project's scope. Scope first, input second, `{ tx }`
 * last (ADR 021, 022); every write audited in the organisation's chain.
 *
 * Rules (each a field error): at most one pilot; an expansion wave goes live after the pilot;
 * no wave before the project starts; names unique within the project; a unit in one wave of a
 * project only (compared as the training rules compare units: trimmed, case-insensitive);
 * named members are active members of this organisation. Waves go live in order: none before
 * the pilot, none before an earlier wave.
 *
 * A project's (or a wave's) *group* — the people the training figures are computed over — is
 * the active members whose unit is one of its units, plus its named members (`projectGroup`).
 */
import { Prisma } from '#app/generated/prisma/client.ts'
import { getMappingOverview } from '#app/models/mapping/mapping.server.ts'
import { percent, type Coverage } from '#app/models/mapping/mapping.ts'
import { groupCompletion } from '#app/models/training/training-report.server.ts'
import { inTx, prisma, type Db, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope, diffFields } from '../audit/audit.server.ts'
import { assertGateOpen } from '../readiness/gate.server.ts'
import { dateOf, dayOf, formatDay, type Day } from './plan.ts'
import { todayIn } from './projects.server.ts'
import type { WaveInput } from './schemas.ts'

type Options = TxOption

const unitKey = (u: string) => u.trim().toLowerCase()

// ───────────────────────────── reading ─────────────────────────────

const waveSelect = {
  id: true,
  kind: true,
  name: true,
  position: true,
  units: true,
  goLive: true,
  status: true,
  wentLiveOn: true,
  notes: true,
  members: { select: { membership: { select: { id: true, unit: true, role: true, status: true, user: { select: { name: true } } } } }, orderBy: { membership: { user: { name: 'asc' } } } },
} satisfies Prisma.ProjectWaveSelect

/** The waves in go-live order (the pilot first), as the pages show them. */
function waveView(w: Prisma.ProjectWaveGetPayload<{ select: typeof waveSelect }>) {
  return {
    id: w.id,
    kind: w.kind,
    name: w.name,
    position: w.position,
    units: w.units,
    goLive: dayOf(w.goLive),
    status: w.status,
    wentLiveOn: dayOf(w.wentLiveOn),
    notes: w.notes,
    members: w.members.map((m) => ({ id: m.membership.id, name: m.membership.user.name, unit: m.membership.unit, role: m.membership.role, inactive: m.membership.status !== 'active' })),
  }
}
export type WaveView = ReturnType<typeof waveView>

const byGoLive = (a: { kind: string; goLive: Day | null; position: number }, b: typeof a) =>
  (a.kind === 'pilot' ? -1 : 0) - (b.kind === 'pilot' ? -1 : 0) || (a.goLive ?? '9999').localeCompare(b.goLive ?? '9999') || a.position - b.position

/** A project with its waves, or null when the project is not this organisation's. */
export async function listWaves(scope: TenantScope, projectId: string) {
  const project = await prisma.project.findFirst({
    where: { id: projectId, organizationId: scope.organizationId },
    select: { id: true, name: true, startDate: true, targetGoLive: true, waves: { select: waveSelect } },
  })
  if (!project) return null
  return {
    id: project.id,
    name: project.name,
    startDate: dayOf(project.startDate)!,
    targetGoLive: dayOf(project.targetGoLive)!,
    waves: project.waves.map(waveView).sort(byGoLive),
  }
}

/** The units a wave can be made of: those of the organisation's members and the units its systems serve. */
export async function listUnitChoices(scope: TenantScope) {
  const rows = await prisma.$queryRaw<{ unit: string }[]>`
    SELECT min(u) AS unit FROM (
      SELECT btrim("unit") AS u FROM "Membership" WHERE "organizationId" = ${scope.organizationId} AND "status" = 'active' AND "unit" IS NOT NULL
      UNION ALL
      SELECT btrim(s) AS u FROM "System", unnest("unitsServed") AS s WHERE "organizationId" = ${scope.organizationId}
    ) x WHERE u <> '' GROUP BY lower(u) ORDER BY lower(min(u))`
  return rows.map((r) => r.unit)
}

/** The projects (with their waves) a report can be filtered by. */
export function listProjectFilterOptions(scope: TenantScope) {
  return prisma.project.findMany({
    where: { organizationId: scope.organizationId },
    select: { id: true, name: true, waves: { select: { id: true, name: true, kind: true }, orderBy: { position: 'asc' } } },
    orderBy: { name: 'asc' },
  })
}

export type ProjectGroup = {
  project: { id: string; name: string }
  wave: { id: string; name: string; kind: string } | null
  /** The units of the waves (as written in the first wave naming them). */
  units: string[]
  /** The active members in those units and the named members: the people the figures count. */
  membershipIds: string[]
  /** The project's scope: the interfaces the coverage is computed over. */
  interfaceIds: string[]
}

/**
 * The people and interfaces of a project (every wave) or of one of its waves; null when the
 * project is not this organisation's, or the wave not this project's. The scope's interfaces
 * are the project's: every wave goes live on the same integration.
 */
export async function projectGroup(scope: TenantScope, filter: { projectId: string; waveId?: string }): Promise<ProjectGroup | null> {
  const project = await prisma.project.findFirst({
    where: { id: filter.projectId, organizationId: scope.organizationId },
    select: {
      id: true,
      name: true,
      interfaces: { select: { interfaceId: true } },
      waves: { select: { id: true, name: true, kind: true, units: true, position: true, members: { select: { membershipId: true } } }, orderBy: { position: 'asc' } },
    },
  })
  if (!project) return null
  const wave = filter.waveId ? project.waves.find((w) => w.id === filter.waveId) : undefined
  if (filter.waveId && !wave) return null
  const waves = wave ? [wave] : project.waves
  const units = new Map<string, string>()
  for (const w of waves) for (const u of w.units) if (!units.has(unitKey(u))) units.set(unitKey(u), u)
  const named = waves.flatMap((w) => w.members.map((m) => m.membershipId))
  const keys = [...units.keys()]
  const inUnits = keys.length
    ? await prisma.$queryRaw<{ id: string }[]>`
        SELECT "id" FROM "Membership"
         WHERE "organizationId" = ${scope.organizationId} AND "status" = 'active' AND lower(btrim("unit")) = ANY(${keys}::text[])`
    : []
  const active = named.length
    ? await prisma.membership.findMany({ where: { organizationId: scope.organizationId, status: 'active', id: { in: named } }, select: { id: true } })
    : []
  return {
    project: { id: project.id, name: project.name },
    wave: wave ? { id: wave.id, name: wave.name, kind: wave.kind } : null,
    units: [...units.values()],
    membershipIds: [...new Set([...inUnits.map((m) => m.id), ...active.map((m) => m.id)])],
    interfaceIds: project.interfaces.map((i) => i.interfaceId),
  }
}

export type GroupTraining = Awaited<ReturnType<typeof groupCompletion>>

/** The coverage of a project's scope, summed over each interface's current mapping version. */
export async function scopeCoverage(scope: TenantScope, interfaceIds: string[]) {
  const overview = await getMappingOverview(scope, { interfaceIds })
  return { ...overview, requiredPct: percent(overview.totals.requiredApproved, overview.totals.requiredRows), codesPct: percent(overview.totals.codeMapsMapped, overview.totals.codeMaps) }
}

/** Each wave's readiness (the training of its people) and the scope's coverage, which every wave shares. */
export async function waveReadiness(scope: TenantScope, projectId: string, options: { now?: Date } = {}) {
  const now = options.now ?? new Date()
  const project = await listWaves(scope, projectId)
  if (!project) return null
  const all = await projectGroup(scope, { projectId })
  const perWave = new Map<string, GroupTraining>()
  for (const w of project.waves) {
    const group = (await projectGroup(scope, { projectId, waveId: w.id }))!
    perWave.set(w.id, await groupCompletion(scope, group.membershipIds, { now }))
  }
  const coverage = await scopeCoverage(scope, all!.interfaceIds)
  return {
    training: Object.fromEntries(perWave),
    project: await groupCompletion(scope, all!.membershipIds, { now }),
    coverage: { totals: coverage.totals as Coverage, interfaces: coverage.items.length, withoutMapping: coverage.interfacesWithoutMapping, requiredPct: coverage.requiredPct, codesPct: coverage.codesPct },
  }
}

// ───────────────────────────── writing ─────────────────────────────

type WaveRow = { id: string; kind: 'pilot' | 'expansion'; name: string; units: string[]; goLive: Date | null; status: 'planned' | 'live'; position: number }

async function projectFor(tx: Tx, scope: TenantScope, projectId: string) {
  // FOR UPDATE on the project: two saves of its waves at once see each other's rules (one pilot, a unit in one wave).
  const rows = await tx.$queryRaw<{ id: string; name: string; startDate: Date }[]>`
    SELECT "id", "name", "startDate" FROM "Project" WHERE "id" = ${projectId} AND "organizationId" = ${scope.organizationId} FOR UPDATE`
  return rows[0] ?? null
}

async function assertMembers(db: Db, scope: TenantScope, ids: string[]) {
  if (!ids.length) return
  const found = await db.membership.count({ where: { organizationId: scope.organizationId, status: 'active', id: { in: ids } } })
  if (found !== ids.length) throw new DomainError('RULE_VIOLATION', 'Choose active members of this organisation.', 'memberIds')
}

/** The rules a wave must keep against the project and its other waves; each broken one is a field error. */
function assertWaveHolds(project: { startDate: Date }, others: WaveRow[], input: WaveInput & { kind: 'pilot' | 'expansion' }) {
  const start = dayOf(project.startDate)!
  if (input.goLive < start) throw new DomainError('RULE_VIOLATION', `The go-live comes on or after the project’s start (${formatDay(start)}).`, 'goLive')
  const clash = others.find((w) => w.name.toLowerCase() === input.name.toLowerCase())
  if (clash) throw new DomainError('CONFLICT', 'This project already has a wave of this name.', 'name')
  const pilot = others.find((w) => w.kind === 'pilot')
  if (input.kind === 'pilot' && pilot) throw new DomainError('CONFLICT', `This project already has its pilot (“${pilot.name}”): a project has one pilot group.`, 'kind')
  if (input.kind === 'expansion' && pilot?.goLive && input.goLive <= dayOf(pilot.goLive)!) {
    throw new DomainError('RULE_VIOLATION', `An expansion wave goes live after the pilot (“${pilot.name}” goes live ${formatDay(dayOf(pilot.goLive))}).`, 'goLive')
  }
  if (input.kind === 'pilot') {
    const early = others.filter((w) => w.kind === 'expansion' && w.goLive && dayOf(w.goLive)! <= input.goLive).sort((a, b) => a.goLive!.getTime() - b.goLive!.getTime())[0]
    if (early) throw new DomainError('RULE_VIOLATION', `The pilot goes live before every expansion wave (“${early.name}” goes live ${formatDay(dayOf(early.goLive))}).`, 'goLive')
  }
  const taken = new Map(others.flatMap((w) => w.units.map((u) => [unitKey(u), w] as const)))
  for (const u of input.units) {
    const other = taken.get(unitKey(u))
    if (other) throw new DomainError('RULE_VIOLATION', `${u} is already in “${other.name}”: a unit goes live in one wave of a project.`, 'units')
  }
}

/** Positions follow the go-live order: the pilot 0, expansion waves 1, 2, … */
async function renumber(tx: Tx, scope: TenantScope, projectId: string) {
  const waves = await tx.projectWave.findMany({ where: { projectId, organizationId: scope.organizationId }, select: { id: true, kind: true, goLive: true, position: true, name: true } })
  const sorted = waves.map((w) => ({ ...w, goLive: dayOf(w.goLive) })).sort(byGoLive)
  let n = 1
  for (const w of sorted) {
    const position = w.kind === 'pilot' ? 0 : n++
    if (position !== w.position) await tx.projectWave.updateMany({ where: { id: w.id, organizationId: scope.organizationId }, data: { position } })
  }
}

async function setMembers(tx: Tx, scope: TenantScope, waveId: string, memberIds: string[]) {
  await tx.projectWaveMember.deleteMany({ where: { waveId, organizationId: scope.organizationId, membershipId: { notIn: memberIds } } })
  const have = new Set((await tx.projectWaveMember.findMany({ where: { waveId, organizationId: scope.organizationId }, select: { membershipId: true } })).map((m) => m.membershipId))
  const add = memberIds.filter((id) => !have.has(id))
  if (add.length) await tx.projectWaveMember.createMany({ data: add.map((membershipId) => ({ organizationId: scope.organizationId, waveId, membershipId })) })
}

const waveRows = (tx: Tx, scope: TenantScope, projectId: string) =>
  tx.projectWave.findMany({ where: { projectId, organizationId: scope.organizationId }, select: { id: true, kind: true, name: true, units: true, goLive: true, status: true, position: true } })

export async function createWave(scope: TenantScope, input: WaveInput & { projectId: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const project = await projectFor(tx, scope, input.projectId)
    if (!project) return null
    const others = await waveRows(tx, scope, project.id)
    assertWaveHolds(project, others, input)
    await assertMembers(tx, scope, input.memberIds)
    const wave = await tx.projectWave.create({
      data: {
        organizationId: scope.organizationId,
        projectId: project.id,
        kind: input.kind,
        name: input.name,
        position: input.kind === 'pilot' ? 0 : others.filter((w) => w.kind === 'expansion').length + 1,
        units: input.units,
        goLive: dateOf(input.goLive),
        notes: input.notes ?? null,
      },
    })
    await setMembers(tx, scope, wave.id, input.memberIds)
    await renumber(tx, scope, project.id)
    await auditInScope(scope, {
      action: 'project.wave_added',
      targetType: 'project',
      targetId: project.id,
      targetLabel: `${project.name}: ${wave.name}`,
      metadata: { waveId: wave.id, kind: wave.kind, units: input.units, goLive: input.goLive, members: input.memberIds.length },
    }, { tx })
    return wave
  })
}

export async function updateWave(scope: TenantScope, input: WaveInput & { waveId: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const before = await tx.projectWave.findFirst({ where: { id: input.waveId, organizationId: scope.organizationId }, include: { members: { select: { membershipId: true } } } })
    if (!before) return null
    const project = (await projectFor(tx, scope, before.projectId))!
    const others = (await waveRows(tx, scope, project.id)).filter((w) => w.id !== before.id)
    // The kind is chosen when the wave is added: the pilot stays the pilot.
    assertWaveHolds(project, others, { ...input, kind: before.kind })
    await assertMembers(tx, scope, input.memberIds)
    const data = { name: input.name, units: input.units, goLive: dateOf(input.goLive), notes: input.notes ?? null }
    const changes: Record<string, unknown> = diffFields(
      { name: before.name, units: before.units.join(', '), goLive: dayOf(before.goLive), notes: before.notes },
      { name: data.name, units: data.units.join(', '), goLive: input.goLive, notes: data.notes },
    )
    const had = new Set(before.members.map((m) => m.membershipId))
    const added = input.memberIds.filter((id) => !had.has(id)).length
    const removed = [...had].filter((id) => !input.memberIds.includes(id)).length
    if (added || removed) changes.members = { added, removed }
    if (!Object.keys(changes).length) return before
    const wave = await tx.projectWave.update({ where: { id: before.id }, data })
    await setMembers(tx, scope, wave.id, input.memberIds)
    await renumber(tx, scope, project.id)
    await auditInScope(scope, { action: 'project.wave_updated', targetType: 'project', targetId: project.id, targetLabel: `${project.name}: ${wave.name}`, metadata: { waveId: wave.id, changes } }, { tx })
    return wave
  })
}

export async function deleteWave(scope: TenantScope, input: { waveId: string }, options: Options = {}) {
  return inTx(options, async (tx) => {
    const wave = await tx.projectWave.findFirst({ where: { id: input.waveId, organizationId: scope.organizationId }, include: { project: { select: { name: true } } } })
    if (!wave) return null
    await tx.projectWave.deleteMany({ where: { id: wave.id, organizationId: scope.organizationId } })
    await renumber(tx, scope, wave.projectId)
    await auditInScope(scope, {
      action: 'project.wave_removed',
      targetType: 'project',
      targetId: wave.projectId,
      targetLabel: `${wave.project.name}: ${wave.name}`,
      metadata: { waveId: wave.id, kind: wave.kind, status: wave.status, units: wave.units },
    }, { tx })
    return wave
  })
}

/**
 * Planned → live, today in the organisation's zone. In order: the pilot first, then each wave
 * after every wave planned to go live before it; and only through the project's go-live gate.
 */
export async function markWaveLive(scope: TenantScope, input: { waveId: string }, options: Options & { now?: Date } = {}) {
  return inTx(options, async (tx) => {
    const wave = await tx.projectWave.findFirst({ where: { id: input.waveId, organizationId: scope.organizationId } })
    if (!wave) return null
    const project = (await projectFor(tx, scope, wave.projectId))!
    if (wave.status === 'live') throw new DomainError('CONFLICT', `“${wave.name}” is already live.`)
    if (wave.kind === 'expansion') {
      const others = await waveRows(tx, scope, project.id)
      const pilot = others.find((w) => w.kind === 'pilot')
      if (pilot && pilot.status !== 'live') throw new DomainError('RULE_VIOLATION', `The pilot (“${pilot.name}”) goes live first: an expansion wave cannot go live before it.`)
      const earlier = others.find((w) => w.kind === 'expansion' && w.id !== wave.id && w.status !== 'live' && w.position < wave.position)
      if (earlier) throw new DomainError('RULE_VIOLATION', `Waves go live in order: “${earlier.name}” is planned before this one and is not live yet.`)
    }
    // The go-live gate (app/models/readiness/gate.server.ts): no wave goes live while the project's gate is closed.
    await assertGateOpen(scope, { projectId: project.id }, { tx, now: options.now, path: 'wave_live', what: wave.name })
    const today = todayIn(scope)
    const live = await tx.projectWave.update({ where: { id: wave.id }, data: { status: 'live', wentLiveOn: dateOf(today) } })
    await auditInScope(scope, { action: 'project.wave_live', targetType: 'project', targetId: project.id, targetLabel: `${project.name}: ${wave.name}`, metadata: { waveId: wave.id, kind: wave.kind, wentLiveOn: today, planned: dayOf(wave.goLive) } }, { tx })
    return live
  })
}
