import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, NavLink, Outlet, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { touchMembership } from '#app/models/membership.server.ts'
import { countUnreadNotifications } from '#app/models/notification.server.ts'
import { listMyOrganizations } from '#app/models/organization.server.ts'
import { can, type Capability } from '#app/utils/permissions.ts'
import { ROLE_LABELS } from '#app/utils/members-vocabulary.ts'
import { requireTenant, requireUser } from '#app/utils/tenant.server.ts'
import type { OrgContext } from '#app/utils/org.ts'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'org:read' })
  const [user, orgs, , unread] = await Promise.all([requireUser(request), listMyOrganizations(scope.userId), touchMembership(scope), countUnreadNotifications(scope)])
  const context: OrgContext = {
    org: { slug: scope.orgSlug, name: scope.orgName, timeZone: scope.timeZone },
    role: scope.role,
    user,
  }
  return json({ ...context, orgs, unread })
}

const NAV: { to: string; label: string; can: Capability; end?: boolean }[] = [
  { to: '', label: 'Home', can: 'org:read', end: true },
  { to: 'training', label: 'Training', can: 'org:read' },
  { to: 'estate', label: 'Estate', can: 'inventory:read' },
  { to: 'systems', label: 'Systems', can: 'inventory:read' },
  { to: 'interfaces', label: 'Interfaces', can: 'inventory:read' },
  { to: 'mapping', label: 'Mapping', can: 'mapping:read' },
  { to: 'members', label: 'People', can: 'members:read' },
  { to: 'audit', label: 'Audit trail', can: 'audit:read' },
  { to: 'outbox', label: 'Email outbox', can: 'outbox:read' },
  { to: 'settings', label: 'Settings', can: 'org:settings' },
]

export default function OrgLayout() {
  const { org, role, user, orgs, unread } = useLoaderData<typeof loader>()
  const base = `/o/${org.slug}`
  return (
    <div className="min-h-full">
      <header className="bg-brand-900 text-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link to={base} className="flex items-center gap-2 font-bold">
            <img src="/favicon.svg" alt="" className="h-6 w-6 rounded bg-white" /> Liaison
          </Link>
          <details className="relative">
            <summary className="cursor-pointer list-none rounded-md bg-brand-800 px-3 py-1.5 text-sm font-medium ring-1 ring-brand-600">
              <span className="sr-only">Organisation: </span>
              {org.name} <span aria-hidden="true">▾</span>
            </summary>
            <div className="absolute z-20 mt-2 w-72 rounded-md bg-white p-2 text-slate-900 shadow-lg ring-1 ring-slate-200">
              <p className="px-2 py-1 text-xs font-semibold uppercase text-slate-600">Switch organisation</p>
              <ul>
                {orgs.map((o) => (
                  <li key={o.id}>
                    <Link
                      to={`/o/${o.slug}`}
                      className={`block rounded px-2 py-1.5 text-sm hover:bg-slate-100 ${o.slug === org.slug ? 'font-semibold' : ''}`}
                      aria-current={o.slug === org.slug ? 'true' : undefined}
                    >
                      {o.name} <span className="text-slate-600">· {ROLE_LABELS[o.role]}</span>
                    </Link>
                  </li>
                ))}
              </ul>
              <Link to="/orgs" className="mt-1 block border-t border-slate-200 px-2 pt-2 text-sm link">
                All organisations…
              </Link>
            </div>
          </details>
          <nav aria-label="Main" className="order-last w-full sm:order-none sm:w-auto">
            <ul className="flex flex-wrap gap-0.5">
              {NAV.filter((n) => can(role, n.can)).map((n) => (
                <li key={n.label}>
                  <NavLink
                    to={n.to ? `${base}/${n.to}` : base}
                    end={n.end}
                    className={({ isActive }) =>
                      `rounded-md px-2.5 py-1.5 text-sm font-medium ${isActive ? 'bg-white text-brand-900' : 'text-white hover:bg-brand-800'}`
                    }
                  >
                    {n.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <Link
              to={`${base}/inbox`}
              className="flex items-center gap-1.5 rounded-md px-2 py-1 hover:bg-brand-800"
              aria-label={unread ? `Inbox, ${unread} unread` : 'Inbox'}
            >
              Inbox
              {unread ? (
                <span aria-hidden="true" className="rounded-full bg-amber-300 px-1.5 text-xs font-bold text-slate-900">
                  {unread > 99 ? '99+' : unread}
                </span>
              ) : null}
            </Link>
            <Link to="/account" className="hover:underline" title={`${user.name}, ${ROLE_LABELS[role]}: your account`}>
              {user.name} <span className="sr-only text-brand-100 2xl:not-sr-only">({ROLE_LABELS[role]})</span>
            </Link>
            <Form method="post" action="/logout">
              <button type="submit" className="rounded-md px-2 py-1 ring-1 ring-brand-100 hover:bg-brand-800">
                Sign out
              </button>
            </Form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-8">
        <Outlet />
      </main>
    </div>
  )
}

// Without the shell (the membership could not be resolved), the error still sits in a landmark.
export function ErrorBoundary() {
  return (
    <main className="mx-auto max-w-2xl p-8">
      <GeneralErrorBoundary />
    </main>
  )
}
