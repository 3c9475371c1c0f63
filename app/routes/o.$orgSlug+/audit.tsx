import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { listAuditEvents, verifyAuditChain } from '#app/models/audit/audit.server.ts'
import { actorLabel, AUDIT_ACTION_GROUPS, describeAction } from '#app/models/audit/vocabulary.ts'
import { AUDIT_FILTER, toAuditFilter } from '#app/models/audit/audit-filter.ts'
import { formatDateTime, useCan, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { parseListQuery } from '#app/utils/list.ts'

export const meta: MetaFunction = () => [{ title: 'Audit trail · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'audit:read' })
  const raw = parseListQuery(request, AUDIT_FILTER)
  const result = await listAuditEvents(scope, { ...toAuditFilter(raw), page: raw.page })
  return json({ ...result, page: raw.page })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'audit:read' })
  return json({ verification: await verifyAuditChain(scope) })
}

export default function AuditPage() {
  const { events, total, pageCount, page } = useLoaderData<typeof loader>()
  const verification = useActionData<typeof action>()?.verification
  const { org } = useOrg()
  const canExport = useCan('audit:export')
  const [searchParams] = useSearchParams()
  const location = useLocation()
  const navigation = useNavigation()
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Audit trail</h1>
          <p className="text-slate-700">
            Every change and security event, append-only and hash-chained. Times in {org.timeZone}.
          </p>
        </div>
        <div className="flex gap-2">
          <Form method="post">
            <button type="submit" className="btn-secondary" disabled={navigation.state === 'submitting'}>
              {navigation.state === 'submitting' ? 'Verifying…' : 'Verify the chain'}
            </button>
          </Form>
          {canExport ? (
            <a href={`/o/${org.slug}/audit/export${location.search}`} className="btn-primary" download>
              Export CSV
            </a>
          ) : null}
        </div>
      </div>

      {verification ? (
        verification.ok ? (
          <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 ring-1 ring-emerald-300">
            The chain is intact: {verification.checked} events checked, none changed, none missing.
          </p>
        ) : (
          <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-400">
            <p className="font-semibold">The chain is broken at event #{verification.broken.seq}.</p>
            <p>
              {verification.broken.reason}
              {verification.broken.id ? ` (event id ${verification.broken.id})` : ''}. {verification.checked} events
              before it are intact. Treat this as a security incident.
            </p>
          </div>
        )
      ) : null}

      <Form method="get" className="card grid gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label="Filter the audit trail">
        <div>
          <label htmlFor="action" className="label">
            Kind
          </label>
          <select id="action" name="action" defaultValue={searchParams.get('action') ?? ''} className="input mt-1">
            <option value="">All events</option>
            {AUDIT_ACTION_GROUPS.map((g) => (
              <option key={g.value} value={g.value}>
                {g.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="actor" className="label">
            Who
          </label>
          <input id="actor" name="actor" defaultValue={searchParams.get('actor') ?? ''} className="input mt-1" placeholder="email" />
        </div>
        <div>
          <label htmlFor="target" className="label">
            Target
          </label>
          <input id="target" name="target" defaultValue={searchParams.get('target') ?? ''} className="input mt-1" />
        </div>
        <div>
          <label htmlFor="from" className="label">
            From (UTC)
          </label>
          <input id="from" name="from" type="date" defaultValue={searchParams.get('from') ?? ''} className="input mt-1" />
        </div>
        <div>
          <label htmlFor="to" className="label">
            To (UTC)
          </label>
          <input id="to" name="to" type="date" defaultValue={searchParams.get('to') ?? ''} className="input mt-1" />
        </div>
        <div className="flex items-end gap-2">
          <button type="submit" className="btn-secondary">
            Filter
          </button>
          <Link to="." className="link text-sm">
            Clear
          </Link>
        </div>
      </Form>

      {events.length ? (
        // Wider than the page beside the navigation: the scrolling box takes focus, so a keyboard can scroll it.
        <div className="card overflow-x-auto p-0" tabIndex={0} role="region" aria-label="Audit events">
          <table className="table">
            <caption className="sr-only">Audit events, newest first</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Target</th>
                <th scope="col">IP</th>
                <th scope="col">Request</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((e) => (
                <tr key={e.id}>
                  <td className="text-slate-600">{e.seq}</td>
                  <td className="whitespace-nowrap">
                    <time dateTime={e.createdAt}>{formatDateTime(e.createdAt, org.timeZone, { dateStyle: 'medium', timeStyle: 'medium' })}</time>
                  </td>
                  <td>{actorLabel(e)}</td>
                  <td>
                    <span className="font-medium">{describeAction(e.action)}</span>
                    <div className="font-mono text-xs text-slate-600">{e.action}</div>
                  </td>
                  <td>{e.targetLabel ?? e.targetType ?? ''}</td>
                  <td className="font-mono text-xs">{e.ip ?? ''}</td>
                  <td className="font-mono text-xs" title={e.requestId ?? ''}>
                    {e.requestId?.slice(0, 8) ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState title="No events match this filter">Widen the dates or clear the filter.</EmptyState>
      )}
      <Pagination page={page} pageCount={pageCount} total={total} noun="events" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
