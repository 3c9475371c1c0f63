/**
 * Every job processor of jobs/registry.ts, run for one organisation, changes no row of another.
 *
 * Two organisations are seeded alike with the factories (members in a ward, a training module
 * whose rule covers the ward, assignments overdue and due soon, a completion about to expire,
 * outbox emails), so a job for A has real work in both. Each job is run for A, through its
 * processor as the worker would call it (a real BullMQ job on the real queue), and every row of
 * B in every table with an `organizationId` — found in information_schema, so a new tenant
 * table is covered without a change here — must be as it was. A job that did nothing in A
 * would prove nothing: each case says whether A must change.
 *
 * A job added to the registry without a case fails "has a case for every job".
 */
import { Job } from 'bullmq'
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { DEFAULT_JOB_OPTIONS, getQueue } from '#app/utils/queue.server.ts'
import { createOrgWithOwner, uniqueSuffix } from '#tests/factories.ts'
import { assign, createModule, createStaff, daysFrom } from '#tests/training-factories.ts'
import { REGISTRY } from './registry.ts'

type Org = { id: string }
type Seeded = { org: Org; emailId: string }

/** How to run each job for organisation A, and whether it must change some row of A. */
const CASES: Record<string, { payload: (a: Seeded) => Record<string, unknown>; changesA: boolean; note?: string }> = {
  'email.send': { payload: (a) => ({ emailId: a.emailId, organizationId: a.org.id }), changesA: true },
  'email.sweep': {
    payload: () => ({}),
    changesA: false,
    note: 'runs for every organisation at once: it re-queues emails nobody is sending (none here), and must write nothing of B',
  },
  'maintenance.purge-sessions': { payload: () => ({}), changesA: false, note: 'platform-wide: deletes expired sessions, which are no organisation’s rows' },
  'training.reminders': { payload: (a) => ({ organizationId: a.org.id }), changesA: true },
  'training.sync-assignments': { payload: (a) => ({ organizationId: a.org.id }), changesA: true },
  'readiness.gate-daily': { payload: (a) => ({ organizationId: a.org.id }), changesA: true },
  'readiness.snapshots': { payload: (a) => ({ organizationId: a.org.id }), changesA: true },
}

async function seed(tag: string): Promise<Seeded> {
  const { org, owner } = await createOrgWithOwner({ orgName: `${tag} Hospital ${uniqueSuffix()}` })
  const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
  const now = new Date()
  const unit = `${tag} ward`
  const staff = await Promise.all([0, 1, 2].map((i) => createStaff(org, { name: `${tag} Staff ${i} ${uniqueSuffix()}`, managerId: ownerMembership.id })))
  await Promise.all(staff.map((s) => prisma.membership.update({ where: { id: s.membership.id }, data: { unit } })))
  const module = await createModule(org, { title: `${tag} EHR basics`, refresherMonths: 12 })
  await prisma.trainingChecklistItem.create({ data: { organizationId: org.id, moduleId: module.id, position: 1, label: `${tag} sign in` } })
  // The rule covers the ward: the sync assigns the member who has no assignment yet (staff[2]).
  await prisma.trainingRule.create({ data: { organizationId: org.id, moduleId: module.id, units: [unit], dueInDays: 14 } })
  await assign(org, staff[0]!.membership.id, module.id, { dueAt: daysFrom(now, -3), createdAt: daysFrom(now, -20) }) // overdue: a reminder rung
  // Completed a year ago, expiring in a week: a refresher is due.
  await assign(org, staff[1]!.membership.id, module.id, { dueAt: daysFrom(now, -360), status: 'completed', completedAt: daysFrom(now, -358), expiresAt: daysFrom(now, 7) })
  // An exemption from a readiness check that expired yesterday: the gate's daily run tells its grantor and marks it.
  const gated = await prisma.project.create({ data: { organizationId: org.id, name: `${tag} project`, goal: 'Results', approach: 'via_engine', startDate: daysFrom(now, -100), targetGoLive: daysFrom(now, 100), ownerId: ownerMembership.id } })
  await prisma.gateExemption.create({ data: { organizationId: org.id, projectId: gated.id, checkKey: 'security', reason: `${tag} exemption`, expiresOn: new Date(`${daysFrom(now, -2).toISOString().slice(0, 10)}T00:00:00Z`), grantedById: ownerMembership.id } })
  const email = await prisma.emailOutbox.create({
    data: { organizationId: org.id, dedupeKey: `job-isolation:${uniqueSuffix()}`, template: 'invitation', toEmail: `${tag}-${uniqueSuffix()}@example.test`, subject: `${tag} invitation`, html: '<p>hi</p>', text: 'hi' },
  })
  // A project whose pilot goes live in 100 days: the readiness snapshot job takes its 120-day one.
  const project = await prisma.project.create({
    data: { organizationId: org.id, name: `${tag} lab results`, goal: `${tag} results`, approach: 'via_engine', startDate: daysFrom(now, -60), targetGoLive: daysFrom(now, 100), status: 'active', ownerId: ownerMembership.id },
  })
  await prisma.projectWave.create({ data: { organizationId: org.id, projectId: project.id, kind: 'pilot', name: `${tag} pilot`, position: 0, units: [unit], goLive: daysFrom(now, 100) } })
  return { org, emailId: email.id }
}

/** The tenant tables: every table of the schema with an "organizationId" column. */
async function tenantTables() {
  const rows = await prisma.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.columns
     WHERE column_name = 'organizationId' AND table_schema = current_schema()
     ORDER BY table_name`
  return rows.map((r) => r.table_name)
}

/** Every row of the organisation, per table (and the organisation's own row), as JSON. */
async function rowsOf(orgId: string, tables: string[]) {
  const snap: Record<string, string[]> = {}
  snap.Organization = (await prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "Organization" WHERE id = $1`, orgId)).map((r) => JSON.stringify(r))
  for (const table of tables) {
    const rows = await prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${table.replace(/"/g, '""')}" WHERE "organizationId" = $1`, orgId)
    snap[table] = rows.map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort()
  }
  return snap
}

function differences(before: Record<string, string[]>, after: Record<string, string[]>) {
  const out: string[] = []
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = new Set(before[table] ?? [])
    const now = new Set(after[table] ?? [])
    for (const r of now) if (!was.has(r)) out.push(`${table}: now ${r.slice(0, 240)}`)
    for (const r of was) if (!now.has(r)) out.push(`${table}: was ${r.slice(0, 240)}`)
  }
  return out
}

let A: Seeded
let B: Seeded
let tables: string[]
beforeAll(async () => {
  ;[A, B] = [await seed('A'), await seed('B')]
  tables = await tenantTables()
})

describe('job isolation: each job, run for one organisation, leaves the other alone', () => {
  it('has a case for every job of the registry (and none for a job that is gone)', () => {
    const names = REGISTRY.map((r) => r.definition.name).sort()
    const missing = names.filter((n) => !CASES[n])
    if (missing.length) expect.fail(`jobs without a case in jobs/job-isolation.test.ts CASES: ${missing.join(', ')} — say how to run each for one organisation`)
    expect(Object.keys(CASES).sort()).toEqual(names)
  })

  it('finds the tenant tables in the schema', () => {
    // A handful the seed writes; the list itself comes from information_schema.
    expect(tables).toEqual(expect.arrayContaining(['Membership', 'TrainingAssignment', 'Notification', 'EmailOutbox']))
  })

  for (const { definition, processor } of REGISTRY) {
    it(`${definition.name} for A changes no row of B`, async () => {
      const c = CASES[definition.name]
      if (!c) return expect.fail(`no case for ${definition.name}`)
      const beforeA = await rowsOf(A.org.id, tables)
      const beforeB = await rowsOf(B.org.id, tables)
      const payload = c.payload(A)
      const job = new Job(getQueue(definition.queue), definition.name, definition.schema.parse(payload), { ...DEFAULT_JOB_OPTIONS }, `isolation-${uniqueSuffix()}`)
      await processor(job, { mailTransport: () => null, log: logger })
      const changedB = differences(beforeB, await rowsOf(B.org.id, tables))
      if (changedB.length) expect.fail(`${definition.name} for A changed rows of B:\n  • ${changedB.join('\n  • ')}`)
      const changedA = differences(beforeA, await rowsOf(A.org.id, tables))
      if (c.changesA) expect(changedA.length, `${definition.name} for A did nothing in A: the check above proves nothing`).toBeGreaterThan(0)
    })
  }
})
