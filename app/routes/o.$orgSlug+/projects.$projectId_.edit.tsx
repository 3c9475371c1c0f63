import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ProjectForm } from '#app/components/project-form.tsx'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { getProject, listScopeOptions, projectView, updateProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.project.name ?? 'project'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:write' })
  const detail = await getProject(scope, params.projectId ?? '')
  if (!detail) notFound('No such project in this organisation.')
  const [members, scopeOptions] = await Promise.all([listMemberOptions(scope), listScopeOptions(scope)])
  return json({ project: projectView(detail), members, scopeOptions })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:write' })
  const submission = parseWithZod(await request.formData(), { schema: ProjectSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  try {
    const project = await updateProject(scope, { id: params.projectId ?? '', ...submission.value })
    if (!project) notFound('No such project in this organisation.')
    return redirectWithToast(`/o/${scope.orgSlug}/projects/${project.id}`, { type: 'success', title: 'Project saved' })
  } catch (e) {
    return replyWithError(submission, e)
  }
}

export default function EditProjectPage() {
  const { project, members, scopeOptions } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <Link to={`../${project.id}`} relative="path" className="link text-sm">
        ← {project.name}
      </Link>
      <h1 className="text-2xl font-bold">Edit the project</h1>
      <p className="text-slate-700">Changing the dates here does not move the plan: re-plan the phases and steps on the plan page.</p>
      <ProjectForm
        lastResult={lastResult}
        members={members}
        scopeOptions={scopeOptions}
        defaults={{ ...project, ownerId: project.ownerId, interfaceIds: project.interfaces.map((i) => i.id), systemIds: project.systems.map((s) => s.id) }}
        submitLabel="Save project"
      />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
