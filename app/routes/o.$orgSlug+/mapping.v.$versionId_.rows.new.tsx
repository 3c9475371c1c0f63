import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { MappingRowForm } from '#app/components/mapping-row-form.tsx'
import { createMappingRow, getMappingVersion } from '#app/models/mapping/mapping.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { MappingRowSchema } from '#app/models/mapping/mapping.ts'
import { useOrg } from '#app/utils/org.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction = () => [{ title: 'Add a mapping row · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:write' })
  const version = await getMappingVersion(scope, params.versionId ?? '')
  if (!version) notFound()
  return json({ version: { id: version.id, number: version.number, status: version.status, interfaceName: version.interface.name } })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:write' })
  const form = await request.formData()
  const submission = parseWithZod(form, { schema: MappingRowSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  try {
    const row = await createMappingRow(scope, { versionId: params.versionId ?? '', ...submission.value })
    if (!row) notFound()
    return redirectWithToast(`/o/${scope.orgSlug}/mapping/v/${row.versionId}${form.get('next') === 'another' ? '/rows/new' : ''}`, {
      type: 'success',
      title: `${row.sourcePath} → ${row.targetPath} added`,
      description: 'Send it for review when it is ready.',
    })
  } catch (e) {
    return replyWithError(submission, e)
  }
}

export default function NewMappingRowPage() {
  const { version } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  const { org } = useOrg()
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <Link to={`/o/${org.slug}/mapping/v/${version.id}`} className="link text-sm">
        ← {version.interfaceName} v{version.number}
      </Link>
      <h1 className="text-2xl font-bold">Add a mapping row</h1>
      {version.status === 'approved' ? (
        <p role="alert" className="rounded-md bg-amber-50 p-3 text-amber-900 ring-1 ring-amber-300">
          v{version.number} is approved and frozen; start a new version to change it.
        </p>
      ) : (
        <MappingRowForm lastResult={lastResult} submitLabel="Add the row" anotherLabel="Add and write another" />
      )}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
