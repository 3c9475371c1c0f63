import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { createFeed, getMyFeed, revokeFeed } from '#app/models/projects/calendar.server.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction = () => [{ title: 'Calendar feed · Projects · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const feed = await getMyFeed(scope)
  return json({ feed: feed ? { createdAt: feed.createdAt.toISOString(), lastUsedAt: feed.lastUsedAt?.toISOString() ?? null } : null })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const form = await request.formData()
  switch (String(form.get('intent') ?? '')) {
    case 'create': {
      // Shown once, in this answer: only its hash is kept (so no redirect with the secret in a URL).
      const { url } = await createFeed(scope)
      return json({ url, error: null })
    }
    case 'revoke': {
      const feed = await revokeFeed(scope)
      if (!feed) return json({ url: null, error: 'You have no calendar feed to revoke.' }, { status: 404 })
      return redirectWithToast(`/o/${scope.orgSlug}/projects/calendar`, { type: 'success', title: 'Calendar feed revoked', description: 'The old URL no longer answers.' })
    }
    default:
      return json({ url: null, error: 'Unknown action.' }, { status: 400 })
  }
}

export default function CalendarFeedPage() {
  const { feed } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as { url: string | null; error: string | null } | undefined
  const { org } = useOrg()
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <Link to={`/o/${org.slug}/projects`} className="link text-sm">
        ← Projects
      </Link>
      <div>
        <h1 className="text-2xl font-bold">Calendar feed</h1>
        <p className="text-slate-700">
          Subscribe to {org.name}’s project milestones — every project’s target go-live, the end of each phase, the pilot’s and each wave’s go-live — in Outlook,
          Google Calendar or Apple Calendar. The URL is yours and secret: anyone who has it sees the milestones. Revoke it when it may have leaked; it also stops working if your
          membership is deactivated.
        </p>
      </div>
      {data?.error ? <FormErrors errors={[data.error]} /> : null}
      {data?.url ? (
        <section aria-labelledby="new-url" className="card space-y-2 ring-2 ring-emerald-300" role="status">
          <h2 id="new-url" className="text-lg font-semibold">
            Your new calendar URL
          </h2>
          <p className="text-sm text-slate-700">Copy it now: Liaison keeps only a fingerprint of it and cannot show it again. Any older URL of yours has stopped working.</p>
          <label htmlFor="feed-url" className="label">
            Calendar URL
          </label>
          <input id="feed-url" readOnly value={data.url} className="input font-mono text-sm" onFocus={(e) => e.currentTarget.select()} />
          <p className="text-sm">
            In Outlook: Add calendar → Subscribe from web. In Google Calendar: Other calendars → From URL.
          </p>
        </section>
      ) : null}
      <section aria-labelledby="state" className="card space-y-3">
        <h2 id="state" className="text-lg font-semibold">
          Your feed
        </h2>
        {feed ? (
          <p className="text-sm">
            Active since {formatDateTime(feed.createdAt, org.timeZone)}; {feed.lastUsedAt ? `last fetched ${formatDateTime(feed.lastUsedAt, org.timeZone)}` : 'not fetched yet'}.
          </p>
        ) : (
          <p className="text-sm text-slate-700">You have no calendar feed.</p>
        )}
        <div className="flex flex-wrap gap-2">
          <Form method="post">
            <button type="submit" name="intent" value="create" className="btn-primary">
              {feed ? 'Make a new URL (revokes the old one)' : 'Make a calendar URL'}
            </button>
          </Form>
          {feed ? (
            <Form method="post">
              <button type="submit" name="intent" value="revoke" className="btn-secondary">
                Revoke the URL
              </button>
            </Form>
          ) : null}
        </div>
      </section>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
