import { parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '#app/models/messages/notification.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { oneOf, parseListQuery } from '#app/utils/list.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction = () => [{ title: 'Inbox · Liaison' }]

const FILTER = {
  show: oneOf(['all', 'unread']),
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Everyone has an inbox; the model only ever reads the caller's own membership's notices.
  const scope = await requireTenant(request, params, { can: 'org:read' })
  const filter = parseListQuery(request, FILTER)
  const result = await listNotifications(scope, { unread: filter.show === 'unread', page: filter.page })
  return json({ ...result, page: filter.page, show: filter.show ?? 'all' })
}

const ActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('read'), notificationId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal('open'), notificationId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal('read-all') }),
])

/** Only a path inside this organisation is followed: a stored link can never send anyone elsewhere. */
function safeLink(link: string | null, orgSlug: string) {
  const base = `/o/${orgSlug}`
  return link && (link === base || link.startsWith(`${base}/`) || link.startsWith(`${base}?`)) && !link.includes('//') ? link : `${base}/inbox`
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'org:read' })
  const submission = parseWithZod(await request.formData(), { schema: ActionSchema })
  if (submission.status !== 'success') throw new Response('Bad request', { status: 400 })
  const back = new URL(request.url)
  const backTo = `${back.pathname}${back.search}`
  const value = submission.value
  if (value.intent === 'read-all') {
    const count = await markAllNotificationsRead(scope)
    return redirectWithToast(backTo, { type: 'success', title: count ? `${count} notice${count === 1 ? '' : 's'} marked read` : 'Nothing unread' })
  }
  const notice = await markNotificationRead(scope, value.notificationId)
  // NOTE: a notice outside the caller's own inbox (a colleague's, another organisation's, or no
  // such id) gets one answer, 404 as for any object that is not the caller's, whichever it is:
  // nothing is learnt about other inboxes.
  if (!notice) notFound('This notice is not in your inbox.')
  if (value.intent === 'open') return redirect(safeLink(notice.link, scope.orgSlug))
  return redirect(backTo)
}

export default function InboxPage() {
  const { notifications, total, unread, pageCount, page, show } = useLoaderData<typeof loader>()
  const { org } = useOrg()
  const [searchParams] = useSearchParams()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formMethod === 'POST'
  const tab = (value: 'all' | 'unread', label: string) => {
    const sp = new URLSearchParams(searchParams)
    sp.set('show', value)
    sp.delete('page')
    return (
      <Link
        to={`?${sp}`}
        aria-current={show === value ? 'page' : undefined}
        className={`rounded-md px-3 py-1.5 text-sm font-medium ${show === value ? 'bg-brand-900 text-white' : 'text-brand-900 ring-1 ring-slate-300 hover:bg-slate-100'}`}
      >
        {label}
      </Link>
    )
  }
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Inbox</h1>
          <p className="text-slate-700">
            Your own notices in {org.name}: training reminders, and whatever needs you next. {unread ? `${unread} unread.` : 'All read.'}
          </p>
        </div>
        {unread ? (
          <Form method="post">
            <button type="submit" name="intent" value="read-all" className="btn-secondary" disabled={busy}>
              Mark all read
            </button>
          </Form>
        ) : null}
      </div>
      <nav aria-label="Which notices" className="flex gap-2">
        {tab('all', 'All')}
        {tab('unread', `Unread (${unread})`)}
      </nav>
      {notifications.length ? (
        <ul className="card divide-y divide-slate-100 p-0" aria-label="Notices, newest first">
          {notifications.map((n) => (
            <li key={n.id} className={`flex flex-wrap items-start gap-3 p-4 ${n.readAt ? '' : 'bg-sky-50'}`}>
              <div className="min-w-0 flex-1">
                <p className="font-semibold">
                  {n.readAt ? null : <span className="mr-2 rounded bg-brand-900 px-1.5 py-0.5 text-xs font-semibold text-white">New</span>}
                  {n.title}
                </p>
                {n.body ? <p className="mt-1 text-sm text-slate-700">{n.body}</p> : null}
                <p className="mt-1 text-xs text-slate-600">{formatDateTime(n.createdAt, org.timeZone)}</p>
              </div>
              <Form method="post" className="flex gap-2">
                <input type="hidden" name="notificationId" value={n.id} />
                {n.link ? (
                  <button type="submit" name="intent" value="open" className="btn-primary" disabled={busy}>
                    Open
                  </button>
                ) : null}
                {n.readAt ? null : (
                  <button type="submit" name="intent" value="read" className="btn-secondary" disabled={busy}>
                    Mark read
                  </button>
                )}
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title={show === 'unread' ? 'Nothing unread' : 'Your inbox is empty'}>
          Training reminders and other notices for you appear here.
        </EmptyState>
      )}
      <Pagination page={page} pageCount={pageCount} total={total} noun="notices" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
