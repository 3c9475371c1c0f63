import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { scenarioInput, setUpUat, signOff } from '#tests/uat-fixtures.ts'
import { applyScenarioImport, exportScenarios, previewScenarioImport } from './scenario-io.server.ts'
import { createScenario, getScenario, listScenarios } from './scenarios.server.ts'

const HEADER = 'number,interface,title,priority,edge_cases,preconditions,steps,expected_result,mapping_rows'

describe('UAT scenarios import and export', () => {
  test('export → import changes nothing; an edited export updates by number, adds the unnumbered, and makes covering sign-offs stale', async () => {
    const { scope, project, iface, lineages, as } = await setUpUat()
    const lead = await as('clinical_lead')
    const s1 = (await createScenario(scope, { projectId: project.id, ...scenarioInput({ title: 'Null OBX-5, "quoted", =formula', interfaceId: iface.id, lineageIds: [lineages.value, lineages.flag], edgeCases: ['null_values', 'special_characters'], preconditions: 'Sandbox patient\nadmitted' }) }))!
    await createScenario(scope, { projectId: project.id, ...scenarioInput({ title: 'Whole project', priority: 'critical' }) })
    const before = await Promise.all((await listScenarios(scope, { projectId: project.id })).scenarios.map((s) => getScenario(scope, { projectId: project.id, scenarioId: s.id })))

    const file = (await exportScenarios(scope, { projectId: project.id }))!
    expect(file.fileName).toMatch(/^uat-project-/)
    expect(file.body).toContain('OBX-5; OBX-8')
    const same = (await previewScenarioImport(scope, { projectId: project.id, fileName: file.fileName, content: file.body }))!
    expect(same.plan.errors).toEqual([])
    expect(same.plan.counts).toEqual({ added: 0, updated: 0, unchanged: 2 })
    await applyScenarioImport(scope, { projectId: project.id, batchId: same.batchId! })
    const after = await Promise.all(before.map((s) => getScenario(scope, { projectId: project.id, scenarioId: s!.id })))
    expect(after.map((s) => ({ ...s, updatedAt: null }))).toEqual(before.map((s) => ({ ...s, updatedAt: null })))

    const signoff = await signOff({ organizationId: scope.organizationId, projectId: project.id, signerId: lead.membershipId, scenarioIds: [s1.id] })
    const edited = file.body.replace('Null OBX-5', 'Empty OBX-5') + ',,Large batch,low,large_volume,,Send 5000 results,All filed within 10 minutes,\r\n'
    const preview = (await previewScenarioImport(scope, { projectId: project.id, fileName: 'edited.csv', content: edited }))!
    expect(preview.plan.counts).toEqual({ added: 1, updated: 1, unchanged: 1 })
    expect(preview.plan.changes.find((c) => c.kind === 'updated')).toMatchObject({ label: 'S-1', fields: ['title'] })
    expect(await prisma.uatScenario.count({ where: { projectId: project.id } })).toBe(2)
    const applied = (await applyScenarioImport(scope, { projectId: project.id, batchId: preview.batchId! }))!
    expect(applied.status).toBe('applied')
    const list = (await listScenarios(scope, { projectId: project.id })).scenarios
    expect(list.map((s) => `${s.label} ${s.title}`)).toEqual(['S-1 Empty OBX-5, "quoted", =formula', 'S-2 Whole project', 'S-3 Large batch'])
    expect((await prisma.uatSignoffStale.findUniqueOrThrow({ where: { signoffId: signoff.id } })).reason).toBe('S-1 was edited by a CSV import')
    expect(await prisma.auditEvent.count({ where: { organizationId: scope.organizationId, action: 'uat.imported' } })).toBe(2)
    // The same batch twice: refused.
    await expectDomainError(applyScenarioImport(scope, { projectId: project.id, batchId: preview.batchId! }), 'CONFLICT')
  })

  test('bad lines are named by line and column and nothing is saved', async () => {
    const { scope, project, iface, other } = await setUpUat()
    await createScenario(scope, { projectId: project.id, ...scenarioInput() })
    const csv = [
      HEADER,
      `S-9,${iface.name},Unknown number,,,,steps,result,`,
      `,${other.name},Out of scope,,,,steps,result,`,
      `,${iface.name},Unknown row,,,,steps,result,PID-99`,
      `,,Rows without interface,,,,steps,result,OBX-5`,
      `,,No steps,,,,,result,`,
      `,${iface.name},Fine,,,,steps,result,OBX-5`,
    ].join('\r\n')
    const preview = (await previewScenarioImport(scope, { projectId: project.id, fileName: 'bad.csv', content: csv }))!
    expect(preview.batchId).toBeNull()
    expect(preview.plan.errors.map((e) => `${e.line}:${e.column}`)).toEqual(['2:number', '3:interface', '4:mapping_rows', '5:mapping_rows', '6:steps'])
    expect(preview.plan.errors[0]!.message).toMatch(/No scenario S-9/)
    expect(await prisma.uatScenario.count({ where: { projectId: project.id } })).toBe(1)
    expect(await prisma.importBatch.count({ where: { organizationId: scope.organizationId } })).toBe(0)
  })

  test('a batch applies only to its own project and organisation; readers cannot import', async () => {
    const mine = await setUpUat()
    const theirs = await setUpUat()
    const csv = `${HEADER}\r\n,,New,,,,steps,result,\r\n`
    const preview = (await previewScenarioImport(mine.scope, { projectId: mine.project.id, fileName: 'a.csv', content: csv }))!
    expect(await applyScenarioImport(theirs.scope, { projectId: mine.project.id, batchId: preview.batchId! })).toBeNull()
    expect(await applyScenarioImport(theirs.scope, { projectId: theirs.project.id, batchId: preview.batchId! })).toBeNull()
    expect(await previewScenarioImport(theirs.scope, { projectId: mine.project.id, content: csv })).toBeNull()
    expect(await exportScenarios(theirs.scope, { projectId: mine.project.id })).toBeNull()
    await expectDomainError(previewScenarioImport(await mine.as('staff'), { projectId: mine.project.id, content: csv }), 'FORBIDDEN')
    expect(await prisma.uatScenario.count({ where: { projectId: mine.project.id } })).toBe(0)
  })
})
