import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState, FormErrors } from '#app/components/forms.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { DefectForm, DefectStatusBadge, DefectStatusForm, SeverityBadge } from '#app/components/uat-parts.tsx'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { createDefect, defectLabel, listDefects, setDefectStatus, updateDefect } from '#app/models/uat/defects.server.ts'
import { getUatProject, listScenarioOptions } from '#app/models/uat/scenarios.server.ts'
import { DEFECT_MOVES, DefectEditSchema, DefectSchema, DefectStatusSchema } from '#app/models/uat/schemas.ts'
import { DEFECT_SEVERITIES, DEFECT_STATUSES, UAT_ENVIRONMENTS, UAT_RESULTS, type DefectSeverity } from '#app/models/uat/vocabulary.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { oneOf, parseListQuery } from '#app/utils/list.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { can } from '#app/utils/permissions.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import { valuesOf } from '#app/utils/vocabulary.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `UAT defects · ${data?.project.name ?? 'Project'} · Liaison` }]

const SEVERITIES = ['1', '2', '3', '4'] as const

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const project = await getUatProject(scope, { projectId: params.projectId ?? '' })
  if (!project) notFound('No such project in this organisation.')
  const { status, severity } = parseListQuery(request, { status: oneOf(valuesOf(DEFECT_STATUSES)), severity: oneOf(SEVERITIES) })
  const canWrite = can(scope.role, 'uat:write')
  const [defects, all, scenarios, members] = await Promise.all([
    listDefects(scope, { projectId: project.id, status, severity: severity ? (Number(severity) as DefectSeverity) : undefined }),
    listDefects(scope, { projectId: project.id }),
    canWrite ? listScenarioOptions(scope, { projectId: project.id }) : Promise.resolve([]),
    canWrite ? listMemberOptions(scope) : Promise.resolve([]),
  ])
  const counts = Object.fromEntries(valuesOf(DEFECT_STATUSES).map((s) => [s, all.filter((d) => d.status === s).length])) as Record<keyof typeof DEFECT_STATUSES, number>
  const openBlocking = all.filter((d) => d.status === 'open' && d.severity <= 2).length
  return json({ project: { id: project.id, name: project.name }, defects, counts, openBlocking, scenarios, members, canWrite, filter: { status: status ?? '', severity: severity ?? '' } })
}

const DefectIdSchema = z.object({ defectId: z.string().trim().min(1).max(64) })
type ActionData = { result?: SubmissionResult<string[]>; form?: string; error?: string }

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'uat:write' })
  const project = await getUatProject(scope, { projectId: params.projectId ?? '' })
  if (!project) notFound('No such project in this organisation.')
  const here = `/o/${scope.orgSlug}/projects/${project.id}/uat/defects`
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  if (intent === 'create') {
    const submission = parseWithZod(form, { schema: DefectSchema })
    if (submission.status !== 'success') return json<ActionData>({ result: submission.reply(), form: 'create' }, { status: 400 })
    try {
      const created = await createDefect(scope, { ...submission.value, projectId: project.id })
      if (!created) notFound('No such project in this organisation.')
      return redirectWithToast(here, { type: 'success', title: `${defectLabel(created)} opened` })
    } catch (e) {
      return replyWithError(submission, e, { data: { form: 'create' } })
    }
  }
  if (intent !== 'status' && intent !== 'update') return json<ActionData>({ error: 'Unknown action.' }, { status: 400 })
  const id = DefectIdSchema.safeParse(Object.fromEntries(form))
  if (!id.success) return json<ActionData>({ error: 'Choose a defect.' }, { status: 400 })
  const formKey = `${intent}:${id.data.defectId}`
  const ids = { projectId: project.id, defectId: id.data.defectId }
  if (intent === 'status') {
    const submission = parseWithZod(form, { schema: DefectStatusSchema })
    if (submission.status !== 'success') return json<ActionData>({ result: submission.reply(), form: formKey }, { status: 400 })
    try {
      const moved = await setDefectStatus(scope, { ...ids, ...submission.value })
      if (!moved) notFound('No such defect in this project.')
      const words = moved.status === 'open' ? 'reopened' : `marked ${DEFECT_STATUSES[moved.status].toLowerCase()}`
      return redirectWithToast(`${here}#${moved.id}`, { type: 'success', title: `${defectLabel(moved)} ${words}` })
    } catch (e) {
      return replyWithError(submission, e, { data: { form: formKey } })
    }
  }
  const submission = parseWithZod(form, { schema: DefectEditSchema })
  if (submission.status !== 'success') return json<ActionData>({ result: submission.reply(), form: formKey }, { status: 400 })
  try {
    const saved = await updateDefect(scope, { ...ids, ...submission.value })
    if (!saved) notFound('No such defect in this project.')
    return redirectWithToast(`${here}#${saved.id}`, { type: 'success', title: `${defectLabel(saved)} saved` })
  } catch (e) {
    return replyWithError(submission, e, { data: { form: formKey } })
  }
}

export default function DefectsPage() {
  const { project: p, defects, counts, openBlocking, scenarios, members, canWrite, filter } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as ActionData | undefined
  const { org } = useOrg()
  const base = `/o/${org.slug}/projects/${p.id}/uat`
  const resultOf = (key: string) => (data?.form === key ? data.result : undefined)
  const total = Object.values(counts).reduce((n, c) => n + c, 0)
  return (
    <div className="space-y-6">
      <Link to={base} className="link text-sm">
        ← UAT of {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div>
        <h1 className="text-2xl font-bold">UAT defects</h1>
        <p className="text-slate-700">
          {total} defect{total === 1 ? '' : 's'} · {valuesOf(DEFECT_STATUSES).map((s) => `${counts[s]} ${DEFECT_STATUSES[s].toLowerCase()}`).join(' · ')}.{' '}
          {openBlocking ? <strong className="text-red-800">{openBlocking} open of severity 1–2: go-live is blocked until they are fixed.</strong> : 'No open defect of severity 1–2.'}
        </p>
      </div>
      {data?.error ? <FormErrors errors={[data.error]} /> : null}
      <Form method="get" className="flex flex-wrap items-end gap-2" aria-label="Filter defects">
        <div>
          <label htmlFor="status-filter" className="label">
            Status
          </label>
          <select id="status-filter" name="status" defaultValue={filter.status} className="input mt-1">
            <option value="">Any status</option>
            {Object.entries(DEFECT_STATUSES).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="severity-filter" className="label">
            Severity
          </label>
          <select id="severity-filter" name="severity" defaultValue={filter.severity} className="input mt-1">
            <option value="">Any severity</option>
            {Object.entries(DEFECT_SEVERITIES).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          Filter
        </button>
      </Form>
      {defects.length ? (
        <ol className="space-y-3" aria-label="Defects">
          {defects.map((d) => (
            <li key={d.id} id={d.id} className="card space-y-2">
              <div className="flex flex-wrap items-baseline gap-2">
                <span className="font-mono text-sm font-semibold text-slate-700">{d.label}</span>
                <SeverityBadge severity={d.severity} />
                <DefectStatusBadge status={d.status} />
              </div>
              <h2 className="text-lg font-semibold break-words">{d.title}</h2>
              {d.description ? <p className="whitespace-pre-line break-words text-sm">{d.description}</p> : null}
              <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
                <dt className="font-medium text-slate-700">Owner</dt>
                <dd>{d.owner ?? 'Nobody yet'}</dd>
                <dt className="font-medium text-slate-700">Found in</dt>
                <dd>
                  {d.scenario ? (
                    <Link to={`${base}/${d.scenario.id}`} className="link">
                      {d.scenario.label} {d.scenario.title}
                    </Link>
                  ) : (
                    'The project (no scenario)'
                  )}
                  {d.run ? ` · a ${UAT_RESULTS[d.run.result as keyof typeof UAT_RESULTS].toLowerCase()} run in ${UAT_ENVIRONMENTS[d.run.environment as keyof typeof UAT_ENVIRONMENTS]} on ${formatDateTime(d.run.executedAt, org.timeZone, { dateStyle: 'medium' })}` : ''}
                </dd>
                <dt className="font-medium text-slate-700">Opened</dt>
                <dd>
                  {formatDateTime(d.createdAt, org.timeZone)} by {d.createdBy ?? 'a former member'}
                </dd>
                {d.fixedAt ? (
                  <>
                    <dt className="font-medium text-slate-700">Fixed</dt>
                    <dd>{formatDateTime(d.fixedAt, org.timeZone)}</dd>
                  </>
                ) : null}
                {d.verifiedAt ? (
                  <>
                    <dt className="font-medium text-slate-700">Verified</dt>
                    <dd>{formatDateTime(d.verifiedAt, org.timeZone)}</dd>
                  </>
                ) : null}
                {d.wontFixReason ? (
                  <>
                    <dt className="font-medium text-slate-700">Won’t fix because</dt>
                    <dd className="whitespace-pre-line break-words">{d.wontFixReason}</dd>
                  </>
                ) : null}
              </dl>
              {canWrite ? (
                <>
                  <DefectStatusForm id={`status-${d.id}`} label={`Change the status of ${d.label}`} defectId={d.id} moves={DEFECT_MOVES[d.status]} lastResult={resultOf(`status:${d.id}`)} />
                  <details open={data?.form === `update:${d.id}`}>
                    <summary className="cursor-pointer text-sm font-medium text-sky-800">Edit {d.label}</summary>
                    <div className="mt-2">
                      <DefectForm
                        id={`edit-${d.id}`}
                        intent="update"
                        label={`Edit ${d.label}`}
                        submitLabel="Save the defect"
                        members={members}
                        defaults={{ title: d.title, description: d.description ?? '', severity: String(d.severity), ownerId: d.ownerId ?? '' }}
                        hidden={{ defectId: d.id }}
                        lastResult={resultOf(`update:${d.id}`)}
                        edit
                      />
                    </div>
                  </details>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <EmptyState title={filter.status || filter.severity ? 'No defect matches these filters' : 'No defects yet'}>A failed run offers to open one, pre-filled from the run.</EmptyState>
      )}
      {canWrite ? (
        <section className="card space-y-3" aria-labelledby="new-defect">
          <h2 id="new-defect" className="text-lg font-semibold">
            Open a defect
          </h2>
          <DefectForm id="new-defect-form" intent="create" label="Open a defect" submitLabel="Open the defect" members={members} scenarios={scenarios} lastResult={resultOf('create')} />
        </section>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
