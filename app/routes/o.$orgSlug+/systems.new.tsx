import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { SystemForm } from '#app/components/system-form.tsx'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { createSystem } from '#app/models/inventory/system.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { SystemSchema } from '#app/models/inventory/inventory.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction = () => [{ title: 'Add a system · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  return json({ members: await listMemberOptions(scope) })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  const submission = parseWithZod(await request.formData(), { schema: SystemSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  try {
    const system = await createSystem(scope, submission.value)
    return redirectWithToast(`/o/${scope.orgSlug}/systems/${system.id}`, { type: 'success', title: `${system.name} added` })
  } catch (e) {
    return replyWithError(submission, e)
  }
}

export default function NewSystemPage() {
  const { members } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link to=".." relative="path" className="link text-sm">
        ← Systems
      </Link>
      <h1 className="text-2xl font-bold">Add a system</h1>
      <SystemForm lastResult={lastResult} members={members} submitLabel="Add system" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
