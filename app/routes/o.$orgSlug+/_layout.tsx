import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { OrgShell } from '#app/components/org-shell.tsx'
import { touchMembership } from '#app/models/people/membership.server.ts'
import { countUnreadNotifications } from '#app/models/messages/notification.server.ts'
import { listMyOrganizations } from '#app/models/people/organization.server.ts'
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

export default function OrgLayout() {
  const data = useLoaderData<typeof loader>()
  return (
    <OrgShell {...data}>
      <Outlet />
    </OrgShell>
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
