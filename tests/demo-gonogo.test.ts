/**
 * The demo's go/no-go history (prisma/seed-gonogo.ts): the lab project's pilot has three
 * scheduled snapshots (120, 90, 60 days before its go-live) with the score rising, and one
 * "go with conditions" meeting with four votes. Seeded on the demo estate, portfolio and waves,
 * twice (a re-run adds nothing).
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { listMeetings } from '#app/models/readiness/gonogo.server.ts'
import { listSnapshots } from '#app/models/readiness/snapshots.server.ts'
import { addDays, dayOf } from '#app/models/projects/plan.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { seedGonogo } from '../prisma/seed-gonogo.ts'
import { seedInventory } from '../prisma/seed-inventory.ts'
import { seedProjects } from '../prisma/seed-projects.ts'
import { seedWaves } from '../prisma/seed-waves.ts'

let manager: TenantScope
let labId: string

beforeAll(async () => {
  const { org, owner, scope } = await createOrgWithOwner({ orgName: 'Riverside Health (go/no-go test)' })
  const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
  await seedInventory(scope, { business: ownerMembership.id })
  const user = await createTestUser()
  await addMember(org, user, 'manager')
  await addMember(org, await createTestUser(), 'compliance')
  await addMember(org, await createTestUser(), 'clinical_lead')
  await addMember(org, await createTestUser(), 'analyst', 'it')
  manager = await scopeFor(org, user)
  await seedProjects(manager)
  await seedWaves(manager)
  labId = (await prisma.project.findFirstOrThrow({ where: { organizationId: org.id, name: 'Send-out lab results into the EHR via the engine' } })).id
  await seedGonogo(org)
  await seedGonogo(org)
}, 120_000)

describe('the demo go/no-go history', () => {
  test('three scheduled snapshots of the pilot, 120, 90 and 60 days before its go-live, the score rising', async () => {
    const pilot = await prisma.projectWave.findFirstOrThrow({ where: { projectId: labId, kind: 'pilot' } })
    const snaps = (await listSnapshots(manager, { projectId: labId })).filter((s) => s.kind === 'scheduled')
    expect(snaps.map((s) => [s.waveId, s.daysBefore])).toEqual([
      [pilot.id, 120],
      [pilot.id, 90],
      [pilot.id, 60],
    ])
    expect(snaps.map((s) => s.takenAt.slice(0, 10))).toEqual([120, 90, 60].map((d) => addDays(dayOf(pilot.goLive)!, -d)))
    const scores = snaps.map((s) => s.scorePct)
    expect(scores[0]!).toBeLessThan(scores[1]!)
    expect(scores[1]!).toBeLessThan(scores[2]!)
  })

  test('one meeting for the pilot: go with conditions, four votes, the scorecard frozen (a re-run added nothing)', async () => {
    const meetings = await listMeetings(manager, { projectId: labId })
    expect(meetings).toHaveLength(1)
    const m = meetings[0]!
    expect(m).toMatchObject({ decision: 'go_with_conditions', conditions: expect.stringMatching(/severity-2 defect|DEF-\d+/) })
    expect(m.wave?.name).toBe('Emergency Department pilot')
    expect(m.votes.map((v) => v.panelRole)).toEqual(['project_accountable', 'clinical_lead', 'it', 'compliance'])
    expect(m.snapshot.scorecard.checks.length).toBeGreaterThan(5)
    // The meeting wrote its own point on the trend too: one, not two.
    expect(await prisma.readinessSnapshot.count({ where: { projectId: labId, kind: 'go_no_go' } })).toBe(1)
  })
})
