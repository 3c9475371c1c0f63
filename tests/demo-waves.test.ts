/**
 * The demo's pilot groups and waves (prisma/seed-waves.ts) on the demo estate, training and
 * projects: the lab project pilots in the Emergency Department with the clinical lead among its
 * named members, then two later waves of other units; the portal has a pilot; the per-wave
 * training figures are neither nothing nor everything.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import type { Role } from '#app/generated/prisma/client.ts'
import { listWaves, waveReadiness } from '#app/models/projects/waves.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { seedInventory } from '../prisma/seed-inventory.ts'
import { seedProjects } from '../prisma/seed-projects.ts'
import { seedTraining } from '../prisma/seed-training.ts'
import { seedWaves } from '../prisma/seed-waves.ts'

let manager: TenantScope

/** The demo's people the seed names, and front-line staff in the units the waves bring live. */
const PEOPLE: [string, Role, string][] = [
  ['grace.chen@riverside.test', 'clinical_lead', 'Emergency Department'],
  ['sam.rivera@riverside.test', 'staff', 'Emergency Department'],
  ['priya.nair@riverside.test', 'clinical_lead', 'Laboratory'],
  ['aisha.adeyemi@riverside.test', 'staff', 'Emergency Department'],
]
const UNITS = ['Emergency Department', 'ICU', 'Med-Surg 4 North', 'Outpatient Clinic (Eastside)', 'Patient Access', 'Laboratory', 'Radiology']

beforeAll(async () => {
  const { org, owner, scope } = await createOrgWithOwner({ orgName: 'Riverside Health (waves test)' })
  const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
  await seedInventory(scope, { business: ownerMembership.id })
  for (const [email, role, unit] of PEOPLE) {
    const user = (await prisma.user.findUnique({ where: { email } })) ?? (await createTestUser({ email }))
    await addMember(org, user, role, 'clinical', unit)
  }
  for (const [i, unit] of [...UNITS, ...UNITS, ...UNITS].entries()) await addMember(org, await createTestUser({ email: `staff-${i}-${uniqueSuffix()}@example.test` }), 'staff', 'clinical', unit)
  const user = await createTestUser()
  await addMember(org, user, 'manager', 'it', 'IT Project Office')
  manager = await scopeFor(org, user)
  await seedTraining(manager)
  await seedProjects(manager)
  await seedWaves(manager)
  await seedWaves(manager) // twice: nothing more
}, 120_000)

const projectId = async (name: string) => (await prisma.project.findFirstOrThrow({ where: { organizationId: manager.organizationId, name } })).id

describe('the demo waves', () => {
  test('the lab project: an ED pilot with the clinical lead named, then two later waves of other units', async () => {
    const id = await projectId('Send-out lab results into the EHR via the engine')
    const { waves, targetGoLive } = (await listWaves(manager, id))!
    expect(waves.map((w) => [w.kind, w.position])).toEqual([['pilot', 0], ['expansion', 1], ['expansion', 2]])
    const [pilot, one, two] = waves
    expect(pilot).toMatchObject({ units: ['Emergency Department'], goLive: targetGoLive })
    expect(pilot!.members).toHaveLength(4)
    expect(pilot!.members.map((m) => m.role)).toContain('clinical_lead')
    expect(one!.goLive! > pilot!.goLive! && two!.goLive! > one!.goLive!).toBe(true)
    expect(new Set([...one!.units, ...two!.units]).has('Emergency Department')).toBe(false)
    const readiness = (await waveReadiness(manager, id))!
    const figures = waves.map((w) => readiness.training[w.id]!)
    for (const t of figures) expect(t.needs, 'every wave has training assigned').toBeGreaterThan(0)
    expect(figures.some((t) => t.met > 0), 'some training is done').toBe(true)
    expect(readiness.project.met).toBeLessThan(readiness.project.needs)
    expect(readiness.coverage.interfaces).toBe(2)
  })

  test('the portal has a pilot; the PACS upgrade went live', async () => {
    expect((await listWaves(manager, await projectId('Patient portal on FHIR')))!.waves.map((w) => [w.kind, w.name])).toEqual([['pilot', 'Patient Access pilot']])
    expect((await listWaves(manager, await projectId('PACS upgrade to ClearView 7.2')))!.waves.map((w) => w.status)).toEqual(['live'])
  })
})
