import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { ActivityForm, CategorySelect, RaciGrid, RaciRowForm, RaciSummaryPanel, TemplateForm } from '#app/components/raci-matrix.tsx'
import { FUNCTIONS } from '#app/models/people/vocabulary.ts'
import { ActivityCategorySchema, CustomActivitySchema, parseHolder, TemplateSchema, type Holder } from '#app/models/projects/raci.ts'
import { addRaciActivity, applyRaciTemplate, deleteRaciActivity, getRaci, setRaciCell, setRaciRow, updateRaciActivity } from '#app/models/projects/raci.server.ts'
import { RACI_CATEGORIES, type RaciLetter } from '#app/models/projects/vocabulary.ts'
import { isDomainError, notFound } from '#app/utils/errors.server.ts'
import { errorReply } from '#app/utils/forms.server.ts'
import { useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `RACI · ${data?.raci.project.name ?? 'Project'} · Liaison` }]

const ID = /^[A-Za-z0-9_-]{1,64}$/

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Everyone reads; who may edit is the model's to decide (raci:write, or the project's owner).
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const url = new URL(request.url)
  const withMembers = url.searchParams.getAll('with').filter((id) => ID.test(id)).slice(0, 50)
  const raci = await getRaci(scope, params.projectId ?? '', { withMembers })
  if (!raci) notFound('No such project in this organisation.')
  const edit = url.searchParams.get('edit')
  return json({ raci, withMembers, edit: edit && raci.activities.some((a) => a.id === edit) ? edit : null })
}

const LetterOrEmpty = z.enum(['R', 'A', 'C', 'I', ''])
const CellSchema = z.object({ activityId: z.string().regex(ID), holder: z.string().max(80), letter: z.enum(['R', 'A', 'C', 'I']) })
const ClearSchema = CellSchema.omit({ letter: true })
const ActivityIdSchema = z.object({ activityId: z.string().regex(ID) })

const holderOr400 = (raw: string): Holder => parseHolder(raw, FUNCTIONS) ?? badRequest('Choose a person or a function.')
function badRequest(message: string): never {
  throw json({ error: message }, { status: 400 })
}
const firstIssue = (e: z.ZodError) => e.issues[0]?.message ?? 'Check the form.'

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const projectId = params.projectId ?? ''
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const fields = Object.fromEntries(form)
  const back = new URL(request.url)
  back.searchParams.delete('edit')
  back.searchParams.delete('index')
  const here = `/o/${scope.orgSlug}/projects/${projectId}/raci${back.search}`
  const found = <T,>(v: T | null) => v ?? notFound('No such project or activity in this organisation.')
  try {
    switch (intent) {
      case 'set-cell': {
        const parsed = CellSchema.safeParse(fields)
        if (!parsed.success) return json({ error: firstIssue(parsed.error) }, { status: 400 })
        found(await setRaciCell(scope, { projectId, activityId: parsed.data.activityId, holder: holderOr400(parsed.data.holder), letter: parsed.data.letter }))
        return json({ ok: true })
      }
      case 'clear-cell': {
        const parsed = ClearSchema.safeParse(fields)
        if (!parsed.success) return json({ error: firstIssue(parsed.error) }, { status: 400 })
        found(await setRaciCell(scope, { projectId, activityId: parsed.data.activityId, holder: holderOr400(parsed.data.holder), letter: null }))
        return json({ ok: true })
      }
      case 'save-row': {
        const parsed = ActivityIdSchema.safeParse(fields)
        if (!parsed.success) return json({ error: firstIssue(parsed.error) }, { status: 400 })
        const cells: { holder: Holder; letter: RaciLetter | null }[] = []
        for (const [name, value] of form.entries()) {
          if (!name.startsWith('cell:')) continue
          const letter = LetterOrEmpty.safeParse(value)
          if (!letter.success) return json({ error: 'Choose R, A, C, I or none.' }, { status: 400 })
          cells.push({ holder: holderOr400(name.slice(5)), letter: letter.data || null })
        }
        const saved = found(await setRaciRow(scope, { projectId, activityId: parsed.data.activityId, cells }))
        return redirectWithToast(here, { type: 'success', title: saved.changed ? `${saved.changed} letter${saved.changed === 1 ? '' : 's'} saved` : 'Nothing changed' })
      }
      case 'add-activity': {
        const parsed = CustomActivitySchema.safeParse(fields)
        if (!parsed.success) return json({ error: firstIssue(parsed.error), values: fields }, { status: 400 })
        found(await addRaciActivity(scope, { projectId, ...parsed.data }))
        return redirectWithToast(here, { type: 'success', title: `“${parsed.data.title}” added` })
      }
      case 'update-activity': {
        const id = ActivityIdSchema.safeParse(fields)
        if (!id.success) return json({ error: firstIssue(id.error) }, { status: 400 })
        // A custom activity's form has a title; a step's or interface's only a category.
        const parsed = 'title' in fields ? CustomActivitySchema.safeParse(fields) : ActivityCategorySchema.safeParse(fields)
        if (!parsed.success) return json({ error: firstIssue(parsed.error) }, { status: 400 })
        found(await updateRaciActivity(scope, { projectId, activityId: id.data.activityId, ...parsed.data }))
        return redirectWithToast(here, { type: 'success', title: 'Activity saved' })
      }
      case 'delete-activity': {
        const parsed = ActivityIdSchema.safeParse(fields)
        if (!parsed.success) return json({ error: firstIssue(parsed.error) }, { status: 400 })
        found(await deleteRaciActivity(scope, { projectId, activityId: parsed.data.activityId }))
        return redirectWithToast(here, { type: 'success', title: 'Activity deleted' })
      }
      case 'apply-template': {
        const parsed = TemplateSchema.safeParse(fields)
        if (!parsed.success) return json({ error: firstIssue(parsed.error) }, { status: 400 })
        const holder = parsed.data.holder ? holderOr400(parsed.data.holder) : undefined
        const done = found(await applyRaciTemplate(scope, { projectId, template: parsed.data.template, holder }))
        return redirectWithToast(here, { type: 'success', title: done.set ? `${done.set} cell${done.set === 1 ? '' : 's'} filled for ${done.who}` : 'Nothing to fill: every cell the template names is taken' })
      }
      default:
        return json({ error: 'Unknown action.' }, { status: 400 })
    }
  } catch (e) {
    // FORBIDDEN goes to the one error path (a 403 like the guard's, audited by the model).
    if (isDomainError(e) && e.code !== 'FORBIDDEN') return errorReply(e)
    throw e
  }
}

export default function RaciPage() {
  const { raci, withMembers, edit } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { error?: string; values?: Record<string, string> } | undefined
  const [search] = useSearchParams()
  const { org } = useOrg()
  const p = raci.project
  const withQuery = (extra: Record<string, string> = {}) => {
    const q = new URLSearchParams()
    for (const id of withMembers) q.append('with', id)
    for (const [k, v] of Object.entries(extra)) q.set(k, v)
    const s = q.toString()
    return s ? `?${s}` : '.'
  }
  const editing = edit ? raci.activities.find((a) => a.id === edit) : undefined
  const memberColumns = raci.columns.filter((c) => c.kind === 'member')
  return (
    <div className="space-y-6">
      <Link to={`../${p.id}`} relative="path" className="link text-sm">
        ← {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">RACI</h1>
          <p className="max-w-3xl text-slate-700">
            Who is Responsible, Accountable, Consulted and Informed for each step, interface and custom activity of {p.name}. Owner: {p.ownerName ?? 'nobody yet'}.
            {raci.canEdit ? '' : ' You can read this matrix; the project’s owner and managers edit it.'}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <a href={`/o/${org.slug}/projects/${p.id}/raci/export`} className="btn-secondary" download>
            Export CSV
          </a>
          {raci.canEdit ? (
            <Link to="import" relative="path" className="btn-secondary">
              Import CSV
            </Link>
          ) : null}
        </div>
      </div>
      {actionData?.error ? <FormErrors errors={[actionData.error]} /> : null}
      <RaciSummaryPanel summary={raci.summary} rows={raci.activities} />
      {editing && raci.canEdit ? (
        <section aria-labelledby="edit-row-heading" className="card space-y-4">
          <h2 id="edit-row-heading" className="text-lg font-semibold">
            Edit “{editing.title}”
          </h2>
          <RaciRowForm row={editing} columns={raci.columns} cancelHref={withQuery()} />
          <ActivityForm row={editing} cancelHref={withQuery()} />
        </section>
      ) : null}
      {raci.canEdit && raci.addable.length ? (
        <Form method="get" className="flex flex-wrap items-end gap-2" aria-label="Add a person as a column">
          {withMembers.map((id) => (
            <input key={id} type="hidden" name="with" value={id} />
          ))}
          <div>
            <label htmlFor="add-person" className="label">
              Add a person as a column
            </label>
            <select id="add-person" name="with" className="input mt-1" defaultValue="">
              <option value="" disabled>
                Choose a person…
              </option>
              {raci.addable.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn-secondary">
            Add column
          </button>
          {search.getAll('with').length ? (
            <Link to="." className="link text-sm">
              Only people with a letter
            </Link>
          ) : null}
        </Form>
      ) : null}
      <RaciGrid rows={raci.activities} columns={raci.columns} canEdit={raci.canEdit} editHref={(id) => withQuery({ edit: id })} />
      {raci.canEdit ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <section aria-labelledby="template-heading" className="card space-y-3">
            <h2 id="template-heading" className="text-lg font-semibold">
              Fill from a template
            </h2>
            <TemplateForm holders={[...memberColumns.map((c) => ({ value: c.key, label: c.label })), ...raci.addable.map((m) => ({ value: `m:${m.id}`, label: m.name }))]} />
          </section>
          <section aria-labelledby="add-activity-heading" className="card space-y-3">
            <h2 id="add-activity-heading" className="text-lg font-semibold">
              Add a custom activity
            </h2>
            <Form method="post" className="flex flex-wrap items-end gap-3">
              <div>
                <label htmlFor="new-title" className="label">
                  Title
                </label>
                <input id="new-title" name="title" required maxLength={200} defaultValue={actionData?.values?.title ?? ''} className="input mt-1" placeholder="e.g. Penetration test" />
              </div>
              <div>
                <label htmlFor="new-category" className="label">
                  Category
                </label>
                <CategorySelect id="new-category" defaultValue={actionData?.values?.category ?? 'other'} />
              </div>
              <div>
                <label htmlFor="new-due" className="label">
                  Due date
                </label>
                <input id="new-due" name="dueDate" type="date" defaultValue={actionData?.values?.dueDate ?? ''} className="input mt-1" />
              </div>
              <button type="submit" name="intent" value="add-activity" className="btn-secondary">
                Add activity
              </button>
            </Form>
            <p className="text-xs text-slate-600">Categories decide the rules: {RACI_CATEGORIES.design} and {RACI_CATEGORIES.testing} consult a clinical member; {RACI_CATEGORIES.security} consults compliance.</p>
          </section>
        </div>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
