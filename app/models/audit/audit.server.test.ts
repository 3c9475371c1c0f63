import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import {
  auditInScope,
  hashEvent,
  iterateAuditEvents,
  listAuditActions,
  listAuditEvents,
  recordAudit,
  verifyAuditChain,
  verifyChain,
} from './audit.server.ts'
import { createOrgWithOwner } from '#tests/factories.ts'

// A second, superuser connection: what an attacker with database access (or a careless DBA)
// would use. The app's own client never gets past the append-only trigger.
let admin: pg.Client
beforeAll(async () => {
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await admin.connect()
})
afterAll(async () => {
  await admin.end()
})

/** Runs SQL with user triggers switched off for this transaction only. */
async function tamper(sql: string, params: unknown[]) {
  await admin.query('BEGIN')
  try {
    await admin.query('SET LOCAL session_replication_role = replica')
    const r = await admin.query(sql, params)
    await admin.query('COMMIT')
    return r.rowCount
  } catch (e) {
    await admin.query('ROLLBACK')
    throw e
  }
}

async function orgWithEvents(count: number) {
  const o = await createOrgWithOwner()
  for (let i = 1; i <= count; i++) {
    await auditInScope(o.scope, {
      action: 'interface.updated',
      targetType: 'interface',
      targetId: `if-${i}`,
      targetLabel: `ADT feed ${i}`,
      metadata: { changed: ['status'], i, nested: { b: 2, a: [1, 'x'] } },
    })
  }
  const rows = await prisma.auditEvent.findMany({ where: { chain: o.org.id }, orderBy: { seq: 'asc' } })
  return { ...o, rows }
}

describe('the audit chain', () => {
  test('verifies after events in two organisations, each with its own numbering', async () => {
    const a = await orgWithEvents(5)
    const b = await orgWithEvents(3)
    expect(a.rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5])
    expect(b.rows.map((r) => r.seq)).toEqual([1, 2, 3])
    expect(a.rows[1]!.prevHash).toBe(a.rows[0]!.hash)
    expect(await verifyAuditChain(a.scope)).toEqual({ ok: true, checked: 5 })
    expect(await verifyAuditChain(b.scope)).toEqual({ ok: true, checked: 3 })
  })

  test('names the row whose contents were changed behind the app’s back', async () => {
    const { scope, rows } = await orgWithEvents(5)
    const victim = rows[2]!
    expect(await tamper(`UPDATE "AuditEvent" SET action = 'interface.viewed' WHERE id = $1`, [victim.id])).toBe(1)

    const result = await verifyAuditChain(scope)
    expect(result).toEqual({
      ok: false,
      checked: 2,
      broken: { id: victim.id, seq: 3, reason: 'contents were changed after it was written' },
    })
  })

  test('a forged row with a correctly recomputed hash is caught at the next link', async () => {
    const { scope, rows } = await orgWithEvents(4)
    const victim = rows[1]!
    // The forger knows the algorithm and rewrites the row's hash to match its new contents…
    const { chain, seq, organizationId, actorUserId, actorEmail, targetType, targetId, targetLabel, metadata, ip, requestId, createdAt } = victim
    const forgedHash = hashEvent(victim.prevHash, {
      ...{ chain, seq, organizationId, actorUserId, actorEmail, targetType, targetId, targetLabel, metadata, ip, requestId, createdAt },
      action: 'interface.viewed',
    })
    await tamper(`UPDATE "AuditEvent" SET action = 'interface.viewed', hash = $2 WHERE id = $1`, [victim.id, forgedHash])
    // …but the next row still points at the original.
    expect(await verifyAuditChain(scope)).toEqual({
      ok: false,
      checked: 2,
      broken: { id: rows[2]!.id, seq: 3, reason: 'link to the previous event does not match' },
    })
  })

  test('a deleted row is reported missing', async () => {
    const { scope, rows } = await orgWithEvents(5)
    await tamper(`DELETE FROM "AuditEvent" WHERE id = $1`, [rows[3]!.id])
    expect(await verifyAuditChain(scope)).toEqual({
      ok: false,
      checked: 3,
      broken: { id: null, seq: 4, reason: 'event #4 is missing (deleted?)' },
    })
  })

  test('the database refuses an ordinary UPDATE or DELETE, even from a superuser', async () => {
    const { scope, rows } = await orgWithEvents(2)
    await expect(admin.query(`UPDATE "AuditEvent" SET action = 'x' WHERE id = $1`, [rows[0]!.id])).rejects.toThrow(/append-only/)
    await expect(admin.query(`DELETE FROM "AuditEvent" WHERE id = $1`, [rows[0]!.id])).rejects.toThrow(/append-only/)
    await expect(prisma.auditEvent.update({ where: { id: rows[0]!.id }, data: { action: 'x' } })).rejects.toThrow(/append-only/)
    await expect(prisma.auditEvent.deleteMany({ where: { chain: scope.organizationId } })).rejects.toThrow(/append-only/)
    expect(await verifyAuditChain(scope)).toEqual({ ok: true, checked: 2 })
  })

  test('20 events written at once keep a gapless sequence and a valid chain', async () => {
    const { scope, rows } = await orgWithEvents(1)
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => auditInScope(scope, { action: 'mapping.row_approved', targetId: `row-${i}` })),
    )
    const after = await prisma.auditEvent.findMany({ where: { chain: scope.organizationId }, orderBy: { seq: 'asc' } })
    expect(after.map((r) => r.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1))
    expect(after[0]!.id).toBe(rows[0]!.id)
    expect(await verifyAuditChain(scope)).toEqual({ ok: true, checked: 21 })
  })

  test('an event written inside a rolled-back change leaves no trace', async () => {
    const { scope } = await orgWithEvents(2)
    await expect(
      prisma.$transaction(async (tx) => {
        await auditInScope(scope, { action: 'org.settings_changed' }, { tx })
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    expect(await prisma.auditEvent.count({ where: { chain: scope.organizationId } })).toBe(2)
    expect(await verifyAuditChain(scope)).toEqual({ ok: true, checked: 2 })
  })

  test('the platform chain (events of no organisation) verifies too', async () => {
    await recordAudit({ organizationId: null, actorEmail: 'nobody@example.test', action: 'auth.login_failed' })
    const result = await verifyChain('platform')
    expect(result.ok).toBe(true)
  })
})

describe('another organisation', () => {
  test('sees none of the events', async () => {
    const ours = await orgWithEvents(3)
    const theirs = await createOrgWithOwner()

    const listed = await listAuditEvents(theirs.scope, {})
    expect(listed.total).toBe(0)
    expect(await listAuditEvents(theirs.scope, { action: 'interface.' })).toMatchObject({ total: 0, events: [] })
    expect(await listAuditActions(theirs.scope)).toEqual([])
    const exported = []
    for await (const batch of iterateAuditEvents(theirs.scope, {})) exported.push(...batch)
    expect(exported).toEqual([])
    expect(await verifyAuditChain(theirs.scope)).toEqual({ ok: true, checked: 0 })

    // The owners see theirs, filtered as asked.
    const own = await listAuditEvents(ours.scope, { action: 'interface.', target: 'adt feed 2' })
    expect(own.events.map((e) => e.targetLabel)).toEqual(['ADT feed 2'])
  })
})
