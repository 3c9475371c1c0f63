/**
 * A sign-off goes stale when what its signer read changes afterwards: a scenario it covers is
 * edited, a run of one is recorded, or a severity 1–2 defect is opened on the project. The
 * sign-off row itself never changes (the database refuses it, ADR 026): staleness is one
 * `UatSignoffStale` row, written by the first change after the signing, with that change as
 * its reason. The signer and the project's owner are told in their inboxes.
 *
 * Every writer of scenarios, runs and defects calls `markSignoffsStale` in its own
 * transaction, so a change and the staleness it causes commit together.
 */
import { dbOf, type Db, type TxOption } from '#app/utils/db.server.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import { auditInScope } from '../audit/audit.server.ts'
import { createNotifications, type NewNotification } from '../messages/notification.server.ts'

export type StaleCause = {
  projectId: string
  /** The scenarios that changed (edited, or a run recorded). Omit for a change to the whole project (a severe defect with no scenario). */
  scenarioIds?: string[]
  /** What changed, in words: “S-4 was edited”, “a run of S-2 was recorded”, “DEF-7 (severity 2) was opened”. */
  reason: string
}

/**
 * Marks stale every signed, not-yet-stale sign-off of the project that covers one of the
 * scenarios (or, without scenarioIds, every such sign-off of the project). Returns how many
 * went stale.
 */
export async function markSignoffsStale(scope: Scope, cause: StaleCause, opts: TxOption = {}): Promise<number> {
  const db = dbOf(opts)
  await lockProjectForSignoff(db, scope, cause.projectId)
  const signoffs = await db.uatSignoff.findMany({
    where: {
      organizationId: scope.organizationId,
      projectId: cause.projectId,
      decision: 'signed',
      stale: null,
      ...(cause.scenarioIds ? { scenarios: { some: { scenarioId: { in: cause.scenarioIds } } } } : {}),
    },
    select: { id: true, signerId: true, signedAt: true, project: { select: { id: true, name: true, ownerId: true, organization: { select: { slug: true } } } } },
  })
  if (!signoffs.length) return 0
  await db.uatSignoffStale.createMany({
    data: signoffs.map((s) => ({ organizationId: scope.organizationId, signoffId: s.id, reason: cause.reason })),
    skipDuplicates: true,
  })
  const notices: NewNotification[] = []
  for (const s of signoffs) {
    const link = `/o/${s.project.organization.slug}/projects/${s.project.id}/uat/signoffs/${s.id}`
    const title = `Sign-off gone stale: ${s.project.name}`
    const body = `Since the sign-off of ${s.signedAt.toISOString().slice(0, 10)}, ${cause.reason}. It no longer counts for the go-live gate until it is signed again.`
    for (const membershipId of new Set([s.signerId, s.project.ownerId].filter((id): id is string => !!id))) {
      notices.push({ membershipId, kind: 'gate.signoff_stale', title, body, link, dedupeKey: `signoff-stale:${s.id}:${membershipId}` })
    }
    await auditInScope(scope, { action: 'uat.signoff_stale', targetType: 'uat_signoff', targetId: s.id, targetLabel: s.project.name, metadata: { reason: cause.reason } }, opts)
  }
  await createNotifications(scope, notices, opts)
  return signoffs.length
}

/**
 * NOTE: the lock that makes staleness exact. A sign-off and a change to what it covers both take
 * this row lock on the project (the sign-off before it reads the content, a writer before it looks
 * for sign-offs to mark), so one waits for the other: either the sign-off reads the committed
 * change, or the writer's search sees the committed sign-off and marks it stale. Without it, a
 * change committed between the sign-off's read and its commit would leave a fresh-looking
 * sign-off over content that no longer matches.
 */
export async function lockProjectForSignoff(db: Db, scope: Scope, projectId: string) {
  await db.$queryRaw`SELECT 1 FROM "Project" WHERE "id" = ${projectId} AND "organizationId" = ${scope.organizationId} FOR UPDATE`
}
