import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FilterSelect } from '#app/components/filter-select.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { ListFilterForm } from '#app/components/inventory-list.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { BandBadge, levelLabel } from '#app/components/readiness-parts.tsx'
import { SortHeader } from '#app/components/sort-header.tsx'
import { formatDay } from '#app/models/projects/plan.ts'
import { PROJECT_STATUSES } from '#app/models/projects/vocabulary.ts'
import { portfolioReadiness, PORTFOLIO_SORTS } from '#app/models/readiness/readiness.server.ts'
import { BANDS, LEVELS, type Band, type Level } from '#app/models/readiness/readiness.ts'
import { DirParam, oneOf, parseListQuery, SearchParam } from '#app/utils/list.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction = () => [{ title: 'Readiness portfolio · Liaison' }]

const LEVEL_FILTER = { ...LEVELS, none: 'Not yet design complete' }
const FILTER = {
  q: SearchParam,
  band: oneOf(Object.keys(BANDS) as [Band, ...Band[]]),
  level: oneOf(Object.keys(LEVEL_FILTER) as [Level | 'none', ...(Level | 'none')[]]),
  status: oneOf(Object.keys(PROJECT_STATUSES) as [string, ...string[]]),
  sort: oneOf(PORTFOLIO_SORTS),
  dir: DirParam,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const filter = parseListQuery(request, FILTER)
  const portfolio = await portfolioReadiness(scope, filter)
  return json({ ...portfolio, page: filter.page })
}

export default function PortfolioPage() {
  const { projects, total, pageCount, page, bands } = useLoaderData<typeof loader>()
  const [sp] = useSearchParams()
  const filtered = ['q', 'band', 'level', 'status'].some((k) => sp.get(k))
  return (
    <div className="space-y-6">
      <Link to=".." relative="path" className="link text-sm print:hidden">
        ← Projects
      </Link>
      <div>
        <h1 className="text-2xl font-bold">Readiness portfolio</h1>
        <p className="text-slate-700">
          Every project’s readiness score, band and level, and its next go-live: {bands.passing} passing, {bands.attention} needing attention, {bands.failing} failing.
        </p>
      </div>
      <ListFilterForm label="Filter the portfolio" searchPlaceholder="Project name" filterKeys={['band', 'level', 'status']}>
        <FilterSelect name="band" label="Band" map={BANDS} value={sp.get('band')} />
        <FilterSelect name="level" label="Level" map={LEVEL_FILTER} value={sp.get('level')} />
        <FilterSelect name="status" label="Status" map={PROJECT_STATUSES} value={sp.get('status')} />
      </ListFilterForm>
      {projects.length ? (
        <div className="card overflow-x-auto p-0">
          <table className="table">
            <caption className="sr-only">Readiness of every project</caption>
            <thead className="bg-slate-50">
              <tr>
                <SortHeader field="name" label="Project" />
                <SortHeader field="score" label="Score" />
                <th scope="col">Band</th>
                <SortHeader field="level" label="Level" />
                <SortHeader field="nextGoLive" label="Next go-live" />
                <th scope="col">Failing</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {projects.map((p) => (
                <tr key={p.id} className="align-top">
                  <td>
                    <Link to={`../${p.id}/readiness`} relative="path" className="link font-medium">
                      {p.name}
                    </Link>
                    <span className="block text-xs text-slate-600">{PROJECT_STATUSES[p.status]}</span>
                  </td>
                  <td className="whitespace-nowrap font-semibold">{p.scorePct} %</td>
                  <td>
                    <BandBadge band={p.band} />
                  </td>
                  <td>{levelLabel(p.level)}</td>
                  <td className="whitespace-nowrap">{p.nextGoLive ? formatDay(p.nextGoLive) : '—'}</td>
                  <td className="text-sm">
                    {p.failing.length ? p.failing.join(', ') : 'Nothing'}
                    {p.overridden ? <span className="block text-xs text-amber-900">Gate overridden</span> : null}
                    {p.exemptions ? <span className="block text-xs text-amber-900">{p.exemptions} exemption{p.exemptions === 1 ? '' : 's'}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : filtered ? (
        <EmptyState title="No project matches this filter">Clear the search or choose another band, level or status.</EmptyState>
      ) : (
        <EmptyState title="No projects yet">A project’s readiness is computed from its scope, plan, RACI, mapping, UAT, security and waves.</EmptyState>
      )}
      <Pagination page={page} pageCount={pageCount} total={total} noun="projects" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
