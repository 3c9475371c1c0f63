import { Prisma } from '#app/generated/prisma/client.ts'
import { pageCountOf, pageWindow } from '#app/utils/list.ts'
import { inTx, prisma, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { sha256 } from '#app/utils/crypto.server.ts'
import { insertRows, newId, type SqlColumns } from '#app/utils/bulk-sql.server.ts'
import { getRequestContext } from '#app/utils/request-context.server.ts'
import { actorOf, type Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'

/**
 * The audit trail: append-only (a trigger refuses UPDATE/DELETE) and hash-chained. Each
 * organisation has its own chain, so an organisation's admins can verify theirs without
 * reading anybody else's rows; events that belong to no organisation go to "platform".
 * Appends to one chain are serialised with a transaction-scoped advisory lock.
 */
export const PLATFORM_CHAIN = 'platform'
export const GENESIS_HASH = '0'.repeat(64)

export type AuditInput = {
  organizationId: string | null
  actorUserId?: string | null
  actorEmail?: string | null
  action: string
  targetType?: string | null
  targetId?: string | null
  targetLabel?: string | null
  metadata?: Record<string, unknown>
}

type HashedFields = {
  chain: string
  seq: number
  organizationId: string | null
  actorUserId: string | null
  actorEmail: string | null
  action: string
  targetType: string | null
  targetId: string | null
  targetLabel: string | null
  metadata: unknown
  ip: string | null
  requestId: string | null
  createdAt: Date
}

/** JSON with object keys sorted, so the hash does not depend on key order after a round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

export function hashEvent(prevHash: string, f: HashedFields) {
  return sha256(`${prevHash}\n${canonicalJson({ ...f, createdAt: f.createdAt.toISOString() })}`)
}

/** Locks the chain for this transaction and returns its head (the last seq and hash). */
async function lockChainHead(tx: Tx, chain: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'audit:' + chain}, 0))`
  const last = await tx.auditEvent.findFirst({ where: { chain }, orderBy: { seq: 'desc' }, select: { seq: true, hash: true } })
  return { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH }
}

/** The hashed fields of the next event of `chain` (request id and IP from the request context). */
function eventFields(chain: string, seq: number, input: AuditInput, createdAt: Date): HashedFields {
  const ctx = getRequestContext()
  return {
    chain,
    seq,
    organizationId: input.organizationId,
    actorUserId: input.actorUserId ?? null,
    actorEmail: input.actorEmail ?? null,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    targetLabel: input.targetLabel ?? null,
    metadata: JSON.parse(canonicalJson(input.metadata ?? {})),
    ip: ctx.ip,
    requestId: ctx.requestId,
    createdAt,
  }
}

async function append(tx: Tx, input: AuditInput) {
  const chain = input.organizationId ?? PLATFORM_CHAIN
  const head = await lockChainHead(tx, chain)
  const fields = eventFields(chain, head.seq + 1, input, new Date())
  return tx.auditEvent.create({
    data: { ...fields, metadata: fields.metadata as Prisma.InputJsonValue, prevHash: head.hash, hash: hashEvent(head.hash, fields) },
  })
}

const AUDIT_COLUMNS_SQL: SqlColumns = [
  ['id', 'text'],
  ['chain', 'text'],
  ['seq', 'integer'],
  ['organizationId', 'text'],
  ['actorUserId', 'text'],
  ['actorEmail', 'text'],
  ['action', 'text'],
  ['targetType', 'text'],
  ['targetId', 'text'],
  ['targetLabel', 'text'],
  ['metadata', 'jsonb'],
  ['ip', 'text'],
  ['requestId', 'text'],
  ['createdAt', 'timestamp(3)'],
  ['prevHash', 'text'],
  ['hash', 'text'],
]

/** What a scoped event names: the organisation and the actor come from the scope. */
export type ScopedAuditEvent = Omit<AuditInput, 'organizationId' | 'actorUserId' | 'actorEmail'>

/**
 * Appends many events at once (a bulk change; an import's one event, whose metadata lists
 * thousands of ids): the same fields and hashing as `auditInScope`, written with one SQL
 * statement per 5,000.
 */
export async function auditManyInScope(scope: Scope, events: ScopedAuditEvent[], opts: TxOption = {}) {
  if (!events.length) return
  const chain = scope.organizationId
  const actor = actorOf(scope)
  await inTx(opts, async (tx) => {
    const head = await lockChainHead(tx, chain)
    const createdAt = new Date()
    let prevHash = head.hash
    const rows = events.map((e, i) => {
      const fields = eventFields(chain, head.seq + 1 + i, { ...e, organizationId: scope.organizationId, ...actor }, createdAt)
      const hash = hashEvent(prevHash, fields)
      const row = { id: newId(), ...fields, prevHash, hash }
      prevHash = hash
      return row
    })
    await insertRows(tx, 'AuditEvent', AUDIT_COLUMNS_SQL, rows)
  })
}

/**
 * Appends one event with the organisation and actor it names (a platform or sign-in event;
 * work in an organisation uses `auditInScope`). Pass the transaction of the change it records
 * (`{ tx }`), so both commit or neither.
 */
export async function recordAudit(input: AuditInput, opts: TxOption = {}) {
  return inTx(opts, (tx) => append(tx, input))
}

/** Field-level differences, for the audit trail. */
export function diffFields<T extends Record<string, unknown>>(before: T, after: Partial<T>) {
  const changes: Record<string, { from: unknown; to: unknown }> = {}
  for (const [k, v] of Object.entries(after)) {
    const old = before[k]
    if (JSON.stringify(old ?? null) !== JSON.stringify(v ?? null)) changes[k] = { from: old ?? null, to: v ?? null }
  }
  return changes
}

/** The usual case: a member (or the system, for a job) did something in the scope's organisation. */
export function auditInScope(scope: Scope, event: ScopedAuditEvent, opts: TxOption = {}) {
  return recordAudit({ ...event, organizationId: scope.organizationId, ...actorOf(scope) }, opts)
}

/**
 * A security event about a user (login, failed login, lockout, logout, password change):
 * written to the chain of every organisation the user is an active member of, so each
 * organisation's admins and compliance see what happened to their people; to "platform" when
 * the user is unknown or belongs to none.
 */
export async function recordSecurityEvent(input: {
  action: string
  userId?: string | null
  email: string
  metadata?: Record<string, unknown>
}) {
  const orgIds = input.userId
    ? (
        await prisma.membership.findMany({
          where: { userId: input.userId, status: 'active' },
          select: { organizationId: true },
        })
      ).map((m) => m.organizationId)
    : []
  const targets = orgIds.length ? orgIds : [null]
  for (const organizationId of targets) {
    await recordAudit({
      organizationId,
      actorUserId: input.userId ?? null,
      actorEmail: input.email,
      action: input.action,
      targetType: 'user',
      targetId: input.userId ?? null,
      targetLabel: input.email,
      metadata: input.metadata,
    })
  }
}

export type AuditFilter = {
  action?: string
  actor?: string
  target?: string
  from?: Date
  to?: Date
}

function whereFor(scope: TenantScope, f: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    organizationId: scope.organizationId,
    ...(f.action ? { action: { startsWith: f.action } } : {}),
    ...(f.actor ? { actorEmail: { contains: f.actor, mode: 'insensitive' } } : {}),
    ...(f.target ? { targetLabel: { contains: f.target, mode: 'insensitive' } } : {}),
    ...(f.from || f.to ? { createdAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {}),
  }
}

export const AUDIT_PAGE_SIZE = 50

export async function listAuditEvents(scope: TenantScope, input: AuditFilter & { page?: number }) {
  const { page = 1, ...filter } = input
  const where = whereFor(scope, filter)
  const [events, total] = await Promise.all([
    prisma.auditEvent.findMany({
      where,
      orderBy: { seq: 'desc' },
      ...pageWindow(page, AUDIT_PAGE_SIZE),
    }),
    prisma.auditEvent.count({ where }),
  ])
  return { events, total, pageCount: pageCountOf(total, AUDIT_PAGE_SIZE) }
}

export async function listAuditActions(scope: TenantScope) {
  const rows = await prisma.auditEvent.findMany({
    where: { organizationId: scope.organizationId },
    distinct: ['action'],
    select: { action: true },
    orderBy: { action: 'asc' },
  })
  return rows.map((r) => r.action)
}

/** Streams the filtered trail in batches (oldest first), for the CSV export. */
export async function* iterateAuditEvents(scope: TenantScope, filter: AuditFilter, options: { batch?: number } = {}) {
  const batch = options.batch ?? 1000
  const where = whereFor(scope, filter)
  let after = 0
  for (;;) {
    const rows = await prisma.auditEvent.findMany({
      where: { ...where, seq: { gt: after } },
      orderBy: { seq: 'asc' },
      take: batch,
    })
    if (!rows.length) return
    yield rows
    after = rows[rows.length - 1]!.seq
  }
}

export type ChainVerification =
  | { ok: true; checked: number }
  | { ok: false; checked: number; broken: { id: string | null; seq: number; reason: string } }

/**
 * Recomputes the organisation's chain; the first row whose hash, link or sequence is wrong is
 * named. The check itself is audited (after verifying, so it never checks its own record).
 */
export async function verifyAuditChain(scope: TenantScope): Promise<ChainVerification> {
  const verification = await verifyChain(scope.organizationId)
  await auditInScope(scope, {
    action: 'audit.verified',
    targetType: 'audit_chain',
    metadata: verification.ok ? { ok: true, checked: verification.checked } : { ok: false, broken: verification.broken },
  })
  return verification
}

/** Records an export of the trail (an export is a security event) and returns its rows in batches. */
export async function exportAuditEvents(scope: TenantScope, { filter, rawFilter }: { filter: AuditFilter; rawFilter: Record<string, unknown> }) {
  await auditInScope(scope, { action: 'audit.exported', targetType: 'audit_trail', metadata: { filter: rawFilter } })
  return iterateAuditEvents(scope, filter)
}

export async function verifyChain(chain: string): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH
  let expectedSeq = 1
  let checked = 0
  for (;;) {
    const rows = await prisma.auditEvent.findMany({
      where: { chain, seq: { gte: expectedSeq } },
      orderBy: { seq: 'asc' },
      take: 2000,
    })
    if (!rows.length) return { ok: true, checked }
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return { ok: false, checked, broken: { id: null, seq: expectedSeq, reason: `event #${expectedSeq} is missing (deleted?)` } }
      }
      if (row.prevHash !== prevHash) {
        return { ok: false, checked, broken: { id: row.id, seq: row.seq, reason: 'link to the previous event does not match' } }
      }
      const expected = hashEvent(prevHash, {
        chain: row.chain,
        seq: row.seq,
        organizationId: row.organizationId,
        actorUserId: row.actorUserId,
        actorEmail: row.actorEmail,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        targetLabel: row.targetLabel,
        metadata: row.metadata,
        ip: row.ip,
        requestId: row.requestId,
        createdAt: row.createdAt,
      })
      if (expected !== row.hash) {
        return { ok: false, checked, broken: { id: row.id, seq: row.seq, reason: 'contents were changed after it was written' } }
      }
      prevHash = row.hash
      expectedSeq++
      checked++
    }
  }
}
