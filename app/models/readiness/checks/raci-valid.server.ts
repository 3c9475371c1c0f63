/**
 * RACI valid, with clinical, operations and compliance involvement: no activity of the project's
 * RACI has a problem (the rules of app/models/projects/raci.ts: one A, at least one R, clinical
 * consulted on design and testing, compliance on security, an active A), and each of the
 * clinical, operations and compliance functions is involved somewhere — an active member of that
 * function holding R, A or C on an activity, or the function's cell holding C (an I is being told,
 * not being involved).
 */
import type { MemberFunction } from '#app/generated/prisma/client.ts'
import { FUNCTION_LABELS } from '#app/models/people/vocabulary.ts'
import { raciProblems, type RuleCell, type RuleMember } from '#app/models/projects/raci.ts'
import type { RaciCategory } from '#app/models/projects/vocabulary.ts'
import { byProject, defineCheck, plural } from './define.server.ts'

const INVOLVED: readonly MemberFunction[] = ['clinical', 'operations', 'compliance']

type Raci = {
  activities: { id: string; category: RaciCategory; cells: RuleCell[] }[]
  members: Map<string, RuleMember>
}

export default defineCheck<Raci>({
  key: 'raci_valid',
  title: 'RACI valid, with clinical, operations and compliance involved',
  description: 'Every activity has one A and at least one R, design and testing consult a clinical member, security consults compliance, and clinical, operations and compliance are each involved.',
  weight: 2,
  level: 'design',
  appliesTo: 'project',
  // Every activity of every project with its cells (one query), the members holding a letter (one).
  async load({ db, organizationId, projects }) {
    const ids = projects.map((p) => p.id)
    // The cells one array per activity (4,000 rows instead of 16,000 objects; as getRaci reads them).
    const activities = await db.$queryRaw<{ id: string; projectId: string; category: RaciCategory; cells: [string | null, MemberFunction | null, RuleCell['letter']][] }[]>`
      SELECT a."id", a."projectId", a."category"::text AS "category",
             COALESCE(jsonb_agg(jsonb_build_array(c."membershipId", c."function", c."letter")) FILTER (WHERE c."id" IS NOT NULL), '[]'::jsonb) AS "cells"
        FROM "RaciActivity" a LEFT JOIN "RaciAssignment" c ON c."activityId" = a."id" AND c."organizationId" = ${organizationId}
       WHERE a."organizationId" = ${organizationId} AND a."projectId" = ANY(${ids}::text[])
       GROUP BY a."id" ORDER BY a."position", a."id"`
    // Only the members who hold a letter (not the whole organisation's thousands of staff).
    const holders = [...new Set(activities.flatMap((a) => a.cells.map((c) => c[0])).filter((id): id is string => !!id))]
    const members = holders.length ? await db.membership.findMany({ where: { organizationId, id: { in: holders } }, select: { id: true, function: true, status: true, user: { select: { name: true } } } }) : []
    const memberMap = new Map<string, RuleMember>(members.map((m) => [m.id, { id: m.id, function: m.function, active: m.status === 'active', name: m.user.name }]))
    const out = byProject<Raci>(projects, () => ({ activities: [], members: memberMap }))
    for (const a of activities) out.get(a.projectId)?.activities.push({ id: a.id, category: a.category, cells: a.cells.map(([membershipId, fn, letter]) => ({ membershipId, function: fn, letter })) })
    return out
  },
  evaluate(_project, raci, { links }) {
    if (!raci?.activities.length) return { status: 'fail', why: 'The project has no RACI activities yet.', link: links.raci() }
    const { byActivity, summary } = raciProblems(raci.activities, raci.members)
    const involved = (fn: MemberFunction) =>
      raci.activities.some((a) =>
        a.cells.some((c) => {
          if (c.function) return c.function === fn && c.letter === 'C'
          const m = c.membershipId ? raci.members.get(c.membershipId) : undefined
          return !!m && m.active && m.function === fn && c.letter !== 'I'
        }),
      )
    const missing = INVOLVED.filter((fn) => !involved(fn))
    const reasons: string[] = []
    const first = raci.activities.find((a) => byActivity[a.id]?.length)
    if (summary.total) reasons.push(`${plural(summary.activities, 'activity', 'activities')} with a problem (${plural(summary.total, 'problem')}; first: ${byActivity[first!.id]![0]!.message})`)
    if (missing.length) reasons.push(`${missing.map((f) => FUNCTION_LABELS[f].toLowerCase()).join(', ')} not involved anywhere (give a member of that function an R, A or C)`)
    if (!reasons.length) return { status: 'pass', why: `${plural(raci.activities.length, 'activity', 'activities')}, none with a problem; clinical, operations and compliance involved.`, link: null }
    return { status: 'fail', why: `${reasons.join('; ')}.`, link: links.raci(first?.id) }
  },
})
