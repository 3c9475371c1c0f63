import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { listOutbox } from '#app/models/messages/email-outbox.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { parseListQuery } from '#app/utils/list.ts'

export const meta: MetaFunction = () => [{ title: 'Email outbox · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'outbox:read' })
  const { page } = parseListQuery(request, {})
  const result = await listOutbox(scope, page)
  return json({ ...result, page, smtpConfigured: Boolean(getEnv().SMTP_URL) })
}

const STATUS_STYLE: Record<string, string> = {
  pending: 'bg-amber-100 text-amber-900',
  sending: 'bg-sky-100 text-sky-900',
  sent: 'bg-emerald-100 text-emerald-900',
  failed: 'bg-red-100 text-red-900',
  held: 'bg-slate-200 text-slate-800',
}

export default function OutboxPage() {
  const { emails, total, pageCount, page, smtpConfigured } = useLoaderData<typeof loader>()
  const { org } = useOrg()
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Email outbox</h1>
        <p className="text-slate-700">Every email Liaison sent or will send for {org.name}: invitations, reminders and alerts.</p>
      </div>
      {!smtpConfigured ? (
        <p role="note" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-300">
          No SMTP server is configured (SMTP_URL), so emails are <strong>held</strong> here instead of being sent. Open
          one to read it as its recipient would.
        </p>
      ) : null}
      {emails.length ? (
        <div className="card overflow-x-auto p-0">
          <table className="table">
            <caption className="sr-only">Emails, newest first</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col">Queued</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {emails.map((e) => (
                <tr key={e.id}>
                  <td className="whitespace-nowrap">{formatDateTime(e.createdAt, org.timeZone)}</td>
                  <td>{e.toEmail}</td>
                  <td>
                    <Link to={e.id} className="link">
                      {e.subject}
                    </Link>
                  </td>
                  <td>
                    <span className={`rounded px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[e.status] ?? ''}`}>{e.status}</span>
                    {e.lastError ? <div className="mt-1 text-xs text-red-700">{e.lastError}</div> : null}
                  </td>
                  <td>{e.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState title="No emails yet">Invitations you send appear here.</EmptyState>
      )}
      <Pagination page={page} pageCount={pageCount} total={total} noun="emails" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
