import { Prisma } from '#app/generated/prisma/client.ts'
import { prisma, type Tx } from '#app/utils/db.server.ts'
import { recordAudit } from './audit.server.ts'

/**
 * Training assignments made by rules (docs/decisions/013-training-assignments.md).
 *
 * A module's audience is its active rules: a member matches a rule when each non-empty list
 * (roles, functions, units) contains the member's value. `syncTrainingAssignments` makes the
 * table agree with the rules, for the whole organisation or for some members, in two
 * set-based statements:
 *
 * - create: an open assignment (reason "rule") for each active member × live module that some
 *   active rule of the module matches, unless the member already has an open assignment of the
 *   module, or a completed one that has not expired. Due `dueInDays` after now (the most
 *   urgent matching rule wins). The partial unique index (one open assignment per member and
 *   module) makes a concurrent second run a no-op.
 * - cancel: open assignments made by a rule whose member no longer matches any active rule of
 *   the module (member left the audience, was deactivated, the rule changed or was switched
 *   off, the module was archived). Completed assignments are history and stay; manual and
 *   refresher assignments are someone's explicit decision and stay.
 *
 * Idempotent: a second run with nothing changed creates and cancels nothing and writes no audit.
 * Called on rule changes, when a member joins or their role/function/unit changes, after a
 * roster import, and by the assignment-sync job (which repairs anything missed).
 */

export type SyncResult = { created: number; cancelled: number }
export type SyncOptions = {
  /** Only these members (the rest of the organisation is left alone). */
  membershipIds?: string[]
  now?: Date
  /** Who caused the sync, for the audit event (a job passes nothing: the system did it). */
  actor?: { userId: string; email: string } | null
  /** Why, for the audit event: "rule_changed", "member_joined", "roster_import", "job" … */
  trigger?: string
}

/** The member `m` matches the rule `r` (units compared case-insensitively, trimmed). */
const matches = Prisma.sql`(
  (cardinality(r."roles") = 0 OR m."role" = ANY(r."roles"))
  AND (cardinality(r."functions") = 0 OR m."function" = ANY(r."functions"))
  AND (cardinality(r."units") = 0 OR EXISTS (
    SELECT 1 FROM unnest(r."units") AS u(unit) WHERE lower(btrim(u.unit)) = lower(btrim(coalesce(m."unit", '')))
  ))
)`

// How many ids of each kind the summary audit event lists (the counts are always exact).
const AUDIT_LIST_LIMIT = 200

export async function syncTrainingAssignments(
  organizationId: string,
  opts: { membershipIds?: string[]; now?: Date } & Pick<SyncOptions, 'actor' | 'trigger'> = {},
): Promise<SyncResult> {
  return prisma.$transaction((tx) => syncTrainingAssignmentsInTx(tx, organizationId, opts), { timeout: 120_000 })
}

/** The same, inside the caller's transaction (so a membership change and its assignments commit together). */
export async function syncTrainingAssignmentsInTx(tx: Tx, organizationId: string, opts: SyncOptions = {}): Promise<SyncResult> {
  const now = opts.now ?? new Date()
  if (opts.membershipIds && opts.membershipIds.length === 0) return { created: 0, cancelled: 0 }
  // One sync per organisation at a time: the counts and the audit event then describe what happened.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'training-sync:' + organizationId}, 0))`

  const memberFilter = opts.membershipIds ? Prisma.sql`AND m."id" = ANY(${opts.membershipIds}::text[])` : Prisma.empty
  const assignmentMemberFilter = opts.membershipIds ? Prisma.sql`AND a."membershipId" = ANY(${opts.membershipIds}::text[])` : Prisma.empty

  const cancelled = await tx.$queryRaw<{ id: string; membershipId: string; moduleId: string }[]>`
    UPDATE "TrainingAssignment" AS a
       SET "status" = 'cancelled', "updatedAt" = ${now}
     WHERE a."organizationId" = ${organizationId}
       AND a."status" = 'open'
       AND a."reason" = 'rule'
       ${assignmentMemberFilter}
       AND NOT EXISTS (
         SELECT 1
           FROM "Membership" m
           JOIN "TrainingModule" mod ON mod."id" = a."moduleId" AND mod."organizationId" = ${organizationId} AND mod."archivedAt" IS NULL
           JOIN "TrainingRule" r ON r."moduleId" = mod."id" AND r."organizationId" = ${organizationId} AND r."active"
          WHERE m."id" = a."membershipId"
            AND m."organizationId" = ${organizationId}
            AND m."status" = 'active'
            AND ${matches}
       )
    RETURNING a."id", a."membershipId", a."moduleId"`

  const created = await tx.$queryRaw<{ id: string; membershipId: string; moduleId: string }[]>`
    INSERT INTO "TrainingAssignment"
      ("id", "organizationId", "moduleId", "membershipId", "ruleId", "reason", "status", "dueAt", "createdAt", "updatedAt")
    SELECT DISTINCT ON (m."id", mod."id")
           'c' || substr(md5(random()::text || clock_timestamp()::text || m."id" || mod."id"), 1, 24),
           ${organizationId}, mod."id", m."id", r."id", 'rule', 'open',
           ${now}::timestamp(3) + make_interval(days => r."dueInDays"), ${now}, ${now}
      FROM "Membership" m
      JOIN "TrainingRule" r ON r."organizationId" = ${organizationId} AND r."active"
      JOIN "TrainingModule" mod ON mod."id" = r."moduleId" AND mod."organizationId" = ${organizationId} AND mod."archivedAt" IS NULL
     WHERE m."organizationId" = ${organizationId}
       AND m."status" = 'active'
       ${memberFilter}
       AND ${matches}
       AND NOT EXISTS (
         SELECT 1 FROM "TrainingAssignment" x
          WHERE x."organizationId" = ${organizationId}
            AND x."membershipId" = m."id" AND x."moduleId" = mod."id"
            AND (x."status" = 'open' OR (x."status" = 'completed' AND (x."expiresAt" IS NULL OR x."expiresAt" > ${now})))
       )
     ORDER BY m."id", mod."id", r."dueInDays", r."createdAt"
    ON CONFLICT ("membershipId", "moduleId") WHERE "status" = 'open' DO NOTHING
    RETURNING "id", "membershipId", "moduleId"`

  if (created.length || cancelled.length) {
    await recordAudit(tx, {
      organizationId,
      actorUserId: opts.actor?.userId ?? null,
      actorEmail: opts.actor?.email ?? null,
      action: 'training.assignments_synced',
      targetType: 'organization',
      targetId: organizationId,
      metadata: {
        trigger: opts.trigger ?? 'sync',
        created: created.length,
        cancelled: cancelled.length,
        createdAssignments: created.slice(0, AUDIT_LIST_LIMIT).map((a) => ({ id: a.id, membershipId: a.membershipId, moduleId: a.moduleId })),
        cancelledAssignments: cancelled.slice(0, AUDIT_LIST_LIMIT).map((a) => ({ id: a.id, membershipId: a.membershipId, moduleId: a.moduleId })),
        ...(created.length > AUDIT_LIST_LIMIT || cancelled.length > AUDIT_LIST_LIMIT ? { listsTruncatedAt: AUDIT_LIST_LIMIT } : {}),
      },
    })
  }
  return { created: created.length, cancelled: cancelled.length }
}
