import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FilterSelect } from '#app/components/filter-select.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { ListFilterForm } from '#app/components/inventory-list.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { HealthBadge } from '#app/components/project-parts.tsx'
import { dayOf, formatDay } from '#app/models/projects/plan.ts'
import { listProjects, PROJECT_SORTS } from '#app/models/projects/projects.server.ts'
import { PHASES, phaseNumber, PROJECT_STATUSES } from '#app/models/projects/vocabulary.ts'
import { SortHeader } from '#app/components/sort-header.tsx'
import { DirParam, oneOf, parseListQuery, SearchParam } from '#app/utils/list.ts'
import { useCan } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction = () => [{ title: 'Projects · Liaison' }]

const FILTER = {
  q: SearchParam,
  status: oneOf(Object.keys(PROJECT_STATUSES) as [string, ...string[]]),
  phase: oneOf(Object.keys(PHASES) as [string, ...string[]]),
  sort: oneOf(PROJECT_SORTS),
  dir: DirParam,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const filter = parseListQuery(request, FILTER)
  const { projects, total, pageCount } = await listProjects(scope, filter)
  return json({
    projects: projects.map((p) => ({ ...p, startDate: dayOf(p.startDate)!, targetGoLive: dayOf(p.targetGoLive)! })),
    total,
    pageCount,
    page: filter.page,
  })
}

export default function ProjectsPage() {
  const { projects, total, pageCount, page } = useLoaderData<typeof loader>()
  const [sp] = useSearchParams()
  const canWrite = useCan('projects:write')
  const filtered = ['q', 'status', 'phase'].some((k) => sp.get(k))
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Projects</h1>
          <p className="text-slate-700">Every integration project: where it is in its five phases, who owns it, and when it goes live.</p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link to="readiness" className="btn-secondary">
            Readiness portfolio
          </Link>
          <Link to="calendar" className="btn-secondary">
            Calendar feed
          </Link>
          {canWrite ? (
            <Link to="new" className="btn-primary">
              New project
            </Link>
          ) : null}
        </div>
      </div>
      <ListFilterForm label="Filter projects" searchPlaceholder="Name or goal" filterKeys={['status', 'phase']}>
        <FilterSelect name="status" label="Status" map={PROJECT_STATUSES} value={sp.get('status')} />
        <FilterSelect name="phase" label="Phase" map={PHASES} value={sp.get('phase')} />
      </ListFilterForm>
      {projects.length ? (
        <div className="card overflow-x-auto p-0">
          <table className="table">
            <caption className="sr-only">Projects</caption>
            <thead className="bg-slate-50">
              <tr>
                <SortHeader field="name" label="Project" />
                <th scope="col">Phase</th>
                <th scope="col">Health</th>
                <th scope="col">Owner</th>
                <SortHeader field="startDate" label="Start" />
                <SortHeader field="targetGoLive" label="Go-live" />
                <SortHeader field="status" label="Status" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {projects.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={p.id} className="link font-medium">
                      {p.name}
                    </Link>
                    <span className="block text-xs text-slate-600">
                      {p._count.interfaces} interface{p._count.interfaces === 1 ? '' : 's'} · {p._count.systems} system{p._count.systems === 1 ? '' : 's'}
                    </span>
                  </td>
                  <td>
                    {phaseNumber(p.phase)} · {PHASES[p.phase]}
                  </td>
                  <td>
                    <HealthBadge health={p.health} reasons={p.reasons} />
                  </td>
                  <td>{p.owner?.user.name ?? <span className="text-slate-600">Nobody</span>}</td>
                  <td className="whitespace-nowrap">{formatDay(p.startDate)}</td>
                  <td className="whitespace-nowrap">{formatDay(p.targetGoLive)}</td>
                  <td>{PROJECT_STATUSES[p.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : filtered ? (
        <EmptyState title="No project matches this filter">Clear the search or choose another status or phase.</EmptyState>
      ) : (
        <EmptyState
          title="No projects yet"
          action={
            canWrite ? (
              <Link to="new" className="btn-primary">
                Start the first project
              </Link>
            ) : undefined
          }
        >
          A project connects systems of the inventory: it gets the five phases and fourteen steps of a standard integration plan, ready to be adjusted.
        </EmptyState>
      )}
      <Pagination page={page} pageCount={pageCount} total={total} noun="projects" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
