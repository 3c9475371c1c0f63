/**
 * UAT passed and signed off: the project has at least one scenario; every scenario's latest run
 * is a pass; no defect of severity 1–2 is open; and every scenario is covered by a signed sign-off
 * that is not stale — a project-level one (interfaceId null) or one of the scenario's own
 * interface.
 *
 * NOTE: `loadUatState` is the check's one access to the UAT tables, batched over every project
 * scored (the portfolio scores 200 at once). Which scenarios a sign-off covers is the sign-off
 * domain's rule (`coveringSets` in app/models/uat/signoff.ts, also behind `uatSignoffState`): the
 * check never has a second opinion on it.
 */
import { allOn, type Db } from '#app/utils/db.server.ts'
import { coveringSets } from '#app/models/uat/signoff.ts'
import { BLOCKING_SEVERITY } from '#app/models/uat/vocabulary.ts'
import { defineCheck, plural, someOf, type ProjectFacts } from './define.server.ts'

export type UatState = {
  scenarios: { id: string; number: number; title: string; interfaceId: string | null; latest: 'pass' | 'fail' | 'blocked' | null; signed: boolean }[]
  blockingDefects: { number: number; title: string; severity: number }[]
}

/** Every project's scenarios (with their latest run and whether a current sign-off covers them) and open blocking defects: three queries. */
export async function loadUatState(db: Db, organizationId: string, projectIds: string[]): Promise<Map<string, UatState>> {
  const out = new Map<string, UatState>(projectIds.map((id) => [id, { scenarios: [], blockingDefects: [] }]))
  if (!projectIds.length) return out
  const [scenarios, signoffs, defects] = await allOn(db, [
    () => db.$queryRaw<{ id: string; projectId: string; number: number; title: string; interfaceId: string | null; latest: UatState['scenarios'][number]['latest'] }[]>`
      SELECT s."id", s."projectId", s."number", s."title", s."interfaceId",
             (SELECT r."result"::text FROM "UatRun" r WHERE r."scenarioId" = s."id" ORDER BY r."executedAt" DESC, r."createdAt" DESC LIMIT 1) AS "latest"
        FROM "UatScenario" s
       WHERE s."organizationId" = ${organizationId} AND s."projectId" = ANY(${projectIds}::text[])
       ORDER BY s."projectId", s."number"`,
    () => db.uatSignoff.findMany({
      where: { organizationId, projectId: { in: projectIds } },
      select: { projectId: true, interfaceId: true, decision: true, stale: { select: { id: true } }, scenarios: { select: { scenarioId: true } } },
      orderBy: [{ signedAt: 'desc' }, { id: 'desc' }],
    }),
    () => db.uatDefect.findMany({
      where: { organizationId, projectId: { in: projectIds }, status: 'open', severity: { lte: BLOCKING_SEVERITY } },
      select: { projectId: true, number: true, title: true, severity: true },
      orderBy: [{ severity: 'asc' }, { number: 'asc' }],
    }),
  ])
  const coverage = new Map(
    projectIds.map((id) => [
      id,
      coveringSets(signoffs.filter((s) => s.projectId === id).map((s) => ({ interfaceId: s.interfaceId, decision: s.decision, stale: !!s.stale, scenarioIds: s.scenarios.map((c) => c.scenarioId) }))),
    ]),
  )
  for (const { projectId, ...s } of scenarios) out.get(projectId)?.scenarios.push({ ...s, signed: coverage.get(projectId)!.covers(s) })
  for (const { projectId, ...d } of defects) out.get(projectId)?.blockingDefects.push(d)
  return out
}

const label = (s: { number: number; title: string }) => `S-${s.number} ${s.title}`

function interfaceItems(project: ProjectFacts, uat: UatState, link: string) {
  return project.interfaces.map((i) => {
    const mine = uat.scenarios.filter((s) => s.interfaceId === i.id)
    if (!mine.length) return { kind: 'interface' as const, id: i.id, status: 'na' as const, why: 'No scenario of its own (the project’s scenarios cover it).', link: null }
    const notPassed = mine.filter((s) => s.latest !== 'pass')
    const unsigned = mine.filter((s) => !s.signed)
    if (!notPassed.length && !unsigned.length) return { kind: 'interface' as const, id: i.id, status: 'pass' as const, why: `${plural(mine.length, 'scenario')} passed and signed off.`, link: null }
    const why = [notPassed.length ? `${plural(notPassed.length, 'scenario')} not passed` : '', unsigned.length ? `${plural(unsigned.length, 'scenario')} not signed off (or stale)` : ''].filter(Boolean).join('; ')
    return { kind: 'interface' as const, id: i.id, status: 'fail' as const, why: `${why}.`, link }
  })
}

export default defineCheck<UatState>({
  key: 'uat',
  title: 'UAT passed and signed off',
  description: 'At least one scenario; every scenario’s latest run passed; no open severity 1–2 defect; every scenario covered by a current (not stale) clinical sign-off.',
  weight: 3,
  level: 'uat',
  appliesTo: 'interface',
  load: ({ db, organizationId, projects }) => loadUatState(db, organizationId, projects.map((p) => p.id)),
  evaluate(project, data, { links }) {
    const uat: UatState = data ?? { scenarios: [], blockingDefects: [] }
    if (!uat.scenarios.length) return { status: 'fail', why: 'No UAT scenario yet: write the scenarios the users will test.', link: links.uat }
    const items = interfaceItems(project, uat, links.uat)
    const never = uat.scenarios.filter((s) => !s.latest)
    const notPassed = uat.scenarios.filter((s) => s.latest && s.latest !== 'pass')
    const unsigned = uat.scenarios.filter((s) => !s.signed)
    const reasons: string[] = []
    if (never.length) reasons.push(`${plural(never.length, 'scenario')} never run (${someOf(never.map(label), 2)})`)
    if (notPassed.length) reasons.push(`${plural(notPassed.length, 'scenario')} whose latest run did not pass (${someOf(notPassed.map((s) => `${label(s)}: ${s.latest}`), 2)})`)
    if (uat.blockingDefects.length) reasons.push(`${plural(uat.blockingDefects.length, 'open severity 1–2 defect')} (${someOf(uat.blockingDefects.map((d) => `DEF-${d.number} ${d.title}, severity ${d.severity}`), 2)})`)
    if (unsigned.length) reasons.push(`${plural(unsigned.length, 'scenario')} not covered by a current sign-off (${someOf(unsigned.map(label), 2)})`)
    if (!reasons.length) return { status: 'pass', why: `${plural(uat.scenarios.length, 'scenario')} passed and signed off; no open severity 1–2 defect.`, link: null, items }
    return { status: 'fail', why: `${reasons.join('; ')}.`, link: links.uat, items }
  },
})
