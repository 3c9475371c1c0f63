/**
 * Training of the pilot (then of each wave): of the wave's people with modules required for
 * go-live assigned, ≥ 90 % have completed all of them (not expired), and 100 % of those in the
 * organisation's high-risk roles (`Organization.highRiskRoles`, set on the adoption page: the
 * roles that must all be trained before go-live — e.g. nurses giving medication).
 *
 * A wave's people are `projectGroup`'s (app/models/projects/waves.server.ts): the active members
 * whose unit is one of its units, plus its named members; a training need is the adoption report's
 * (`trainingReadiness` in app/models/training/training-report.server.ts). The same rules are
 * computed here in one SQL statement for every wave of every project scored, instead of two queries
 * per wave. The check judges the NEXT wave to go live — the pilot until it is live, then each wave
 * in turn; the per-wave table shows every wave.
 */
import type { Role } from '#app/generated/prisma/client.ts'
import { allOn } from '#app/utils/db.server.ts'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { READINESS_THRESHOLD_PCT } from '#app/models/training/vocabulary.ts'
import { defineCheck, plural } from './define.server.ts'

type WaveTraining = { total: number; ready: number; byRole: Map<Role, { total: number; ready: number }> }
type Training = { highRiskRoles: Role[]; waves: Map<string, WaveTraining> }

const pct = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : 0)

export function judgeWave(t: WaveTraining | undefined, highRiskRoles: readonly Role[]): { pass: boolean; why: string } {
  if (!t?.total) return { pass: false, why: 'Nobody in it has training required for go-live assigned.' }
  const overall = t.ready * 100 >= READINESS_THRESHOLD_PCT * t.total
  const short = highRiskRoles.map((r) => ({ role: r, ...(t.byRole.get(r) ?? { total: 0, ready: 0 }) })).filter((r) => r.ready < r.total)
  const figure = `${pct(t.ready, t.total)} % trained (${t.ready} of ${t.total})`
  if (overall && !short.length) return { pass: true, why: `${figure}${highRiskRoles.length ? '; every high-risk role fully trained' : ''}.` }
  const reasons = [overall ? figure : `${figure}, below ${READINESS_THRESHOLD_PCT} %`, ...short.map((r) => `${ROLE_LABELS[r.role]} (high-risk) ${r.ready} of ${r.total}`)]
  return { pass: false, why: `${reasons.join('; ')}.` }
}

export default defineCheck<Training>({
  key: 'training',
  title: 'Pilot (then each wave) trained',
  description: `≥ ${READINESS_THRESHOLD_PCT} % of the next wave to go live (the pilot first) trained in the modules required for go-live, and 100 % of its high-risk roles.`,
  weight: 2,
  level: 'golive',
  appliesTo: 'wave',
  async load({ db, organizationId, projects, now }) {
    const waveIds = projects.flatMap((p) => p.waves.map((w) => w.id))
    const [org, rows] = await allOn(db, [
      () => db.organization.findFirst({ where: { id: organizationId }, select: { highRiskRoles: true } }),
      async () => waveIds.length
        ? db.$queryRaw<{ waveId: string; role: Role; total: number; ready: number }[]>`
            -- Each person with a module required for go-live: ready when every one is completed (not expired).
            WITH person AS (
              SELECT n."membershipId", bool_and(n.met) AS ready FROM (
                SELECT a."membershipId", a."moduleId", bool_or(a."status" = 'completed' AND (a."expiresAt" IS NULL OR a."expiresAt" > ${now})) AS met
                  FROM "TrainingAssignment" a
                  JOIN "TrainingModule" mod ON mod."id" = a."moduleId" AND mod."organizationId" = ${organizationId} AND mod."archivedAt" IS NULL AND mod."requiredForGoLive"
                 WHERE a."organizationId" = ${organizationId} AND a."status" <> 'cancelled'
                 GROUP BY a."membershipId", a."moduleId"
              ) n GROUP BY n."membershipId"
            ), pm AS (
              SELECT p."membershipId", p.ready, m."role", lower(btrim(m."unit")) AS unit
                FROM person p JOIN "Membership" m ON m."id" = p."membershipId" AND m."organizationId" = ${organizationId} AND m."status" = 'active'
            ), wu AS (
              SELECT DISTINCT w."id" AS "waveId", lower(btrim(u)) AS unit
                FROM "ProjectWave" w, unnest(w."units") u
               WHERE w."organizationId" = ${organizationId} AND w."id" = ANY(${waveIds}::text[])
            ), by_unit AS (
              -- Counted once per unit and role, then summed per wave: not once per wave and member.
              SELECT unit, "role", count(*) AS total, count(*) FILTER (WHERE ready) AS ready FROM pm WHERE unit IS NOT NULL GROUP BY unit, "role"
            ), named AS (
              -- A wave's named members outside its units.
              SELECT DISTINCT wm."waveId", pm."membershipId", pm."role", pm.ready
                FROM "ProjectWaveMember" wm JOIN pm ON pm."membershipId" = wm."membershipId"
               WHERE wm."organizationId" = ${organizationId} AND wm."waveId" = ANY(${waveIds}::text[])
                 AND NOT EXISTS (SELECT 1 FROM wu WHERE wu."waveId" = wm."waveId" AND wu.unit = pm.unit)
            )
            SELECT "waveId", "role"::text AS role, sum(total)::int AS total, sum(ready)::int AS ready FROM (
              SELECT wu."waveId", b."role", b.total, b.ready FROM wu JOIN by_unit b ON b.unit = wu.unit
              UNION ALL
              SELECT "waveId", "role", 1, CASE WHEN ready THEN 1 ELSE 0 END FROM named
            ) x GROUP BY "waveId", "role"`
        : [],
    ])
    const waves = new Map<string, WaveTraining>()
    for (const r of rows) {
      const t = waves.get(r.waveId) ?? waves.set(r.waveId, { total: 0, ready: 0, byRole: new Map() }).get(r.waveId)!
      t.total += r.total
      t.ready += r.ready
      t.byRole.set(r.role, { total: r.total, ready: r.ready })
    }
    const all: Training = { highRiskRoles: (org?.highRiskRoles ?? []) as Role[], waves }
    return new Map(projects.map((p) => [p.id, all]))
  },
  evaluate(project, data, { links }) {
    if (!project.waves.length) return { status: 'na', why: 'No pilot group or wave to train yet (see “Pilot group defined”).', link: null }
    const highRisk = data?.highRiskRoles ?? []
    const items = project.waves.map((w) => {
      const j = judgeWave(data?.waves.get(w.id), highRisk)
      return { kind: 'wave' as const, id: w.id, status: j.pass ? ('pass' as const) : ('fail' as const), why: j.why, link: j.pass ? null : `${links.training}&wave=${w.id}` }
    })
    const next = project.waves.find((w) => w.status !== 'live')
    if (!next) return { status: 'na', why: `Every wave is live (${plural(project.waves.length, 'wave')}).`, link: null, items }
    const mine = items.find((i) => i.id === next.id)!
    const who = next.kind === 'pilot' ? `The pilot “${next.name}”` : `The next wave, “${next.name}”`
    return { status: mine.status, why: `${who}: ${mine.why}`, link: mine.link, items }
  },
})
