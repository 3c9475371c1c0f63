import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { SystemForm } from '#app/components/system-form.tsx'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { getSystem, updateSystem } from '#app/models/inventory/system.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { SystemSchema } from '#app/models/inventory/inventory.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.system.name ?? 'system'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  const [system, members] = await Promise.all([getSystem(scope, params.systemId ?? ''), listMemberOptions(scope)])
  if (!system) notFound()
  const { capability: _c, outgoing: _o, incoming: _i, conformanceTests: _t, ...rest } = system
  return json({ system: rest, members })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  const submission = parseWithZod(await request.formData(), { schema: SystemSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  try {
    const system = await updateSystem(scope, { systemId: params.systemId ?? '', ...submission.value })
    if (!system) notFound()
    return redirectWithToast(`/o/${scope.orgSlug}/systems/${system.id}`, { type: 'success', title: 'Changes saved' })
  } catch (e) {
    return replyWithError(submission, e)
  }
}

export default function EditSystemPage() {
  const { system, members } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link to={`../${system.id}`} relative="path" className="link text-sm">
        ← {system.name}
      </Link>
      <h1 className="text-2xl font-bold">Edit {system.name}</h1>
      <SystemForm lastResult={lastResult} members={members} defaults={system} submitLabel="Save changes" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
