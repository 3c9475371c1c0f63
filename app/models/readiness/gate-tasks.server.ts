/**
 * The gate's daily tasks (jobs/readiness/gate-daily.job.ts), for one organisation at a time:
 *
 * - an exemption expiring within 7 days: its grantor and the project's owner are told, once;
 * - an exemption expired (its day has passed, not revoked): both are told, once, it is marked
 *   (`expiryNotifiedAt`) and audited — it stopped counting the day after its expiry already;
 * - the gate failing 30 days, then 7 days, before a go-live (the next wave's, else the project's
 *   target): the A and the R's of the project's rollout (the "Phased rollout" step of the RACI;
 *   the owner when it has no A) get a task naming the failing checks, once per go-live and
 *   threshold.
 *
 * Idempotent: every notice has a dedupe key (the inbox stores a key once), the expiry mark is set
 * in the same transaction as its notices. The notices are gate tasks in the inbox; the daily
 * digest email lists them (training-reminder.server.ts, "Gate tasks").
 */
import { prisma } from '#app/utils/db.server.ts'
import { zonedParts } from '#app/utils/org.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import { auditInScope } from '../audit/audit.server.ts'
import { createNotifications, type NewNotification } from '../messages/notification.server.ts'
import { addDays, daysBetween, dayOf } from '#app/models/projects/plan.ts'
import { checkByKey } from './checks/index.server.ts'
import { readinessOfProjects, rolloutPeople } from './readiness.server.ts'
import { namesOf } from './readiness.ts'

export const GATE_NOTICE_PREFIX = 'gate.'
export const FAILING_THRESHOLDS = [30, 7] as const
const SOON_DAYS = 7

export type GateDailyResult = { expiringSoon: number; expired: number; failing: number; notices: number }

export async function runGateDaily(scope: Scope, options: { now?: Date } = {}): Promise<GateDailyResult> {
  const now = options.now ?? new Date()
  const org = await prisma.organization.findFirst({ where: { id: scope.organizationId }, select: { slug: true, timeZone: true } })
  const result: GateDailyResult = { expiringSoon: 0, expired: 0, failing: 0, notices: 0 }
  if (!org) return result
  const today = zonedParts(now, org.timeZone).date
  const scorecard = (projectId: string) => `/o/${org.slug}/projects/${projectId}/readiness`

  // ── exemptions ──
  const exemptions = await prisma.gateExemption.findMany({
    where: { organizationId: scope.organizationId, revokedAt: null, expiryNotifiedAt: null, expiresOn: { lte: new Date(`${addDays(today, SOON_DAYS)}T00:00:00Z`) } },
    include: { project: { select: { id: true, name: true, ownerId: true } } },
  })
  for (const e of exemptions) {
    const expiresOn = dayOf(e.expiresOn)!
    const check = checkByKey(e.checkKey)?.title ?? e.checkKey
    const to = [...new Set([e.grantedById, e.project.ownerId].filter((id): id is string => !!id))]
    if (expiresOn < today) {
      const notices: NewNotification[] = to.map((membershipId) => ({
        membershipId,
        kind: 'gate.exemption_expired',
        title: `Exemption expired: ${check} (${e.project.name})`,
        body: `The exemption from “${check}” expired on ${expiresOn}: the check counts again, and the go-live gate may be closed.`,
        link: scorecard(e.project.id),
        dedupeKey: `gate.exemption_expired:${e.id}:${membershipId}`,
      }))
      await prisma.$transaction(async (tx) => {
        const marked = await tx.gateExemption.updateMany({ where: { id: e.id, organizationId: scope.organizationId, expiryNotifiedAt: null }, data: { expiryNotifiedAt: now } })
        if (!marked.count) return
        result.notices += await createNotifications(scope, notices, { tx })
        result.expired++
        await auditInScope(scope, { action: 'gate.exemption_expired', targetType: 'project', targetId: e.project.id, targetLabel: `${e.project.name}: ${check}`, metadata: { exemptionId: e.id, checkKey: e.checkKey, expiresOn } }, { tx })
      })
    } else {
      const days = daysBetween(today, expiresOn)
      const created = await createNotifications(
        scope,
        to.map((membershipId) => ({
          membershipId,
          kind: 'gate.exemption_expiring',
          title: `Exemption expires ${days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`}: ${check} (${e.project.name})`,
          body: `The exemption from “${check}” expires on ${expiresOn}. Fix the check, or ask compliance to renew the exemption.`,
          link: scorecard(e.project.id),
          dedupeKey: `gate.exemption_expiring:${e.id}:${membershipId}`,
        })),
      )
      if (created) result.expiringSoon++
      result.notices += created
    }
  }

  // ── the gate failing before a go-live ──
  const horizon = addDays(today, FAILING_THRESHOLDS[0])
  const cards = (await readinessOfProjects(scope, { openOnly: true }, { now })).filter((r) => r.nextGoLive && r.nextGoLive >= today && r.nextGoLive <= horizon && !r.gateOpen)
  if (cards.length) {
    const people = await rolloutPeople(prisma, scope.organizationId, cards.map((r) => r.project))
    const notices: NewNotification[] = []
    for (const r of cards) {
      const days = daysBetween(today, r.nextGoLive!)
      const threshold = days <= FAILING_THRESHOLDS[1] ? FAILING_THRESHOLDS[1] : FAILING_THRESHOLDS[0]
      const p = people.get(r.project.id)!
      const to = [...new Set([p.accountableId, ...p.responsibleIds].filter((id): id is string => !!id))]
      for (const membershipId of to) {
        notices.push({
          membershipId,
          kind: `gate.failing_${threshold}`,
          title: `Go-live in ${days} day${days === 1 ? '' : 's'}, gate failing: ${r.project.name}`,
          body: `${r.failing.length} readiness check${r.failing.length === 1 ? '' : 's'} fail${r.failing.length === 1 ? 's' : ''}: ${namesOf(r.failing)}. Go-live ${r.nextGoLive}; score ${r.scorePct} %.`,
          link: scorecard(r.project.id),
          dedupeKey: `gate.failing:${r.project.id}:${r.nextGoLive}:${threshold}:${membershipId}`,
        })
      }
    }
    const created = await createNotifications(scope, notices)
    if (created) result.failing = cards.length
    result.notices += created
  }
  return result
}

/** The organisations with something for the gate's daily run: open projects, or exemptions not yet told expired. */
export async function listOrganizationsForGateDaily() {
  const rows = await prisma.$queryRaw<{ organizationId: string }[]>`
    SELECT "organizationId" FROM "Project" WHERE "status" IN ('planned', 'active', 'on_hold')
    UNION SELECT "organizationId" FROM "GateExemption" WHERE "revokedAt" IS NULL AND "expiryNotifiedAt" IS NULL
    ORDER BY 1`
  return rows.map((r) => r.organizationId)
}
