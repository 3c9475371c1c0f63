import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { getOutboxEmail } from '#app/models/messages/email-outbox.server.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.email.subject ?? 'Email'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'outbox:read' })
  const email = await getOutboxEmail(scope, params.emailId ?? '')
  if (!email) notFound()
  const { html: _html, ...rest } = email
  return json({ email: rest })
}

export default function OutboxEmailPage() {
  const { email } = useLoaderData<typeof loader>()
  const { org } = useOrg()
  return (
    <div className="space-y-4">
      <Link to=".." relative="path" className="link text-sm">
        ← Email outbox
      </Link>
      <h1 className="text-2xl font-bold">{email.subject}</h1>
      <dl className="grid grid-cols-[8rem_1fr] gap-1 text-sm">
        <dt className="font-semibold">To</dt>
        <dd>{email.toEmail}</dd>
        <dt className="font-semibold">Status</dt>
        <dd>
          {email.status}
          {email.sentAt ? ` · sent ${formatDateTime(email.sentAt, org.timeZone)}` : ''}
        </dd>
        <dt className="font-semibold">Queued</dt>
        <dd>{formatDateTime(email.createdAt, org.timeZone)}</dd>
      </dl>
      <iframe
        title={`Email: ${email.subject}`}
        src={`${email.id}/html`}
        sandbox=""
        className="h-[36rem] w-full rounded-lg bg-white ring-1 ring-slate-200"
      />
      <details className="card">
        <summary className="cursor-pointer font-semibold">Plain-text version</summary>
        <pre className="mt-3 whitespace-pre-wrap text-sm">{email.text}</pre>
      </details>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
