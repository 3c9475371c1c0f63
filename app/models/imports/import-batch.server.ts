import { Prisma } from '#app/generated/prisma/client.ts'
import { decodeCsv, fileIssue, type CsvIssue } from '#app/utils/csv.ts'
import { prisma, type Tx } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'

/**
 * The one lifecycle of a file import (docs/decisions/017-one-import-pipeline.md), whatever the
 * domain — the inventory, the mapping matrix and the roster today, RACI, UAT and KPI imports next:
 *
 *   preview  decode the upload, let the domain plan it (every problem by line and column);
 *            when nothing is wrong keep the file as an ImportBatch (the organisation's), and
 *            expire the organisation's batches that were never applied.
 *   apply    in ONE transaction: find the batch (its kind included, so that a batch of one
 *            import can't be applied by another), let the domain lock what it writes into, claim
 *            the batch (refused when applied already or older than the time limit), let the
 *            domain plan again against the data as it is now and write in bulk. A plan that has
 *            problems now (`invalidImport`) rolls everything back and answers `invalid` with
 *            them; a unique key taken by someone else meanwhile is a CONFLICT. All or nothing.
 *
 * The domain supplies its planning and its writes; these rules are the same for all.
 */

/** How long a preview can be applied: after that the data may have moved on too far. */
export const IMPORT_BATCH_TTL_MS = 60 * 60 * 1000
/** An import's transaction may take this long (50,000 rows with their audit events). */
const APPLY_TIMEOUT_MS = 120_000

export type ImportBatchRecord = { id: string; kind: string; fileName: string; content: string; createdAt: Date }

/** An uploaded file's name as the preview and the audit trail show it: no path, no control characters. */
export function cleanFileName(name: string | undefined | null, fallback = 'upload.csv') {
  // eslint-disable-next-line no-control-regex -- control characters are what it strips
  const base = (name ?? '').split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim()
  return (base || fallback).slice(0, 200)
}

/** Deletes the organisation's batches that were never applied and can no longer be. */
export async function expireImportBatches(scope: TenantScope) {
  await prisma.importBatch.deleteMany({
    where: { organizationId: scope.organizationId, appliedAt: null, createdAt: { lt: new Date(Date.now() - IMPORT_BATCH_TTL_MS) } },
  })
}

/** Keeps a previewed file (its text, without a BOM) for `applyImportBatch`; returns its id. */
export async function createImportBatch(scope: TenantScope, input: { kind: string; fileName: string; content: string }) {
  await expireImportBatches(scope)
  const batch = await prisma.importBatch.create({
    data: { organizationId: scope.organizationId, kind: input.kind, fileName: input.fileName, content: input.content, createdById: scope.membershipId },
    select: { id: true },
  })
  return batch.id
}

/**
 * The preview half: decode (a file that is not UTF-8 text is one file-level problem), plan,
 * and keep the batch when the plan has no problem. Nothing else is written.
 */
export async function previewImportBatch<P extends { errors: readonly unknown[] }>(
  scope: TenantScope,
  input: {
    kind: string
    fileName: string
    content: string | Uint8Array
    /** The domain's decoding, when its files are not CSV (a ConceptMap is JSON). */
    decode?: (content: string | Uint8Array) => { text: string } | { error: string }
  },
  plan: (text: string) => Promise<P>,
  /** The plan of a file that could not be decoded, with its one problem. */
  unreadable: (issue: CsvIssue) => P,
): Promise<{ batchId: string | null; plan: P }> {
  const decoded = (input.decode ?? decodeCsv)(input.content)
  if ('error' in decoded) return { batchId: null, plan: unreadable(fileIssue(decoded.error)) }
  const result = await plan(decoded.text)
  if (result.errors.length) return { batchId: null, plan: result }
  return { batchId: await createImportBatch(scope, { kind: input.kind, fileName: input.fileName, content: decoded.text }), plan: result }
}

class InvalidImport<P> extends Error {
  constructor(public plan: P) {
    super('the import no longer validates')
  }
}

/** Stops an apply whose plan, made again against today's data, has problems: nothing is written. */
export function invalidImport<P>(plan: P): never {
  throw new InvalidImport(plan)
}

const UNIQUE_VIOLATION = /23505|unique constraint/i

/**
 * Claims a batch in the transaction: refused (CONFLICT) when it was applied already, and
 * (RULE_VIOLATION) when the preview is older than the time limit. Claiming takes the row lock:
 * a second "Apply" of the same batch waits for the first, then finds it applied.
 */
async function claim(tx: Tx, scope: TenantScope, batch: ImportBatchRecord & { appliedAt: Date | null }, noun: string) {
  const applied = () => new DomainError('CONFLICT', `This ${noun} has already been applied.`)
  if (batch.appliedAt) throw applied()
  if (batch.createdAt.getTime() < Date.now() - IMPORT_BATCH_TTL_MS) {
    throw new DomainError('RULE_VIOLATION', 'This preview is more than an hour old. Upload the file again to see what it would change now.')
  }
  const claimed = await tx.importBatch.updateMany({ where: { id: batch.id, organizationId: scope.organizationId, appliedAt: null }, data: { appliedAt: new Date() } })
  if (claimed.count !== 1) throw applied()
}

/**
 * The apply half. Null when the batch is not this organisation's or not of `kinds` (→ 404),
 * or when `lock` finds that what it writes into is not the organisation's; `invalid` with the
 * plan's problems when the data changed since the preview so that the file no longer fits;
 * throws CONFLICT when applied already or when someone else took a unique key meanwhile
 * (`changedMeanwhile` says so in the domain's words), RULE_VIOLATION when too old.
 */
export async function applyImportBatch<P, R>(
  scope: TenantScope,
  batchId: string,
  how: {
    kinds: readonly string[]
    /** What the user calls it: "This import has already been applied." */
    noun?: string
    changedMeanwhile?: string
    /** Locks what the import writes into, before the batch is claimed; false: not the organisation's (→ null). */
    lock?: (tx: Tx, batch: ImportBatchRecord) => Promise<boolean>
  },
  apply: (tx: Tx, batch: ImportBatchRecord) => Promise<R>,
): Promise<R | { status: 'invalid'; plan: P } | null> {
  try {
    return await prisma.$transaction(
      async (tx) => {
        const batch = await tx.importBatch.findFirst({
          where: { id: batchId, organizationId: scope.organizationId, kind: { in: [...how.kinds] } },
          select: { id: true, kind: true, fileName: true, content: true, createdAt: true, appliedAt: true },
        })
        if (!batch) return null
        if (how.lock && !(await how.lock(tx, batch))) return null
        await claim(tx, scope, batch, how.noun ?? 'import')
        return await apply(tx, batch)
      },
      { timeout: APPLY_TIMEOUT_MS, maxWait: 10_000 },
    )
  } catch (e) {
    if (e instanceof InvalidImport) return { status: 'invalid', plan: e.plan as P }
    const unique = (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') || UNIQUE_VIOLATION.test(e instanceof Error ? e.message : '')
    if (unique && how.changedMeanwhile) throw new DomainError('CONFLICT', how.changedMeanwhile)
    throw e
  }
}
