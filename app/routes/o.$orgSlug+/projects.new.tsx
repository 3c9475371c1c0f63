import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ProjectForm } from '#app/components/project-form.tsx'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { addDays } from '#app/models/projects/plan.ts'
import { createProject, listScopeOptions, todayIn } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { IdParam, parseListQuery } from '#app/utils/list.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction = () => [{ title: 'New project · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:write' })
  // "Start a project" from a system's or an interface's page puts it in scope.
  const from = parseListQuery(request, { systemId: IdParam, interfaceId: IdParam })
  const [members, scopeOptions] = await Promise.all([listMemberOptions(scope), listScopeOptions(scope)])
  const today = todayIn(scope)
  return json({
    members,
    scopeOptions,
    defaults: {
      ownerId: members.find((m) => m.id === scope.membershipId)?.id,
      startDate: today,
      targetGoLive: addDays(today, 182),
      systemIds: scopeOptions.systems.some((s) => s.id === from.systemId) ? [from.systemId!] : [],
      interfaceIds: scopeOptions.interfaces.some((i) => i.id === from.interfaceId) ? [from.interfaceId!] : [],
    },
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:write' })
  const submission = parseWithZod(await request.formData(), { schema: ProjectSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  try {
    const project = await createProject(scope, submission.value)
    return redirectWithToast(`/o/${scope.orgSlug}/projects/${project.id}`, { type: 'success', title: `${project.name} created`, description: 'With the five phases and fourteen steps of the standard plan.' })
  } catch (e) {
    return replyWithError(submission, e)
  }
}

export default function NewProjectPage() {
  const { members, scopeOptions, defaults } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <Link to=".." relative="path" className="link text-sm">
        ← Projects
      </Link>
      <h1 className="text-2xl font-bold">New project</h1>
      <p className="text-slate-700">The plan starts as the standard one — five phases, fourteen steps, testing given at least 30 % of the time — and can be adjusted step by step.</p>
      <ProjectForm lastResult={lastResult} members={members} scopeOptions={scopeOptions} defaults={defaults} submitLabel="Create project" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
