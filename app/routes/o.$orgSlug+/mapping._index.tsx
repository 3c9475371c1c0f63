import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { CoverageBars } from '#app/components/coverage-bars.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { ProjectFilterForm } from '#app/components/project-filter.tsx'
import { getMappingOverview } from '#app/models/mapping/mapping.server.ts'
import { listProjectFilterOptions, projectGroup } from '#app/models/projects/waves.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { LIFECYCLES, STANDARDS } from '#app/models/inventory/vocabulary.ts'
import { useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { IdParam, oneOf, parseListQuery, SearchParam } from '#app/utils/list.ts'

export const meta: MetaFunction = () => [{ title: 'Data mapping · Liaison' }]

const STATES = { none: 'No mapping yet', draft: 'Draft in progress', approved: 'Approved' } as const

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:read' })
  const query = parseListQuery(request, { q: SearchParam, state: oneOf(Object.keys(STATES) as [keyof typeof STATES, ...(keyof typeof STATES)[]]), project: IdParam, wave: IdParam })
  // A project's scope instead of the whole estate; another organisation's project (or a wave not of it): 404.
  const group = query.project ? await projectGroup(scope, { projectId: query.project, waveId: query.wave }) : null
  if (query.project && !group) notFound('No such project or wave in this organisation.')
  const [overview, projects] = await Promise.all([getMappingOverview(scope, { q: query.q, state: query.state, interfaceIds: group?.interfaceIds }), listProjectFilterOptions(scope)])
  return json({ ...overview, projects, group: group ? { project: group.project, wave: group.wave } : null })
}

export default function MappingOverviewPage() {
  const { items, totals, interfacesWithoutMapping, projects, group } = useLoaderData<typeof loader>()
  const { org } = useOrg()
  const [sp] = useSearchParams()
  const base = `/o/${org.slug}`
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Data mapping</h1>
        <p className="max-w-3xl text-slate-700">
          Both sides rarely use the same fields and codes. Each interface keeps a versioned mapping matrix: every field from source to target with its rules,
          reviewed by a second person, and every local code mapped to a standard one.
        </p>
      </div>
      <section className="card grid gap-6 md:grid-cols-[1fr_2fr]" aria-labelledby="totals-h">
        <div>
          <h2 id="totals-h" className="text-lg font-semibold">
            {group ? `Coverage of ${group.project.name}` : 'Coverage across the estate'}
          </h2>
          <p className="text-sm text-slate-700">
            {group
              ? `The current version of each interface in the project’s scope (the draft where one is open)${group.wave ? `; “${group.wave.name}” goes live on the same scope` : ''}.`
              : 'Current version of every interface (the draft where one is open).'}
          </p>
          {interfacesWithoutMapping ? (
            <p className="mt-2 text-sm font-medium text-amber-900">
              {interfacesWithoutMapping} interface{interfacesWithoutMapping === 1 ? ' has' : 's have'} no mapping yet.
            </p>
          ) : null}
        </div>
        <CoverageBars coverage={totals} />
      </section>
      <ProjectFilterForm label="Which scope" projects={projects} project={group?.project.id ?? null} wave={group?.wave?.id ?? null} />
      <Form method="get" className="card flex flex-wrap items-end gap-3" role="search" aria-label="Filter interfaces">
        {group ? <input type="hidden" name="project" value={group.project.id} /> : null}
        {group?.wave ? <input type="hidden" name="wave" value={group.wave.id} /> : null}
        <div className="grow">
          <label htmlFor="q" className="label">
            Search interfaces
          </label>
          <input id="q" name="q" type="search" defaultValue={sp.get('q') ?? ''} className="input mt-1" />
        </div>
        <div>
          <label htmlFor="state" className="label">
            Mapping
          </label>
          <select id="state" name="state" defaultValue={sp.get('state') ?? ''} className="input mt-1">
            <option value="">Any</option>
            {Object.entries(STATES).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          Filter
        </button>
      </Form>
      {items.length === 0 ? (
        <EmptyState title="No interfaces match">Add interfaces in the inventory; each gets a mapping matrix here.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Interface</th>
                <th scope="col">Standard · lifecycle</th>
                <th scope="col">Version</th>
                <th scope="col" className="w-80">
                  Coverage
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`${base}/mapping/${i.id}`} className="link font-medium">
                      {i.name}
                    </Link>
                    <div className="text-xs text-slate-600">
                      {i.source.name} → {i.target.name}
                    </div>
                  </td>
                  <td className="text-sm">
                    {STANDARDS[i.standard]} · {LIFECYCLES[i.lifecycle]}
                  </td>
                  <td className="text-sm">
                    {i.version ? (
                      <Link to={`${base}/mapping/v/${i.version.id}`} className="link">
                        v{i.version.number} {i.version.status === 'approved' ? 'approved' : 'draft'}
                      </Link>
                    ) : (
                      <span className="font-medium text-amber-900">none</span>
                    )}
                  </td>
                  <td>{i.coverage ? <CoverageBars coverage={i.coverage} compact /> : <span className="text-sm text-slate-600">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
