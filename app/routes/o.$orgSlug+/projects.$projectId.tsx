import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { HealthBadge, PlanStatusBadge, ProjectNav } from '#app/components/project-parts.tsx'
import { formatDay } from '#app/models/projects/plan.ts'
import { DecisionStatusBadge } from '#app/components/decision-parts.tsx'
import { listDecisions } from '#app/models/projects/decisions.server.ts'
import { getProject, projectView } from '#app/models/projects/projects.server.ts'
import { raciSummaryOf } from '#app/models/projects/raci.server.ts'
import { getSecurityAssessment } from '#app/models/projects/security.server.ts'
import { listWaves, waveReadiness } from '#app/models/projects/waves.server.ts'
import { READINESS_THRESHOLD_PCT } from '#app/models/training/vocabulary.ts'
import { APPROACH_HELP, MIN_TESTING_SHARE, PHASES, phaseNumber, PROJECT_STATUSES, WAVE_KINDS, WAVE_STATUSES } from '#app/models/projects/vocabulary.ts'
import { LIFECYCLES, STANDARDS, SYSTEM_KINDS } from '#app/models/inventory/vocabulary.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { useCan } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.project.name ?? 'Project'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const detail = await getProject(scope, params.projectId ?? '')
  if (!detail) notFound('No such project in this organisation.')
  const projectId = detail.id
  // The project's whole state on one screen: each part is its own model's answer.
  const [raci, decisions, security, waves, readiness] = await Promise.all([
    raciSummaryOf(scope, projectId),
    listDecisions(scope, { projectId }),
    getSecurityAssessment(scope, { projectId }),
    listWaves(scope, projectId),
    waveReadiness(scope, projectId),
  ])
  return json({
    project: projectView(detail),
    raci,
    decisions: { recent: decisions.slice(0, 3), proposed: decisions.filter((d) => d.status === 'proposed').length, total: decisions.length },
    security: security && { complete: security.complete, total: security.total, started: security.started, attestedAt: security.attestedAt, attestedBy: security.attestedBy, reopenReason: security.reopenReason },
    waves: (waves?.waves ?? []).map((w) => ({ id: w.id, kind: w.kind, name: w.name, goLive: w.goLive, status: w.status, units: w.units, training: readiness?.training[w.id] ?? null })),
    coverage: readiness?.coverage ?? null,
  })
}

export default function ProjectPage() {
  const { project: p, raci, decisions, security, waves, coverage } = useLoaderData<typeof loader>()
  const canWrite = useCan('projects:write')
  const steps = p.phases.flatMap((ph) => ph.steps.map((s) => ({ ...s, phase: ph.kind })))
  const next = steps.filter((s) => s.status !== 'done' && s.status !== 'skipped').slice(0, 4)
  const share = p.testingShare
  return (
    <div className="space-y-6">
      <Link to=".." relative="path" className="link text-sm">
        ← Projects
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-3xl">
          <h1 className="text-2xl font-bold">{p.name}</h1>
          <p className="mt-1 text-slate-700">{p.goal}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link to="plan" className="btn-primary">
            Plan
          </Link>
          <Link to="timeline" className="btn-secondary">
            Timeline
          </Link>
          {canWrite ? (
            <Link to="edit" className="btn-secondary">
              Edit
            </Link>
          ) : null}
        </div>
      </div>

      <dl className="card grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <dt className="label">Phase</dt>
          <dd>
            {phaseNumber(p.phase)} of 5 · {PHASES[p.phase]}
          </dd>
        </div>
        <div>
          <dt className="label">Health</dt>
          <dd>
            <HealthBadge health={p.health} reasons={p.reasons} full />
          </dd>
        </div>
        <div>
          <dt className="label">Dates</dt>
          <dd>
            {formatDay(p.startDate)} → go-live {formatDay(p.targetGoLive)}
          </dd>
        </div>
        <div>
          <dt className="label">Status · owner</dt>
          <dd>
            {PROJECT_STATUSES[p.status]} · {p.owner ? `${p.owner.name}${p.owner.inactive ? ' (deactivated)' : ''}` : 'nobody'}
          </dd>
        </div>
        <div>
          <dt className="label">Testing & validation</dt>
          <dd>
            {share === null ? (
              'dates missing'
            ) : (
              <span className={share < MIN_TESTING_SHARE ? 'font-semibold text-red-800' : ''}>
                {Math.round(share * 100)} % of the timeline{share < MIN_TESTING_SHARE ? ` — below the ${MIN_TESTING_SHARE * 100} % the plan asks for` : ''}
              </span>
            )}
          </dd>
        </div>
        <div className="sm:col-span-2 lg:col-span-3">
          <dt className="label">Approach</dt>
          <dd>
            {APPROACH_HELP[p.approach].label}
            {p.approachReason ? <span className="block text-sm text-slate-700">{p.approachReason}</span> : null}
          </dd>
        </div>
        {p.benefits ? (
          <div className="sm:col-span-2 lg:col-span-4">
            <dt className="label">Expected benefits</dt>
            <dd className="whitespace-pre-line">{p.benefits}</dd>
          </div>
        ) : null}
      </dl>

      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card space-y-3" aria-labelledby="next-steps">
          <h2 id="next-steps" className="text-lg font-semibold">
            Next steps
          </h2>
          {next.length ? (
            <ol className="space-y-2">
              {next.map((s) => (
                <li key={s.id} className="flex flex-wrap items-baseline justify-between gap-2">
                  <span>
                    <span className="font-medium">{s.title}</span>
                    <span className="block text-xs text-slate-600">
                      {PHASES[s.phase]} · {s.owner?.name ?? 'no owner'} · due {formatDay(s.planned.end)}
                    </span>
                  </span>
                  <PlanStatusBadge status={s.status} />
                </li>
              ))}
            </ol>
          ) : (
            <p className="text-slate-700">Every step is done or skipped.</p>
          )}
        </section>
        <section className="card space-y-3" aria-labelledby="phases">
          <h2 id="phases" className="text-lg font-semibold">
            Phases
          </h2>
          <ol className="space-y-2">
            {p.phases.map((ph) => {
              const done = ph.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length
              return (
                <li key={ph.id} className="flex flex-wrap items-baseline justify-between gap-2">
                  <span>
                    <span className="font-medium">
                      {phaseNumber(ph.kind)}. {PHASES[ph.kind]}
                    </span>
                    <span className="block text-xs text-slate-600">
                      {formatDay(ph.planned.start)} – {formatDay(ph.planned.end)} · {done} of {ph.steps.length} steps done or skipped
                    </span>
                  </span>
                  <PlanStatusBadge status={ph.status} />
                </li>
              )
            })}
          </ol>
        </section>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card space-y-3" aria-labelledby="waves">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="waves" className="text-lg font-semibold">
              Pilot & waves: training readiness
            </h2>
            <Link to="waves" className="link text-sm">
              Pilot & waves
            </Link>
          </div>
          {waves.length ? (
            <ol className="space-y-2">
              {waves.map((w) => {
                const t = w.training
                const ready = t && t.needs > 0 && t.met * 100 >= READINESS_THRESHOLD_PCT * t.needs
                return (
                  <li key={w.id} className="flex flex-wrap items-baseline justify-between gap-2">
                    <span>
                      <span className="font-medium">{w.name}</span>
                      <span className="block text-xs text-slate-600">
                        {WAVE_KINDS[w.kind]} · {w.units.join(', ') || 'no unit'} · go-live {formatDay(w.goLive)} · {WAVE_STATUSES[w.status]}
                      </span>
                    </span>
                    <span className={`text-sm ${ready || !t?.needs ? '' : 'font-semibold text-red-800'}`}>
                      {t && t.needs ? `${t.pct} % trained (${t.met} of ${t.needs})${ready ? '' : ` — below ${READINESS_THRESHOLD_PCT} %`}` : 'no required training assigned'}
                    </span>
                  </li>
                )
              })}
            </ol>
          ) : (
            <p className="text-slate-700">No pilot group yet: start with one ward or clinic, then expand in waves.</p>
          )}
          {coverage ? (
            <p className="border-t border-slate-100 pt-2 text-sm">
              <span className="font-medium">Mapping coverage of the scope:</span>{' '}
              {coverage.interfaces
                ? [
                    coverage.requiredPct === null ? 'no required rows yet' : `${coverage.requiredPct} % of required rows approved`,
                    coverage.codesPct === null ? 'no code maps yet' : `${coverage.codesPct} % of codes mapped`,
                    ...(coverage.withoutMapping ? [`${coverage.withoutMapping} interface${coverage.withoutMapping === 1 ? '' : 's'} without a mapping`] : []),
                  ].join(', ') + '.'
                : 'no interface in scope.'}
            </p>
          ) : null}
        </section>

        <section className="card space-y-3" aria-labelledby="raci">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="raci" className="text-lg font-semibold">
              RACI
            </h2>
            <Link to="raci" className="link text-sm">
              Open the matrix
            </Link>
          </div>
          {raci && raci.total ? (
            <>
              <p className="font-semibold text-red-800">
                {raci.total} problem{raci.total === 1 ? '' : 's'} in {raci.activities} activit{raci.activities === 1 ? 'y' : 'ies'}
              </p>
              <ul className="space-y-1 text-sm">
                {raci.rows.slice(0, 5).map((r) => (
                  <li key={r.id}>
                    <Link to={`raci#row-${r.id}`} className="link">
                      {r.title}
                    </Link>
                    : {r.problems.join('; ')}
                  </li>
                ))}
                {raci.rows.length > 5 ? <li className="text-slate-600">… and {raci.rows.length - 5} more</li> : null}
              </ul>
            </>
          ) : (
            <p className="text-slate-700">No problems: every activity has one A and an R, and clinicians and compliance are consulted where they must be.</p>
          )}
        </section>

        <section className="card space-y-3" aria-labelledby="decisions">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="decisions" className="text-lg font-semibold">
              Recent decisions
            </h2>
            <Link to="decisions" className="link text-sm">
              Decision log ({decisions.total})
            </Link>
          </div>
          {decisions.recent.length ? (
            <ul className="space-y-2">
              {decisions.recent.map((d) => (
                <li key={d.id} className="flex flex-wrap items-baseline justify-between gap-2">
                  <Link to={`decisions/${d.id}`} className="link">
                    {d.label} · {d.title}
                  </Link>
                  <DecisionStatusBadge status={d.status} />
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-slate-700">No decision logged yet.</p>
          )}
          {decisions.proposed ? <p className="text-sm">{decisions.proposed} proposed, waiting to be accepted or rejected.</p> : null}
        </section>

        <section className="card space-y-3" aria-labelledby="security">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="security" className="text-lg font-semibold">
              Security risk assessment
            </h2>
            <Link to="security" className="link text-sm">
              Open the checklist
            </Link>
          </div>
          {security ? (
            <p className={security.attestedAt ? '' : 'font-semibold text-amber-900'}>
              {security.attestedAt
                ? `Attested by ${security.attestedBy ?? 'a former member'} on ${formatDay(security.attestedAt.slice(0, 10))}.`
                : !security.started
                  ? 'Not started.'
                  : `${security.complete} of ${security.total} items done or not applicable — not attested yet${security.reopenReason ? ` (re-opened: ${security.reopenReason})` : ''}.`}
            </p>
          ) : null}
        </section>
      </div>

      <section className="card space-y-3" aria-labelledby="scope">
        <h2 id="scope" className="text-lg font-semibold">
          Scope
        </h2>
        <div className="grid gap-6 md:grid-cols-2">
          <div>
            <h3 className="font-medium">Systems ({p.systems.length})</h3>
            {p.systems.length ? (
              <ul className="mt-1 space-y-1 text-sm">
                {p.systems.map((s) => (
                  <li key={s.id}>
                    <Link to={`../../systems/${s.id}`} relative="path" className="link">
                      {s.name}
                    </Link>{' '}
                    <span className="text-slate-600">· {SYSTEM_KINDS[s.kind]}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-700">No system in scope yet.</p>
            )}
          </div>
          <div>
            <h3 className="font-medium">Interfaces ({p.interfaces.length})</h3>
            {p.interfaces.length ? (
              <ul className="mt-1 space-y-1 text-sm">
                {p.interfaces.map((i) => (
                  <li key={i.id}>
                    <Link to={`../../interfaces/${i.id}`} relative="path" className="link">
                      {i.name}
                    </Link>{' '}
                    <span className="text-slate-600">
                      · {STANDARDS[i.standard]} · {LIFECYCLES[i.lifecycle]}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-700">No interface in scope yet.</p>
            )}
          </div>
        </div>
      </section>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
