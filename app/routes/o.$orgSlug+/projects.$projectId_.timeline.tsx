import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ProjectNav, ProjectTimeline, TimelineTable } from '#app/components/project-parts.tsx'
import { getProject, projectView } from '#app/models/projects/projects.server.ts'
import { MIN_TESTING_SHARE } from '#app/models/projects/vocabulary.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Timeline · ${data?.project.name ?? 'Project'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const detail = await getProject(scope, params.projectId ?? '')
  if (!detail) notFound('No such project in this organisation.')
  return json({ project: projectView(detail) })
}

export default function TimelinePage() {
  const { project: p } = useLoaderData<typeof loader>()
  const share = p.testingShare
  const low = share !== null && share < MIN_TESTING_SHARE
  return (
    <div className="space-y-6">
      {/* A4 landscape on paper: the picture scales to the page, the navigation is not printed. */}
      <style>{'@page { size: A4 landscape; margin: 12mm } @media print { .timeline { width: 100% !important; height: auto } }'}</style>
      <Link to={`../${p.id}`} relative="path" className="link text-sm print:hidden">
        ← {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Timeline</h1>
          <p className="text-slate-700">{p.name}: planned bars, baseline outlines (dashed), actual bands (dark), go-live, the pilot’s and each wave’s go-live (violet) and today.</p>
        </div>
        <Link to="../plan" relative="path" className="btn-secondary print:hidden">
          Edit the plan
        </Link>
      </div>
      <p role={low ? 'alert' : undefined} className={low ? 'rounded-md bg-red-50 p-3 text-sm font-semibold text-red-900 ring-1 ring-red-300' : 'text-sm'}>
        Testing & validation has {share === null ? 'no complete dates' : `${Math.round(share * 100)} % of the delivery timeline`}
        {low ? ` — less than the ${MIN_TESTING_SHARE * 100} % the plan asks for: thorough testing is what keeps bad data out of the chart.` : '.'}
      </p>
      <div className="card overflow-x-auto">
        <ProjectTimeline items={p.timeline} milestones={p.milestones} today={p.today} title={`Timeline of ${p.name}`} />
      </div>
      <section className="card overflow-x-auto p-0" aria-labelledby="dates">
        <h2 id="dates" className="px-4 pt-4 text-lg font-semibold">
          Every date
        </h2>
        <TimelineTable items={p.timeline} milestones={p.milestones} />
      </section>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
