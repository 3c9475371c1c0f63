import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { CoverageBars } from '#app/components/coverage-bars.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState, FormErrors } from '#app/components/forms.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { TrainingFigure, WaveForm } from '#app/components/wave-parts.tsx'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { formatDay } from '#app/models/projects/plan.ts'
import { WaveSchema } from '#app/models/projects/schemas.ts'
import { WAVE_KINDS, WAVE_STATUSES } from '#app/models/projects/vocabulary.ts'
import { createWave, deleteWave, listUnitChoices, listWaves, markWaveLive, updateWave, waveReadiness } from '#app/models/projects/waves.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { errorReply, replyWithError } from '#app/utils/forms.server.ts'
import { IdParam, parseListQuery } from '#app/utils/list.ts'
import { useCan, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Pilot & waves · ${data?.project.name ?? 'Project'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const project = await listWaves(scope, params.projectId ?? '')
  if (!project) notFound('No such project in this organisation.')
  const { edit } = parseListQuery(request, { edit: IdParam })
  const [readiness, unitChoices, members] = await Promise.all([waveReadiness(scope, project.id), listUnitChoices(scope), listMemberOptions(scope)])
  return json({ project, readiness: readiness!, unitChoices, members, edit: edit && project.waves.some((w) => w.id === edit) ? edit : null })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:write' })
  const project = await listWaves(scope, params.projectId ?? '')
  if (!project) notFound('No such project in this organisation.')
  const here = `/o/${scope.orgSlug}/projects/${project.id}/waves`
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  // A wave named in the form is this project's, or the answer is "not found": never another project's wave through this URL.
  const own = () => {
    const id = String(form.get('id') ?? '')
    return project.waves.find((w) => w.id === id) ?? notFound('No such wave in this project.')
  }
  try {
    switch (intent) {
      case 'add-wave': {
        const submission = parseWithZod(form, { schema: WaveSchema })
        if (submission.status !== 'success') return json({ editing: 'new', result: submission.reply() }, { status: 400 })
        try {
          await createWave(scope, { projectId: project.id, ...submission.value })
        } catch (e) {
          return replyWithError(submission, e, { data: { editing: 'new' } })
        }
        return redirectWithToast(here, { type: 'success', title: `“${submission.value.name}” added` })
      }
      case 'update-wave': {
        const wave = own()
        const submission = parseWithZod(form, { schema: WaveSchema })
        if (submission.status !== 'success') return json({ editing: wave.id, result: submission.reply() }, { status: 400 })
        try {
          await updateWave(scope, { waveId: wave.id, ...submission.value })
        } catch (e) {
          return replyWithError(submission, e, { data: { editing: wave.id } })
        }
        return redirectWithToast(here, { type: 'success', title: `“${submission.value.name}” saved` })
      }
      case 'delete-wave': {
        const wave = own()
        await deleteWave(scope, { waveId: wave.id })
        return redirectWithToast(here, { type: 'success', title: `“${wave.name}” removed` })
      }
      case 'mark-live': {
        const wave = own()
        await markWaveLive(scope, { waveId: wave.id })
        return redirectWithToast(here, { type: 'success', title: `“${wave.name}” is live` })
      }
      default:
        return json({ error: 'Unknown action.' }, { status: 400 })
    }
  } catch (e) {
    return errorReply(e)
  }
}

export default function WavesPage() {
  const { project: p, readiness, unitChoices, members, edit } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { editing?: string; result?: SubmissionResult<string[]>; error?: string } | undefined
  const canWrite = useCan('projects:write')
  const { org } = useOrg()
  const editing = actionData?.editing ?? edit
  const hasPilot = p.waves.some((w) => w.kind === 'pilot')
  const filter = `?project=${p.id}`
  const takenExcept = (id?: string) => Object.fromEntries(p.waves.filter((w) => w.id !== id).flatMap((w) => w.units.map((u) => [u.trim().toLowerCase(), w.name])))
  return (
    <div className="space-y-6">
      <Link to={`../${p.id}`} relative="path" className="link text-sm">
        ← {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div>
        <h1 className="text-2xl font-bold">Pilot & waves</h1>
        <p className="max-w-3xl text-slate-700">
          Deploy to a pilot group first, then expand wave by wave. Each wave brings units live on its go-live date; its readiness is the training of the people in those
          units (and the named members) and the mapping coverage of the project’s scope. Project dates: {formatDay(p.startDate)} → target go-live {formatDay(p.targetGoLive)}.
        </p>
      </div>
      {actionData?.error ? <FormErrors errors={[actionData.error]} /> : null}

      <section aria-labelledby="readiness-h" className="card grid gap-6 md:grid-cols-2">
        <div className="space-y-2">
          <h2 id="readiness-h" className="text-lg font-semibold">
            Training of everyone in the project
          </h2>
          <p className="text-sm">
            <TrainingFigure t={readiness.project} />
          </p>
          <p className="text-sm">
            <Link to={`/o/${org.slug}/training/adoption${filter}`} className="link">
              Training adoption of this project
            </Link>{' '}
            ·{' '}
            <Link to={`/o/${org.slug}/mapping${filter}`} className="link">
              Mapping coverage of its scope
            </Link>
          </p>
        </div>
        <div>
          <h2 className="text-lg font-semibold">Mapping coverage of the scope</h2>
          <p className="text-sm text-slate-700">
            {readiness.coverage.interfaces} interface{readiness.coverage.interfaces === 1 ? '' : 's'} in scope
            {readiness.coverage.withoutMapping ? `, ${readiness.coverage.withoutMapping} without a mapping yet` : ''}; every wave goes live on them.
          </p>
          <CoverageBars coverage={readiness.coverage.totals} compact />
        </div>
      </section>

      {p.waves.length === 0 ? (
        <EmptyState title="No pilot group yet">Start with the pilot: a unit and the named people who try the integration first.</EmptyState>
      ) : (
        <ol className="space-y-4" aria-label="Pilot and waves in go-live order">
          {p.waves.map((w, i) => {
            const t = readiness.training[w.id]!
            return (
              <li key={w.id} className="card space-y-3" aria-labelledby={`wave-${w.id}`}>
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div>
                    <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">{w.kind === 'pilot' ? WAVE_KINDS.pilot : `${WAVE_KINDS.expansion} ${i + (hasPilot ? 0 : 1)}`}</p>
                    <h2 id={`wave-${w.id}`} className="text-lg font-semibold">
                      {w.name}
                    </h2>
                    <p className="text-sm text-slate-700">
                      Go-live {formatDay(w.goLive)}
                      {w.wentLiveOn ? ` · went live ${formatDay(w.wentLiveOn)}` : ''}
                    </p>
                  </div>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ${w.status === 'live' ? 'bg-emerald-100 text-emerald-900 ring-emerald-300' : 'bg-slate-100 text-slate-800 ring-slate-300'}`}>
                      {WAVE_STATUSES[w.status]}
                    </span>
                    {canWrite && editing !== w.id ? (
                      <>
                        <Link to={`?edit=${w.id}`} className="btn-secondary text-sm" preventScrollReset aria-label={`Edit ${w.name}`}>
                          Edit
                        </Link>
                        <Form method="post" className="flex gap-1" preventScrollReset>
                          <input type="hidden" name="id" value={w.id} />
                          {w.status === 'planned' ? (
                            <button type="submit" name="intent" value="mark-live" className="btn-primary text-sm" aria-label={`Mark live: ${w.name}`}>
                              Mark live
                            </button>
                          ) : null}
                          <button type="submit" name="intent" value="delete-wave" className="btn-secondary text-sm" aria-label={`Remove ${w.name}`}>
                            Remove
                          </button>
                        </Form>
                      </>
                    ) : null}
                  </div>
                </div>
                {canWrite && editing === w.id ? (
                  <WaveForm wave={w} canBePilot={false} unitChoices={unitChoices} members={members} taken={takenExcept(w.id)} lastResult={actionData?.editing === w.id ? actionData.result : undefined} />
                ) : (
                  <dl className="grid gap-3 text-sm sm:grid-cols-3">
                    <div>
                      <dt className="label">Units</dt>
                      <dd>{w.units.length ? w.units.join(', ') : <span className="text-slate-600">none (named members only)</span>}</dd>
                    </div>
                    <div>
                      <dt className="label">Named members</dt>
                      <dd>
                        {w.members.length ? (
                          <ul>
                            {w.members.map((m) => (
                              <li key={m.id}>
                                {m.name} <span className="text-xs text-slate-600">· {ROLE_LABELS[m.role]}{m.inactive ? ' (deactivated)' : ''}</span>
                              </li>
                            ))}
                          </ul>
                        ) : (
                          <span className="text-slate-600">none</span>
                        )}
                      </dd>
                    </div>
                    <div>
                      <dt className="label">Training readiness</dt>
                      <dd>
                        <TrainingFigure t={t} />{' '}
                        <Link to={`/o/${org.slug}/training/adoption${filter}&wave=${w.id}`} className="link block text-xs" aria-label={`Training details of ${w.name}`}>
                          details
                        </Link>
                      </dd>
                    </div>
                    {w.notes ? (
                      <div className="sm:col-span-3">
                        <dt className="label">Notes</dt>
                        <dd className="whitespace-pre-line">{w.notes}</dd>
                      </div>
                    ) : null}
                  </dl>
                )}
              </li>
            )
          })}
        </ol>
      )}

      {canWrite ? (
        <section aria-labelledby="add-h" className="card space-y-3">
          <h2 id="add-h" className="text-lg font-semibold">
            {hasPilot ? 'Add an expansion wave' : 'Add the pilot group'}
          </h2>
          <WaveForm key={actionData?.editing === 'new' ? 'new-error' : 'new'} canBePilot={!hasPilot} unitChoices={unitChoices} members={members} taken={takenExcept()} lastResult={actionData?.editing === 'new' ? actionData.result : undefined} />
        </section>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
