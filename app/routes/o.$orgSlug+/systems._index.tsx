import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { FilterSelect } from '#app/components/filter-select.tsx'
import { InventoryListHeader, ListFilterForm } from '#app/components/inventory-list.tsx'
import { SortHeader } from '#app/components/sort-header.tsx'
import { listSystems, SYSTEM_SORTS } from '#app/models/inventory/system.server.ts'
import { CRITICALITIES, ENVIRONMENTS, SYSTEM_KINDS } from '#app/models/inventory/vocabulary.ts'
import { useCan, useOrg } from '#app/utils/org.ts'
import { DirParam, oneOf, parseListQuery, SearchParam } from '#app/utils/list.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction = () => [{ title: 'Systems · Liaison' }]

const FILTER = {
  q: SearchParam,
  kind: oneOf(Object.keys(SYSTEM_KINDS) as [string, ...string[]]),
  criticality: oneOf(Object.keys(CRITICALITIES) as [string, ...string[]]),
  environment: oneOf(Object.keys(ENVIRONMENTS) as [string, ...string[]]),
  sort: oneOf(SYSTEM_SORTS),
  dir: DirParam,
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:read' })
  const filter = parseListQuery(request, FILTER)
  const result = await listSystems(scope, filter)
  return json({ ...result, page: filter.page })
}

export default function SystemsPage() {
  const { systems, total, pageCount, page } = useLoaderData<typeof loader>()
  const [sp] = useSearchParams()
  const canWrite = useCan('inventory:write')
  const base = `/o/${useOrg().org.slug}`
  const filtered = ['q', 'kind', 'criticality', 'environment'].some((k) => sp.get(k))
  return (
    <div className="space-y-6">
      <InventoryListHeader
        title="Systems"
        description="Every application in the estate, who owns it and which standards it speaks."
        kind="systems"
        addLabel="Add a system"
      />
      <ListFilterForm label="Filter systems" searchPlaceholder="Name, vendor or product" filterKeys={['kind', 'criticality', 'environment']}>
        <FilterSelect name="kind" label="Kind" map={SYSTEM_KINDS} value={sp.get('kind')} />
        <FilterSelect name="criticality" label="Criticality" map={CRITICALITIES} value={sp.get('criticality')} />
        <FilterSelect name="environment" label="Environment" map={ENVIRONMENTS} value={sp.get('environment')} />
      </ListFilterForm>
      {systems.length ? (
        <div className="card overflow-x-auto p-0">
          <table className="table">
            <caption className="sr-only">Systems</caption>
            <thead className="bg-slate-50">
              <tr>
                <SortHeader field="name" label="Name" />
                <SortHeader field="kind" label="Kind" />
                <SortHeader field="vendor" label="Vendor · product · version" />
                <SortHeader field="criticality" label="Criticality" />
                <th scope="col">Standards</th>
                <th scope="col">Interfaces</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {systems.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={s.id} className="link">
                      {s.name}
                    </Link>
                    {s.environment !== 'production' ? <span className="ml-2 rounded bg-slate-200 px-1.5 text-xs">{ENVIRONMENTS[s.environment]}</span> : null}
                  </td>
                  <td>{SYSTEM_KINDS[s.kind]}</td>
                  <td>{[s.vendor, s.product, s.version].filter(Boolean).join(' · ') || <span className="text-slate-600">—</span>}</td>
                  <td>{CRITICALITIES[s.criticality]}</td>
                  <td className="text-xs">
                    {[
                      s.hl7v2Versions.length ? `HL7 v2 ${s.hl7v2Versions.join('/')}` : null,
                      s.fhirVersion ? `FHIR ${s.fhirVersion}` : null,
                      s.dicom ? 'DICOM' : null,
                      s.x12 ? 'X12' : null,
                    ]
                      .filter(Boolean)
                      .join(' · ') || <span className="text-amber-800">none recorded</span>}
                  </td>
                  <td>
                    {s._count.outgoing} out · {s._count.incoming} in
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : filtered ? (
        <EmptyState title="No system matches this filter">Clear the search or choose another kind.</EmptyState>
      ) : (
        <EmptyState
          title="No systems yet"
          action={
            canWrite ? (
              <div className="flex justify-center gap-2">
                <Link to="new" className="btn-primary">
                  Add the first system
                </Link>
                <Link to={`${base}/inventory/import`} className="btn-secondary">
                  Import a spreadsheet
                </Link>
              </div>
            ) : undefined
          }
        >
          Start with the EHR, the integration engine and the systems your first project connects: the lab, imaging,
          billing or the patient portal.
        </EmptyState>
      )}
      <Pagination page={page} pageCount={pageCount} total={total} noun="systems" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
