import { Prisma } from '#app/generated/prisma/client.ts'
import { inTx, prisma, type Tx, type TxOption } from '#app/utils/db.server.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope } from '../audit/audit.server.ts'

/**
 * Refresher assignments (docs/decisions/014-training-reminders.md): a new open assignment of a
 * module someone already completed, because
 *
 * - **expiry**: their completion expires within EXPIRY_LEAD_DAYS (reason `refresher_expiry`,
 *   due when it expires), made by the daily assignment-sync job;
 * - **change**: a system the module teaches (TrainingModuleSystem) was upgraded (its version
 *   changed from one value to another), or an interface from or to it went live (reason
 *   `refresher_change`, due in CHANGE_REFRESHER_DUE_DAYS), made in the transaction of the change.
 *
 * Only a member whose latest assignment of the module is completed gets one: someone already
 * re-training (an open assignment) is left alone, and a refresher that was cancelled is not
 * made again. The partial unique index "one open assignment per member and module" makes every
 * insert idempotent (ON CONFLICT DO NOTHING): a second run, or two racing, create nothing more.
 * Each call that creates something writes one audit event listing what it made.
 */

export const EXPIRY_LEAD_DAYS = 30
export const CHANGE_REFRESHER_DUE_DAYS = 14
// How many assignments an audit event lists (the count is always exact).
const AUDIT_LIST_LIMIT = 200

type Created = { id: string; membershipId: string; moduleId: string; reasonDetail: string | null }

function auditList(rows: Created[]) {
  return {
    created: rows.length,
    assignments: rows.slice(0, AUDIT_LIST_LIMIT).map((r) => ({ id: r.id, membershipId: r.membershipId, moduleId: r.moduleId })),
    ...(rows.length > AUDIT_LIST_LIMIT ? { listTruncatedAt: AUDIT_LIST_LIMIT } : {}),
  }
}

// The latest assignment of its member and module (nothing was assigned after it).
const isLatest = Prisma.sql`NOT EXISTS (
  SELECT 1 FROM "TrainingAssignment" x
   WHERE x."organizationId" = a."organizationId" AND x."membershipId" = a."membershipId" AND x."moduleId" = a."moduleId"
     AND x."createdAt" > a."createdAt"
)`

const newAssignmentId = Prisma.sql`'c' || substr(md5(random()::text || clock_timestamp()::text || a."id"), 1, 24)`

/**
 * Completions of the organisation expiring within `leadDays` of `now` (or already expired) get
 * a refresher due when they expire. Run daily by the assignment-sync job.
 */
export async function createExpiryRefreshers(scope: Scope, opts: TxOption & { now?: Date; leadDays?: number } = {}) {
  const { organizationId } = scope
  const now = opts.now ?? new Date()
  const horizon = new Date(now.getTime() + (opts.leadDays ?? EXPIRY_LEAD_DAYS) * 86_400_000)
  return inTx(
    opts,
    async (tx) => {
      const created = await tx.$queryRaw<Created[]>`
        INSERT INTO "TrainingAssignment"
          ("id", "organizationId", "moduleId", "membershipId", "reason", "reasonDetail", "status", "dueAt", "createdAt", "updatedAt")
        SELECT ${newAssignmentId}, a."organizationId", a."moduleId", a."membershipId", 'refresher_expiry',
               'Your completion' || coalesce(' of ' || to_char(a."completedAt" AT TIME ZONE 'UTC' AT TIME ZONE o."timeZone", 'FMDD Mon YYYY'), '')
                 || CASE WHEN a."expiresAt" > ${now} THEN ' expires on ' ELSE ' expired on ' END
                 || to_char(a."expiresAt" AT TIME ZONE 'UTC' AT TIME ZONE o."timeZone", 'FMDD Mon YYYY'),
               'open', a."expiresAt", ${now}, ${now}
          FROM "TrainingAssignment" a
          JOIN "Organization" o ON o."id" = a."organizationId"
          JOIN "TrainingModule" mod ON mod."id" = a."moduleId" AND mod."organizationId" = ${organizationId} AND mod."archivedAt" IS NULL
          JOIN "Membership" m ON m."id" = a."membershipId" AND m."organizationId" = ${organizationId} AND m."status" = 'active'
         WHERE a."organizationId" = ${organizationId}
           AND a."status" = 'completed'
           AND a."expiresAt" IS NOT NULL AND a."expiresAt" <= ${horizon}
           AND ${isLatest}
        ON CONFLICT ("membershipId", "moduleId") WHERE "status" = 'open' DO NOTHING
        RETURNING "id", "membershipId", "moduleId", "reasonDetail"`
      if (created.length) {
        await auditInScope(scope, {
          action: 'training.refreshers_created',
          targetType: 'organization',
          targetId: organizationId,
          targetLabel: 'completions nearing expiry',
          metadata: { trigger: 'expiry', leadDays: opts.leadDays ?? EXPIRY_LEAD_DAYS, ...auditList(created) },
        }, { tx })
      }
      return { created: created.length }
    },
    { timeout: 60_000 },
  )
}

export type ChangeTrigger = {
  systemId: string
  /** Why, shown with the assignment: "Epic upgraded from 2025.2 to 2026.1". */
  detail: string
}

export type ChangeRefresherOptions = TxOption & {
  cause: 'system.upgraded' | 'interface.went_live' | 'inventory.imported'
  target?: { type: string; id: string; label: string }
  now?: Date
}

/**
 * Members whose latest assignment of a module teaching one of the changed systems is completed
 * get a refresher, due in CHANGE_REFRESHER_DUE_DAYS. Pass the change's transaction (`{ tx }`):
 * the change and its refreshers commit together. Audits as the scope's actor.
 */
export async function createChangeRefreshers(scope: Scope, triggers: ChangeTrigger[], opts: ChangeRefresherOptions) {
  if (!triggers.length) return { created: 0 }
  return inTx(opts, (tx) => changeRefreshers(tx, scope, triggers, opts))
}

async function changeRefreshers(tx: Tx, scope: Scope, triggers: ChangeTrigger[], opts: ChangeRefresherOptions) {
  // Most systems teach no module: one cheap indexed look-up before the real work.
  const linked = await tx.trainingModuleSystem.findFirst({
    where: { organizationId: scope.organizationId, systemId: { in: [...new Set(triggers.map((t) => t.systemId))] } },
    select: { moduleId: true },
  })
  if (!linked) return { created: 0 }
  const now = opts.now ?? new Date()
  const due = new Date(now.getTime() + CHANGE_REFRESHER_DUE_DAYS * 86_400_000)
  const list = JSON.stringify(triggers.map((t, ord) => ({ systemId: t.systemId, detail: t.detail.slice(0, 300), ord })))
  const created = await tx.$queryRaw<Created[]>`
    INSERT INTO "TrainingAssignment"
      ("id", "organizationId", "moduleId", "membershipId", "reason", "reasonDetail", "status", "dueAt", "createdAt", "updatedAt")
    SELECT DISTINCT ON (a."membershipId", a."moduleId")
           ${newAssignmentId}, a."organizationId", a."moduleId", a."membershipId", 'refresher_change', t."detail", 'open', ${due}, ${now}, ${now}
      FROM jsonb_to_recordset(${list}::jsonb) AS t("systemId" text, "detail" text, "ord" int)
      JOIN "TrainingModuleSystem" ms ON ms."systemId" = t."systemId" AND ms."organizationId" = ${scope.organizationId}
      JOIN "TrainingModule" mod ON mod."id" = ms."moduleId" AND mod."organizationId" = ${scope.organizationId} AND mod."archivedAt" IS NULL
      JOIN "TrainingAssignment" a ON a."moduleId" = mod."id" AND a."organizationId" = ${scope.organizationId} AND a."status" = 'completed'
      JOIN "Membership" m ON m."id" = a."membershipId" AND m."organizationId" = ${scope.organizationId} AND m."status" = 'active'
     WHERE ${isLatest}
     ORDER BY a."membershipId", a."moduleId", t."ord"
    ON CONFLICT ("membershipId", "moduleId") WHERE "status" = 'open' DO NOTHING
    RETURNING "id", "membershipId", "moduleId", "reasonDetail"`
  if (created.length) {
    await auditInScope(scope, {
      action: 'training.refreshers_created',
      targetType: opts.target?.type ?? 'organization',
      targetId: opts.target?.id ?? scope.organizationId,
      targetLabel: opts.target?.label ?? null,
      metadata: { trigger: opts.cause, reasons: [...new Set(triggers.map((t) => t.detail))].slice(0, 50), ...auditList(created) },
    }, { tx })
  }
  return { created: created.length }
}

/** An upgrade is a version changing from one value to another (setting or clearing one is not). */
export function upgradeDetail(systemName: string, from: unknown, to: unknown) {
  if (typeof from !== 'string' || typeof to !== 'string' || !from || !to || from === to) return null
  return `${systemName} upgraded from ${from} to ${to}`
}

/** Hook of updateSystem: refreshers for modules teaching the system, when its version changed. */
export async function refreshersAfterUpgrade(
  scope: TenantScope,
  input: { system: { id: string; name: string }; from: unknown; to: unknown },
  opts: TxOption = {},
) {
  const { system } = input
  const detail = upgradeDetail(system.name, input.from, input.to)
  if (!detail) return { created: 0 }
  return createChangeRefreshers(scope, [{ systemId: system.id, detail }], {
    ...opts,
    cause: 'system.upgraded',
    target: { type: 'system', id: system.id, label: system.name },
  })
}

async function goLiveTriggers(tx: Tx, scope: Scope, interfaceIds: string[]): Promise<ChangeTrigger[]> {
  if (!interfaceIds.length) return []
  const rows = await tx.interface.findMany({
    where: { organizationId: scope.organizationId, id: { in: interfaceIds } },
    select: { name: true, source: { select: { id: true, name: true } }, target: { select: { id: true, name: true } } },
  })
  // Both ends change how people work: the sender's users start feeding it, the receiver's see new data.
  return rows.flatMap((i) => {
    const detail = `Interface ${i.name} (${i.source.name} → ${i.target.name}) went live`
    return [
      { systemId: i.source.id, detail },
      { systemId: i.target.id, detail },
    ]
  })
}

/** Hook of updateInterface: refreshers for modules teaching either end of an interface that went live. */
export async function refreshersAfterGoLive(scope: TenantScope, iface: { id: string; name: string }, opts: TxOption = {}) {
  return inTx(opts, async (tx) =>
    createChangeRefreshers(scope, await goLiveTriggers(tx, scope, [iface.id]), {
      tx,
      cause: 'interface.went_live',
      target: { type: 'interface', id: iface.id, label: iface.name },
    }),
  )
}

/**
 * Hook of the CSV import: the same refreshers for every upgrade and go-live among the rows the
 * import changed, named with the actions the forms audit (system.upgraded, interface.went_live).
 */
export async function refreshersAfterImport(
  scope: TenantScope,
  events: { action: string; targetId: string; targetLabel: string; metadata: Record<string, unknown> }[],
  opts: TxOption = {},
) {
  return inTx(opts, (tx) => importRefreshers(tx, scope, events))
}

async function importRefreshers(
  tx: Tx,
  scope: TenantScope,
  events: { action: string; targetId: string; targetLabel: string; metadata: Record<string, unknown> }[],
) {
  const triggers: ChangeTrigger[] = []
  const wentLive: string[] = []
  for (const e of events) {
    if (e.action === 'system.upgraded') {
      const change = (e.metadata.changes as Record<string, { from: unknown; to: unknown }> | undefined)?.version
      const detail = change ? upgradeDetail(e.targetLabel, change.from, change.to) : null
      if (detail) triggers.push({ systemId: e.targetId, detail })
    } else if (e.action === 'interface.went_live') {
      wentLive.push(e.targetId)
    }
  }
  triggers.push(...(await goLiveTriggers(tx, scope, wentLive)))
  return createChangeRefreshers(scope, triggers, {
    tx,
    cause: 'inventory.imported',
    target: { type: 'organization', id: scope.organizationId, label: 'upgrades and go-lives in an inventory import' },
  })
}

/** Organisations with training modules: the daily sync runs for each. */
export async function listOrganizationsWithTraining() {
  const rows = await prisma.trainingModule.findMany({ distinct: ['organizationId'], select: { organizationId: true }, orderBy: { organizationId: 'asc' } })
  return rows.map((r) => r.organizationId)
}
