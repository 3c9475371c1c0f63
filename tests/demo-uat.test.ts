/**
 * The demo's UAT (prisma/seed-uat.ts): the lab project's ten scenarios by the analyst and the
 * clinical lead, mostly passing, one failed run with one open severity-2 defect, a verified and a
 * fixed defect, a blocked run and a scenario not run; the portal's three scenarios not run. Seeded
 * on the demo estate, mapping and portfolio through the real models, twice (a re-run adds nothing).
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { listDefects } from '#app/models/uat/defects.server.ts'
import { listScenarios } from '#app/models/uat/scenarios.server.ts'
import { uatSummary } from '#app/models/uat/summary.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { seedInventory } from '../prisma/seed-inventory.ts'
import { seedMapping } from '../prisma/seed-mapping.ts'
import { seedProjects } from '../prisma/seed-projects.ts'
import { seedUat } from '../prisma/seed-uat.ts'

let manager: TenantScope
let analyst: TenantScope
let clinical: TenantScope
let counts: Record<string, number>
const projectId = async (name: string) => (await prisma.project.findFirstOrThrow({ where: { organizationId: manager.organizationId, name } })).id
const rowCounts = async (organizationId: string) => ({
  scenarios: await prisma.uatScenario.count({ where: { organizationId } }),
  runs: await prisma.uatRun.count({ where: { organizationId } }),
  defects: await prisma.uatDefect.count({ where: { organizationId } }),
  links: await prisma.uatScenarioMappingRow.count({ where: { organizationId } }),
  audit: await prisma.auditEvent.count({ where: { organizationId, action: { startsWith: 'uat.' } } }),
})

beforeAll(async () => {
  const { org, owner, scope } = await createOrgWithOwner({ orgName: 'Riverside Health (UAT test)' })
  const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
  await seedInventory(scope, { business: ownerMembership.id })
  const as = async (role: 'manager' | 'analyst' | 'clinical_lead') => {
    const user = await createTestUser()
    await addMember(org, user, role)
    return scopeFor(org, user)
  }
  manager = await as('manager')
  analyst = await as('analyst')
  clinical = await as('clinical_lead')
  await seedMapping({ analyst, clinician: clinical, consultant: await as('analyst') })
  await seedProjects(manager)
  await seedUat(org)
  counts = await rowCounts(org.id)
  await seedUat(org)
}, 120_000)

describe('the demo UAT', () => {
  test('the lab project: ten scenarios by the analyst and the clinical lead, edge cases covered, mostly passing', async () => {
    const id = await projectId('Send-out lab results into the EHR via the engine')
    const { scenarios } = await listScenarios(manager, { projectId: id })
    expect(scenarios.map((s) => s.label)).toEqual(['S-1', 'S-2', 'S-3', 'S-4', 'S-5', 'S-6', 'S-7', 'S-8', 'S-9', 'S-10'])
    expect(new Set(scenarios.map((s) => s.authorId))).toEqual(new Set([analyst.membershipId, clinical.membershipId]))
    expect(new Set(scenarios.flatMap((s) => s.edgeCases))).toEqual(new Set(['null_values', 'special_characters', 'unexpected_codes', 'duplicates', 'large_volume']))
    expect(scenarios.find((s) => s.label === 'S-9')!.interface).toBeNull()
    expect(scenarios.find((s) => s.label === 'S-3')!.lineageIds).toHaveLength(2)
    const summary = (await uatSummary(manager, { projectId: id }))!
    expect(summary.counts).toMatchObject({ scenarios: 10, executed: 9, pass: 7, fail: 1, blocked: 1, notRun: 1, openBlocking: 1, openDefects: { 1: 0, 2: 1, 3: 0, 4: 0 } })
  })

  test('one open severity-2 defect from the failed run, one fixed and one verified', async () => {
    const id = await projectId('Send-out lab results into the EHR via the engine')
    const defects = await listDefects(manager, { projectId: id })
    expect(defects.map((d) => `${d.label} ${d.status} ${d.severity}`)).toEqual(['DEF-3 open 2', 'DEF-2 fixed 2', 'DEF-1 verified 3'])
    expect(defects[0]).toMatchObject({ title: 'Abnormal flag H lost when the reference range (OBX-7) is empty', scenario: { label: 'S-3' }, run: { result: 'fail' } })
  })

  test('the portal: three scenarios, none run yet', async () => {
    const summary = (await uatSummary(manager, { projectId: await projectId('Patient portal on FHIR') }))!
    expect(summary.counts).toMatchObject({ scenarios: 3, executed: 0, notRun: 3 })
  })

  test('a second run of the seed adds nothing', async () => {
    expect(await rowCounts(manager.organizationId)).toEqual(counts)
  })
})
