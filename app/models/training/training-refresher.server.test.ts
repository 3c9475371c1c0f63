import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { SYSTEM_COLUMNS } from '#app/models/inventory/inventory-csv.ts'
import { InterfaceSchema, SystemSchema } from '#app/models/inventory/inventory.ts'
import { createOrgWithOwner, uniqueSuffix } from '#tests/factories.ts'
import { assign, createModule, createStaff, daysFrom } from '#tests/training-factories.ts'
import { createInterface, updateInterface } from '../inventory/interface.server.ts'
import { applyImport, previewImport } from '../inventory/inventory-csv.server.ts'
import { createSystem, updateSystem } from '../inventory/system.server.ts'
import { CHANGE_REFRESHER_DUE_DAYS, createExpiryRefreshers } from './training-refresher.server.ts'

const T0 = new Date('2026-11-10T10:00:00.000Z')

const openOf = (membershipId: string, moduleId: string) =>
  prisma.trainingAssignment.findMany({ where: { membershipId, moduleId, status: 'open' } })

describe('expiry refreshers', () => {
  test('a completion expiring within 30 days gets a refresher due when it expires, once', async () => {
    const { org } = await createOrgWithOwner()
    const module = await createModule(org, { refresherMonths: 12 })
    const soon = await createStaff(org)
    const later = await createStaff(org)
    const expired = await createStaff(org)
    const busy = await createStaff(org)
    const completed = (m: { membership: { id: string } }, expiresAt: Date) =>
      assign(org, m.membership.id, module.id, { dueAt: daysFrom(T0, -400), status: 'completed', completedAt: daysFrom(T0, -340), expiresAt, createdAt: daysFrom(T0, -400) })
    await completed(soon, daysFrom(T0, 20))
    await completed(later, daysFrom(T0, 45))
    await completed(expired, daysFrom(T0, -3))
    await completed(busy, daysFrom(T0, 10))
    await assign(org, busy.membership.id, module.id, { dueAt: daysFrom(T0, 5) }) // already re-training

    expect(await createExpiryRefreshers(systemScope(org.id), { now: T0 })).toEqual({ created: 2 })
    const [r] = await openOf(soon.membership.id, module.id)
    expect(r).toMatchObject({ reason: 'refresher_expiry', dueAt: daysFrom(T0, 20), reasonDetail: 'Your completion of 5 Dec 2025 expires on 30 Nov 2026' })
    expect(await openOf(later.membership.id, module.id)).toHaveLength(0)
    expect((await openOf(expired.membership.id, module.id))[0]).toMatchObject({ reason: 'refresher_expiry', reasonDetail: expect.stringContaining('expired on 7 Nov 2026') })
    expect((await openOf(busy.membership.id, module.id))[0]).toMatchObject({ reason: 'manual' })

    // Idempotent: the next day's run makes nothing new; a cancelled refresher is not made again.
    expect(await createExpiryRefreshers(systemScope(org.id), { now: daysFrom(T0, 1) })).toEqual({ created: 0 })
    await prisma.trainingAssignment.updateMany({ where: { membershipId: soon.membership.id, status: 'open' }, data: { status: 'cancelled' } })
    expect(await createExpiryRefreshers(systemScope(org.id), { now: daysFrom(T0, 2) })).toEqual({ created: 0 })

    const audit = await prisma.auditEvent.findMany({ where: { organizationId: org.id, action: 'training.refreshers_created' } })
    expect(audit).toHaveLength(1)
    expect(audit[0]!.metadata).toMatchObject({ trigger: 'expiry', created: 2 })
  })
})

describe('change refreshers', () => {
  async function estate() {
    const { org, scope } = await createOrgWithOwner()
    const epic = await createSystem(scope, SystemSchema.parse({ name: `Epic ${uniqueSuffix()}`, kind: 'ehr', version: '2025.2' }))
    const lis = await createSystem(scope, SystemSchema.parse({ name: `Beaker ${uniqueSuffix()}`, kind: 'lis', version: '9.1' }))
    const other = await createSystem(scope, SystemSchema.parse({ name: `Pharmacy ${uniqueSuffix()}`, kind: 'pharmacy', version: '1' }))
    const epicModule = await createModule(org, { title: 'Epic orders', systemIds: [epic.id] })
    const lisModule = await createModule(org, { title: 'Beaker specimens', systemIds: [lis.id] })
    const trained = await createStaff(org)
    const untrained = await createStaff(org)
    const retraining = await createStaff(org)
    for (const m of [epicModule, lisModule]) {
      await assign(org, trained.membership.id, m.id, { dueAt: daysFrom(T0, -30), status: 'completed', completedAt: daysFrom(T0, -31) })
    }
    await assign(org, untrained.membership.id, epicModule.id, { dueAt: daysFrom(T0, 3) })
    await assign(org, retraining.membership.id, epicModule.id, { dueAt: daysFrom(T0, -30), status: 'completed', completedAt: daysFrom(T0, -31), createdAt: daysFrom(T0, -60) })
    await assign(org, retraining.membership.id, epicModule.id, { dueAt: daysFrom(T0, 3), createdAt: daysFrom(T0, -1) })
    return { org, scope, epic, lis, other, epicModule, lisModule, trained, untrained, retraining }
  }

  test('an upgrade gives everyone who completed a module of that system a refresher due in 14 days, in the same transaction', async () => {
    const e = await estate()
    const before = Date.now()
    await updateSystem(e.scope, { systemId: e.epic.id, ...SystemSchema.parse({ name: e.epic.name, kind: 'ehr', version: '2026.1' }) })
    const [r] = await openOf(e.trained.membership.id, e.epicModule.id)
    expect(r).toMatchObject({ reason: 'refresher_change', reasonDetail: `${e.epic.name} upgraded from 2025.2 to 2026.1` })
    expect(r!.dueAt.getTime() - before).toBeGreaterThanOrEqual(CHANGE_REFRESHER_DUE_DAYS * 86_400_000 - 1000)
    expect(r!.dueAt.getTime() - Date.now()).toBeLessThanOrEqual(CHANGE_REFRESHER_DUE_DAYS * 86_400_000)
    // Not for modules of other systems, not for someone never trained or already re-training.
    expect(await openOf(e.trained.membership.id, e.lisModule.id)).toHaveLength(0)
    expect((await openOf(e.untrained.membership.id, e.epicModule.id))[0]).toMatchObject({ reason: 'manual' })
    expect(await openOf(e.retraining.membership.id, e.epicModule.id)).toMatchObject([{ reason: 'manual' }])

    const audit = await prisma.auditEvent.findMany({ where: { organizationId: e.org.id, targetId: e.epic.id }, orderBy: { seq: 'asc' } })
    expect(audit.map((a) => a.action)).toEqual(['system.created', 'system.upgraded', 'training.refreshers_created'])
    expect(audit[2]).toMatchObject({ actorUserId: e.scope.userId, metadata: expect.objectContaining({ trigger: 'system.upgraded', created: 1 }) })

    // Other edits, a first version or the same version again: no refresher.
    await updateSystem(e.scope, { systemId: e.epic.id, ...SystemSchema.parse({ name: e.epic.name, kind: 'ehr', version: '2026.1', notes: 'moved rooms' }) })
    await updateSystem(e.scope, { systemId: e.other.id, ...SystemSchema.parse({ name: e.other.name, kind: 'pharmacy', version: '2' }) })
    expect(await prisma.trainingAssignment.count({ where: { organizationId: e.org.id, reason: 'refresher_change' } })).toBe(1)
  })

  test('a refresher fails with its change: an upgrade that is rolled back leaves no refresher', async () => {
    const e = await estate()
    await expect(
      prisma.$transaction(async (tx) => {
        await updateSystem(e.scope, { systemId: e.epic.id, ...SystemSchema.parse({ name: e.epic.name, kind: 'ehr', version: '2026.1' }) }, { tx })
        throw new Error('something else in the same change failed')
      }),
    ).rejects.toThrow(/something else/)
    expect(await openOf(e.trained.membership.id, e.epicModule.id)).toHaveLength(0)
  })

  test('an interface going live refreshes the modules of both its ends', async () => {
    const e = await estate()
    const input = (lifecycle: string) =>
      InterfaceSchema.parse({ name: 'Lab results', sourceSystemId: e.lis.id, targetSystemId: e.epic.id, standard: 'hl7v2', messageTypes: 'ORU^R01', transport: 'mllp', approach: 'via_engine', lifecycle })
    const iface = await createInterface(e.scope, input('test'))
    expect(await prisma.trainingAssignment.count({ where: { organizationId: e.org.id, reason: 'refresher_change' } })).toBe(0)
    await updateInterface(e.scope, { interfaceId: iface.id, ...input('live') })
    const detail = `Interface Lab results (${e.lis.name} → ${e.epic.name}) went live`
    expect(await openOf(e.trained.membership.id, e.epicModule.id)).toMatchObject([{ reason: 'refresher_change', reasonDetail: detail }])
    expect(await openOf(e.trained.membership.id, e.lisModule.id)).toMatchObject([{ reason: 'refresher_change', reasonDetail: detail }])
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { organizationId: e.org.id, action: 'training.refreshers_created' } })
    expect(audit).toMatchObject({ targetType: 'interface', targetId: iface.id, metadata: expect.objectContaining({ trigger: 'interface.went_live', created: 2 }) })
  })

  test('an upgrade in a CSV import refreshes like the form does', async () => {
    const e = await estate()
    const cells = (name: string, kind: string, version: string) => SYSTEM_COLUMNS.map((c) => ({ name, kind, version })[c.name as 'name'] ?? '').join(',')
    const csv = [SYSTEM_COLUMNS.map((c) => c.name).join(','), cells(e.epic.name, 'ehr', '2026.1'), cells(e.lis.name, 'lis', '9.1'), cells(e.other.name, 'pharmacy', '1')].join('\n') + '\n'
    const preview = await previewImport(e.scope, { kind: 'systems', fileName: 'estate.csv', content: csv })
    expect(preview.plan.errors).toEqual([])
    expect(await applyImport(e.scope, preview.batchId!)).toMatchObject({ status: 'applied' })
    expect(await openOf(e.trained.membership.id, e.epicModule.id)).toMatchObject([{ reason: 'refresher_change', reasonDetail: `${e.epic.name} upgraded from 2025.2 to 2026.1` }])
    expect(await openOf(e.trained.membership.id, e.lisModule.id)).toHaveLength(0)
  })
})
