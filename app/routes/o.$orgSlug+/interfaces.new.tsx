import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { InterfaceForm } from '#app/components/interface-form.tsx'
import { createInterface } from '#app/models/inventory/interface.server.ts'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { listSystemOptions } from '#app/models/inventory/system.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { InterfaceSchema } from '#app/models/inventory/inventory.ts'
import { useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction = () => [{ title: 'Add an interface · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  const [systems, members] = await Promise.all([listSystemOptions(scope), listMemberOptions(scope)])
  const source = new URL(request.url).searchParams.get('source')
  return json({ systems, members, source: systems.some((s) => s.id === source) ? source : null })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  const submission = parseWithZod(await request.formData(), { schema: InterfaceSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  try {
    const iface = await createInterface(scope, submission.value)
    return redirectWithToast(`/o/${scope.orgSlug}/interfaces/${iface.id}`, { type: 'success', title: `${iface.name} added` })
  } catch (e) {
    return replyWithError(submission, e)
  }
}

export default function NewInterfacePage() {
  const { systems, members, source } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  const { org } = useOrg()
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link to={`/o/${org.slug}/interfaces`} className="link text-sm">
        ← Interfaces
      </Link>
      <h1 className="text-2xl font-bold">Add an interface</h1>
      {systems.length < 2 ? (
        <EmptyState
          title="An interface connects two systems"
          action={
            <Link to={`/o/${org.slug}/systems/new`} className="btn-primary">
              Add a system
            </Link>
          }
        >
          Add the systems first; you have {systems.length}.
        </EmptyState>
      ) : (
        <InterfaceForm
          lastResult={lastResult}
          systems={systems}
          members={members}
          defaults={source ? { sourceSystemId: source } : undefined}
          submitLabel="Add interface"
        />
      )}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
