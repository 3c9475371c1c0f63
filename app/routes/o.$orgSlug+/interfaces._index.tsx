import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { WarningsPanel } from '#app/components/warnings-panel.tsx'
import { FilterSelect } from '#app/components/filter-select.tsx'
import { InventoryListHeader, ListFilterForm } from '#app/components/inventory-list.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { SortHeader } from '#app/components/sort-header.tsx'
import { getEstateWarnings } from '#app/models/inventory/estate.server.ts'
import { INTERFACE_SORTS, listInterfaces } from '#app/models/inventory/interface.server.ts'
import { APPROACHES, LIFECYCLES, STANDARDS } from '#app/models/inventory/vocabulary.ts'
import { useCan } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { DirParam, oneOf, parseListQuery, SearchParam } from '#app/utils/list.ts'

export const meta: MetaFunction = () => [{ title: 'Interfaces · Liaison' }]

const keys = (m: Record<string, string>) => Object.keys(m) as [string, ...string[]]
const FILTER = {
  q: SearchParam,
  standard: oneOf(keys(STANDARDS)),
  lifecycle: oneOf(keys(LIFECYCLES)),
  approach: oneOf(keys(APPROACHES)),
  sort: oneOf(INTERFACE_SORTS),
  dir: DirParam,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:read' })
  const filter = parseListQuery(request, FILTER)
  const [result, warnings] = await Promise.all([listInterfaces(scope, filter), getEstateWarnings(scope)])
  return json({ ...result, page: filter.page, warnings })
}

export default function InterfacesPage() {
  const { interfaces, total, pageCount, page, warnings } = useLoaderData<typeof loader>()
  const [sp] = useSearchParams()
  const canWrite = useCan('inventory:write')
  const warned = new Set(warnings.flatMap((w) => w.interfaceIds))
  const filtered = ['q', 'standard', 'lifecycle', 'approach'].some((k) => sp.get(k))
  return (
    <div className="space-y-6">
      <InventoryListHeader
        title="Interfaces"
        description="Every data flow between two systems: what it carries, how, and where it is in its life."
        kind="interfaces"
        addLabel="Add an interface"
      />

      <WarningsPanel warnings={warnings} title={`${warnings.length} warning${warnings.length > 1 ? 's' : ''} about the estate`} />

      <ListFilterForm label="Filter interfaces" searchPlaceholder="Name, system or message type (ORU^R01)" filterKeys={['standard', 'lifecycle', 'approach']}>
        <FilterSelect name="standard" label="Standard" map={STANDARDS} value={sp.get('standard')} />
        <FilterSelect name="approach" label="Approach" map={APPROACHES} value={sp.get('approach')} />
        <FilterSelect name="lifecycle" label="Lifecycle" map={LIFECYCLES} value={sp.get('lifecycle')} />
      </ListFilterForm>

      {interfaces.length ? (
        <div className="card overflow-x-auto p-0">
          <table className="table">
            <caption className="sr-only">Interfaces</caption>
            <thead className="bg-slate-50">
              <tr>
                <SortHeader field="name" label="Name" />
                <th scope="col">Source → target</th>
                <SortHeader field="standard" label="Standard" />
                <th scope="col">Messages</th>
                <th scope="col">Approach</th>
                <SortHeader field="lifecycle" label="Lifecycle" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {interfaces.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={i.id} className="link">
                      {i.name}
                    </Link>
                    {warned.has(i.id) ? (
                      <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs font-semibold text-amber-900">warning</span>
                    ) : null}
                  </td>
                  <td>
                    {i.source.name} {i.direction === 'bidirectional' ? '↔' : '→'} {i.target.name}
                  </td>
                  <td>{STANDARDS[i.standard]}</td>
                  <td className="text-xs">{i.messageTypes.slice(0, 6).join(', ')}{i.messageTypes.length > 6 ? ` +${i.messageTypes.length - 6}` : ''}</td>
                  <td>{APPROACHES[i.approach]}</td>
                  <td>{LIFECYCLES[i.lifecycle]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : filtered ? (
        <EmptyState title="No interface matches this filter">Clear the search or choose another standard.</EmptyState>
      ) : (
        <EmptyState
          title="No interfaces yet"
          action={
            canWrite ? (
              <Link to="new" className="btn-primary">
                Add the first interface
              </Link>
            ) : undefined
          }
        >
          Record each data flow: the lab results into the EHR (ORU^R01), admissions to the lab (ADT), orders out (ORM/OML).
        </EmptyState>
      )}
      <Pagination page={page} pageCount={pageCount} total={total} noun="interfaces" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
