/**
 * The demo portfolio (prisma/seed-projects.ts) tells the project manager's story: one project
 * in each of testing, design and maintenance, a re-plan visible against the baseline, and every
 * plan passing the checks the models run. Seeded through the real models on the demo estate.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { dayOf, planProblems } from '#app/models/projects/plan.ts'
import { getProject, listProjects } from '#app/models/projects/projects.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { seedInventory } from '../prisma/seed-inventory.ts'
import { seedProjects } from '../prisma/seed-projects.ts'

let manager: TenantScope

beforeAll(async () => {
  const { org, owner, scope } = await createOrgWithOwner({ orgName: 'Riverside Health (projects test)' })
  const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
  await seedInventory(scope, { business: ownerMembership.id })
  const user = await createTestUser()
  await addMember(org, user, 'manager')
  manager = await scopeFor(org, user)
  await seedProjects(manager)
}, 60_000)

describe('the demo portfolio', () => {
  test('one project in testing, one in design, one in maintenance, each with its scope', async () => {
    const { projects } = await listProjects(manager, { sort: 'name' })
    const byName = Object.fromEntries(projects.map((p) => [p.name, p]))
    expect(byName['Send-out lab results into the EHR via the engine']).toMatchObject({ phase: 'testing', status: 'active', _count: { interfaces: 2, systems: 4 } })
    expect(byName['Patient portal on FHIR']).toMatchObject({ phase: 'design', _count: { interfaces: 1 } })
    expect(byName['PACS upgrade to ClearView 7.2']).toMatchObject({ phase: 'maintenance', _count: { interfaces: 2 } })
  })

  test('the lab project was re-planned: the mapping matrix ends two weeks after its baseline; every plan passes the checks', async () => {
    const { projects } = await listProjects(manager)
    for (const row of projects) {
      const p = (await getProject(manager, row.id))!
      const plan = p.phases.map((ph) => ({
        kind: ph.kind,
        planned: { start: dayOf(ph.plannedStart), end: dayOf(ph.plannedEnd) },
        steps: ph.steps.map((s) => ({ title: s.title, skipped: s.status === 'skipped', planned: { start: dayOf(s.plannedStart), end: dayOf(s.plannedEnd) } })),
      }))
      expect(planProblems(plan), p.name).toEqual([])
      if (p.name.startsWith('Send-out')) {
        const matrix = p.phases[1]!.steps.find((s) => s.standardKey === 'mapping_matrix')!
        const slip = (Date.parse(dayOf(matrix.plannedEnd)!) - Date.parse(dayOf(matrix.baselineEnd)!)) / 86_400_000
        expect(slip).toBe(14)
        expect(p.testingShare).toBeGreaterThanOrEqual(0.3)
      }
    }
  })

  test('seeding again adds nothing', async () => {
    const before = await prisma.projectStep.count({ where: { organizationId: manager.organizationId } })
    await seedProjects(manager)
    expect(await prisma.projectStep.count({ where: { organizationId: manager.organizationId } })).toBe(before)
  })
})
