import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { CoverageBars } from '#app/components/coverage-bars.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState, FormErrors } from '#app/components/forms.tsx'
import { getInterfaceMapping, startMappingVersion } from '#app/models/mapping/mapping.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { LIFECYCLES, STANDARDS } from '#app/models/inventory/vocabulary.ts'
import { formatDateTime, useCan, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import { errorReply } from '#app/utils/forms.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Mapping of ${data?.iface.name ?? 'an interface'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:read' })
  const iface = await getInterfaceMapping(scope, params.interfaceId ?? '')
  if (!iface) notFound()
  return json({ iface })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:write' })
  const form = await request.formData()
  if (form.get('intent') !== 'start') throw new Response('Bad request', { status: 400 })
  try {
    const notes = String(form.get('notes') ?? '').trim().slice(0, 2000)
    const version = await startMappingVersion(scope, { interfaceId: params.interfaceId ?? '', notes: notes || undefined })
    if (!version) notFound()
    return redirectWithToast(`/o/${scope.orgSlug}/mapping/v/${version.id}`, { type: 'success', title: `v${version.number} started` })
  } catch (e) {
    return errorReply(e)
  }
}

export default function InterfaceMappingPage() {
  const { iface } = useLoaderData<typeof loader>()
  const error = useActionData<typeof action>()?.error
  const { org } = useOrg()
  const canWrite = useCan('mapping:write')
  const busy = useNavigation().state === 'submitting'
  const base = `/o/${org.slug}`
  const latest = iface.mappingVersions[0]
  return (
    <div className="space-y-6">
      <Link to={`${base}/mapping`} className="link text-sm">
        ← Data mapping
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Mapping of {iface.name}</h1>
          <p className="text-slate-700">
            {iface.source.name} → {iface.target.name} · {STANDARDS[iface.standard]} · {LIFECYCLES[iface.lifecycle]} ·{' '}
            <Link to={`${base}/interfaces/${iface.id}`} className="link">
              interface details
            </Link>
          </p>
        </div>
        {canWrite && latest?.status !== 'draft' ? (
          <Form method="post" className="flex flex-wrap items-end gap-2">
            <div>
              <label htmlFor="notes" className="label">
                Why a new version? <span className="font-normal text-slate-600">(optional)</span>
              </label>
              <input id="notes" name="notes" className="input mt-1" placeholder={latest ? 'e.g. lab moves to LOINC 2.77' : 'First draft'} />
            </div>
            <button type="submit" name="intent" value="start" className="btn-primary" disabled={busy}>
              {latest ? `Start v${latest.number + 1} from v${latest.number}` : 'Start the mapping (v1)'}
            </button>
          </Form>
        ) : null}
      </div>
      <FormErrors errors={error ? [error] : null} />
      {iface.mappingVersions.length === 0 ? (
        <EmptyState title="No mapping yet">
          Nobody has written down how {iface.source.name}’s fields and codes become {iface.target.name}’s. Start v1 and add a row per field.
        </EmptyState>
      ) : (
        <ol className="space-y-3" aria-label="Versions, newest first">
          {iface.mappingVersions.map((v) => (
            <li key={v.id} className="card grid gap-4 md:grid-cols-[1fr_20rem]">
              <div>
                <h2 className="text-lg font-semibold">
                  <Link to={`${base}/mapping/v/${v.id}`} className="link">
                    v{v.number}
                  </Link>{' '}
                  <span className={v.status === 'approved' ? 'text-emerald-800' : 'text-blue-900'}>{v.status === 'approved' ? 'approved · frozen' : 'draft'}</span>
                </h2>
                <p className="text-sm text-slate-700">
                  Started {formatDateTime(v.createdAt, org.timeZone)}
                  {v.createdBy ? ` by ${v.createdBy.user.name}` : ''}
                  {v.basedOn ? ` from v${v.basedOn.number}` : ''}
                  {v.approvedAt ? ` · approved ${formatDateTime(v.approvedAt, org.timeZone)}${v.approvedBy ? ` by ${v.approvedBy.user.name}` : ''}` : ''}
                </p>
                {v.notes ? <p className="mt-1 text-sm">{v.notes}</p> : null}
                {v.basedOn ? (
                  <Link to={`${base}/mapping/v/${v.id}/diff`} className="link mt-2 inline-block text-sm">
                    What changed since v{v.basedOn.number}
                  </Link>
                ) : null}
              </div>
              <CoverageBars coverage={v.coverage} compact />
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
