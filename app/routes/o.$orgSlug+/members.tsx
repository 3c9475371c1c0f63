import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { listPendingInvitations, resendInvitation, revokeInvitation } from '#app/models/people/invitation.server.ts'
import { listMembers } from '#app/models/people/membership.server.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { assignableRoles, can } from '#app/utils/permissions.ts'
import { FUNCTION_LABELS, ROLE_LABELS, ROLES, type Role } from '#app/models/people/vocabulary.ts'
import { RoleSchema } from '#app/utils/schemas.ts'
import { isDomainError, notFound } from '#app/utils/errors.server.ts'
import { requireTenant, requireUser } from '#app/utils/tenant.server.ts'
import { oneOf, parseListQuery, SearchParam } from '#app/utils/list.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction = () => [{ title: 'People · Liaison' }]

const FILTER = {
  q: SearchParam,
  role: RoleSchema.optional().catch(undefined),
  status: oneOf(['active', 'deactivated']),
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'members:read' })
  const filter = parseListQuery(request, FILTER)
  const [list, invitations] = await Promise.all([
    listMembers(scope, filter),
    can(scope.role, 'members:invite') ? listPendingInvitations(scope) : Promise.resolve([] as Awaited<ReturnType<typeof listPendingInvitations>>),
  ])
  return json({ ...list, invitations, page: filter.page, myMembershipId: scope.membershipId })
}

const InvitationActionSchema = z.object({
  intent: z.enum(['revoke-invitation', 'resend-invitation']),
  invitationId: z.string().min(1),
})

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'members:invite' })
  const submission = parseWithZod(await request.formData(), { schema: InvitationActionSchema })
  if (submission.status !== 'success') throw new Response('Bad request', { status: 400 })
  const { intent, invitationId } = submission.value
  const back = new URL(request.url)
  const backTo = `${back.pathname}${back.search}`
  if (intent === 'resend-invitation') {
    const user = await requireUser(request)
    let sent
    try {
      sent = await resendInvitation(scope, { invitationId, inviterName: user.name })
    } catch (e) {
      if (!isDomainError(e)) throw e
      return redirectWithToast(backTo, { type: 'error', title: e.message })
    }
    if (!sent) notFound()
    return redirectWithToast(backTo, { type: 'success', title: `Invitation sent again to ${sent.email}`, description: 'The earlier link no longer works.' })
  }
  const revoked = await revokeInvitation(scope, invitationId)
  if (!revoked) notFound()
  return redirectWithToast(backTo, { type: 'success', title: `Invitation of ${revoked.email} withdrawn` })
}

export default function MembersPage() {
  const data = useLoaderData<typeof loader>()
  const { org, role } = useOrg()
  const [searchParams] = useSearchParams()
  const manage = can(role, 'members:manage')
  const mayAssign = assignableRoles(role)
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">People</h1>
          <p className="text-slate-700">
            Roles decide what each person can do; function and unit decide RACI checks and training.
          </p>
        </div>
        {can(role, 'members:invite') ? (
          <Link to="invite" className="btn-primary">
            Invite someone
          </Link>
        ) : null}
      </div>

      <Form method="get" className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter people">
        <div>
          <label htmlFor="q" className="label">
            Search
          </label>
          <input id="q" name="q" type="search" defaultValue={searchParams.get('q') ?? ''} className="input mt-1" placeholder="Name, email or unit" />
        </div>
        <div>
          <label htmlFor="role" className="label">
            Role
          </label>
          <select id="role" name="role" defaultValue={searchParams.get('role') ?? ''} className="input mt-1">
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="status" className="label">
            Status
          </label>
          <select id="status" name="status" defaultValue={searchParams.get('status') ?? ''} className="input mt-1">
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="deactivated">Deactivated</option>
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          Filter
        </button>
      </Form>

      {data.members.length ? (
        <div className="card overflow-x-auto p-0">
          <table className="table">
            <caption className="sr-only">Members of {org.name}</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Role</th>
                <th scope="col">Function · unit</th>
                <th scope="col">Status</th>
                <th scope="col">Last seen</th>
                {manage ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.members.map((m) => (
                <tr key={m.id} className={m.status === 'deactivated' ? 'bg-slate-50 text-slate-600' : undefined}>
                  <td>
                    <div className="font-medium">{m.user.name}</div>
                    <div className="text-slate-600">{m.user.email}</div>
                  </td>
                  <td>{ROLE_LABELS[m.role as Role]}</td>
                  <td>
                    {FUNCTION_LABELS[m.function]}
                    {m.unit ? ` · ${m.unit}` : ''}
                  </td>
                  <td>{m.status === 'active' ? 'Active' : 'Deactivated'}</td>
                  <td>{m.lastSeenAt ? formatDateTime(m.lastSeenAt, org.timeZone) : 'Never'}</td>
                  {manage ? (
                    <td>
                      {m.id === data.myMembershipId ? (
                        <span className="text-slate-600">You</span>
                      ) : mayAssign.includes(m.role as Role) ? (
                        <Link to={m.id} className="link">
                          Manage<span className="sr-only"> {m.user.name}</span>
                        </Link>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState title="Nobody matches this filter">Clear the search or choose another role.</EmptyState>
      )}
      <Pagination page={data.page} pageCount={data.pageCount} total={data.total} noun="people" />

      {data.invitations.length ? (
        <section aria-labelledby="invites-heading" className="card">
          <h2 id="invites-heading" className="text-lg font-semibold">
            Pending invitations
          </h2>
          <ul className="mt-3 divide-y divide-slate-100">
            {data.invitations.map((i) => {
              const expired = new Date(i.expiresAt).getTime() < Date.now()
              return (
                <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                  <span>
                    <strong>{i.email}</strong> as {ROLE_LABELS[i.role as Role]} · {FUNCTION_LABELS[i.function]}
                    {i.unit ? ` · ${i.unit}` : ''} ·{' '}
                    <span className={expired ? 'text-red-700' : 'text-slate-600'}>
                      {expired ? 'expired' : 'expires'} {formatDateTime(i.expiresAt, org.timeZone)}
                    </span>
                  </span>
                  <Form method="post" className="flex gap-2">
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" name="intent" value="resend-invitation" className="btn-secondary">
                      Send again<span className="sr-only"> to {i.email}</span>
                    </button>
                    <button type="submit" name="intent" value="revoke-invitation" className="btn-secondary">
                      Withdraw<span className="sr-only"> invitation of {i.email}</span>
                    </button>
                  </Form>
                </li>
              )
            })}
          </ul>
        </section>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
