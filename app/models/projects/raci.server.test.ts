import { describe, expect, test } from 'vitest'
import { createInterface } from '#app/models/inventory/interface.server.ts'
import { createSystem } from '#app/models/inventory/system.server.ts'
import { InterfaceSchema, SystemSchema } from '#app/models/inventory/inventory.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { addStep, createProject, deleteStep, updateProject } from './projects.server.ts'
import {
  addRaciActivity,
  applyRaciImport,
  applyRaciTemplate,
  deleteRaciActivity,
  exportRaci,
  getRaci,
  listMyResponsibilities,
  previewRaciImport,
  setRaciCell,
  setRaciRow,
  updateRaciActivity,
} from './raci.server.ts'
import { ProjectSchema } from './schemas.ts'

async function world() {
  const { org, owner, scope } = await createOrgWithOwner()
  const person = async (role: Parameters<typeof addMember>[2], fn?: Parameters<typeof addMember>[3]) => {
    const user = await createTestUser()
    const m = await addMember(org, user, role, fn)
    return { user, membership: m, scope: await scopeFor(org, user) }
  }
  const manager = await person('manager')
  const analyst = await person('analyst')
  const clinician = await person('clinical_lead', 'clinical')
  const compliance = await person('compliance', 'compliance')
  const staff = await person('staff', 'clinical')
  const lis = await createSystem(scope, SystemSchema.parse({ name: `LIS ${uniqueSuffix()}`, kind: 'lis' }))
  const ehr = await createSystem(scope, SystemSchema.parse({ name: `EHR ${uniqueSuffix()}`, kind: 'ehr' }))
  const iface = (name: string) => createInterface(scope, InterfaceSchema.parse({ name, sourceSystemId: lis.id, targetSystemId: ehr.id, standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine' }))
  const results = await iface(`Results ${uniqueSuffix()}`)
  const orders = await iface(`Orders ${uniqueSuffix()}`)
  const project = await createProject(
    manager.scope,
    ProjectSchema.parse({ name: `Lab ${uniqueSuffix()}`, goal: 'Results', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', status: 'active', interfaceIds: [results.id], ownerId: analyst.membership.id }),
  )
  return { org, owner, scope, manager, analyst, clinician, compliance, staff, project, results, orders, lis, ehr }
}

const rowOf = (view: NonNullable<Awaited<ReturnType<typeof getRaci>>>, title: string) => view.activities.find((a) => a.title === title)!

describe('the RACI rows follow the plan and the scope', () => {
  test('a new project has a row per step (category from the phase) and per interface in scope; scope and step changes follow', async () => {
    const w = await world()
    let view = (await getRaci(w.manager.scope, w.project.id))!
    expect(view.activities.filter((a) => a.kind === 'step')).toHaveLength(14)
    expect(rowOf(view, 'Create a data mapping matrix').category).toBe('design')
    expect(rowOf(view, 'User acceptance testing (UAT)').category).toBe('testing')
    expect(rowOf(view, 'Define scope and objectives').category).toBe('planning')
    expect(view.activities.filter((a) => a.kind === 'interface').map((a) => [a.title, a.category])).toEqual([[w.results.name, 'design']])
    // Every row has problems at first (no A, no R…), counted in the summary.
    expect(view.summary.byKind.no_a).toBe(15)

    await updateProject(w.manager.scope, { id: w.project.id, ...ProjectSchema.parse({ name: w.project.name, goal: 'Results', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', status: 'active', interfaceIds: [w.orders.id], ownerId: w.analyst.membership.id }) })
    view = (await getRaci(w.manager.scope, w.project.id))!
    expect(view.activities.filter((a) => a.kind === 'interface').map((a) => a.title)).toEqual([w.orders.name])

    const phase = await prisma.projectPhase.findFirstOrThrow({ where: { projectId: w.project.id, kind: 'testing' } })
    const step = (await addStep(w.manager.scope, { phaseId: phase.id, title: 'Downtime drill' }))!
    view = (await getRaci(w.manager.scope, w.project.id))!
    expect(rowOf(view, 'Downtime drill')).toMatchObject({ kind: 'step', category: 'testing' })
    await deleteStep(w.manager.scope, { stepId: step.id })
    view = (await getRaci(w.manager.scope, w.project.id))!
    expect(view.activities.find((a) => a.title === 'Downtime drill')).toBeUndefined()
  })
})

describe('editing', () => {
  test('cells, rows, custom activities and categories; problems drop as they are fixed; everything audited', async () => {
    const w = await world()
    const s = w.manager.scope
    let view = (await getRaci(s, w.project.id))!
    const uat = rowOf(view, 'User acceptance testing (UAT)')
    const m = (x: { membership: { id: string } }) => ({ membershipId: x.membership.id })
    await setRaciCell(s, { projectId: w.project.id, activityId: uat.id, holder: m(w.manager), letter: 'A' })
    await setRaciCell(s, { projectId: w.project.id, activityId: uat.id, holder: m(w.clinician), letter: 'A' })
    view = (await getRaci(s, w.project.id))!
    expect(rowOf(view, uat.title).problems.map((p) => p.kind)).toEqual(['many_a', 'no_r'])
    await setRaciRow(s, { projectId: w.project.id, activityId: uat.id, cells: [{ holder: m(w.clinician), letter: 'C' }, { holder: m(w.staff), letter: 'R' }] })
    view = (await getRaci(s, w.project.id))!
    expect(rowOf(view, uat.title).problems).toEqual([])
    expect(rowOf(view, uat.title).cells).toEqual({ [`m:${w.manager.membership.id}`]: 'A', [`m:${w.clinician.membership.id}`]: 'C', [`m:${w.staff.membership.id}`]: 'R' })
    expect(view.columns.filter((c) => c.kind === 'member').map((c) => c.key).sort()).toEqual([w.manager, w.clinician, w.staff].map((x) => `m:${x.membership.id}`).sort())
    await setRaciCell(s, { projectId: w.project.id, activityId: uat.id, holder: m(w.staff), letter: null })
    expect(rowOf((await getRaci(s, w.project.id))!, uat.title).problems.map((p) => p.kind)).toEqual(['no_r'])

    // A function holds only C or I.
    await expectDomainError(setRaciCell(s, { projectId: w.project.id, activityId: uat.id, holder: { function: 'clinical' }, letter: 'A' }), 'RULE_VIOLATION', /only C or I/)

    const custom = (await addRaciActivity(s, { projectId: w.project.id, title: 'Penetration test', category: 'security', dueDate: '2027-03-01' }))!
    await expectDomainError(addRaciActivity(s, { projectId: w.project.id, title: 'penetration TEST', category: 'other' }), 'CONFLICT')
    view = (await getRaci(s, w.project.id))!
    expect(rowOf(view, 'Penetration test')).toMatchObject({ kind: 'custom', due: '2027-03-01', category: 'security' })
    expect(rowOf(view, 'Penetration test').problems.map((p) => p.kind)).toContain('no_compliance')
    await updateRaciActivity(s, { projectId: w.project.id, activityId: custom.id, title: 'Pen test', category: 'security', dueDate: '2027-03-08' })
    await updateRaciActivity(s, { projectId: w.project.id, activityId: uat.id, category: 'security' })
    await expectDomainError(updateRaciActivity(s, { projectId: w.project.id, activityId: uat.id, category: 'testing', title: 'Renamed' }), 'RULE_VIOLATION')
    view = (await getRaci(s, w.project.id))!
    expect(rowOf(view, 'Pen test').due).toBe('2027-03-08')
    expect(rowOf(view, uat.title).category).toBe('security')
    await expectDomainError(deleteRaciActivity(s, { projectId: w.project.id, activityId: uat.id }), 'RULE_VIOLATION')
    await deleteRaciActivity(s, { projectId: w.project.id, activityId: custom.id })
    expect((await getRaci(s, w.project.id))!.activities.find((a) => a.id === custom.id)).toBeUndefined()

    const actions = (await prisma.auditEvent.findMany({ where: { organizationId: w.org.id, action: { startsWith: 'raci.' } }, select: { action: true } })).map((e) => e.action)
    expect(new Set(actions)).toEqual(new Set(['raci.cell_set', 'raci.cell_cleared', 'raci.activity_added', 'raci.activity_updated', 'raci.activity_deleted']))
  })

  test('templates fill without overwriting', async () => {
    const w = await world()
    const s = w.manager.scope
    let view = (await getRaci(s, w.project.id))!
    const matrix = rowOf(view, 'Create a data mapping matrix')
    await setRaciCell(s, { projectId: w.project.id, activityId: matrix.id, holder: { membershipId: w.clinician.membership.id }, letter: 'R' })
    const first = await applyRaciTemplate(s, { projectId: w.project.id, template: 'clinical_design_testing', holder: { membershipId: w.clinician.membership.id } })
    // 3 design + 3 testing steps + 1 interface (design) − the one where the clinician is R already.
    expect(first!.set).toBe(6)
    view = (await getRaci(s, w.project.id))!
    expect(rowOf(view, matrix.title).cells[`m:${w.clinician.membership.id}`]).toBe('R')
    expect(view.summary.byKind.no_clinical).toBe(0)
    expect((await applyRaciTemplate(s, { projectId: w.project.id, template: 'clinical_design_testing', holder: { membershipId: w.clinician.membership.id } }))!.set).toBe(0)

    await setRaciCell(s, { projectId: w.project.id, activityId: matrix.id, holder: { membershipId: w.manager.membership.id }, letter: 'A' })
    const owner = await applyRaciTemplate(s, { projectId: w.project.id, template: 'owner_accountable' })
    expect(owner!.set).toBe(view.activities.length - 1)
    view = (await getRaci(s, w.project.id))!
    expect(view.summary.byKind.no_a).toBe(0)
    expect(view.summary.byKind.many_a).toBe(0)

    const pen = (await addRaciActivity(s, { projectId: w.project.id, title: 'Pen test', category: 'security' }))!
    expect((await applyRaciTemplate(s, { projectId: w.project.id, template: 'compliance_security' }))!.set).toBe(1)
    view = (await getRaci(s, w.project.id))!
    expect(rowOf(view, 'Pen test').cells['f:compliance']).toBe('C')
    expect(pen.id).toBeTruthy()
  })
})

describe('who may edit', () => {
  test('a role without raci:write who is not the owner is refused (audited); the owner without raci:write may edit', async () => {
    const w = await world()
    const view = (await getRaci(w.staff.scope, w.project.id))!
    expect(view.canEdit).toBe(false)
    const uat = rowOf(view, 'User acceptance testing (UAT)')
    const denied = await prisma.auditEvent.count({ where: { organizationId: w.org.id, action: 'security.permission_denied' } })
    for (const who of [w.staff, w.clinician, w.compliance]) {
      await expectDomainError(setRaciCell(who.scope, { projectId: w.project.id, activityId: uat.id, holder: { membershipId: who.membership.id }, letter: 'R' }), 'FORBIDDEN')
    }
    await expectDomainError(applyRaciTemplate(w.staff.scope, { projectId: w.project.id, template: 'owner_accountable' }), 'FORBIDDEN')
    await expectDomainError(addRaciActivity(w.staff.scope, { projectId: w.project.id, title: 'X', category: 'other' }), 'FORBIDDEN')
    expect(await prisma.auditEvent.count({ where: { organizationId: w.org.id, action: 'security.permission_denied' } })).toBe(denied + 5)
    expect(await prisma.raciAssignment.count({ where: { projectId: w.project.id } })).toBe(0)

    // The analyst (no raci:write) owns the project.
    expect((await getRaci(w.analyst.scope, w.project.id))!.canEdit).toBe(true)
    await setRaciCell(w.analyst.scope, { projectId: w.project.id, activityId: uat.id, holder: { membershipId: w.analyst.membership.id }, letter: 'A' })
    expect(rowOf((await getRaci(w.analyst.scope, w.project.id))!, uat.title).cells[`m:${w.analyst.membership.id}`]).toBe('A')
  })

  test('another organisation cannot read or change the RACI, nor name its members', async () => {
    const w = await world()
    const other = await createOrgWithOwner()
    const uat = rowOf((await getRaci(w.manager.scope, w.project.id))!, 'User acceptance testing (UAT)')
    expect(await getRaci(other.scope, w.project.id)).toBeNull()
    expect(await exportRaci(other.scope, w.project.id)).toBeNull()
    expect(await setRaciCell(other.scope, { projectId: w.project.id, activityId: uat.id, holder: { function: 'clinical' }, letter: 'C' })).toBeNull()
    expect(await addRaciActivity(other.scope, { projectId: w.project.id, title: 'X', category: 'other' })).toBeNull()
    expect(await applyRaciTemplate(other.scope, { projectId: w.project.id, template: 'compliance_security' })).toBeNull()
    expect(await deleteRaciActivity(other.scope, { projectId: w.project.id, activityId: uat.id })).toBeNull()
    expect(await previewRaciImport(other.scope, { projectId: w.project.id, content: 'activity,kind,email,function,letter\r\n' })).toBeNull()
    // An activity of this project through another project of the same organisation: not found.
    const second = await createProject(w.manager.scope, ProjectSchema.parse({ name: `Other ${uniqueSuffix()}`, goal: 'x', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30' }))
    expect(await setRaciCell(w.manager.scope, { projectId: second.id, activityId: uat.id, holder: { function: 'clinical' }, letter: 'C' })).toBeNull()
    // Another organisation's member is not a holder here.
    const otherMember = await prisma.membership.findFirstOrThrow({ where: { organizationId: other.org.id } })
    await expectDomainError(setRaciCell(w.manager.scope, { projectId: w.project.id, activityId: uat.id, holder: { membershipId: otherMember.id }, letter: 'R' }), 'RULE_VIOLATION')
    expect(await prisma.raciAssignment.count({ where: { projectId: w.project.id } })).toBe(0)
  })
})

describe('CSV export and import', () => {
  test('every bad line named by line and column, nothing saved; export → import round-trips', async () => {
    const w = await world()
    const s = w.manager.scope
    const other = await createOrgWithOwner()
    const outsider = await prisma.user.findUniqueOrThrow({ where: { id: other.owner.id } })
    const email = (x: { user: { email: string } }) => x.user.email
    const csv = [
      'activity,kind,category,email,function,letter',
      `User acceptance testing (UAT),step,testing,${email(w.manager)},,A`, // 2
      `User acceptance testing (UAT),step,testing,${email(w.clinician)},,A`, // 3: a second A
      `User acceptance testing (UAT),step,testing,nobody@example.test,,R`, // 4: unknown email
      `No such step,step,testing,${email(w.staff)},,R`, // 5: unknown activity
      `Unit testing,step,testing,${email(w.staff)},,X`, // 6: bad letter
      `Unit testing,step,testing,${outsider.email},,R`, // 7: another organisation's member
      `Unit testing,step,testing,,clinical,A`, // 8: a function cannot be A
      `Integration testing,step,testing,${email(w.staff)},,R`, // 9: fine
    ].join('\r\n')
    const preview = (await previewRaciImport(s, { projectId: w.project.id, fileName: 'raci.csv', content: csv }))!
    expect(preview.batchId).toBeNull()
    expect(preview.plan.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'letter'],
      [3, 'letter'],
      [4, 'email'],
      [5, 'activity'],
      [6, 'letter'],
      [7, 'email'],
      [8, 'letter'],
    ])
    expect(preview.plan.errors[0]!.message).toMatch(/2 A’s after the import/)
    expect(preview.plan.errors[5]!.message).toBe('No member of this organisation has this email.')
    expect(preview.plan.errors[0]!.columnNumber).toBe(6)
    expect(await prisma.raciAssignment.count({ where: { projectId: w.project.id } })).toBe(0)

    // An A already held plus one in the file is two after the import.
    const view = (await getRaci(s, w.project.id))!
    await setRaciCell(s, { projectId: w.project.id, activityId: rowOf(view, 'Unit testing').id, holder: { membershipId: w.manager.membership.id }, letter: 'A' })
    const clash = (await previewRaciImport(s, { projectId: w.project.id, content: `activity,kind,email,function,letter\r\nUnit testing,Plan step,${email(w.clinician)},,a\r\n` }))!
    expect(clash.plan.errors.map((e) => [e.line, e.column])).toEqual([[2, 'letter']])
    // …unless the file also moves the old A.
    const moved = (await previewRaciImport(s, { projectId: w.project.id, content: `activity,kind,email,function,letter\r\nUnit testing,step,${email(w.clinician)},,A\r\nUnit testing,step,${email(w.manager)},,R\r\n` }))!
    expect(moved.plan.errors).toEqual([])
    expect(moved.plan.counts).toEqual({ set: 2, cleared: 0, unchanged: 0 })
    const applied = await applyRaciImport(s, { projectId: w.project.id, batchId: moved.batchId! })
    expect(applied).toMatchObject({ status: 'applied' })
    await expectDomainError(applyRaciImport(s, { projectId: w.project.id, batchId: moved.batchId! }), 'CONFLICT')

    // Round trip: fill, export, clear, import, export again.
    await applyRaciTemplate(s, { projectId: w.project.id, template: 'owner_accountable' })
    await applyRaciTemplate(s, { projectId: w.project.id, template: 'clinical_design_testing' })
    await addRaciActivity(s, { projectId: w.project.id, title: 'Pen test, “phase 1”', category: 'security' })
    await applyRaciTemplate(s, { projectId: w.project.id, template: 'compliance_security', holder: { membershipId: w.compliance.membership.id } })
    const before = (await exportRaci(s, w.project.id))!
    await prisma.raciAssignment.deleteMany({ where: { projectId: w.project.id } })
    const again = (await previewRaciImport(s, { projectId: w.project.id, fileName: before.fileName, content: before.body }))!
    expect(again.plan.errors).toEqual([])
    expect(await applyRaciImport(s, { projectId: w.project.id, batchId: again.batchId! })).toMatchObject({ status: 'applied' })
    expect((await exportRaci(s, w.project.id))!.body).toBe(before.body)
    // A batch of this project cannot be applied to another.
    const second = await createProject(s, ProjectSchema.parse({ name: `Other ${uniqueSuffix()}`, goal: 'x', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30' }))
    const third = (await previewRaciImport(s, { projectId: w.project.id, content: before.body }))!
    expect(await applyRaciImport(s, { projectId: second.id, batchId: third.batchId! })).toBeNull()
    expect(await prisma.auditEvent.count({ where: { organizationId: w.org.id, action: 'raci.imported' } })).toBe(2)
  })
})

describe('my responsibilities', () => {
  test('what I am R or A for in active and planned projects, earliest due first, overdue in words', async () => {
    const w = await world()
    const s = w.manager.scope
    const view = (await getRaci(s, w.project.id))!
    const staff = { membershipId: w.staff.membership.id }
    await setRaciCell(s, { projectId: w.project.id, activityId: rowOf(view, 'Conduct training sessions').id, holder: staff, letter: 'R' })
    await setRaciCell(s, { projectId: w.project.id, activityId: rowOf(view, 'Unit testing').id, holder: staff, letter: 'A' })
    await setRaciCell(s, { projectId: w.project.id, activityId: rowOf(view, 'Integration testing').id, holder: staff, letter: 'C' })
    const late = (await addRaciActivity(s, { projectId: w.project.id, title: 'Ward champions named', category: 'deployment', dueDate: '2020-01-01' }))!
    await setRaciCell(s, { projectId: w.project.id, activityId: late.id, holder: staff, letter: 'R' })
    const mine = await listMyResponsibilities(w.staff.scope)
    expect(mine.items.map((i) => [i.title, i.letter])).toEqual([
      ['Ward champions named', 'R'],
      ['Unit testing', 'A'],
      ['Conduct training sessions', 'R'],
    ])
    expect(mine.items[0]).toMatchObject({ overdue: true, projectId: w.project.id })
    expect(mine.items[0]!.text).toMatch(/^overdue by \d+ days/)
    expect(mine.overdue).toBe(1)
    // A cancelled project's letters are not responsibilities any more; nobody else sees mine.
    expect((await listMyResponsibilities(w.clinician.scope)).items).toEqual([])
    await prisma.project.update({ where: { id: w.project.id }, data: { status: 'cancelled' } })
    expect((await listMyResponsibilities(w.staff.scope)).items).toEqual([])
    void (w.owner satisfies { id: string })
    void (s satisfies TenantScope)
  })
})
