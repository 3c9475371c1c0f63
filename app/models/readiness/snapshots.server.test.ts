/**
 * Readiness snapshots: by hand (gonogo:write, audited), and the scheduled ones 120/90/60/30 days
 * before each wave's go-live — idempotent (a second run takes nothing), catching up only the
 * nearest missed offset, with an injected clock; through the job's processor too.
 */
import { Job } from 'bullmq'
import { describe, expect, test } from 'vitest'
import { addDays } from '#app/models/projects/plan.ts'
import { prisma } from '#app/utils/db.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { DEFAULT_JOB_OPTIONS, getQueue } from '#app/utils/queue.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { readyProject } from '#tests/readiness-factories.ts'
import { readinessSnapshotsJob } from '#jobs/readiness/snapshots.job.ts'
import { processReadinessSnapshots } from '#jobs/readiness/snapshots.processor.ts'
import { projectReadiness } from './readiness.server.ts'
import { dueSnapshots, listSnapshots, takeScheduledSnapshots, takeSnapshot } from './snapshots.server.ts'

/** Mid-afternoon UTC: the same calendar day in the test organisation's zone (UTC). */
const at = (day: string) => new Date(`${day}T15:00:00Z`)
const GO_LIVE = '2027-06-30'

/** A ready project (active) whose pilot goes live on GO_LIVE, with a second wave 30 days later. */
async function setup(now = at(addDays(GO_LIVE, -100))) {
  const { org, scope } = await createOrgWithOwner()
  const ready = await readyProject({ org, ownerScope: scope, now })
  await prisma.project.update({ where: { id: ready.project.id }, data: { status: 'active' } })
  await prisma.projectWave.update({ where: { id: ready.pilot.id }, data: { goLive: new Date(`${GO_LIVE}T00:00:00Z`) } })
  const wave = await prisma.projectWave.create({ data: { organizationId: org.id, projectId: ready.project.id, kind: 'expansion', name: `Wave 1 ${uniqueSuffix()}`, position: 1, units: ['ICU'], goLive: new Date(`${addDays(GO_LIVE, 30)}T00:00:00Z`) } })
  return { org, scope, ready, wave, system: systemScope(org.id) }
}

const scheduled = (projectId: string) =>
  prisma.readinessSnapshot.findMany({ where: { projectId, kind: 'scheduled' }, orderBy: [{ takenAt: 'asc' }, { daysBefore: 'desc' }], select: { waveId: true, daysBefore: true, takenAt: true, scorePct: true } })

describe('which snapshots are due (pure)', () => {
  const wave = (taken: number[] = []) => [{ id: 'w', goLive: GO_LIVE, taken }]
  test('nothing before 120 days; the nearest offset reached; nothing once taken; nothing after go-live', () => {
    expect(dueSnapshots(wave(), addDays(GO_LIVE, -121))).toEqual([])
    expect(dueSnapshots(wave(), addDays(GO_LIVE, -120))).toEqual([{ waveId: 'w', daysBefore: 120 }])
    expect(dueSnapshots(wave(), addDays(GO_LIVE, -95))).toEqual([{ waveId: 'w', daysBefore: 120 }])
    expect(dueSnapshots(wave([120]), addDays(GO_LIVE, -95))).toEqual([])
    // 58 days before with none taken: the 60 one only (never back-filled 120 and 90).
    expect(dueSnapshots(wave(), addDays(GO_LIVE, -58))).toEqual([{ waveId: 'w', daysBefore: 60 }])
    expect(dueSnapshots(wave([120, 90, 60]), addDays(GO_LIVE, -1))).toEqual([{ waveId: 'w', daysBefore: 30 }])
    expect(dueSnapshots(wave(), addDays(GO_LIVE, 1))).toEqual([])
    expect(dueSnapshots([{ id: 'w', goLive: null, taken: [] }], GO_LIVE)).toEqual([])
  })
})

describe('the scheduled snapshots', () => {
  test('run twice the same day: one snapshot per wave and offset', async () => {
    const s = await setup()
    // The pilot 85 days away (its 90 one), the second wave 115 days away (its 120 one).
    const now = at(addDays(GO_LIVE, -85))
    expect(await takeScheduledSnapshots(s.system, {}, { now })).toMatchObject({ taken: 2 })
    expect(await takeScheduledSnapshots(s.system, {}, { now })).toMatchObject({ taken: 0 })
    // Two runs at once insert one row each too (the unique key, not a read-then-write).
    await Promise.all([takeScheduledSnapshots(s.system, {}, { now }), takeScheduledSnapshots(s.system, {}, { now })])
    const rows = await scheduled(s.ready.project.id)
    expect(rows.map((r) => [r.waveId, r.daysBefore])).toEqual([
      [s.wave.id, 120],
      [s.ready.pilot.id, 90],
    ])
    const card = (await projectReadiness(s.scope, { projectId: s.ready.project.id }, { now }))!
    expect(rows.every((r) => r.scorePct === card.scorePct)).toBe(true)
  })

  test('with an injected clock at 95 days before: the 120 offset, once, then the 90 on its day', async () => {
    const s = await setup()
    await takeScheduledSnapshots(s.system, {}, { now: at(addDays(GO_LIVE, -95)) })
    await takeScheduledSnapshots(s.system, {}, { now: at(addDays(GO_LIVE, -95)) })
    await takeScheduledSnapshots(s.system, {}, { now: at(addDays(GO_LIVE, -94)) })
    const pilot = async () => (await scheduled(s.ready.project.id)).filter((r) => r.waveId === s.ready.pilot.id).map((r) => r.daysBefore)
    expect(await pilot()).toEqual([120])
    await takeScheduledSnapshots(s.system, {}, { now: at(addDays(GO_LIVE, -90)) })
    expect(await pilot()).toEqual([120, 90])
    const ninety = (await scheduled(s.ready.project.id)).find((r) => r.waveId === s.ready.pilot.id && r.daysBefore === 90)!
    expect(ninety.takenAt.toISOString()).toBe(at(addDays(GO_LIVE, -90)).toISOString())
  })

  test('at 58 days before with none taken: only the 60 one (no back-fill of 120 and 90)', async () => {
    const s = await setup()
    await takeScheduledSnapshots(s.system, {}, { now: at(addDays(GO_LIVE, -58)) })
    const rows = await scheduled(s.ready.project.id)
    expect(rows.filter((r) => r.waveId === s.ready.pilot.id).map((r) => r.daysBefore)).toEqual([60])
    // The second wave (go-live 30 days later, so 88 days away): its 90 one.
    expect(rows.filter((r) => r.waveId === s.wave.id).map((r) => r.daysBefore)).toEqual([90])
  })

  test('no snapshot for a live wave, a project on hold or done, or a wave beyond 120 days', async () => {
    const s = await setup()
    await prisma.projectWave.update({ where: { id: s.ready.pilot.id }, data: { status: 'live' } })
    await prisma.projectWave.update({ where: { id: s.wave.id }, data: { goLive: new Date(`${addDays(GO_LIVE, 200)}T00:00:00Z`) } })
    expect(await takeScheduledSnapshots(s.system, {}, { now: at(addDays(GO_LIVE, -30)) })).toMatchObject({ taken: 0 })
    await prisma.projectWave.update({ where: { id: s.ready.pilot.id }, data: { status: 'planned' } })
    for (const status of ['on_hold', 'done', 'cancelled'] as const) {
      await prisma.project.update({ where: { id: s.ready.project.id }, data: { status } })
      expect(await takeScheduledSnapshots(s.system, {}, { now: at(addDays(GO_LIVE, -30)) })).toMatchObject({ taken: 0 })
    }
    expect(await scheduled(s.ready.project.id)).toEqual([])
  })

  test('through the job’s processor: per organisation, twice the same day takes nothing more, and the other organisation is untouched', async () => {
    // Real clock here (the processor's): the pilot 100 days away.
    const today = new Date().toISOString().slice(0, 10)
    const [a, b] = [await setup(), await setup()]
    for (const x of [a, b]) await prisma.projectWave.update({ where: { id: x.ready.pilot.id }, data: { goLive: new Date(`${addDays(today, 100)}T00:00:00Z`) } })
    const run = async (organizationId?: string) => {
      const job = new Job(getQueue('readiness'), readinessSnapshotsJob.name, readinessSnapshotsJob.schema.parse({ organizationId }), { ...DEFAULT_JOB_OPTIONS }, `t-${uniqueSuffix()}`)
      return processReadinessSnapshots(job, { mailTransport: () => null, log: logger })
    }
    expect(await run(a.org.id)).toMatchObject({ taken: 1 })
    expect(await run(a.org.id)).toMatchObject({ taken: 0 })
    expect((await scheduled(a.ready.project.id)).map((r) => r.daysBefore)).toEqual([120])
    expect(await scheduled(b.ready.project.id)).toEqual([])
    await expect(
      processReadinessSnapshots(new Job(getQueue('readiness'), readinessSnapshotsJob.name, { organizationId: 42 }, { ...DEFAULT_JOB_OPTIONS }, `t-${uniqueSuffix()}`), { mailTransport: () => null, log: logger }),
    ).rejects.toThrow()
  })
})

describe('a snapshot by hand', () => {
  test('a manager takes one now (audited); staff may not; another organisation’s project is not found', async () => {
    const s = await setup()
    const now = at(addDays(GO_LIVE, -40))
    const row = (await takeSnapshot(s.scope, { projectId: s.ready.project.id, kind: 'manual' }, { now }))!
    const card = (await projectReadiness(s.scope, { projectId: s.ready.project.id }, { now }))!
    expect(row).toMatchObject({ kind: 'manual', daysBefore: null, waveId: null, level: card.level ?? 'none', scorePct: card.scorePct })
    expect((row.checks as { key: string; status: string }[]).map((c) => [c.key, c.status])).toEqual(card.checks.map((c) => [c.key, c.status]))
    expect(await prisma.auditEvent.count({ where: { organizationId: s.org.id, action: 'readiness.snapshot_taken', targetId: s.ready.project.id } })).toBe(1)
    // Two by hand the same moment are two points (only scheduled ones are keyed by wave and offset).
    await takeSnapshot(s.scope, { projectId: s.ready.project.id, kind: 'manual' }, { now })
    expect((await listSnapshots(s.scope, { projectId: s.ready.project.id })).map((x) => x.kind)).toEqual(['manual', 'manual'])
    const staff = await createTestUser()
    await addMember(s.org, staff, 'staff')
    await expectDomainError(takeSnapshot(await scopeFor(s.org, staff), { projectId: s.ready.project.id, kind: 'manual' }), 'FORBIDDEN')
    const other = await createOrgWithOwner()
    expect(await takeSnapshot(other.scope, { projectId: s.ready.project.id, kind: 'manual' })).toBeNull()
    expect(await takeSnapshot(s.scope, { projectId: s.ready.project.id, kind: 'manual', waveId: (await setup()).wave.id })).toBeNull()
    expect(await listSnapshots(other.scope, { projectId: s.ready.project.id })).toEqual([])
    expect(await takeScheduledSnapshots(systemScope(other.org.id), {}, { now: at(addDays(GO_LIVE, -100)) })).toMatchObject({ taken: 0 })
    expect(await scheduled(s.ready.project.id)).toEqual([])
  })
})
