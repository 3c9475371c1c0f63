import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { scenarioInput, setUpUat, signOff } from '#tests/uat-fixtures.ts'
import { createScenario, getScenario, listMappingRowOptions, listScenarios, updateScenario } from './scenarios.server.ts'

describe('UAT scenarios', () => {
  test('are numbered S-1, S-2 … per project, also when written at the same time; the author is the writer; each is audited', async () => {
    const { scope, project, as } = await setUpUat()
    const analyst = await as('analyst')
    const made = await Promise.all(Array.from({ length: 5 }, () => createScenario(analyst, { projectId: project.id, ...scenarioInput() })))
    expect(made.map((s) => s!.number).sort()).toEqual([1, 2, 3, 4, 5])
    expect(made.every((s) => s!.authorId === analyst.membershipId)).toBe(true)
    expect(await prisma.auditEvent.count({ where: { organizationId: scope.organizationId, action: 'uat.scenario_created', targetId: project.id } })).toBe(5)
    const { scope: s2, project: p2 } = await setUpUat()
    expect((await createScenario(s2, { projectId: p2.id, ...scenarioInput() }))!.number).toBe(1)
  })

  test('is about the whole project or one interface in its scope, with that interface’s mapping rows; anything else is a field error', async () => {
    const { scope, project, iface, other, lineages } = await setUpUat()
    const s = (await createScenario(scope, { projectId: project.id, ...scenarioInput({ interfaceId: iface.id, lineageIds: [lineages.value, lineages.flag], edgeCases: ['null_values', 'duplicates'], priority: 'high' }) }))!
    const view = (await getScenario(scope, { projectId: project.id, scenarioId: s.id }))!
    expect(view).toMatchObject({ label: 'S-1', interface: iface.name, priority: 'high', edgeCases: ['duplicates', 'null_values'] })
    expect(view.lineageIds.sort()).toEqual([lineages.value, lineages.flag].sort())
    expect((await listMappingRowOptions(scope, { interfaceId: iface.id })).map((o) => o.sourcePath)).toEqual(['OBX-5', 'OBX-8'])

    const outOfScope = await expectDomainError(createScenario(scope, { projectId: project.id, ...scenarioInput({ interfaceId: other.id }) }), 'RULE_VIOLATION', /scope/)
    expect(outOfScope.field).toBe('interfaceId')
    const foreign = await setUpUat()
    expect((await expectDomainError(createScenario(scope, { projectId: project.id, ...scenarioInput({ interfaceId: foreign.iface.id }) }), 'RULE_VIOLATION')).field).toBe('interfaceId')
    expect((await expectDomainError(createScenario(scope, { projectId: project.id, ...scenarioInput({ interfaceId: iface.id, lineageIds: [foreign.lineages.value] }) }), 'RULE_VIOLATION')).field).toBe('lineageIds')
    expect((await expectDomainError(createScenario(scope, { projectId: project.id, ...scenarioInput({ lineageIds: [lineages.value] }) }), 'RULE_VIOLATION')).field).toBe('lineageIds')
    expect(await prisma.uatScenario.count({ where: { projectId: project.id } })).toBe(1)
  })

  test('only uat:write writes; every reader lists', async () => {
    const { project, as } = await setUpUat()
    const staff = await as('staff')
    await expectDomainError(createScenario(staff, { projectId: project.id, ...scenarioInput() }), 'FORBIDDEN')
    const lead = await as('clinical_lead')
    await createScenario(lead, { projectId: project.id, ...scenarioInput({ title: 'Critical potassium', edgeCases: ['unexpected_codes'] }) })
    const list = await listScenarios(staff, { projectId: project.id })
    expect(list.scenarios.map((s) => s.title)).toEqual(['Critical potassium'])
    expect(list.scenarios[0]).toMatchObject({ latest: null, openDefects: 0 })
    expect((await listScenarios(staff, { projectId: project.id, edgeCase: 'null_values' })).total).toBe(0)
    expect((await listScenarios(staff, { projectId: project.id, latest: 'not_run' })).total).toBe(1)
    expect((await listScenarios(staff, { projectId: project.id, latest: 'pass' })).total).toBe(0)
    expect((await listScenarios(staff, { projectId: project.id, interfaceId: 'project' })).total).toBe(1)
  })

  test('another organisation’s scope can neither read nor change a scenario', async () => {
    const mine = await setUpUat()
    const theirs = await setUpUat()
    const s = (await createScenario(mine.scope, { projectId: mine.project.id, ...scenarioInput({ title: 'Mine' }) }))!
    expect(await getScenario(theirs.scope, { projectId: mine.project.id, scenarioId: s.id })).toBeNull()
    expect((await listScenarios(theirs.scope, { projectId: mine.project.id })).total).toBe(0)
    expect(await createScenario(theirs.scope, { projectId: mine.project.id, ...scenarioInput() })).toBeNull()
    expect(await updateScenario(theirs.scope, { projectId: mine.project.id, scenarioId: s.id, ...scenarioInput({ title: 'Theirs' }) })).toBeNull()
    // Their own project, my scenario's id: not found either.
    expect(await updateScenario(theirs.scope, { projectId: theirs.project.id, scenarioId: s.id, ...scenarioInput({ title: 'Theirs' }) })).toBeNull()
    expect((await prisma.uatScenario.findUniqueOrThrow({ where: { id: s.id } })).title).toBe('Mine')
  })

  test('an edit makes the sign-offs covering the scenario stale in the same transaction, and tells the signer and the project owner', async () => {
    const { scope, project, as } = await setUpUat()
    const analyst = await as('analyst')
    const lead = await as('clinical_lead')
    const s1 = (await createScenario(analyst, { projectId: project.id, ...scenarioInput({ title: 'Null OBX-5' }) }))!
    const s2 = (await createScenario(analyst, { projectId: project.id, ...scenarioInput({ title: 'Other' }) }))!
    const covering = await signOff({ organizationId: scope.organizationId, projectId: project.id, signerId: lead.membershipId, scenarioIds: [s1.id] })
    const notCovering = await signOff({ organizationId: scope.organizationId, projectId: project.id, signerId: lead.membershipId, scenarioIds: [s2.id] })

    // Saving the same content is no edit: nothing goes stale.
    await updateScenario(analyst, { projectId: project.id, scenarioId: s1.id, ...scenarioInput({ title: 'Null OBX-5' }) })
    expect(await prisma.uatSignoffStale.count({ where: { signoffId: covering.id } })).toBe(0)

    // A change that fails after the scenario was written rolls the staleness back with it.
    await expect(
      prisma.$transaction(async (tx) => {
        await updateScenario(analyst, { projectId: project.id, scenarioId: s1.id, ...scenarioInput({ title: 'Rolled back' }) }, { tx })
        expect(await tx.uatSignoffStale.count({ where: { signoffId: covering.id } })).toBe(1)
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect(await prisma.uatSignoffStale.count({ where: { signoffId: covering.id } })).toBe(0)

    await updateScenario(analyst, { projectId: project.id, scenarioId: s1.id, ...scenarioInput({ title: 'Null OBX-5 files as no result' }) })
    const stale = await prisma.uatSignoffStale.findUniqueOrThrow({ where: { signoffId: covering.id } })
    expect(stale.reason).toBe('S-1 was edited')
    expect(await prisma.uatSignoffStale.count({ where: { signoffId: notCovering.id } })).toBe(0)
    const told = await prisma.notification.findMany({ where: { organizationId: scope.organizationId, kind: 'gate.signoff_stale' }, select: { membershipId: true, body: true } })
    expect(told.map((n) => n.membershipId).sort()).toEqual([lead.membershipId, scope.membershipId].sort())
    expect(told[0]!.body).toMatch(/S-1 was edited/)
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { organizationId: scope.organizationId, action: 'uat.scenario_updated' } })
    expect(audit.metadata).toMatchObject({ changes: { title: { from: 'Null OBX-5', to: 'Null OBX-5 files as no result' } } })
  })
})
