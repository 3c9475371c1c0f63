/** The gate's daily tasks with an injected clock: each notice once, to the right people; the run is idempotent. */
import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { createOrgWithOwner, scopeFor } from '#tests/factories.ts'
import { readyProject } from '#tests/readiness-factories.ts'
import { grantExemption } from './gate.server.ts'
import { runTrainingReminders } from '#app/models/training/training-reminder.server.ts'
import { runGateDaily } from './gate-tasks.server.ts'

const DAY = 86_400_000
const day = (d: Date) => d.toISOString().slice(0, 10)

describe('the gate’s daily run', () => {
  test('the gate failing 30 then 7 days before the pilot’s go-live: the rollout’s A and R told once per threshold; nothing when it passes', async () => {
    const { org, scope } = await createOrgWithOwner()
    const ready = await readyProject({ org, ownerScope: scope })
    const job = systemScope(org.id)
    const now = new Date()
    // Passing: nothing to tell.
    expect(await runGateDaily(job, { now: new Date(now.getTime() + 40 * DAY) })).toMatchObject({ failing: 0, notices: 0 })
    await prisma.mappingRow.update({ where: { id: ready.row.id }, data: { reviewState: 'in_review' } })
    // 60 days before: not yet. 35 days before go-live… still more than 30.
    expect((await runGateDaily(job, { now })).notices).toBe(0)
    const at40 = new Date(now.getTime() + 40 * DAY) // go-live in 20 days
    expect(await runGateDaily(job, { now: at40 })).toMatchObject({ failing: 1, notices: 2 })
    expect(await runGateDaily(job, { now: at40 })).toMatchObject({ notices: 0 })
    expect((await runGateDaily(job, { now: new Date(now.getTime() + 45 * DAY) })).notices).toBe(0)
    const notices = await prisma.notification.findMany({ where: { organizationId: org.id }, orderBy: { membershipId: 'asc' } })
    expect(notices.map((n) => n.membershipId).sort()).toEqual([ready.manager.id, ready.ops.id].sort())
    expect(notices[0]).toMatchObject({ kind: 'gate.failing_30', link: `/o/${org.slug}/projects/${ready.project.id}/readiness` })
    expect(notices[0]!.title).toMatch(/^Go-live in 20 days, gate failing: Ready/)
    expect(notices[0]!.body).toMatch(/1 readiness check fails: Mapping coverage/)
    const at55 = new Date(now.getTime() + 55 * DAY)
    expect(await runGateDaily(job, { now: at55 })).toMatchObject({ notices: 2 })
    expect(await runGateDaily(job, { now: at55 })).toMatchObject({ notices: 0 })
    expect(await prisma.notification.count({ where: { organizationId: org.id, kind: 'gate.failing_7' } })).toBe(2)
  })

  test('an exemption: its grantor and the project owner told 7 days before it expires and once it has, once; marked and audited', async () => {
    const { org, scope } = await createOrgWithOwner()
    const ready = await readyProject({ org, ownerScope: scope })
    const compliance = await scopeFor(org, { id: (await prisma.membership.findUniqueOrThrow({ where: { id: ready.compliance.id } })).userId })
    const now = new Date()
    const expiresOn = day(new Date(now.getTime() + 20 * DAY))
    const exemption = (await grantExemption(compliance, { projectId: ready.project.id, checkKey: 'regression_tested', reason: 'Legacy feed, regression set being written.', expiresOn }))!
    const job = systemScope(org.id)
    expect((await runGateDaily(job, { now })).notices).toBe(0)
    const soon = new Date(now.getTime() + 15 * DAY)
    expect(await runGateDaily(job, { now: soon })).toMatchObject({ expiringSoon: 1, notices: 2 })
    expect(await runGateDaily(job, { now: soon })).toMatchObject({ notices: 0 })
    const after = new Date(now.getTime() + 22 * DAY)
    expect(await runGateDaily(job, { now: after })).toMatchObject({ expired: 1, notices: 2 })
    expect(await runGateDaily(job, { now: after })).toMatchObject({ expired: 0, notices: 0 })
    const kinds = await prisma.notification.findMany({ where: { organizationId: org.id }, select: { kind: true, membershipId: true, title: true } })
    expect(kinds.filter((k) => k.kind === 'gate.exemption_expired').map((k) => k.membershipId).sort()).toEqual([ready.compliance.id, ready.manager.id].sort())
    expect(kinds.find((k) => k.kind === 'gate.exemption_expiring')!.title).toMatch(/^Exemption expires in 5 days: Regression tested within 12 months/)
    expect((await prisma.gateExemption.findUniqueOrThrow({ where: { id: exemption.id } })).expiryNotifiedAt).not.toBeNull()
    expect(await prisma.auditEvent.count({ where: { organizationId: org.id, action: 'gate.exemption_expired' } })).toBe(1)
  })

  test('the gate tasks reach the daily digest email, also of someone with no training reminder', async () => {
    const { org, scope } = await createOrgWithOwner()
    const ready = await readyProject({ org, ownerScope: scope })
    await prisma.mappingRow.update({ where: { id: ready.row.id }, data: { reviewState: 'in_review' } })
    const job = systemScope(org.id)
    await runGateDaily(job, { now: new Date(Date.now() + 40 * DAY) })
    const result = await runTrainingReminders(job, { respectQuietHours: false })
    expect(result.emailed).toBe(2)
    const email = (await prisma.membership.findUniqueOrThrow({ where: { id: ready.manager.id }, include: { user: true } })).user.email
    const digest = await prisma.emailOutbox.findFirstOrThrow({ where: { organizationId: org.id, toEmail: email, template: 'training-digest' } })
    expect(digest.subject).toMatch(/1 go-live gate task/)
    expect(digest.html).toMatch(/Go-live gate tasks/)
    expect(digest.text).toMatch(/Go-live in 20 days, gate failing: Ready/)
    // Once a day: a second run sends nothing more.
    expect((await runTrainingReminders(job, { respectQuietHours: false })).emailed).toBe(0)
  })
})
