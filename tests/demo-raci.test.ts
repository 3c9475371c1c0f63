/**
 * The demo RACI (prisma/seed-raci.ts): the lab project's matrix covers every step and interface
 * with exactly one deliberate problem (two A's on UAT), and every persona has something open to
 * be R or A for on Home.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { getRaci, listMyResponsibilities } from '#app/models/projects/raci.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { seedInventory } from '../prisma/seed-inventory.ts'
import { seedProjects } from '../prisma/seed-projects.ts'
import { LAB_PROJECT, seedRaci, type RaciPeople } from '../prisma/seed-raci.ts'

let scopes: Record<keyof RaciPeople, TenantScope>

beforeAll(async () => {
  const { org, owner, scope } = await createOrgWithOwner({ orgName: 'Riverside Health (RACI test)' })
  const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
  await seedInventory(scope, { business: ownerMembership.id })
  const roles = { manager: ['manager', 'it'], analyst: ['analyst', 'it'], engineer: ['analyst', 'it'], clinicalLead: ['clinical_lead', 'clinical'], labLead: ['clinical_lead', 'clinical'], compliance: ['compliance', 'compliance'], executive: ['executive', 'executive'], staff: ['staff', 'clinical'] } as const
  const entries = await Promise.all(
    Object.entries(roles).map(async ([k, [role, fn]]) => {
      const user = await createTestUser()
      await addMember(org, user, role, fn)
      return [k, { user, scope: await scopeFor(org, user) }] as const
    }),
  )
  const people = Object.fromEntries(entries.map(([k, v]) => [k, v.user.email])) as RaciPeople
  scopes = Object.fromEntries(entries.map(([k, v]) => [k, v.scope])) as typeof scopes
  await seedProjects(scopes.manager)
  await seedRaci(scopes.manager, people)
  await seedRaci(scopes.manager, people) // idempotent
}, 90_000)

describe('the demo RACI', () => {
  test('the lab project: every step and interface has letters, and exactly one problem — two A’s on UAT', async () => {
    const lab = await prisma.project.findFirstOrThrow({ where: { organizationId: scopes.manager.organizationId, name: LAB_PROJECT } })
    const raci = (await getRaci(scopes.manager, lab.id))!
    expect(raci.activities.filter((a) => a.kind === 'step')).toHaveLength(14)
    expect(raci.activities.filter((a) => a.kind === 'interface')).toHaveLength(2)
    expect(raci.activities.every((a) => Object.keys(a.cells).length > 0)).toBe(true)
    expect(raci.summary.total).toBe(1)
    const uat = raci.activities.find((a) => a.title === 'User acceptance testing (UAT)')!
    expect(uat.problems.map((p) => p.kind)).toEqual(['many_a'])
  })

  test('every persona has an open R or A on Home; the staff member has an R', async () => {
    for (const [persona, scope] of Object.entries(scopes)) {
      const mine = await listMyResponsibilities(scope)
      expect(mine.total, persona).toBeGreaterThan(0)
    }
    const staff = await listMyResponsibilities(scopes.staff)
    expect(staff.items.some((i) => i.letter === 'R')).toBe(true)
    expect(staff.items.some((i) => i.overdue)).toBe(true)
  })
})
