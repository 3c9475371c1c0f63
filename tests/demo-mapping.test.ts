/**
 * The demo's mapping matrices (prisma/seed-mapping.ts) tell a story per interface; seeded through
 * the real models for a fresh organisation, each must be in the state the story needs.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { diffMappingVersion, getMappingOverview, listUnmappedCodes } from '#app/models/mapping/mapping.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { seedInventory } from '../prisma/seed-inventory.ts'
import { seedMapping } from '../prisma/seed-mapping.ts'

let scope: TenantScope
let overview: Awaited<ReturnType<typeof getMappingOverview>>
const item = (name: string) => {
  const found = overview.items.find((i) => i.name === name)
  if (!found) throw new Error(`no interface named ${name}`)
  return found
}

beforeAll(async () => {
  const { org, owner, scope: ownerScope } = await createOrgWithOwner({ orgName: 'Riverside Health (mapping test)' })
  const as = async (role: 'analyst' | 'clinical_lead') => {
    const user = await createTestUser()
    await addMember(org, user, role)
    return scopeFor(org, user)
  }
  const analyst = await as('analyst')
  const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } })
  await seedInventory(ownerScope, { business: ownerMembership.id, technical: analyst.membershipId })
  await seedMapping({ analyst, clinician: await as('clinical_lead'), consultant: await as('analyst') })
  scope = ownerScope
  overview = await getMappingOverview(scope)
}, 60_000)

describe('the demo mapping', () => {
  test('lab results: v2 in progress on top of an approved v1, with a change, additions and a row sent back', async () => {
    const lab = item('LIS → engine: results')
    expect(lab.version).toMatchObject({ number: 2, status: 'draft' })
    expect(lab.coverage!.rows).toBe(16)
    expect(lab.coverage!.approvedRows).toBeLessThan(lab.coverage!.rows)
    const diff = (await diffMappingVersion(scope, lab.version!.id))!
    expect(diff.rows!.changed.items.map((r) => r.label)).toEqual(['OBX-14 → Observation.effectiveDateTime'])
    expect(diff.rows!.added.total).toBe(2)
    expect(diff.codes!.added.total).toBe(3)
    const unmapped = await listUnmappedCodes(scope, { versionId: lab.version!.id })
    expect(unmapped.codes.map((c) => c.localCode).sort()).toEqual(['CALCLDL', 'XDELTA', 'XHEMI'])
    const sentBack = await prisma.mappingRow.findFirstOrThrow({ where: { versionId: lab.version!.id, sourcePath: 'OBX-23.1' } })
    expect(sentBack).toMatchObject({ reviewState: 'changes_requested', reviewComment: expect.stringMatching(/send-out/) })
  })

  test('pharmacy: half reviewed, formulary codes partly unmapped; charges: ready for the version approval; vitals: a fresh draft', () => {
    const pharmacy = item('Engine → pharmacy: medication orders').coverage!
    expect(pharmacy).toMatchObject({ rows: 8, approvedRows: 3, unmappedCodes: 4 })
    const charges = item('Engine → billing: charges')
    expect(charges.version!.status).toBe('draft')
    expect(charges.coverage).toMatchObject({ rows: 5, approvedRows: 5, requiredApproved: 5, unmappedCodes: 0 })
    expect(item('RPM → EHR: home vitals').coverage).toMatchObject({ rows: 5, approvedRows: 0, unmappedCodes: 1 })
    expect(overview.interfacesWithoutMapping).toBe(overview.items.length - 4)
  })
})
