/**
 * The demo's clinical sign-off (prisma/seed-signoff.ts): on the lab project's results interface
 * (given two scenarios here when the scenario seed has written none), the clinical lead's
 * signature, gone stale after a scenario edit, and a new request in her inbox. Seeded twice:
 * the second run adds nothing.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { uatSignoffState, verifySignoff } from '#app/models/uat/signoff.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { makeRun, makeScenario } from '#tests/signoff-fixtures.ts'
import { seedInventory } from '../prisma/seed-inventory.ts'
import { seedProjects } from '../prisma/seed-projects.ts'
import { LAB_PROJECT, seedRaci, type RaciPeople } from '../prisma/seed-raci.ts'
import { seedSignoffs } from '../prisma/seed-signoff.ts'

let scopes: Record<keyof RaciPeople, TenantScope>
let labId: string
let resultsId: string
let first: Awaited<ReturnType<typeof seedSignoffs>>

beforeAll(async () => {
  const { org, owner, scope } = await createOrgWithOwner({ orgName: 'Riverside Health (sign-off test)' })
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
  const lab = await prisma.project.findFirstOrThrow({ where: { organizationId: org.id, name: LAB_PROJECT }, select: { id: true, interfaces: { select: { interface: { select: { id: true, name: true } } } } } })
  labId = lab.id
  resultsId = lab.interfaces.find((i) => i.interface.name === 'Engine → EHR: results')!.interface.id
  const signoffPeople = { clinicalLead: people.clinicalLead, labLead: people.labLead, manager: people.manager, analyst: people.analyst }
  // Nothing to sign yet: the seed does nothing.
  expect(await seedSignoffs(org, signoffPeople)).toBeNull()
  const o = { organizationId: org.id }
  for (const title of ['Potassium result files to the chart with its LOINC code', 'Critical potassium is flagged and called']) {
    const s = await makeScenario(o, { projectId: labId, interfaceId: resultsId, authorId: scopes.analyst.membershipId, title })
    await makeRun(o, { projectId: labId, scenarioId: s.id, result: 'pass', testerId: scopes.labLead.membershipId })
  }
  first = await seedSignoffs(org, signoffPeople)
  await seedSignoffs(org, signoffPeople) // idempotent
}, 120_000)

describe('the demo sign-off', () => {
  test('the clinical lead signed the results interface; a scenario edit made it stale', async () => {
    expect(first).not.toBeNull()
    const rows = await prisma.uatSignoff.findMany({ where: { projectId: labId } })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ decision: 'signed', interfaceId: resultsId, signerId: scopes.clinicalLead.membershipId })
    const v = (await verifySignoff(scopes.manager, { projectId: labId, signoffId: rows[0]!.id }))!
    expect(v).toMatchObject({ intact: true, matchesLive: false, stale: { reason: expect.stringMatching(/^S-2 was edited/) } })
    expect(v.changes).toEqual(['S-2 was edited (expected result)'])
    const state = (await uatSignoffState(scopes.manager, { projectId: labId }))!
    expect(state.signed).toBe(false)
    expect(state.sets.find((s) => s.interfaceId === resultsId)!.latestSigned).toMatchObject({ stale: true })
  })

  test('her inbox holds the stale notice and a new sign-off request; the owner was told too; re-running added nothing', async () => {
    const notices = await prisma.notification.findMany({ where: { membershipId: scopes.clinicalLead.membershipId }, select: { kind: true, link: true } })
    expect(notices.map((n) => n.kind).sort()).toEqual(['gate.signoff_requested', 'gate.signoff_stale'])
    expect(notices.find((n) => n.kind === 'gate.signoff_requested')!.link).toMatch(new RegExp(`/projects/${labId}/uat/signoff\\?interface=${resultsId}$`))
    expect(await prisma.notification.count({ where: { membershipId: scopes.manager.membershipId, kind: { in: ['gate.signed_off', 'gate.signoff_stale'] } } })).toBe(2)
    expect(await prisma.uatSignoffStale.count({ where: { signoff: { projectId: labId } } })).toBe(1)
  })
})
