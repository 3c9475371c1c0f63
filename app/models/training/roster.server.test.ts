import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { parseRosterCsv } from '#app/models/training/roster-csv.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { applyRoster, previewRoster } from './roster.server.ts'
import { addRule, createModule } from './training.server.ts'

const HEADER = 'email,name,role,function,unit,manager_email'

describe('reading a roster file', () => {
  test('a BOM, CRLF line ends and a quoted line break are read; lines are physical lines', () => {
    const csv = `\uFEFF${HEADER}\r\nana@example.test,"Ana\r\nSilva",staff,clinical,Ward 7,\r\nbob@example.test,Bob,staff,Operations,Front desk,\r\n`
    const r = parseRosterCsv(new TextEncoder().encode(csv))
    expect(r.errors).toEqual([])
    expect(r.rows.map((x) => [x.line, x.record.email, x.record.function])).toEqual([
      [2, 'ana@example.test', 'clinical'],
      [4, 'bob@example.test', 'operations'],
    ])
    expect(r.rows[0]!.record.name).toBe('Ana\r\nSilva')
  })

  test('every bad row is reported by line and column', () => {
    const csv = [
      HEADER,
      'not-an-email,A,staff,clinical,,',
      'c@example.test,C,wizard,clinical,,',
      'd@example.test,D,staff,,,',
      'e@example.test,E,staff,clinical,,e@example.test',
      'f@example.test,F,staff,clinical',
      'c@example.test,C again,staff,it,,',
      'g@example.test,G,staff,clinical,,h@example.test,extra',
    ].join('\n')
    const r = parseRosterCsv(csv)
    expect(r.errors.map((e) => [e.line, e.column, e.columnNumber])).toEqual([
      [2, 'email', 1],
      [3, 'role', 3],
      [4, 'function', 4],
      [5, 'manager_email', 6],
      [6, 'unit', 5],
      [7, 'email', 1],
      [8, null, 7],
    ])
    expect(r.errors[4]!.message).toMatch(/4 cells but the header has 6 columns/)
    expect(r.errors[5]!.message).toMatch(/Duplicate: line 3/)
    expect(r.total).toBe(7)
  })

  test('a missing column and an unclosed quote are file problems, not a crash', () => {
    expect(parseRosterCsv('email,name,function\nx@example.test,X,it\n').errors[0]!.message).toMatch(/Missing columns: role, unit, manager_email/)
    const r = parseRosterCsv(`${HEADER}\na@example.test,"Ann,staff,clinical,,\n`)
    expect(r.errors.at(-1)).toMatchObject({ line: 2, message: expect.stringMatching(/never closed/) })
    expect(parseRosterCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0])).errors[0]!.message).toMatch(/workbook/)
  })
})

describe('importing a roster', () => {
  async function setup() {
    const { org, owner, scope } = await createOrgWithOwner()
    const managerUser = await createTestUser({ email: `mgr-${Date.now()}@example.test` })
    const manager = await addMember(org, managerUser, 'manager', 'clinical', 'Ward 7')
    const nurseUser = await createTestUser({ email: `nurse-${Date.now()}@example.test` })
    const nurse = await addMember(org, nurseUser, 'staff', 'operations', 'Front desk')
    return { org, owner, scope, manager, managerUser, nurse, nurseUser }
  }

  test('members get function, unit and manager; new people are invited; training follows; a second apply of the file changes nothing', async () => {
    const s = await setup()
    const mod = await createModule(s.scope, { title: 'Ward 7 induction', estimatedMinutes: 15, requiredForGoLive: true, systemIds: [] })
    await addRule(s.scope, { moduleId: mod.id, roles: [], functions: ['clinical'], units: ['Ward 7'], dueInDays: 14 })
    const newcomer = `newcomer-${Date.now()}@example.test`
    const csv = `${HEADER}\n${s.nurseUser.email},Nia,staff,clinical,ward 7,${s.managerUser.email}\n${newcomer},New Person,staff,clinical,Ward 7,${s.managerUser.email}\n`

    const preview = await previewRoster(s.scope, { fileName: 'hr.csv', content: csv })
    expect(preview.plan.errors).toEqual([])
    expect(preview.plan.counts).toMatchObject({ invite: 1, update: 1 })
    // A preview writes nothing but its batch.
    expect(await prisma.membership.findUniqueOrThrow({ where: { id: s.nurse.id } })).toMatchObject({ unit: 'Front desk', managerId: null })

    const result = await applyRoster(s.scope, { batchId: preview.batchId!, inviterName: 'Owner' })
    expect(result).toMatchObject({ status: 'applied', training: { created: 1, cancelled: 0 } })
    expect(await prisma.membership.findUniqueOrThrow({ where: { id: s.nurse.id } })).toMatchObject({ function: 'clinical', unit: 'ward 7', managerId: s.manager.id })
    expect(await prisma.trainingAssignment.count({ where: { membershipId: s.nurse.id, moduleId: mod.id, status: 'open' } })).toBe(1)
    const inv = await prisma.invitation.findFirstOrThrow({ where: { organizationId: s.org.id, email: newcomer } })
    expect(inv).toMatchObject({ role: 'staff', function: 'clinical', unit: 'Ward 7', managerId: s.manager.id })
    expect(await prisma.auditEvent.count({ where: { organizationId: s.org.id, action: 'training.roster_imported' } })).toBe(1)
    await expectDomainError(applyRoster(s.scope, { batchId: preview.batchId!, inviterName: 'Owner' }), 'CONFLICT')

    const again = await previewRoster(s.scope, { fileName: 'hr.csv', content: csv })
    expect(again.plan.counts).toMatchObject({ invite: 0, update: 0, unchanged: 1, pending: 1 })
  })

  test('a manager who is not a member, or a role the importer cannot give, blocks the whole file', async () => {
    const s = await setup()
    const managerScope = await scopeFor(s.org, s.managerUser)
    const csv = `${HEADER}\nx-${Date.now()}@example.test,X,admin,it,,\ny-${Date.now()}@example.test,Y,staff,it,,nobody@example.test\nz-${Date.now()}@example.test,Z,staff,it,,\n`
    const preview = await previewRoster(managerScope, { content: csv })
    expect(preview.batchId).toBeNull()
    expect(preview.plan.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'role'],
      [3, 'manager_email'],
    ])
    expect(await prisma.invitation.count({ where: { organizationId: s.org.id } })).toBe(0)
  })

  test("another organisation's scope cannot apply or see a roster batch", async () => {
    const s = await setup()
    const preview = await previewRoster(s.scope, { content: `${HEADER}\n${s.nurseUser.email},,staff,clinical,ICU,\n` })
    const other = await createOrgWithOwner()
    expect(await applyRoster(other.scope, { batchId: preview.batchId!, inviterName: 'Other' })).toBeNull()
    expect(await prisma.membership.findUniqueOrThrow({ where: { id: s.nurse.id } })).toMatchObject({ unit: 'Front desk' })
    expect(await prisma.importBatch.findUniqueOrThrow({ where: { id: preview.batchId! } })).toMatchObject({ appliedAt: null })
  })

  test('the largest roster (50,000 rows) whose managers are not members yet is previewed in seconds, every row reported', async () => {
    const { scope } = await createOrgWithOwner()
    const lines = [HEADER]
    for (let i = 0; i < 50_000; i++) lines.push(`p${i}@big.example.test,P ${i},staff,clinical,Ward ${i % 40},boss${i % 500}@big.example.test`)
    const started = Date.now()
    const { batchId, plan } = await previewRoster(scope, { fileName: 'big.csv', content: lines.join('\n') })
    expect(batchId).toBeNull()
    expect(plan.errors).toHaveLength(50_000)
    expect(plan.errors[0]).toMatchObject({ line: 2, column: 'manager_email' })
    expect(Date.now() - started).toBeLessThan(6_000)
  }, 60_000)
})
