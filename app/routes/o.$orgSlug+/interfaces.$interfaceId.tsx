import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ProjectsTouching } from '#app/components/project-parts.tsx'
import { listProjectsTouching } from '#app/models/projects/projects.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { WarningsPanel } from '#app/components/warnings-panel.tsx'
import { getEstate } from '#app/models/inventory/estate.server.ts'
import { deleteInterface, getInterface } from '#app/models/inventory/interface.server.ts'
import { getInterfaceMapping } from '#app/models/mapping/mapping.server.ts'
import { can } from '#app/utils/permissions.ts'
import { CoverageBars } from '#app/components/coverage-bars.tsx'
import { computeWarnings } from '#app/models/inventory/estate.ts'
import { APPROACHES, CRITICALITIES, DIRECTIONS, LIFECYCLES, STANDARDS, SYSTEM_KINDS, TRANSPORTS } from '#app/models/inventory/vocabulary.ts'
import { formatDateTime, useCan, useOrg } from '#app/utils/org.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.iface.name ?? 'Interface'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:read' })
  const iface = await getInterface(scope, params.interfaceId ?? '')
  if (!iface) notFound()
  const [{ nodes, edges }, mapping] = await Promise.all([getEstate(scope), can(scope.role, 'mapping:read') ? getInterfaceMapping(scope, iface.id) : null])
  const warnings = computeWarnings(nodes, edges).filter((w) => w.interfaceIds.includes(iface.id))
  const { capability: _c, ...target } = iface.target
  // The current mapping version: the open draft, else the newest.
  const current = mapping?.mappingVersions.find((v) => v.status === 'draft') ?? mapping?.mappingVersions[0] ?? null
  const projects = can(scope.role, 'projects:read') ? await listProjectsTouching(scope, { interfaceId: iface.id }) : []
  return json({ iface: { ...iface, target }, warnings, mapping: mapping ? { current } : null, projects })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  const form = await request.formData()
  if (form.get('intent') !== 'delete') throw new Response('Bad request', { status: 400 })
  const deleted = await deleteInterface(scope, params.interfaceId ?? '')
  if (!deleted) notFound()
  return redirectWithToast(`/o/${scope.orgSlug}/interfaces`, { type: 'success', title: `${deleted.name} deleted` })
}

export default function InterfacePage() {
  const { iface, warnings, mapping, projects } = useLoaderData<typeof loader>()
  const canStartProject = useCan('projects:write')
  useActionData<typeof action>()
  const { org } = useOrg()
  const canWrite = useCan('inventory:write')
  const canReadMapping = useCan('mapping:read')
  const base = `/o/${org.slug}`
  return (
    <div className="space-y-6">
      <Link to={`${base}/interfaces`} className="link text-sm">
        ← Interfaces
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">{iface.name}</h1>
          <p className="text-slate-700">
            <Link to={`${base}/systems/${iface.source.id}`} className="link">{iface.source.name}</Link>{' '}
            {iface.direction === 'bidirectional' ? '↔' : '→'}{' '}
            <Link to={`${base}/systems/${iface.target.id}`} className="link">{iface.target.name}</Link> · {STANDARDS[iface.standard]} ·{' '}
            {LIFECYCLES[iface.lifecycle]}
          </p>
        </div>
        <div className="flex gap-2">
          {canReadMapping ? (
            <Link to={`${base}/mapping/${iface.id}`} className="btn-secondary">
              Data mapping
            </Link>
          ) : null}
        {canWrite ? (
          <>
            <Link to={`${base}/interfaces/${iface.id}/edit`} className="btn-primary">
              Edit
            </Link>
            <Form
              method="post"
              onSubmit={(e) => {
                if (!confirm(`Delete ${iface.name}?`)) e.preventDefault()
              }}
            >
              <button type="submit" name="intent" value="delete" className="btn-danger">
                Delete
              </button>
            </Form>
          </>
        ) : null}
        </div>
      </div>
      <WarningsPanel warnings={warnings} />
      <ProjectsTouching projects={projects} base={base} canStart={canStartProject} startQuery={`interfaceId=${iface.id}`} />
      {mapping ? (
        <section className="card grid gap-4 md:grid-cols-[1fr_2fr]" aria-labelledby="mapping-h">
          <div>
            <h2 id="mapping-h" className="text-lg font-semibold">
              Data mapping
            </h2>
            {mapping.current ? (
              <p className="text-sm text-slate-700">
                <Link to={`${base}/mapping/v/${mapping.current.id}`} className="link">
                  v{mapping.current.number} {mapping.current.status === 'approved' ? 'approved' : 'draft'}
                </Link>
                {mapping.current.status === 'approved' && mapping.current.approvedAt ? ` on ${formatDateTime(mapping.current.approvedAt, org.timeZone, { dateStyle: 'medium' })}` : ''}
              </p>
            ) : (
              <p className="text-sm">
                <span className="font-medium text-amber-900">No mapping yet:</span> nobody has written down how its fields and codes map.{' '}
                <Link to={`${base}/mapping/${iface.id}`} className="link underline">
                  Start it
                </Link>
              </p>
            )}
          </div>
          {mapping.current ? <CoverageBars coverage={mapping.current.coverage} compact /> : null}
        </section>
      ) : null}
      <section className="card" aria-labelledby="facts-h">
        <h2 id="facts-h" className="text-lg font-semibold">
          Facts
        </h2>
        <dl className="mt-3 grid gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
          <dt className="font-medium">Message types</dt>
          <dd>{iface.messageTypes.length ? iface.messageTypes.join(', ') : '—'}</dd>
          <dt className="font-medium">Transport</dt>
          <dd>{TRANSPORTS[iface.transport]}</dd>
          <dt className="font-medium">Approach</dt>
          <dd>{APPROACHES[iface.approach]}</dd>
          <dt className="font-medium">Direction</dt>
          <dd>{DIRECTIONS[iface.direction]}</dd>
          <dt className="font-medium">Criticality</dt>
          <dd>{CRITICALITIES[iface.criticality]}</dd>
          <dt className="font-medium">Owner</dt>
          <dd>{iface.owner ? `${iface.owner.user.name}${iface.owner.unit ? ` · ${iface.owner.unit}` : ''}` : <span className="text-amber-800">nobody — name one</span>}</dd>
          <dt className="font-medium">Source / target kinds</dt>
          <dd>
            {SYSTEM_KINDS[iface.source.kind]} → {SYSTEM_KINDS[iface.target.kind]}
          </dd>
          {iface.standardsException ? (
            <>
              <dt className="font-medium">Standards exception</dt>
              <dd className="whitespace-pre-wrap">{iface.standardsException}</dd>
            </>
          ) : null}
          {iface.description ? (
            <>
              <dt className="font-medium">Description</dt>
              <dd className="whitespace-pre-wrap">{iface.description}</dd>
            </>
          ) : null}
          <dt className="font-medium">Last changed</dt>
          <dd>{formatDateTime(iface.updatedAt, org.timeZone)}</dd>
        </dl>
      </section>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
