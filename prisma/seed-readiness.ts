import { projectGroup } from '#app/models/projects/waves.server.ts'
import { grantExemption } from '#app/models/readiness/gate.server.ts'
import { addDays } from '#app/models/projects/plan.ts'
import { prisma } from '#app/utils/db.server.ts'
import { zonedParts } from '#app/utils/org.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'

const LAB = 'Send-out lab results into the EHR via the engine'
/** The pilot member left untrained: the demo's staff persona. */
const UNTRAINED = 'sam.rivera@riverside.test'

/**
 * The demo's readiness, after seedWaves. The lab project's scorecard fails for the reasons a real
 * project has — a required mapping row not approved and code maps unmapped, a RACI row with two
 * A's, no UAT yet, the security assessment open — which the earlier seeds already give it. This
 * seed adds:
 * - the pilot's training at 83 %: every pilot member's open assignments of modules required for
 *   go-live are completed (a situation set up directly, like the test factories: ticking each
 *   checklist item through the model is the training seed's business), except the staff
 *   persona's — 5 of 6 ready, under the gate's 90 %, every high-risk role trained;
 * - one exemption, by the compliance persona: "Regression tested within 12 months" for the lab's
 *   two legacy interfaces (live since before the project), expiring in three weeks.
 * Idempotent: the exemption is granted once (never again, even revoked); completions are only
 * of open assignments and never the persona's.
 */
export async function seedReadiness(people: { manager: TenantScope; compliance: TenantScope }) {
  const org = people.manager.organizationId
  const lab = await prisma.project.findFirst({ where: { organizationId: org, name: LAB }, select: { id: true, waves: { where: { kind: 'pilot' }, select: { id: true } } } })
  if (!lab) return
  const pilot = lab.waves[0]
  if (pilot) {
    const group = (await projectGroup(people.manager, { projectId: lab.id, waveId: pilot.id }))!
    const open = await prisma.trainingAssignment.findMany({
      where: { organizationId: org, status: 'open', membershipId: { in: group.membershipIds }, module: { requiredForGoLive: true, archivedAt: null }, membership: { user: { email: { not: UNTRAINED } } } },
      select: { id: true, module: { select: { refresherMonths: true } } },
    })
    const completedAt = new Date(Date.now() - 3 * 86_400_000)
    for (const a of open) {
      const expiresAt = a.module.refresherMonths ? new Date(completedAt.getTime() + a.module.refresherMonths * 30 * 86_400_000) : null
      await prisma.trainingAssignment.updateMany({ where: { id: a.id, organizationId: org, status: 'open' }, data: { status: 'completed', completedAt, expiresAt } })
    }
  }
  if (!(await prisma.gateExemption.count({ where: { organizationId: org, projectId: lab.id } }))) {
    const today = zonedParts(new Date(), people.compliance.timeZone).date
    await grantExemption(people.compliance, {
      projectId: lab.id,
      checkKey: 'regression_tested',
      reason: 'Both results feeds have run in production since 2019; their regression scenarios are being rewritten for this project’s UAT and will be run before the pilot.',
      expiresOn: addDays(today, 21),
    })
  }
}
