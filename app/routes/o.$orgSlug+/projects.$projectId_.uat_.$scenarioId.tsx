import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { DefectForm, DefectStatusBadge, EdgeCaseTags, ResultBadge, RunForm, ScenarioForm, SeverityBadge } from '#app/components/uat-parts.tsx'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { todayIn } from '#app/models/projects/projects.server.ts'
import { createDefect, defectLabel, listDefects } from '#app/models/uat/defects.server.ts'
import { getRun, listRuns, recordRun } from '#app/models/uat/runs.server.ts'
import { getScenario, getUatProject, listMappingRowOptions, scenarioLabel, updateScenario } from '#app/models/uat/scenarios.server.ts'
import { DefectSchema, RunSchema, ScenarioSchema } from '#app/models/uat/schemas.ts'
import { UAT_ENVIRONMENTS, UAT_PRIORITIES } from '#app/models/uat/vocabulary.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { IdParam, parseListQuery } from '#app/utils/list.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { can } from '#app/utils/permissions.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.scenario.label ?? 'Scenario'} · UAT · ${data?.project.name ?? 'Project'} · Liaison` }]

async function load(request: Request, params: { orgSlug?: string; projectId?: string; scenarioId?: string }, can: 'projects:read' | 'uat:write') {
  const scope = await requireTenant(request, params, { can })
  const project = await getUatProject(scope, { projectId: params.projectId ?? '' })
  if (!project) notFound('No such project in this organisation.')
  const scenario = await getScenario(scope, { projectId: project.id, scenarioId: params.scenarioId ?? '' })
  if (!scenario) notFound('No such scenario in this project.')
  return { scope, project, scenario }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope, project, scenario } = await load(request, params, 'projects:read')
  const canWrite = can(scope.role, 'uat:write')
  const { defectFrom } = parseListQuery(request, { defectFrom: IdParam })
  const [runs, defects, mappingRows, members, fromRun] = await Promise.all([
    listRuns(scope, { projectId: project.id, scenarioId: scenario.id }),
    listDefects(scope, { projectId: project.id, scenarioId: scenario.id }),
    scenario.interfaceId ? listMappingRowOptions(scope, { interfaceId: scenario.interfaceId }) : Promise.resolve([]),
    canWrite ? listMemberOptions(scope) : Promise.resolve([]),
    defectFrom && canWrite ? getRun(scope, { projectId: project.id, runId: defectFrom }) : Promise.resolve(null),
  ])
  // A failed (or blocked) run of this scenario pre-fills the defect form.
  const run = fromRun && fromRun.scenarioId === scenario.id && fromRun.result !== 'pass' ? fromRun : null
  return json({
    project: { id: project.id, name: project.name },
    interfaces: project.interfaces,
    scenario,
    runs,
    defects,
    mappingRows: mappingRows.map((r) => ({ lineageId: r.lineageId, label: r.label, current: r.current })),
    linkedRows: mappingRows.filter((r) => scenario.lineageIds.includes(r.lineageId)).map((r) => r.label),
    members,
    defectFrom: run
      ? {
          runId: run.id,
          title: `${scenarioLabel(scenario)} failed: ${scenario.title}`.slice(0, 200),
          description: [`Run of ${formatDay(run.executedAt)} in ${UAT_ENVIRONMENTS[run.environment]}: ${run.result}.`, run.notes ? `Notes: ${run.notes}` : '', `Expected: ${scenario.expectedResult}`].filter(Boolean).join('\n'),
        }
      : null,
    canWrite,
    today: todayIn(scope),
  })
}
const formatDay = (d: Date) => d.toISOString().slice(0, 10)

type ActionData = { result?: SubmissionResult<string[]>; form?: 'update' | 'run' | 'defect'; error?: string }

export async function action({ request, params }: ActionFunctionArgs) {
  const { scope, project, scenario } = await load(request, params, 'uat:write')
  const here = `/o/${scope.orgSlug}/projects/${project.id}/uat/${scenario.id}`
  const ids = { projectId: project.id, scenarioId: scenario.id }
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  switch (intent) {
    case 'update': {
      const submission = parseWithZod(form, { schema: ScenarioSchema })
      if (submission.status !== 'success') return json<ActionData>({ result: submission.reply(), form: 'update' }, { status: 400 })
      try {
        const saved = await updateScenario(scope, { ...ids, ...submission.value })
        if (!saved) notFound('No such scenario in this project.')
        return redirectWithToast(here, { type: 'success', title: `${scenario.label} saved` })
      } catch (e) {
        return replyWithError(submission, e, { data: { form: 'update' as const } })
      }
    }
    case 'run': {
      const submission = parseWithZod(form, { schema: RunSchema })
      if (submission.status !== 'success') return json<ActionData>({ result: submission.reply(), form: 'run' }, { status: 400 })
      try {
        const run = await recordRun(scope, { ...ids, ...submission.value })
        if (!run) notFound('No such scenario in this project.')
        if (run.result === 'pass') return redirectWithToast(here, { type: 'success', title: `${scenario.label}: a passing run recorded` })
        return redirectWithToast(`${here}?defectFrom=${run.id}#open-defect`, {
          type: 'success',
          title: `${scenario.label}: a ${run.result === 'fail' ? 'failed' : 'blocked'} run recorded`,
          description: 'Open a defect for it below.',
        })
      } catch (e) {
        return replyWithError(submission, e, { data: { form: 'run' as const } })
      }
    }
    case 'defect': {
      const submission = parseWithZod(form, { schema: DefectSchema })
      if (submission.status !== 'success') return json<ActionData>({ result: submission.reply(), form: 'defect' }, { status: 400 })
      try {
        const defect = await createDefect(scope, { ...submission.value, projectId: project.id, scenarioId: scenario.id })
        if (!defect) notFound('No such project in this organisation.')
        return redirectWithToast(here, { type: 'success', title: `${defectLabel(defect)} opened` })
      } catch (e) {
        return replyWithError(submission, e, { data: { form: 'defect' as const } })
      }
    }
    default:
      return json<ActionData>({ error: 'Unknown action.' }, { status: 400 })
  }
}

export default function ScenarioPage() {
  const { project: p, interfaces, scenario: s, runs, defects, mappingRows, linkedRows, members, defectFrom, canWrite, today } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as ActionData | undefined
  const { org } = useOrg()
  const base = `/o/${org.slug}/projects/${p.id}/uat`
  const resultOf = (f: ActionData['form']) => (data?.form === f ? data?.result : undefined)
  return (
    <div className="space-y-6">
      <Link to={base} className="link text-sm">
        ← UAT of {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div className="space-y-2">
        <div className="flex flex-wrap items-baseline gap-2">
          <span className="font-mono text-sm font-semibold text-slate-700">{s.label}</span>
          <ResultBadge result={runs[0]?.result ?? null} />
          <span className="text-xs text-slate-700">{UAT_PRIORITIES[s.priority]} priority</span>
        </div>
        <h1 className="text-2xl font-bold break-words">{s.title}</h1>
        <p className="text-sm text-slate-700">
          {s.interface ?? 'The whole project'} · written by {s.author ?? 'a former member'} · last changed {formatDateTime(s.updatedAt, org.timeZone)}
        </p>
        <EdgeCaseTags edgeCases={s.edgeCases} />
      </div>
      {data?.error ? <FormErrors errors={[data.error]} /> : null}

      <section className="card space-y-2" aria-labelledby="what-to-test">
        <h2 id="what-to-test" className="text-lg font-semibold">
          What to test
        </h2>
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
          {s.preconditions ? (
            <>
              <dt className="font-medium text-slate-700">Preconditions</dt>
              <dd className="whitespace-pre-line break-words">{s.preconditions}</dd>
            </>
          ) : null}
          <dt className="font-medium text-slate-700">Steps</dt>
          <dd className="whitespace-pre-line break-words">{s.steps}</dd>
          <dt className="font-medium text-slate-700">Expected result</dt>
          <dd className="whitespace-pre-line break-words">{s.expectedResult}</dd>
          {linkedRows.length ? (
            <>
              <dt className="font-medium text-slate-700">Mapping rows</dt>
              <dd>
                <ul className="list-inside list-disc">
                  {linkedRows.map((r) => (
                    <li key={r} className="break-words">
                      {r}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      {defectFrom && canWrite ? (
        <section id="open-defect" className="card space-y-3 ring-2 ring-red-300" aria-labelledby="open-defect-heading">
          <h2 id="open-defect-heading" className="text-lg font-semibold">
            The run did not pass: open a defect
          </h2>
          <DefectForm
            id="defect-from-run"
            intent="defect"
            label="Open a defect from this run"
            submitLabel="Open the defect"
            members={members}
            defaults={{ title: defectFrom.title, description: defectFrom.description, severity: '' }}
            hidden={{ runId: defectFrom.runId }}
            lastResult={resultOf('defect')}
            edit
          />
        </section>
      ) : null}

      <section className="space-y-3" aria-labelledby="runs-heading">
        <h2 id="runs-heading" className="text-lg font-semibold">
          Runs ({runs.length})
        </h2>
        {runs.length ? (
          <ol className="space-y-2" aria-label="Runs, newest first">
            {runs.map((r) => (
              <li key={r.id} className="card space-y-1 text-sm">
                <div className="flex flex-wrap items-baseline gap-2">
                  <ResultBadge result={r.result} />
                  <span>
                    {formatDateTime(r.executedAt, org.timeZone)} · {UAT_ENVIRONMENTS[r.environment]} · {r.tester ?? 'a former member'}
                  </span>
                  {r.defects.map((d) => (
                    <Link key={d.id} to={`${base}/defects#${d.id}`} className="link">
                      {d.label}
                    </Link>
                  ))}
                </div>
                {r.notes ? <p className="whitespace-pre-line break-words">{r.notes}</p> : null}
                {r.evidence ? <p className="whitespace-pre-line break-words text-slate-700">Evidence: {r.evidence}</p> : null}
                {r.evidenceUrl ? (
                  <p className="break-all">
                    <a href={r.evidenceUrl} className="link" rel="noreferrer noopener" target="_blank">
                      Evidence link
                    </a>
                  </p>
                ) : null}
                {canWrite && r.result !== 'pass' && !r.defects.length && r.id !== defectFrom?.runId ? (
                  <Link to={`?defectFrom=${r.id}#open-defect`} className="link text-sm">
                    Open a defect from this run
                  </Link>
                ) : null}
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-sm text-slate-700">Not run yet.</p>
        )}
        <p className="text-xs text-slate-600">Runs are history: a run is never edited. Test again and record a new run.</p>
      </section>

      {canWrite ? (
        <section className="card space-y-3" aria-labelledby="record-run">
          <h2 id="record-run" className="text-lg font-semibold">
            Record a run
          </h2>
          <RunForm id="record-run-form" label="Record a run" members={members} lastResult={resultOf('run')} today={today} />
        </section>
      ) : null}

      <section className="space-y-2" aria-labelledby="defects-heading">
        <h2 id="defects-heading" className="text-lg font-semibold">
          Defects ({defects.length})
        </h2>
        {defects.length ? (
          <ul className="space-y-2">
            {defects.map((d) => (
              <li key={d.id} className="card flex flex-wrap items-baseline gap-2 text-sm">
                <span className="font-mono font-semibold">{d.label}</span>
                <SeverityBadge severity={d.severity} />
                <DefectStatusBadge status={d.status} />
                <Link to={`${base}/defects#${d.id}`} className="link break-words">
                  {d.title}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">No defects.</p>
        )}
      </section>

      {canWrite ? (
        <section className="card space-y-3" aria-labelledby="edit-scenario">
          <h2 id="edit-scenario" className="text-lg font-semibold">
            Edit {s.label}
          </h2>
          <p className="text-sm text-slate-700">A change makes a sign-off that covers this scenario stale: the signer is told.</p>
          <ScenarioForm
            id="edit-scenario-form"
            intent="update"
            label={`Edit ${s.label}`}
            submitLabel="Save changes"
            interfaces={interfaces}
            mappingRows={s.interfaceId ? mappingRows : undefined}
            defaults={{
              title: s.title,
              interfaceId: s.interfaceId ?? '',
              preconditions: s.preconditions ?? '',
              steps: s.steps,
              expectedResult: s.expectedResult,
              priority: s.priority,
              edgeCases: s.edgeCases,
              lineageIds: s.lineageIds,
            }}
            lastResult={resultOf('update')}
          />
        </section>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
