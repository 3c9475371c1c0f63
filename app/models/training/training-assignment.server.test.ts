import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { actorLabel } from '#app/models/audit/vocabulary.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { acceptInvitation, createInvitation } from '../people/invitation.server.ts'
import { changeMemberRole, deactivateMember, reactivateMember, updateMemberDetails } from '../people/membership.server.ts'
import {
  checkItem,
  completeAssignment,
  getAssignment,
  getMyAssignment,
  listMyTraining,
  listVerificationQueue,
  returnCheck,
  syncTrainingAssignments,
  uncheckItem,
  verifyCheck,
} from './training-assignment.server.ts'
import { addChecklistItem, addRule, createModule, removeRule, setModuleArchived, setRuleActive, updateRule } from './training.server.ts'

const moduleInput = (title: string, extra: Partial<Parameters<typeof createModule>[1]> = {}) => ({
  title,
  estimatedMinutes: 20,
  requiredForGoLive: false,
  systemIds: [],
  ...extra,
})
const rule = (extra: Partial<Omit<Parameters<typeof addRule>[1], 'moduleId'>> = {}) => ({ roles: [], functions: [], units: [], dueInDays: 14, ...extra })

async function openAssignments(membershipId: string) {
  return prisma.trainingAssignment.findMany({ where: { membershipId, status: 'open' }, include: { module: { select: { title: true } } } })
}

async function setup() {
  const { org, owner, scope } = await createOrgWithOwner()
  const nurseUser = await createTestUser({ name: 'Nia Nurse' })
  const nurse = await addMember(org, nurseUser, 'staff', 'clinical', 'Ward 7')
  const clerkUser = await createTestUser({ name: 'Carl Clerk' })
  const clerk = await addMember(org, clerkUser, 'staff', 'operations', 'Front desk')
  return { org, owner, scope, nurse, nurseUser, clerk, clerkUser }
}

describe('assignment rules', () => {
  test('a rule assigns the members it matches at once, due after its days, and a second sync changes nothing', async () => {
    const { org, scope, nurse, clerk } = await setup()
    const mod = await createModule(scope, moduleInput('Lab results in the new EHR inbox'))
    const before = Date.now()
    const result = await addRule(scope, { moduleId: mod.id, ...rule({ functions: ['clinical'], units: ['ward 7'], dueInDays: 10 }) })
    expect(result).toMatchObject({ created: 1, cancelled: 0 })
    const [a] = await openAssignments(nurse.id)
    expect(a).toMatchObject({ moduleId: mod.id, reason: 'rule', status: 'open' })
    expect(a!.dueAt.getTime() - before).toBeGreaterThanOrEqual(10 * 24 * 3600_000 - 5_000)
    expect(await openAssignments(clerk.id)).toHaveLength(0)

    expect(await syncTrainingAssignments(systemScope(org.id))).toEqual({ created: 0, cancelled: 0 })
    expect(await prisma.trainingAssignment.count({ where: { organizationId: org.id } })).toBe(1)
    // The change is audited as one summary.
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { organizationId: org.id, action: 'training.assignments_synced' }, orderBy: { seq: 'desc' } })
    expect(audit.metadata).toMatchObject({ created: 1, cancelled: 0, trigger: 'rule_added' })
  })

  test('a member leaving the audience loses the open assignment; completed ones stay; coming back assigns again', async () => {
    const { scope, nurse, nurseUser, org } = await setup()
    const mod = await createModule(scope, moduleInput('Patient portal messaging'))
    const other = await createModule(scope, moduleInput('Downtime procedures for lab orders'))
    await addRule(scope, { moduleId: mod.id, ...rule({ units: ['Ward 7'] }) })
    await addRule(scope, { moduleId: other.id, ...rule({ units: ['Ward 7'] }) })
    // The nurse completes one module.
    const nurseScope = await scopeFor(org, nurseUser)
    const done = (await openAssignments(nurse.id)).find((a) => a.moduleId === other.id)!
    await completeAssignment(nurseScope, { assignmentId: done.id })

    await updateMemberDetails(scope, nurse.id, { function: 'clinical', unit: 'ICU' })
    expect(await openAssignments(nurse.id)).toHaveLength(0)
    expect(await prisma.trainingAssignment.findUniqueOrThrow({ where: { id: done.id } })).toMatchObject({ status: 'completed' })

    await updateMemberDetails(scope, nurse.id, { function: 'clinical', unit: 'Ward 7' })
    const again = await openAssignments(nurse.id)
    // Only the module without a valid completion comes back.
    expect(again.map((a) => a.moduleId)).toEqual([mod.id])
  })

  test('a role change assigns what the new role calls for and releases what it no longer does', async () => {
    const { scope, nurse } = await setup()
    const staffOnly = await createModule(scope, moduleInput('Barcode specimen labelling'))
    const leadsOnly = await createModule(scope, moduleInput('Verifying at-the-elbow sessions'))
    await addRule(scope, { moduleId: staffOnly.id, ...rule({ roles: ['staff'] }) })
    await addRule(scope, { moduleId: leadsOnly.id, ...rule({ roles: ['clinical_lead'] }) })
    expect((await openAssignments(nurse.id)).map((a) => a.moduleId)).toEqual([staffOnly.id])
    await changeMemberRole(scope, { membershipId: nurse.id, role: 'clinical_lead' })
    expect((await openAssignments(nurse.id)).map((a) => a.moduleId)).toEqual([leadsOnly.id])
  })

  test('joining through an invitation assigns the training of the new role, function and unit', async () => {
    const { scope, org } = await setup()
    const mod = await createModule(scope, moduleInput('Welcome to the new EHR'))
    await addRule(scope, { moduleId: mod.id, ...rule({ functions: ['clinical'], units: ['Emergency Department'] }) })
    const email = `new-nurse-${Date.now()}@example.test`
    const manager = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, role: 'owner' } })
    await createInvitation(scope, { email, role: 'staff', function: 'clinical', unit: 'Emergency Department', managerId: manager.id }, { inviterName: 'Owner' })
    const inv = await prisma.invitation.findFirstOrThrow({ where: { organizationId: org.id, email } })
    // The token is only in the email: accept through a fresh invitation token of our own.
    const token = 'test-token-' + inv.id
    const { sha256 } = await import('#app/utils/crypto.server.ts')
    await prisma.invitation.update({ where: { id: inv.id }, data: { tokenHash: sha256(token) } })
    const { membership } = await acceptInvitation(token, { newAccount: { name: 'Ed Nurse', password: 'a long enough password 1' } })
    expect((await openAssignments(membership.id)).map((a) => a.moduleId)).toEqual([mod.id])
    // The line manager named on the invitation (by the roster import) is theirs now.
    expect(await prisma.membership.findUniqueOrThrow({ where: { id: membership.id } })).toMatchObject({ managerId: manager.id })
  })

  test('switching a rule off, changing it, removing it, archiving the module: all release open assignments', async () => {
    const { scope, org, nurse, clerk } = await setup()
    const mod = await createModule(scope, moduleInput('Downtime procedures'))
    const added = await addRule(scope, { moduleId: mod.id, ...rule() })
    expect(added!.created).toBe(3) // owner, nurse, clerk
    expect(await setRuleActive(scope, { moduleId: mod.id, ruleId: added!.rule.id, active: false })).toMatchObject({ cancelled: 3 })
    expect(await setRuleActive(scope, { moduleId: mod.id, ruleId: added!.rule.id, active: true })).toMatchObject({ created: 3 })
    const narrowed = await updateRule(scope, { moduleId: mod.id, ruleId: added!.rule.id, ...rule({ functions: ['operations'] }), active: true })
    expect(narrowed).toMatchObject({ cancelled: 2, created: 0 })
    expect(await openAssignments(clerk.id)).toHaveLength(1)
    expect(await openAssignments(nurse.id)).toHaveLength(0)
    expect(await setModuleArchived(scope, { moduleId: mod.id, archived: true })).toMatchObject({ cancelled: 1 })
    expect(await setModuleArchived(scope, { moduleId: mod.id, archived: false })).toMatchObject({ created: 1 })
    expect(await removeRule(scope, { moduleId: mod.id, ruleId: added!.rule.id })).toMatchObject({ cancelled: 1 })
    expect(await prisma.trainingAssignment.count({ where: { organizationId: org.id, status: 'open' } })).toBe(0)
  })

  test('two rules matching one member make one assignment (the sooner due), and a manual one is left alone', async () => {
    const { scope, org, nurse } = await setup()
    const mod = await createModule(scope, moduleInput('Lab results'))
    await prisma.trainingRule.createMany({
      data: [
        { organizationId: org.id, moduleId: mod.id, units: ['Ward 7'], dueInDays: 30 },
        { organizationId: org.id, moduleId: mod.id, roles: ['staff'], dueInDays: 5 },
      ],
    })
    await syncTrainingAssignments(systemScope(org.id))
    const open = await openAssignments(nurse.id)
    expect(open).toHaveLength(1)
    expect(open[0]!.dueAt.getTime()).toBeLessThan(Date.now() + 6 * 24 * 3600_000)
    // A manual assignment of another module to someone no rule matches survives a sync.
    const other = await createModule(scope, moduleInput('Something chosen by a manager'))
    await prisma.trainingAssignment.create({
      data: { organizationId: org.id, moduleId: other.id, membershipId: nurse.id, reason: 'manual', dueAt: new Date(Date.now() + 864e5) },
    })
    expect(await syncTrainingAssignments(systemScope(org.id))).toEqual({ created: 0, cancelled: 0 })
    expect(await openAssignments(nurse.id)).toHaveLength(2)
  })

  test('deactivated members are released and reassigned when reactivated; an expired completion is assigned again', async () => {
    const { scope, org, nurse, nurseUser } = await setup()
    const mod = await createModule(scope, moduleInput('Annual refresher', { refresherMonths: 12 }))
    await addRule(scope, { moduleId: mod.id, ...rule({ roles: ['staff'] }) })
    await deactivateMember(scope, nurse.id)
    expect(await openAssignments(nurse.id)).toHaveLength(0)
    await reactivateMember(scope, nurse.id)
    const [a] = await openAssignments(nurse.id)
    const nurseScope = await scopeFor(org, nurseUser)
    const completedAt = new Date('2025-01-15T10:00:00Z')
    await completeAssignment(nurseScope, { assignmentId: a!.id }, { now: completedAt })
    expect(await prisma.trainingAssignment.findUniqueOrThrow({ where: { id: a!.id } })).toMatchObject({
      completedAt,
      expiresAt: new Date('2026-01-15T10:00:00Z'),
    })
    expect(await syncTrainingAssignments(systemScope(org.id), {}, { now: new Date('2025-06-01T00:00:00Z') })).toEqual({ created: 0, cancelled: 0 })
    expect(await syncTrainingAssignments(systemScope(org.id), { membershipIds: [nurse.id] }, { now: new Date('2026-02-01T00:00:00Z') })).toEqual({ created: 1, cancelled: 0 })
  })

  test('a sync audits as its scope: the member whose change caused it, or the system for a job', async () => {
    const { org, scope, nurse } = await setup()
    const mod = await createModule(scope, moduleInput('Who did it'))
    await addRule(scope, { moduleId: mod.id, ...rule({ roles: ['staff'] }) })
    const synced = () => prisma.auditEvent.findFirstOrThrow({ where: { organizationId: org.id, action: 'training.assignments_synced' }, orderBy: { seq: 'desc' } })
    expect(await synced()).toMatchObject({ actorUserId: scope.userId, actorEmail: scope.userEmail, metadata: expect.objectContaining({ trigger: 'rule_added' }) })
    // A change the sync did not see (written behind its back): the job's repair run is the system's.
    await prisma.trainingRule.updateMany({ where: { moduleId: mod.id, organizationId: org.id }, data: { active: false } })
    expect(await syncTrainingAssignments(systemScope(org.id), { trigger: 'job' })).toEqual({ created: 0, cancelled: 2 })
    const bySystem = await synced()
    expect(bySystem).toMatchObject({ actorUserId: null, actorEmail: null, metadata: expect.objectContaining({ trigger: 'job', cancelled: 2 }) })
    expect(actorLabel(bySystem)).toBe('system')
    expect(await openAssignments(nurse.id)).toHaveLength(0)
  })

  test('in the caller’s transaction ({ tx }) the sync commits or rolls back with it', async () => {
    const { org, scope, nurse } = await setup()
    const mod = await createModule(scope, moduleInput('All or nothing'))
    await prisma.trainingRule.create({ data: { organizationId: org.id, moduleId: mod.id, roles: ['staff'] } })
    await expect(
      prisma.$transaction(async (tx) => {
        expect(await syncTrainingAssignments(scope, { membershipIds: [nurse.id] }, { tx })).toEqual({ created: 1, cancelled: 0 })
        throw new Error('the caller’s change failed')
      }),
    ).rejects.toThrow('the caller’s change failed')
    expect(await openAssignments(nurse.id)).toHaveLength(0)
  })

  test('concurrent syncs never make a second open assignment', async () => {
    const { scope, org } = await setup()
    const mod = await createModule(scope, moduleInput('Race'))
    await prisma.trainingRule.create({ data: { organizationId: org.id, moduleId: mod.id } })
    const results = await Promise.all([syncTrainingAssignments(systemScope(org.id)), syncTrainingAssignments(systemScope(org.id)), syncTrainingAssignments(systemScope(org.id))])
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(3)
    expect(await prisma.trainingAssignment.count({ where: { organizationId: org.id, status: 'open' } })).toBe(3)
  })
})

describe('checklists and verification', () => {
  async function withChecklist() {
    const s = await setup()
    const mod = await createModule(s.scope, moduleInput('Barcode specimen labelling', { refresherMonths: 6 }))
    const print = await addChecklistItem(s.scope, { moduleId: mod.id, label: 'Print a label from the order' })
    const elbow = await addChecklistItem(s.scope, { moduleId: mod.id, label: 'At-the-elbow session on the ward', verifierRole: 'clinical_lead' })
    await addRule(s.scope, { moduleId: mod.id, ...rule({ functions: ['clinical'] }) })
    const [assignment] = await openAssignments(s.nurse.id)
    const nurseScope = await scopeFor(s.org, s.nurseUser)
    const leadUser = await createTestUser({ name: 'Lee Lead' })
    await addMember(s.org, leadUser, 'clinical_lead', 'clinical', 'Ward 7')
    const leadScope = await scopeFor(s.org, leadUser)
    // Added by a factory (not an invitation): sync as the job would.
    await syncTrainingAssignments(systemScope(s.org.id))
    return { ...s, mod, print: print!, elbow: elbow!, assignment: assignment!, nurseScope, leadScope }
  }

  test('tick, untick, pending verification, verified by the role, then complete with an expiry', async () => {
    const t = await withChecklist()
    await checkItem(t.nurseScope, { assignmentId: t.assignment.id, itemId: t.print.id })
    await checkItem(t.nurseScope, { assignmentId: t.assignment.id, itemId: t.print.id }) // twice is harmless
    await uncheckItem(t.nurseScope, { assignmentId: t.assignment.id, itemId: t.print.id })
    expect((await getMyAssignment(t.nurseScope, t.assignment.id))!.items.map((i) => i.state)).toEqual(['todo', 'todo'])
    await checkItem(t.nurseScope, { assignmentId: t.assignment.id, itemId: t.print.id })
    await checkItem(t.nurseScope, { assignmentId: t.assignment.id, itemId: t.elbow.id })
    const mine = await getMyAssignment(t.nurseScope, t.assignment.id)
    expect(mine!.items.map((i) => i.state)).toEqual(['done', 'pending'])
    expect(mine!.canComplete).toBe(false)
    await expectDomainError(completeAssignment(t.nurseScope, { assignmentId: t.assignment.id }), 'RULE_VIOLATION', /verification/)

    const queue = await listVerificationQueue(t.leadScope)
    expect(queue).toHaveLength(1)
    expect(queue[0]).toMatchObject({ label: 'At-the-elbow session on the ward', member: { name: 'Nia Nurse' } })
    // Another role can't verify, and the staff member sees an empty queue.
    await expectDomainError(verifyCheck(t.scope, queue[0]!.id), 'RULE_VIOLATION', /role/)
    expect(await listVerificationQueue(t.nurseScope)).toHaveLength(0)
    await verifyCheck(t.leadScope, queue[0]!.id)
    expect((await listMyTraining(t.nurseScope)).open[0]).toMatchObject({ total: 2, done: 2, pending: 0 })

    const now = new Date('2026-03-31T12:00:00Z')
    expect(await completeAssignment(t.nurseScope, { assignmentId: t.assignment.id }, { now })).toEqual({ completedAt: now, expiresAt: new Date('2026-09-30T12:00:00Z') })
    const mine2 = await listMyTraining(t.nurseScope)
    expect(mine2.open).toHaveLength(0)
    expect(mine2.completed[0]).toMatchObject({ id: t.assignment.id, expiresAt: new Date('2026-09-30T12:00:00Z') })
    // Nothing changes on a completed assignment.
    await expectDomainError(uncheckItem(t.nurseScope, { assignmentId: t.assignment.id, itemId: t.print.id }), 'CONFLICT')
  })

  test('a verifier cannot verify their own assignment, and can send a tick back', async () => {
    const t = await withChecklist()
    // The clinical lead also has the module (function clinical).
    const [leadAssignment] = await openAssignments(t.leadScope.membershipId)
    await checkItem(t.leadScope, { assignmentId: leadAssignment!.id, itemId: t.elbow.id })
    const own = await prisma.trainingItemCheck.findFirstOrThrow({ where: { assignmentId: leadAssignment!.id } })
    expect((await listVerificationQueue(t.leadScope)).map((c) => c.id)).not.toContain(own.id)
    await expectDomainError(verifyCheck(t.leadScope, own.id), 'RULE_VIOLATION', /own/)

    await checkItem(t.nurseScope, { assignmentId: t.assignment.id, itemId: t.elbow.id })
    const [check] = await listVerificationQueue(t.leadScope)
    await returnCheck(t.leadScope, check!.id)
    expect((await getMyAssignment(t.nurseScope, t.assignment.id))!.items[1]!.state).toBe('todo')
  })

  test("nobody reads or ticks someone else's assignment; another organisation's scope gets nothing", async () => {
    const t = await withChecklist()
    const clerkScope = await scopeFor(t.org, t.clerkUser)
    expect(await getMyAssignment(clerkScope, t.assignment.id)).toBeNull()
    expect(await checkItem(clerkScope, { assignmentId: t.assignment.id, itemId: t.print.id })).toBeNull()
    expect(await uncheckItem(clerkScope, { assignmentId: t.assignment.id, itemId: t.print.id })).toBeNull()
    expect(await completeAssignment(clerkScope, { assignmentId: t.assignment.id })).toBeNull()
    expect(await prisma.trainingItemCheck.count({ where: { assignmentId: t.assignment.id } })).toBe(0)

    const outsider = await createOrgWithOwner()
    const outsiderLead = await createTestUser()
    await addMember(outsider.org, outsiderLead, 'clinical_lead')
    const outsiderLeadScope = await scopeFor(outsider.org, outsiderLead)
    await checkItem(t.nurseScope, { assignmentId: t.assignment.id, itemId: t.elbow.id })
    const check = await prisma.trainingItemCheck.findFirstOrThrow({ where: { assignmentId: t.assignment.id, itemId: t.elbow.id } })
    expect(await listVerificationQueue(outsiderLeadScope)).toHaveLength(0)
    expect(await verifyCheck(outsiderLeadScope, check.id)).toBeNull()
    expect(await returnCheck(outsiderLeadScope, check.id)).toBeNull()
    expect(await getAssignment(outsider.scope, t.assignment.id)).toBeNull()
    expect(await checkItem(outsider.scope, { assignmentId: t.assignment.id, itemId: t.print.id })).toBeNull()
    expect(await completeAssignment(outsider.scope, { assignmentId: t.assignment.id })).toBeNull()
    expect(await syncTrainingAssignments(systemScope(outsider.org.id))).toEqual({ created: 0, cancelled: 0 })
    expect(await prisma.trainingItemCheck.findUniqueOrThrow({ where: { id: check.id } })).toMatchObject({ verifiedAt: null })
  })
})
