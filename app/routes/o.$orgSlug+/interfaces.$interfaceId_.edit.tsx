import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { InterfaceForm } from '#app/components/interface-form.tsx'
import { getInterface, updateInterface } from '#app/models/inventory/interface.server.ts'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { listSystemOptions } from '#app/models/inventory/system.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { InterfaceSchema } from '#app/models/inventory/inventory.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.iface.name ?? 'interface'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  const [iface, systems, members] = await Promise.all([getInterface(scope, params.interfaceId ?? ''), listSystemOptions(scope), listMemberOptions(scope)])
  if (!iface) notFound()
  const { source: _s, target: _t, owner: _o, ...rest } = iface
  return json({ iface: rest, systems, members })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  const submission = parseWithZod(await request.formData(), { schema: InterfaceSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  try {
    const iface = await updateInterface(scope, { interfaceId: params.interfaceId ?? '', ...submission.value })
    if (!iface) notFound()
    return redirectWithToast(`/o/${scope.orgSlug}/interfaces/${iface.id}`, { type: 'success', title: 'Changes saved' })
  } catch (e) {
    return replyWithError(submission, e)
  }
}

export default function EditInterfacePage() {
  const { iface, systems, members } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link to={`../${iface.id}`} relative="path" className="link text-sm">
        ← {iface.name}
      </Link>
      <h1 className="text-2xl font-bold">Edit {iface.name}</h1>
      <InterfaceForm lastResult={lastResult} systems={systems} members={members} defaults={iface} submitLabel="Save changes" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
