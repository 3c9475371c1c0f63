import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { HealthBadge, PlanStatusBadge, ProjectNav } from '#app/components/project-parts.tsx'
import { formatDay } from '#app/models/projects/plan.ts'
import { getProject, projectView } from '#app/models/projects/projects.server.ts'
import { APPROACH_HELP, MIN_TESTING_SHARE, PHASES, phaseNumber, PROJECT_STATUSES } from '#app/models/projects/vocabulary.ts'
import { LIFECYCLES, STANDARDS, SYSTEM_KINDS } from '#app/models/inventory/vocabulary.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { useCan } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.project.name ?? 'Project'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const detail = await getProject(scope, params.projectId ?? '')
  if (!detail) notFound('No such project in this organisation.')
  return json({ project: projectView(detail) })
}

export default function ProjectPage() {
  const { project: p } = useLoaderData<typeof loader>()
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
