/**
 * The demo's decision logs and security assessments (prisma/seed-decisions-security.ts): the lab
 * project's five decisions with a superseding chain and one still proposed, its half-done
 * assessment; the portal's two decisions and fresh assessment. Seeded on the demo estate and
 * portfolio through the real models, twice (a re-run adds nothing).
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { listDecisions } from '#app/models/projects/decisions.server.ts'
import { getSecurityAssessment } from '#app/models/projects/security.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { seedDecisionsSecurity } from '../prisma/seed-decisions-security.ts'
import { seedInventory } from '../prisma/seed-inventory.ts'
import { seedProjects } from '../prisma/seed-projects.ts'

let manager: TenantScope
const projectId = async (name: string) => (await prisma.project.findFirstOrThrow({ where: { organizationId: manager.organizationId, name } })).id

beforeAll(async () => {
  const { org, owner, scope } = await createOrgWithOwner({ orgName: 'Riverside Health (decisions test)' })
  const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
  await seedInventory(scope, { business: ownerMembership.id })
  const user = await createTestUser()
  await addMember(org, user, 'manager')
  await addMember(org, await createTestUser(), 'compliance')
  manager = await scopeFor(org, user)
  await seedProjects(manager)
  await seedDecisionsSecurity(org)
  await seedDecisionsSecurity(org)
}, 90_000)

describe('the demo decisions and security assessments', () => {
  test('the lab project: the engine route accepted, the nightly batch superseded by D-4, the LOINC decision proposed', async () => {
    const decisions = await listDecisions(manager, { projectId: await projectId('Send-out lab results into the EHR via the engine') })
    expect(decisions.map((d) => `${d.label} ${d.status}`)).toEqual(['D-5 proposed', 'D-4 accepted', 'D-3 accepted', 'D-2 superseded', 'D-1 accepted'])
    expect(decisions.find((d) => d.label === 'D-2')).toMatchObject({ title: 'Deliver results to the EHR in a nightly batch', supersededBy: { label: 'D-4' } })
    expect(decisions.find((d) => d.label === 'D-1')!.interface).toBe('Engine → EHR: results')
  })

  test('the lab project’s assessment is half done: TLS and one BAA done, another vendor’s BAA and the risk review open', async () => {
    const a = (await getSecurityAssessment(manager, { projectId: await projectId('Send-out lab results into the EHR via the engine') }))!
    const status = Object.fromEntries(a.items.map((i) => [i.vendor ? `baa ${i.vendor}` : i.kind, i.status]))
    expect(status).toMatchObject({
      tls: 'done',
      'baa Northwind Diagnostics': 'done',
      'baa Statewide Labs': 'open',
      'baa OIE community': 'not_applicable',
      risk_review: 'open',
    })
    expect(a.items.find((i) => i.kind === 'tls')!.evidenceUrl).toMatch(/^https:/)
    expect(a.complete).toBeGreaterThan(0)
    expect(a.complete).toBeLessThan(a.total)
    expect(a.attestedAt).toBeNull()
  })

  test('the portal: two decisions and a fresh assessment with FHIR in scope', async () => {
    const id = await projectId('Patient portal on FHIR')
    expect((await listDecisions(manager, { projectId: id })).map((d) => d.status)).toEqual(['proposed', 'accepted'])
    const a = (await getSecurityAssessment(manager, { projectId: id }))!
    expect(a).toMatchObject({ started: true, fhirInScope: true, complete: 0 })
  })
})
