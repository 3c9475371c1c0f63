import { describe, expect, it } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { createOrgWithOwner } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { sha256 } from '#app/utils/crypto.server.ts'
import { applyImportBatch, IMPORT_BATCH_TTL_MS, importAuditMetadata, invalidImport, keepRows, keptRows, previewImportBatch } from './import-batch.server.ts'

/**
 * The lifecycle on its own, with a made-up import ("test-lines": each line a system name) the
 * way the RACI, UAT and KPI imports will use it: the domain plans and writes, the lifecycle does
 * the rest.
 */
type Plan = { names: string[]; errors: string[] }
const KIND = 'test-lines'
const planOf = async (text: string): Promise<Plan> => {
  const names = text.split('\n').map((l) => l.trim()).filter(Boolean)
  return { names, errors: names.filter((n) => n.startsWith('!')).map((n) => `bad name ${n}`) }
}
const unreadable = (issue: { message: string }): Plan => ({ names: [], errors: [issue.message] })

async function preview(scope: Awaited<ReturnType<typeof createOrgWithOwner>>['scope'], content: string | Uint8Array) {
  return previewImportBatch(scope, { kind: KIND, fileName: 'names.csv', content }, {
    // The batch keeps the names read, so the apply does not read the file again.
    plan: async (text) => {
      const plan = await planOf(text)
      return { plan, keep: { names: plan.names } }
    },
    unreadable,
  })
}

function applyNames(scope: Awaited<ReturnType<typeof createOrgWithOwner>>['scope'], batchId: string, opts: { lock?: () => Promise<boolean>; extra?: string } = {}) {
  return applyImportBatch<Plan, { status: 'applied'; plan: Plan }>(
    scope,
    { batchId },
    {
      kinds: [KIND],
      changedMeanwhile: 'Someone added one of these systems meanwhile.',
      lock: opts.lock && (() => opts.lock!()),
      apply: async (tx, batch) => {
        // The names the preview kept (the file is read again only for a batch kept without them).
        const kept = batch.records ? (batch.records as { names: string[] }).names.join('\n') : batch.content
        const plan = await planOf(`${kept}\n${opts.extra ?? ''}`)
        for (const name of plan.names) await tx.system.create({ data: { organizationId: scope.organizationId, name, kind: 'other' } })
        if (plan.errors.length) invalidImport(plan)
        return { status: 'applied', plan }
      },
    },
  )
}

const systemNames = async (organizationId: string) => (await prisma.system.findMany({ where: { organizationId }, orderBy: { name: 'asc' } })).map((s) => s.name)

describe('the import-batch lifecycle', () => {
  it('previews without writing, keeps a batch only for a file without problems, and applies it once', async () => {
    const { org, scope } = await createOrgWithOwner()
    const bad = await preview(scope, 'A\n!B\n')
    expect(bad).toEqual({ batchId: null, plan: { names: ['A', '!B'], errors: ['bad name !B'] } })
    const unreadableFile = await preview(scope, Uint8Array.from([0xff, 0xfe, 0x41, 0x00]))
    expect(unreadableFile.batchId).toBeNull()
    expect(unreadableFile.plan.errors).toEqual([expect.stringMatching(/UTF-16/)])
    expect(await prisma.importBatch.count({ where: { organizationId: org.id } })).toBe(0)

    const good = await preview(scope, '\uFEFFA\nB\n')
    expect(good.batchId).toEqual(expect.any(String))
    // The batch keeps the text without its byte order mark.
    expect(await prisma.importBatch.findUniqueOrThrow({ where: { id: good.batchId! } })).toMatchObject({ kind: KIND, fileName: 'names.csv', content: 'A\nB\n', records: { names: ['A', 'B'] }, appliedAt: null })
    expect(await systemNames(org.id)).toEqual([])

    expect(await applyNames(scope, good.batchId!)).toEqual({ status: 'applied', plan: { names: ['A', 'B'], errors: [] } })
    expect(await systemNames(org.id)).toEqual(['A', 'B'])
    // Applied, the batch keeps the file (the audit trail names it) but not the rows read from it.
    expect(await prisma.importBatch.findUniqueOrThrow({ where: { id: good.batchId! } })).toMatchObject({ content: 'A\nB\n', records: null, appliedAt: expect.any(Date) })
    await expectDomainError(applyNames(scope, good.batchId!), 'CONFLICT', /already been applied/)
    expect(await systemNames(org.id)).toEqual(['A', 'B'])
  })

  it('applies what the preview kept, not the file read again', async () => {
    const { org, scope } = await createOrgWithOwner()
    const { batchId } = await preview(scope, 'A\nB\n')
    await prisma.importBatch.update({ where: { id: batchId! }, data: { records: { names: ['A', 'C'] } } })
    expect(await applyNames(scope, batchId!)).toMatchObject({ status: 'applied', plan: { names: ['A', 'C'] } })
    expect(await systemNames(org.id)).toEqual(['A', 'C'])
  })

  it('keeps the rows read with the header’s positions once and only the cells planning quotes', () => {
    const positions = { name: 1, owner: 2 }
    const parsed = {
      total: 3,
      rows: [
        { line: 2, record: { name: 'A' }, cells: { name: 'A', owner: 'a@x.test' }, positions },
        { line: 4, record: { name: 'B' }, cells: { name: 'B', owner: '' }, positions },
      ],
    }
    const kept = keepRows(parsed, ['owner'])
    expect(kept).toEqual({ total: 3, positions, rows: [{ line: 2, record: { name: 'A' }, cells: { owner: 'a@x.test' } }, { line: 4, record: { name: 'B' }, cells: { owner: '' } }], present: undefined })
    const back = keptRows(JSON.parse(JSON.stringify(kept)) as typeof kept)
    expect(back.rows).toEqual([
      { line: 2, record: { name: 'A' }, cells: { owner: 'a@x.test' }, positions },
      { line: 4, record: { name: 'B' }, cells: { owner: '' }, positions },
    ])
    expect(back).toMatchObject({ total: 3, errors: [], present: new Set(['name', 'owner']) })
  })

  it('describes an import for its one audit event: batch, file hash, counts, created and updated ids', () => {
    const batch = { id: 'b1', fileName: 'f.csv', content: 'name\nA\n' }
    expect(importAuditMetadata(batch, { rows: 2, counts: { create: 1, update: 1 }, created: ['s1'], updated: [{ id: 's2', changes: { x: { from: 1, to: 2 } } }], extra: { kind: 'systems' } })).toEqual({
      batchId: 'b1',
      fileName: 'f.csv',
      sha256: sha256('name\nA\n'),
      rows: 2,
      create: 1,
      update: 1,
      kind: 'systems',
      created: ['s1'],
      updated: [{ id: 's2', changes: { x: { from: 1, to: 2 } } }],
    })
  })

  it('is all or nothing: a plan with problems at apply time writes nothing and leaves the batch unclaimed', async () => {
    const { org, scope } = await createOrgWithOwner()
    const { batchId } = await preview(scope, 'A\nB\n')
    const result = await applyNames(scope, batchId!, { extra: '!C\n' })
    expect(result).toEqual({ status: 'invalid', plan: { names: ['A', 'B', '!C'], errors: ['bad name !C'] } })
    expect(await systemNames(org.id)).toEqual([])
    expect((await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId! } })).appliedAt).toBeNull()
  })

  it('answers CONFLICT in the domain’s words when a unique key was taken since the preview, and writes nothing', async () => {
    const { org, scope } = await createOrgWithOwner()
    const { batchId } = await preview(scope, 'A\nB\n')
    await prisma.system.create({ data: { organizationId: org.id, name: 'B', kind: 'ehr' } })
    await expectDomainError(applyNames(scope, batchId!), 'CONFLICT', /Someone added one of these systems meanwhile/)
    expect(await systemNames(org.id)).toEqual(['B'])
    expect((await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId! } })).appliedAt).toBeNull()
  })

  it('refuses a preview older than the time limit, and expires unapplied batches at the next preview', async () => {
    const { org, scope } = await createOrgWithOwner()
    const other = await createOrgWithOwner()
    const { batchId } = await preview(scope, 'A\n')
    const theirs = await preview(other.scope, 'A\n')
    const old = new Date(Date.now() - IMPORT_BATCH_TTL_MS - 60_000)
    await prisma.importBatch.updateMany({ where: { id: { in: [batchId!, theirs.batchId!] } }, data: { createdAt: old } })
    await expectDomainError(applyNames(scope, batchId!), 'RULE_VIOLATION', /more than an hour old/)
    expect(await systemNames(org.id)).toEqual([])
    await preview(scope, 'B\n')
    expect(await prisma.importBatch.count({ where: { id: batchId! } })).toBe(0)
    // Only the organisation's own batches expire with its preview.
    expect(await prisma.importBatch.count({ where: { id: theirs.batchId! } })).toBe(1)
  })

  it('finds nothing for another organisation, another kind, or when the lock finds the target gone', async () => {
    const { org, scope } = await createOrgWithOwner()
    const other = await createOrgWithOwner()
    const { batchId } = await preview(scope, 'A\n')
    expect(await applyNames(other.scope, batchId!)).toBeNull()
    expect(await applyImportBatch(scope, { batchId: batchId! }, { kinds: ['systems', 'roster'], apply: async () => 'applied' })).toBeNull()
    expect(await applyNames(scope, batchId!, { lock: async () => false })).toBeNull()
    expect(await systemNames(org.id)).toEqual([])
    expect((await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId! } })).appliedAt).toBeNull()
    expect(await applyNames(scope, batchId!, { lock: async () => true })).toMatchObject({ status: 'applied' })
  })
})
