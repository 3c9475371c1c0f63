import { describe, expect, test } from 'vitest'
import { createInterface } from '#app/models/inventory/interface.server.ts'
import { InterfaceSchema, SystemSchema } from '#app/models/inventory/inventory.ts'
import { createSystem } from '#app/models/inventory/system.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { DecisionSchema } from './decision-schemas.ts'
import { acceptDecision, createDecision, getDecision, listDecisions, mayDecide, rejectDecision, updateDecision } from './decisions.server.ts'
import { createProject } from './projects.server.ts'
import { ProjectSchema } from './schemas.ts'

const decision = (fields: Record<string, unknown> = {}) => DecisionSchema.parse({ title: `Decision ${uniqueSuffix()}`, decision: 'Route results through the engine.', ...fields })

async function setUp() {
  const { org, scope } = await createOrgWithOwner()
  const lis = await createSystem(scope, SystemSchema.parse({ name: `LIS ${uniqueSuffix()}`, kind: 'lis', vendor: 'Northwind' }))
  const ehr = await createSystem(scope, SystemSchema.parse({ name: `EHR ${uniqueSuffix()}`, kind: 'ehr', vendor: 'Meridian' }))
  const iface = await createInterface(scope, InterfaceSchema.parse({ name: `Results ${uniqueSuffix()}`, sourceSystemId: lis.id, targetSystemId: ehr.id, standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine' }))
  const other = await createInterface(scope, InterfaceSchema.parse({ name: `Orders ${uniqueSuffix()}`, sourceSystemId: ehr.id, targetSystemId: lis.id, standard: 'hl7v2', messageTypes: ['ORM^O01'], transport: 'mllp', approach: 'via_engine' }))
  const project = await createProject(scope, ProjectSchema.parse({ name: `Project ${uniqueSuffix()}`, goal: 'Results', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', interfaceIds: [iface.id] }))
  const as = async (role: 'staff' | 'manager' | 'analyst') => {
    const user = await createTestUser()
    await addMember(org, user, role)
    return scopeFor(org, user)
  }
  return { org, scope, project, iface, other, as }
}

async function activityWith(scope: TenantScope, projectId: string, member: TenantScope, letter: 'R' | 'A' | 'C') {
  const activity = await prisma.raciActivity.create({ data: { organizationId: scope.organizationId, projectId, kind: 'custom', title: 'Choose the route', category: 'planning', position: 1 } })
  await prisma.raciAssignment.create({ data: { organizationId: scope.organizationId, projectId, activityId: activity.id, membershipId: member.membershipId, letter } })
  return activity
}

describe('the decision log', () => {
  test('numbers decisions D-1, D-2 … per project, also when logged at the same time', async () => {
    const { scope, project } = await setUp()
    const made = await Promise.all(Array.from({ length: 6 }, () => createDecision(scope, { projectId: project.id, ...decision() })))
    expect(made.map((d) => d!.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6])
    const audited = await prisma.auditEvent.count({ where: { organizationId: scope.organizationId, action: 'decision.created', targetId: project.id } })
    expect(audited).toBe(6)
    // Another project starts at D-1 again.
    const { scope: s2, project: p2 } = await setUp()
    expect((await createDecision(s2, { projectId: p2.id, ...decision() }))!.number).toBe(1)
  })

  test('an accepted decision is immutable: no edit, no second acceptance; the database refuses a direct change too', async () => {
    const { scope, project } = await setUp()
    const d = (await createDecision(scope, { projectId: project.id, ...decision({ title: 'Via the engine' }) }))!
    await updateDecision(scope, { projectId: project.id, decisionId: d.id, ...decision({ title: 'Via the engine, not point-to-point' }) })
    await acceptDecision(scope, { projectId: project.id, decisionId: d.id })
    const accepted = (await getDecision(scope, { projectId: project.id, decisionId: d.id }))!
    expect(accepted).toMatchObject({ status: 'accepted', title: 'Via the engine, not point-to-point' })
    expect(accepted.decidedOn).not.toBeNull()
    await expectDomainError(updateDecision(scope, { projectId: project.id, decisionId: d.id, ...decision() }), 'RULE_VIOLATION', /supersede/)
    await expectDomainError(acceptDecision(scope, { projectId: project.id, decisionId: d.id }), 'CONFLICT')
    await expectDomainError(rejectDecision(scope, { projectId: project.id, decisionId: d.id }), 'CONFLICT')
    await expect(prisma.projectDecision.update({ where: { id: d.id }, data: { title: 'Rewritten' } })).rejects.toThrow(/immutable/)
    await expect(prisma.projectDecision.update({ where: { id: d.id }, data: { status: 'proposed' } })).rejects.toThrow(/immutable/)
    expect((await prisma.projectDecision.findUniqueOrThrow({ where: { id: d.id } })).title).toBe('Via the engine, not point-to-point')
  })

  test('the trigger lets Postgres unlink a removed owner from an accepted decision, and cascades still delete it', async () => {
    const { scope, project, as } = await setUp()
    const owner = await as('manager')
    const d = (await createDecision(scope, { projectId: project.id, ...decision({ ownerId: owner.membershipId }) }))!
    await acceptDecision(scope, { projectId: project.id, decisionId: d.id })
    await prisma.membership.delete({ where: { id: owner.membershipId } })
    expect((await prisma.projectDecision.findUniqueOrThrow({ where: { id: d.id } })).ownerId).toBeNull()
    await expect(prisma.projectDecision.update({ where: { id: d.id }, data: { ownerId: scope.membershipId } })).rejects.toThrow(/immutable/)
    await prisma.project.delete({ where: { id: project.id } })
    expect(await prisma.projectDecision.count({ where: { id: d.id } })).toBe(0)
  })

  test('supersede: a new proposed decision; accepting it marks the old one superseded, the chain both ways', async () => {
    const { scope, project } = await setUp()
    const d1 = (await createDecision(scope, { projectId: project.id, ...decision({ title: 'Nightly batch' }) }))!
    // A proposed decision is edited, not superseded.
    await expectDomainError(createDecision(scope, { projectId: project.id, supersedesId: d1.id, ...decision() }), 'RULE_VIOLATION')
    await acceptDecision(scope, { projectId: project.id, decisionId: d1.id })
    const d2 = (await createDecision(scope, { projectId: project.id, supersedesId: d1.id, ...decision({ title: 'Real-time feed' }) }))!
    expect((await getDecision(scope, { projectId: project.id, decisionId: d1.id }))!.status).toBe('accepted')
    await expectDomainError(createDecision(scope, { projectId: project.id, supersedesId: d1.id, ...decision() }), 'CONFLICT', /D-2 already supersedes D-1/)
    await acceptDecision(scope, { projectId: project.id, decisionId: d2.id })
    const [newest, oldest] = await listDecisions(scope, { projectId: project.id })
    expect(newest).toMatchObject({ label: 'D-2', status: 'accepted', supersedes: { label: 'D-1' } })
    expect(oldest).toMatchObject({ label: 'D-1', status: 'superseded', supersededBy: { label: 'D-2' } })
    expect(await listDecisions(scope, { projectId: project.id, status: 'superseded' })).toHaveLength(1)
    const actions = (await prisma.auditEvent.findMany({ where: { organizationId: scope.organizationId, action: { startsWith: 'decision.' } }, orderBy: { seq: 'asc' } })).map((e) => e.action)
    expect(actions).toEqual(['decision.created', 'decision.accepted', 'decision.supersede_proposed', 'decision.accepted', 'decision.superseded'])
  })

  test('rejecting keeps the decision as it was', async () => {
    const { scope, project } = await setUp()
    const d = (await createDecision(scope, { projectId: project.id, ...decision() }))!
    await rejectDecision(scope, { projectId: project.id, decisionId: d.id })
    await expectDomainError(updateDecision(scope, { projectId: project.id, decisionId: d.id, ...decision() }), 'RULE_VIOLATION', /rejected/)
    await expectDomainError(acceptDecision(scope, { projectId: project.id, decisionId: d.id }), 'CONFLICT')
  })

  test('links: an activity of the project, an interface of its scope — another project’s or organisation’s is a field error', async () => {
    const { scope, project, iface, other } = await setUp()
    const activity = await activityWith(scope, project.id, scope, 'A')
    const d = (await createDecision(scope, { projectId: project.id, ...decision({ interfaceId: iface.id }) }))!
    expect((await getDecision(scope, { projectId: project.id, decisionId: d.id }))!.interface).toBe(iface.name)
    await createDecision(scope, { projectId: project.id, ...decision({ activityId: activity.id }) })
    await expectDomainError(createDecision(scope, { projectId: project.id, ...decision({ interfaceId: other.id }) }), 'RULE_VIOLATION', /scope/)
    const elsewhere = await setUp()
    await expectDomainError(createDecision(scope, { projectId: project.id, ...decision({ interfaceId: elsewhere.iface.id }) }), 'RULE_VIOLATION', /scope/)
    const theirActivity = await activityWith(elsewhere.scope, elsewhere.project.id, elsewhere.scope, 'A')
    await expectDomainError(createDecision(scope, { projectId: project.id, ...decision({ activityId: theirActivity.id }) }), 'RULE_VIOLATION', /activity/)
    await expectDomainError(createDecision(scope, { projectId: project.id, ...decision({ ownerId: elsewhere.scope.membershipId }) }), 'RULE_VIOLATION', /member/)
    expect(DecisionSchema.safeParse({ title: 'x', decision: 'y', activityId: 'a', interfaceId: 'b' }).success).toBe(false)
  })

  test('who decides: decisions:write, or R or A on the project; a plain staff member (or a C) is refused, audited', async () => {
    const { scope, project, as } = await setUp()
    const staff = await as('staff')
    const responsible = await as('staff')
    const consulted = await as('analyst')
    await activityWith(scope, project.id, responsible, 'R')
    await activityWith(scope, project.id, consulted, 'C')
    expect(await mayDecide(scope, { projectId: project.id })).toBe(true)
    expect(await mayDecide(responsible, { projectId: project.id })).toBe(true)
    expect(await mayDecide(staff, { projectId: project.id })).toBe(false)
    const d = (await createDecision(responsible, { projectId: project.id, ...decision() }))!
    await acceptDecision(responsible, { projectId: project.id, decisionId: d.id })
    await expectDomainError(createDecision(staff, { projectId: project.id, ...decision() }), 'FORBIDDEN')
    await expectDomainError(createDecision(consulted, { projectId: project.id, ...decision() }), 'FORBIDDEN')
    const denied = await prisma.auditEvent.count({ where: { organizationId: scope.organizationId, action: 'security.permission_denied', actorUserId: { in: [staff.userId, consulted.userId] } } })
    expect(denied).toBe(2)
    // R on another project gives nothing here.
    const other = await createProject(scope, ProjectSchema.parse({ name: `Other ${uniqueSuffix()}`, goal: 'x', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30' }))
    expect(await mayDecide(responsible, { projectId: other.id })).toBe(false)
  })

  test('another organisation’s scope cannot read or change the decisions', async () => {
    const { scope, project } = await setUp()
    const d = (await createDecision(scope, { projectId: project.id, ...decision() }))!
    const { scope: outsider } = await createOrgWithOwner()
    expect(await listDecisions(outsider, { projectId: project.id })).toEqual([])
    expect(await getDecision(outsider, { projectId: project.id, decisionId: d.id })).toBeNull()
    expect(await createDecision(outsider, { projectId: project.id, ...decision() })).toBeNull()
    expect(await updateDecision(outsider, { projectId: project.id, decisionId: d.id, ...decision() })).toBeNull()
    expect(await acceptDecision(outsider, { projectId: project.id, decisionId: d.id })).toBeNull()
    expect(await rejectDecision(outsider, { projectId: project.id, decisionId: d.id })).toBeNull()
    expect((await prisma.projectDecision.findUniqueOrThrow({ where: { id: d.id } })).status).toBe('proposed')
  })
})
