import { Prisma } from '#app/generated/prisma/client.ts'
import { sha256 } from '#app/utils/crypto.server.ts'
import { newId } from '#app/utils/bulk-sql.server.ts'
import { decodeCsv, fileIssue, type CsvIssue, type ParsedRow } from '#app/utils/csv.ts'
import { prisma, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditManyInScope, type ScopedAuditEvent } from '../audit/audit.server.ts'

/**
 * The one lifecycle of a file import (docs/decisions/017-one-import-pipeline.md), whatever the
 * domain — the inventory, the mapping matrix and the roster today, RACI, UAT and KPI imports next:
 *
 *   preview  decode the upload, let the domain read and plan it (every problem by line and
 *            column); when nothing is wrong keep the file as an ImportBatch (the organisation's)
 *            with the rows the domain read and validated (`records`), and expire the
 *            organisation's batches that were never applied.
 *   apply    in ONE transaction: find the batch (its kind included, so that a batch of one
 *            import can't be applied by another), let the domain lock what it writes into, claim
 *            the batch (refused when applied already or older than the time limit), let the
 *            domain plan the kept rows again against the data as it is now (without reading
 *            and validating the file again) and write in bulk. A plan that has problems now
 *            (`invalidImport`) rolls everything back and answers `invalid` with them; a unique
 *            key taken by someone else meanwhile is a CONFLICT. All or nothing.
 *   audit    ONE hash-chained event per applied batch (docs/decisions/029-import-audit.md): the
 *            batch, the file's SHA-256, the counts and the ids created and updated
 *            (`importAuditMetadata`), not one event per row.
 *
 * The domain supplies its planning and its writes; these rules are the same for all.
 */

/** How long a preview can be applied: after that the data may have moved on too far. */
export const IMPORT_BATCH_TTL_MS = 60 * 60 * 1000
/** An import's transaction may take this long (50,000 rows). */
const APPLY_TIMEOUT_MS = 120_000

export type ImportBatchRecord = {
  id: string
  kind: string
  fileName: string
  content: string
  /** What the preview kept of the rows it read (`keepRows`), or null (then read `content` again). */
  records: unknown
  createdAt: Date
}

// ─── the rows a preview keeps ────────────────────────────────────────────────────────────

/**
 * The valid rows of a previewed file as the batch keeps them: each row's line and record, the
 * header's positions once, and of the cells only those the apply's planning may quote in a
 * problem (an owner's email that is no longer a member…). JSON: records hold strings, numbers,
 * booleans, arrays and nulls only.
 */
export type KeptRows<R> = {
  total: number
  positions: Record<string, number>
  rows: { line: number; record: R; cells?: Record<string, string> }[]
  /** Columns the header has, for imports whose optional columns change the meaning. */
  present?: string[]
}

type ReadRows<R> = { rows: (Omit<ParsedRow<R>, 'cells'> & { cells?: Record<string, string> })[]; total: number; present?: Set<string> }

/** What a batch keeps of a file read without problems; `quoted`: the cells planning may quote. */
export function keepRows<R>(parsed: ReadRows<R>, quoted: readonly string[] = []): KeptRows<R> {
  return {
    total: parsed.total,
    positions: parsed.rows[0]?.positions ?? {},
    rows: parsed.rows.map((r) => {
      if (!quoted.length || !r.cells) return { line: r.line, record: r.record }
      const cells: Record<string, string> = {}
      for (const c of quoted) if (r.cells[c] !== undefined) cells[c] = r.cells[c]
      return { line: r.line, record: r.record, cells }
    }),
    present: parsed.present && [...parsed.present],
  }
}

/** The rows a batch kept, as the domain's reader returned them (no problems: the preview had none). */
export function keptRows<R>(kept: KeptRows<R>): { rows: ParsedRow<R>[]; errors: never[]; total: number; present: Set<string> } {
  const positions = kept.positions
  return {
    rows: kept.rows.map((r) => ({ line: r.line, record: r.record, cells: r.cells ?? {}, positions })),
    errors: [],
    total: kept.total,
    present: new Set(kept.present ?? Object.keys(positions)),
  }
}

// ─── the audit event of an import ────────────────────────────────────────────────────────

/**
 * Appends an import's one event (metadata: `importAuditMetadata`) to the chain, in the apply's
 * transaction. It goes the chain's bulk way (one SQL statement, the same hashing): its metadata
 * can list tens of thousands of ids, which Prisma's create took half a second to send.
 */
export function auditImport(scope: Scope, event: ScopedAuditEvent, options: TxOption) {
  return auditManyInScope(scope, [event], options)
}

/**
 * The metadata of an import's ONE audit event (docs/decisions/029-import-audit.md): the batch
 * (which keeps the file), the file's name and SHA-256, the rows read, the counts, the ids of
 * what it created and, for what it changed, the id and the fields' before and after. The
 * domain adds its own words (`extra`: the version, the training sync…).
 */
export function importAuditMetadata(
  batch: Pick<ImportBatchRecord, 'id' | 'fileName' | 'content'>,
  summary: {
    rows: number
    counts: Record<string, number>
    created?: readonly string[]
    updated?: readonly ({ id: string } & Record<string, unknown>)[]
    extra?: Record<string, unknown>
  },
) {
  return {
    batchId: batch.id,
    fileName: batch.fileName,
    sha256: sha256(batch.content),
    rows: summary.rows,
    ...summary.counts,
    ...summary.extra,
    ...(summary.created ? { created: summary.created } : {}),
    ...(summary.updated ? { updated: summary.updated } : {}),
  }
}

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

/**
 * Keeps a previewed file (its text, without a BOM) and, when given, the rows read from it
 * (`keepRows`), for `applyImportBatch`; returns its id.
 */
export async function createImportBatch(scope: TenantScope, input: { kind: string; fileName: string; content: string; records?: unknown }) {
  await expireImportBatches(scope)
  // Plain SQL: the kept rows are one JSON text of megabytes, which Prisma's create sends slowly.
  const id = newId()
  const records = input.records === undefined ? null : JSON.stringify(input.records)
  await prisma.$executeRaw`INSERT INTO "ImportBatch" ("id", "organizationId", "kind", "fileName", "content", "records", "createdById")
    VALUES (${id}, ${scope.organizationId}, ${input.kind}, ${input.fileName}, ${input.content}, ${records}::json, ${scope.membershipId})`
  return id
}

export type ImportPreviewOptions<P> = {
  /** The domain's decoding, when its files are not CSV (a ConceptMap is JSON). */
  decode?: (content: string | Uint8Array) => { text: string } | { error: string }
  /**
   * Reads and plans the text. `keep` (JSON) is what the apply gets back as `batch.records`:
   * the rows read and validated (`keepRows`), so the apply need not read them again.
   */
  plan: (text: string) => Promise<{ plan: P; keep?: unknown }>
  /** The plan of a file that could not be decoded, with its one problem. */
  unreadable: (issue: CsvIssue) => P
}

/**
 * The preview half: decode (a file that is not UTF-8 text is one file-level problem), plan,
 * and keep the batch when the plan has no problem. Nothing else is written.
 */
export async function previewImportBatch<P extends { errors: readonly unknown[] }>(
  scope: TenantScope,
  input: { kind: string; fileName: string; content: string | Uint8Array },
  options: ImportPreviewOptions<P>,
): Promise<{ batchId: string | null; plan: P }> {
  const decoded = (options.decode ?? decodeCsv)(input.content)
  if ('error' in decoded) return { batchId: null, plan: options.unreadable(fileIssue(decoded.error)) }
  const { plan, keep } = await options.plan(decoded.text)
  if (plan.errors.length) return { batchId: null, plan }
  return { batchId: await createImportBatch(scope, { kind: input.kind, fileName: input.fileName, content: decoded.text, records: keep }), plan }
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
  // The kept rows are not needed once applied (the file stays, for the audit trail).
  const claimed = await tx.importBatch.updateMany({ where: { id: batch.id, organizationId: scope.organizationId, appliedAt: null }, data: { appliedAt: new Date(), records: Prisma.DbNull } })
  if (claimed.count !== 1) throw applied()
}

/**
 * The apply half. Null when the batch is not this organisation's or not of `kinds` (→ 404),
 * or when `lock` finds that what it writes into is not the organisation's; `invalid` with the
 * plan's problems when the data changed since the preview so that the file no longer fits;
 * throws CONFLICT when applied already or when someone else took a unique key meanwhile
 * (`changedMeanwhile` says so in the domain's words), RULE_VIOLATION when too old.
 */
export type ImportApplyOptions<R> = {
  kinds: readonly string[]
  /** What the user calls it: "This import has already been applied." */
  noun?: string
  changedMeanwhile?: string
  /** Locks what the import writes into, before the batch is claimed; false: not the organisation's (→ null). */
  lock?: (tx: Tx, batch: ImportBatchRecord) => Promise<boolean>
  /** Plans the batch's rows again against the data as it is now, writes, audits (once). */
  apply: (tx: Tx, batch: ImportBatchRecord) => Promise<R>
}

export async function applyImportBatch<P, R>(
  scope: TenantScope,
  input: { batchId: string },
  options: ImportApplyOptions<R>,
): Promise<R | { status: 'invalid'; plan: P } | null> {
  try {
    return await prisma.$transaction(
      async (tx) => {
        // The kept rows as text, parsed here once (megabytes of JSON).
        const [found] = await tx.$queryRaw<(Omit<ImportBatchRecord, 'records'> & { records: string | null; appliedAt: Date | null })[]>`
          SELECT "id", "kind", "fileName", "content", "records"::text AS "records", "createdAt", "appliedAt" FROM "ImportBatch"
           WHERE "id" = ${input.batchId} AND "organizationId" = ${scope.organizationId} AND "kind" = ANY(${[...options.kinds]}::text[])`
        const batch = found && { ...found, records: found.records === null ? null : (JSON.parse(found.records) as unknown) }
        if (!batch) return null
        if (options.lock && !(await options.lock(tx, batch))) return null
        await claim(tx, scope, batch, options.noun ?? 'import')
        return await options.apply(tx, batch)
      },
      { timeout: APPLY_TIMEOUT_MS, maxWait: 10_000 },
    )
  } catch (e) {
    if (e instanceof InvalidImport) return { status: 'invalid', plan: e.plan as P }
    const unique = (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') || UNIQUE_VIOLATION.test(e instanceof Error ? e.message : '')
    if (unique && options.changedMeanwhile) throw new DomainError('CONFLICT', options.changedMeanwhile)
    throw e
  }
}
