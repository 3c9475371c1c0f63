import { addDays, dayOf } from '#app/models/projects/plan.ts'
import { GoNoGoSchema } from '#app/models/readiness/gonogo.ts'
import { panelDefaults, recordMeeting } from '#app/models/readiness/gonogo.server.ts'
import { levelOf, scoreOf, type CheckResult } from '#app/models/readiness/readiness.ts'
import { takeSnapshot } from '#app/models/readiness/snapshots.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { can } from '#app/utils/permissions.ts'
import { zonedParts } from '#app/utils/org.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { scopeFor } from '#tests/factories.ts'

const LAB = 'Send-out lab results into the EHR via the engine'

/**
 * How many of today's passing checks had not passed yet at each past offset: the demo's history
 * (its data is built today, so a scorecard computed with a past clock scores as today does).
 * Applied only to a snapshot the seed has just written.
 */
const NOT_YET: Record<number, number> = { 120: 3, 90: 2, 60: 1 }

/**
 * The demo's go/no-go history, after every other seed, through the real models:
 * - the lab project's pilot: the scheduled snapshots 120, 90 and 60 days before its go-live,
 *   taken with those days' clock (the job's own path), the score rising towards today's;
 * - one go/no-go meeting for the pilot two days ago, "go with conditions": the open severity-2
 *   defect fixed before go-live, the four seats from the panel's defaults.
 * Idempotent: the snapshots are keyed by wave and offset; the meeting is recorded once.
 */
export async function seedGonogo(org: { id: string }, now = new Date()) {
  const lab = await prisma.project.findFirst({
    where: { organizationId: org.id, name: LAB },
    select: { id: true, ownerId: true, waves: { where: { kind: 'pilot' }, select: { id: true, goLive: true } } },
  })
  const pilot = lab?.waves[0]
  const goLive = dayOf(pilot?.goLive)
  if (!lab || !pilot || !goLive) return
  const timeZone = (await prisma.organization.findUniqueOrThrow({ where: { id: org.id }, select: { timeZone: true } })).timeZone
  const today = zonedParts(now, timeZone).date
  const system = systemScope(org.id)

  for (const daysBefore of [120, 90, 60]) {
    const day = addDays(goLive, -daysBefore)
    if (day > today) continue
    const row = await takeSnapshot(system, { projectId: lab.id, kind: 'scheduled', waveId: pilot.id, daysBefore }, { now: new Date(`${day}T14:00:00Z`) })
    if (!row) continue // taken by an earlier run
    const checks = row.checks as Pick<CheckResult, 'key' | 'status' | 'weight' | 'level' | 'why'>[]
    const later = checks.filter((c) => c.status === 'pass').slice(0, NOT_YET[daysBefore])
    const then = checks.map((c) => (later.includes(c) ? { ...c, status: 'fail' as const, why: `Not done yet ${daysBefore} days before the pilot’s go-live.` } : c))
    await prisma.readinessSnapshot.update({ where: { id: row.id }, data: { checks: then, scorePct: scoreOf(then), level: levelOf(then) ?? 'none' } })
  }

  if (await prisma.goNoGoMeeting.count({ where: { organizationId: org.id, projectId: lab.id } })) return
  const owner = lab.ownerId ? await prisma.membership.findFirst({ where: { id: lab.ownerId, organizationId: org.id }, select: { userId: true } }) : null
  if (!owner) return
  const manager = await scopeFor(org, { id: owner.userId })
  const seats = (await panelDefaults(manager, { projectId: lab.id }))!
  const byEmail = async (email: string) => (await prisma.membership.findFirst({ where: { organizationId: org.id, status: 'active', user: { email } }, select: { id: true } }))?.id ?? null
  const clinical = seats.clinical_lead ?? (await byEmail('priya.nair@riverside.test'))
  const it = seats.it ?? (await byEmail('arjun.patel@riverside.test'))
  const accountable = seats.project_accountable ?? lab.ownerId
  // Four different people, and a recorder who may record: otherwise the demo goes without a meeting.
  if (!accountable || !clinical || !it || !seats.compliance || new Set([accountable, clinical, it, seats.compliance]).size < 4 || !can(manager.role, 'gonogo:write')) return
  const defect = await prisma.uatDefect.findFirst({ where: { organizationId: org.id, projectId: lab.id, status: 'open', severity: 2 }, select: { number: true, title: true }, orderBy: { number: 'asc' } })
  const named = defect ? `DEF-${defect.number} (${defect.title})` : 'The open severity-2 defect'
  await recordMeeting(
    manager,
    {
      projectId: lab.id,
      ...GoNoGoSchema.parse({
        waveId: pilot.id,
        heldOn: addDays(today, -2),
        decision: 'go_with_conditions',
        conditions: `${named} fixed and verified in test before the pilot’s go-live; the lab’s super-users on the ward for the first two weeks.`,
        notes: 'Pilot go/no-go in the lab’s meeting room. Pilot training below 90 % was discussed: the ward manager books the last sessions this week.',
        votes: {
          project_accountable: { membershipId: accountable, vote: 'go', comment: 'Go once the defect is verified.' },
          clinical_lead: { membershipId: clinical, vote: 'go', comment: 'The results I reviewed read correctly; the units issue must be fixed first.' },
          it: { membershipId: it, vote: 'abstain', comment: 'The fix is in test, not yet in production.' },
          compliance: { membershipId: seats.compliance, vote: 'go' },
        },
      }),
    },
    { now },
  )
}
