import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors, SelectField, TextAreaField, TextField } from '#app/components/forms.tsx'
import { HealthBadge, PlanStatusBadge, ProjectNav } from '#app/components/project-parts.tsx'
import type { MemberOption } from '#app/components/system-form.tsx'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { formatDay } from '#app/models/projects/plan.ts'
import { addStep, deleteStep, getProject, moveStep, projectView, setBaseline, startDeployment, updatePhase, updateStep } from '#app/models/projects/projects.server.ts'
import { PhaseSchema, StepSchema } from '#app/models/projects/schemas.ts'
import { MIN_TESTING_SHARE, PHASES, phaseNumber, PLAN_STATUSES } from '#app/models/projects/vocabulary.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { errorReply, replyWithError } from '#app/utils/forms.server.ts'
import { IdParam, parseListQuery } from '#app/utils/list.ts'
import { formatDateTime, useCan, useOrg } from '#app/utils/org.ts'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Plan · ${data?.project.name ?? 'Project'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const detail = await getProject(scope, params.projectId ?? '')
  if (!detail) notFound('No such project in this organisation.')
  const { edit } = parseListQuery(request, { edit: IdParam })
  return json({ project: projectView(detail), members: await listMemberOptions(scope), edit: edit ?? null })
}

const AddStepSchema = z.object({
  phaseId: z.string().min(1),
  title: z.string({ required_error: 'Name the step' }).trim().min(1, 'Name the step').max(200),
})
const IdSchema = z.object({ id: z.string().min(1).max(64) })

/**
 * A step's or a phase's inline form: validated on the server only (the plan checks need the whole
 * plan), answered with the field errors and the row kept open, or saved and back to the plan.
 */
async function saveInline<S extends z.ZodTypeAny>(form: FormData, editing: string, schema: S, save: (value: z.output<S>) => Promise<unknown>, here: string, title: string) {
  const submission = parseWithZod(form, { schema })
  if (submission.status !== 'success') return json({ editing, result: submission.reply() }, { status: 400 })
  try {
    await save(submission.value)
  } catch (e) {
    return replyWithError(submission, e, { data: { editing } })
  }
  return redirectWithToast(here, { type: 'success', title })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:write' })
  const detail = await getProject(scope, params.projectId ?? '')
  if (!detail) notFound('No such project in this organisation.')
  const here = `/o/${scope.orgSlug}/projects/${detail.id}/plan`
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const stepIds = new Set(detail.phases.flatMap((p) => p.steps.map((s) => s.id)))
  const phaseIds = new Set(detail.phases.map((p) => p.id))
  // Ids are this project's, or the answer is "not found": never another project's step through this URL.
  const own = (id: string, ids: Set<string>) => (ids.has(id) ? id : notFound('No such step or phase in this project.'))
  try {
    switch (intent) {
      case 'update-step': {
        const stepId = own(String(form.get('id') ?? ''), stepIds)
        return saveInline(form, stepId, StepSchema, (value) => updateStep(scope, { stepId, ...value }), here, 'Step saved')
      }
      case 'update-phase': {
        const phaseId = own(String(form.get('id') ?? ''), phaseIds)
        return saveInline(form, phaseId, PhaseSchema, (value) => updatePhase(scope, { phaseId, ...value }), here, 'Phase saved')
      }
      case 'add-step': {
        const parsed = AddStepSchema.safeParse(Object.fromEntries(form))
        if (!parsed.success) return json({ error: parsed.error.issues[0]?.message ?? 'Name the step' }, { status: 400 })
        own(parsed.data.phaseId, phaseIds)
        await addStep(scope, parsed.data)
        return redirectWithToast(here, { type: 'success', title: `“${parsed.data.title}” added` })
      }
      case 'move-up':
      case 'move-down': {
        const parsed = IdSchema.safeParse(Object.fromEntries(form))
        if (!parsed.success) return json({ error: 'Choose a step to move.' }, { status: 400 })
        await moveStep(scope, { stepId: own(parsed.data.id, stepIds), direction: intent === 'move-up' ? 'up' : 'down' })
        return redirectWithToast(here, { type: 'success', title: 'Step moved' })
      }
      case 'delete-step': {
        const parsed = IdSchema.safeParse(Object.fromEntries(form))
        if (!parsed.success) return json({ error: 'Choose a step to delete.' }, { status: 400 })
        await deleteStep(scope, { stepId: own(parsed.data.id, stepIds) })
        return redirectWithToast(here, { type: 'success', title: 'Step deleted' })
      }
      case 'set-baseline':
        await setBaseline(scope, { projectId: detail.id })
        return redirectWithToast(here, { type: 'success', title: 'Baseline set', description: 'The timeline now compares against today’s plan.' })
      case 'start-deployment':
        await startDeployment(scope, { projectId: detail.id })
        return redirectWithToast(here, { type: 'success', title: 'Deployment & training started' })
      default:
        return json({ error: 'Unknown action.' }, { status: 400 })
    }
  } catch (e) {
    return errorReply(e)
  }
}

type View = ReturnType<typeof useLoaderData<typeof loader>>['project']
type PhaseView = View['phases'][number]
type StepView = PhaseView['steps'][number]

export default function PlanPage() {
  const { project: p, members, edit } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { editing?: string; result?: SubmissionResult<string[]>; error?: string } | undefined
  const canWrite = useCan('projects:write')
  const { org } = useOrg()
  const editing = actionData?.editing ?? edit
  const share = p.testingShare
  const deployment = p.phases.find((ph) => ph.kind === 'deployment')!
  return (
    <div className="space-y-6">
      <Link to={`../${p.id}`} relative="path" className="link text-sm">
        ← {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Plan</h1>
          <p className="text-slate-700">
            {p.name} · five phases, {p.phases.reduce((n, ph) => n + ph.steps.length, 0)} steps ·{' '}
            {p.baselineSetAt ? `baseline set ${formatDateTime(p.baselineSetAt, org.timeZone, { dateStyle: 'medium' })}` : 'no baseline yet'}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link to="../timeline" relative="path" className="btn-secondary">
            Timeline
          </Link>
          {canWrite ? (
            <Form method="post">
              <button type="submit" name="intent" value="set-baseline" className="btn-secondary">
                {p.baselineSetAt ? 'Reset baseline to this plan' : 'Approve plan as baseline'}
              </button>
            </Form>
          ) : null}
          {canWrite && deployment.status === 'not_started' ? (
            <Form method="post">
              <button type="submit" name="intent" value="start-deployment" className="btn-primary">
                Start deployment
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      {actionData?.error ? <FormErrors errors={[actionData.error]} /> : null}
      <div className="flex flex-wrap gap-6 text-sm">
        <HealthBadge health={p.health} reasons={p.reasons} full />
        <span className={share !== null && share < MIN_TESTING_SHARE ? 'font-semibold text-red-800' : ''}>
          Testing & validation: {share === null ? 'dates missing' : `${Math.round(share * 100)} % of the timeline`}
          {share !== null && share < MIN_TESTING_SHARE ? ` (the plan asks for at least ${MIN_TESTING_SHARE * 100} %)` : ''}
        </span>
      </div>
      {p.phases.map((ph) => (
        <section key={ph.id} className="card space-y-3 p-0" aria-labelledby={`phase-${ph.id}`}>
          <div className="flex flex-wrap items-start justify-between gap-2 px-4 pt-4">
            <div>
              <h2 id={`phase-${ph.id}`} className="text-lg font-semibold">
                {phaseNumber(ph.kind)}. {PHASES[ph.kind]}
              </h2>
              <p className="text-sm text-slate-700">
                Planned {formatDay(ph.planned.start)} – {formatDay(ph.planned.end)}
                {ph.baseline.start ? ` · baseline ${formatDay(ph.baseline.start)} – ${formatDay(ph.baseline.end)}` : ''}
                {ph.actual.start ? ` · actual ${formatDay(ph.actual.start)} – ${ph.actual.end ? formatDay(ph.actual.end) : 'ongoing'}` : ''} · {ph.owner?.name ?? 'no owner'}
              </p>
            </div>
            <div className="flex items-center gap-2">
              <PlanStatusBadge status={ph.status} />
              {canWrite && editing !== ph.id ? (
                <Link to={`?edit=${ph.id}`} className="btn-secondary text-sm" preventScrollReset aria-label={`Edit phase ${PHASES[ph.kind]}`}>
                  Edit phase
                </Link>
              ) : null}
            </div>
          </div>
          {canWrite && editing === ph.id ? (
            <div className="px-4">
              <PhaseEditForm phase={ph} members={members} lastResult={actionData?.editing === ph.id ? actionData.result : undefined} />
            </div>
          ) : null}
          <ol className="divide-y divide-slate-100 border-t border-slate-100">
            {ph.steps.map((s, i) => (
              <li key={s.id} className="px-4 py-3">
                {canWrite && editing === s.id ? (
                  <StepEditForm step={s} members={members} lastResult={actionData?.editing === s.id ? actionData.result : undefined} />
                ) : (
                  <div className="flex flex-wrap items-start justify-between gap-3">
                    <div className="min-w-0 flex-1">
                      <p className={`font-medium ${s.status === 'skipped' ? 'text-slate-600 line-through' : ''}`}>
                        {s.title}
                        {s.standardKey ? null : <span className="ml-2 rounded bg-violet-100 px-1.5 text-xs font-normal text-violet-900 no-underline">custom</span>}
                      </p>
                      {s.description ? <p className="text-sm text-slate-700">{s.description}</p> : null}
                      {s.status === 'skipped' && s.skipReason ? <p className="text-sm text-slate-700">Skipped: {s.skipReason}</p> : null}
                      <p className="text-xs text-slate-600">
                        Planned {formatDay(s.planned.start)} – {formatDay(s.planned.end)}
                        {s.baseline.end && s.baseline.end !== s.planned.end ? ` (baseline ends ${formatDay(s.baseline.end)})` : ''}
                        {s.actual.start ? ` · actual ${formatDay(s.actual.start)} – ${s.actual.end ? formatDay(s.actual.end) : 'ongoing'}` : ''} ·{' '}
                        {s.owner ? `${s.owner.name}${s.owner.inactive ? ' (deactivated)' : ''}` : 'no owner'}
                      </p>
                    </div>
                    <div className="flex flex-wrap items-center gap-2">
                      <PlanStatusBadge status={s.status} />
                      {canWrite ? (
                        <>
                          <Link to={`?edit=${s.id}`} className="btn-secondary text-sm" preventScrollReset aria-label={`Edit ${s.title}`}>
                            Edit
                          </Link>
                          <Form method="post" className="flex gap-1" preventScrollReset>
                            <input type="hidden" name="id" value={s.id} />
                            <button type="submit" name="intent" value="move-up" disabled={i === 0} className="btn-secondary px-2 text-sm" aria-label={`Move ${s.title} up`}>
                              ↑
                            </button>
                            <button type="submit" name="intent" value="move-down" disabled={i === ph.steps.length - 1} className="btn-secondary px-2 text-sm" aria-label={`Move ${s.title} down`}>
                              ↓
                            </button>
                            {s.standardKey ? null : (
                              <button type="submit" name="intent" value="delete-step" className="btn-secondary px-2 text-sm" aria-label={`Delete ${s.title}`}>
                                Delete
                              </button>
                            )}
                          </Form>
                        </>
                      ) : null}
                    </div>
                  </div>
                )}
              </li>
            ))}
          </ol>
          {canWrite ? (
            <Form method="post" className="flex flex-wrap items-end gap-2 border-t border-slate-100 px-4 pb-4 pt-3">
              <input type="hidden" name="phaseId" value={ph.id} />
              <div>
                <label htmlFor={`add-${ph.id}`} className="label">
                  Add a step to {PHASES[ph.kind]}
                </label>
                <input id={`add-${ph.id}`} name="title" required maxLength={200} className="input mt-1" placeholder="e.g. Downtime procedure drill" />
              </div>
              <button type="submit" name="intent" value="add-step" className="btn-secondary">
                Add step
              </button>
            </Form>
          ) : null}
        </section>
      ))}
    </div>
  )
}

const memberOptionsOf = (members: MemberOption[]) => members.map((m) => ({ value: m.id, label: `${m.name} · ${ROLE_LABELS[m.role]}` }))

function StepEditForm({ step, members, lastResult }: { step: StepView; members: MemberOption[]; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({
    id: `step-${step.id}`,
    lastResult,
    constraint: getZodConstraint(StepSchema),
    defaultValue: {
      title: step.title,
      description: step.description ?? '',
      ownerId: step.owner?.id ?? '',
      status: step.status,
      skipReason: step.skipReason ?? '',
      plannedStart: step.planned.start ?? '',
      plannedEnd: step.planned.end ?? '',
      actualStart: step.actual.start ?? '',
      actualEnd: step.actual.end ?? '',
    },
    // Validated on the server only: the plan's checks (a step inside its phase…) need the whole plan.
  })
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" aria-label={`Edit ${step.title}`} preventScrollReset>
      <input type="hidden" name="id" value={step.id} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField field={fields.title} label="Step" />
        <SelectField field={fields.ownerId} label="Owner" placeholder="Nobody yet" options={memberOptionsOf(members)} />
        <div className="sm:col-span-2">
          <TextAreaField field={fields.description} label="Description" />
        </div>
        <TextField field={fields.plannedStart} label="Planned start" type="date" />
        <TextField field={fields.plannedEnd} label="Planned end" type="date" />
        <TextField field={fields.actualStart} label="Actual start" type="date" />
        <TextField field={fields.actualEnd} label="Actual end" type="date" />
        <SelectField field={fields.status} label="Status" options={Object.entries(PLAN_STATUSES).map(([value, label]) => ({ value, label }))} />
        <TextField field={fields.skipReason} label="Reason for skipping" hint="Needed when the status is Skipped." />
      </div>
      <div className="flex gap-2">
        <button type="submit" name="intent" value="update-step" className="btn-primary">
          Save step
        </button>
        <Link to="." className="btn-secondary" preventScrollReset>
          Cancel
        </Link>
      </div>
    </Form>
  )
}

function PhaseEditForm({ phase, members, lastResult }: { phase: PhaseView; members: MemberOption[]; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({
    id: `phase-${phase.id}`,
    lastResult,
    constraint: getZodConstraint(PhaseSchema),
    defaultValue: {
      ownerId: phase.owner?.id ?? '',
      status: phase.status,
      plannedStart: phase.planned.start ?? '',
      plannedEnd: phase.planned.end ?? '',
      actualStart: phase.actual.start ?? '',
      actualEnd: phase.actual.end ?? '',
    },
    // Validated on the server only: the plan's checks (a step inside its phase…) need the whole plan.
  })
  // Deployment starts only with "Start deployment" (the go-live gate's one door), and no phase is skipped.
  const statuses = Object.entries(PLAN_STATUSES)
    .filter(([value]) => value !== 'skipped' && !(phase.kind === 'deployment' && phase.status === 'not_started' && value !== 'not_started'))
    .map(([value, label]) => ({ value, label }))
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3 rounded-md bg-slate-50 p-3" aria-label={`Edit phase ${PHASES[phase.kind]}`} preventScrollReset>
      <input type="hidden" name="id" value={phase.id} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField field={fields.ownerId} label="Owner" placeholder="Nobody yet" options={memberOptionsOf(members)} />
        <SelectField field={fields.status} label="Status" options={statuses} />
        <span />
        <TextField field={fields.plannedStart} label="Planned start" type="date" />
        <TextField field={fields.plannedEnd} label="Planned end" type="date" />
        <span />
        <TextField field={fields.actualStart} label="Actual start" type="date" />
        <TextField field={fields.actualEnd} label="Actual end" type="date" />
      </div>
      <div className="flex gap-2">
        <button type="submit" name="intent" value="update-phase" className="btn-primary">
          Save phase
        </button>
        <Link to="." className="btn-secondary" preventScrollReset>
          Cancel
        </Link>
      </div>
    </Form>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
