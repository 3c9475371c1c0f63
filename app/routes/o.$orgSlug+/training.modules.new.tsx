import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ModuleForm } from '#app/components/training.tsx'
import { listSystemOptions } from '#app/models/inventory/system.server.ts'
import { createModule } from '#app/models/training/training.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import { ModuleSchema } from '#app/models/training/training.ts'

export const meta: MetaFunction = () => [{ title: 'Add a training module · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'training:manage' })
  return json({ systems: await listSystemOptions(scope) })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'training:manage' })
  const submission = parseWithZod(await request.formData(), { schema: ModuleSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  try {
    const mod = await createModule(scope, submission.value)
    return redirectWithToast(`/o/${scope.orgSlug}/training/modules/${mod.id}`, {
      type: 'success',
      title: `${mod.title} added`,
      description: 'Now add its checklist and the rules that say who takes it.',
    })
  } catch (e) {
    return replyWithError(submission, e)
  }
}

export default function NewModulePage() {
  const { systems } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link to=".." relative="path" className="link text-sm">
        ← Training modules
      </Link>
      <h1 className="text-2xl font-bold">Add a training module</h1>
      <ModuleForm lastResult={lastResult} systems={systems} submitLabel="Add module" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
