/**
 * Regression tested within 12 months, for interfaces already live: an interface in scope whose
 * lifecycle is `live` needs a passing UAT run of one of its scenarios (any project's) executed
 * within the last 365 days. Interfaces not live yet are not applicable (UAT covers them).
 */
import { byProject, defineCheck, someOf } from './define.server.ts'

const WINDOW_DAYS = 365
const DAY = 86_400_000

export default defineCheck<Map<string, Date>>({
  key: 'regression_tested',
  title: 'Regression tested within 12 months',
  description: 'Every interface in scope that is already live has a passing UAT run within the last 12 months.',
  weight: 1,
  level: 'uat',
  appliesTo: 'interface',
  // The latest passing run of each live interface in any scope: one query.
  async load({ db, organizationId, projects, now }) {
    const live = [...new Set(projects.flatMap((p) => p.interfaces.filter((i) => i.lifecycle === 'live').map((i) => i.id)))]
    const rows = live.length
      ? await db.$queryRaw<{ interfaceId: string; last: Date }[]>`
          SELECT s."interfaceId", max(r."executedAt") AS "last"
            FROM "UatRun" r JOIN "UatScenario" s ON s."id" = r."scenarioId" AND s."organizationId" = ${organizationId}
           WHERE r."organizationId" = ${organizationId} AND r."result" = 'pass' AND s."interfaceId" = ANY(${live}::text[])
             AND r."executedAt" > ${new Date(now.getTime() - WINDOW_DAYS * DAY)} AND r."executedAt" <= ${now}
           GROUP BY s."interfaceId"`
      : []
    const last = new Map(rows.map((r) => [r.interfaceId, r.last]))
    return byProject(projects, () => last)
  },
  evaluate(project, last, { links }) {
    const live = project.interfaces.filter((i) => i.lifecycle === 'live')
    if (!live.length) return { status: 'na', why: 'No interface in scope is live yet.', link: null }
    const items = project.interfaces.map((i) => {
      if (i.lifecycle !== 'live') return { kind: 'interface' as const, id: i.id, status: 'na' as const, why: 'Not live yet.', link: null }
      const at = last?.get(i.id)
      return at
        ? { kind: 'interface' as const, id: i.id, status: 'pass' as const, why: `Passed a UAT run on ${at.toISOString().slice(0, 10)}.`, link: null }
        : { kind: 'interface' as const, id: i.id, status: 'fail' as const, why: 'Live, with no passing UAT run in the last 12 months.', link: links.uat }
    })
    const failing = live.filter((i) => !last?.get(i.id))
    if (!failing.length) return { status: 'pass', why: `Every live interface in scope passed a UAT run within 12 months.`, link: null, items }
    return { status: 'fail', why: `${someOf(failing.map((i) => i.name))} ${failing.length === 1 ? 'is' : 'are'} live without a passing UAT run in the last 12 months: run ${failing.length === 1 ? 'its' : 'their'} regression scenarios.`, link: links.uat, items }
  },
})
