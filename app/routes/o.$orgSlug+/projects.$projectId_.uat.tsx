import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { EdgeCaseTags, ResultBadge, ScenarioForm, UatCounts } from '#app/components/uat-parts.tsx'
import { createScenario, getUatProject, listScenarios, scenarioLabel } from '#app/models/uat/scenarios.server.ts'
import { ScenarioSchema } from '#app/models/uat/schemas.ts'
import { uatSummary } from '#app/models/uat/summary.server.ts'
import { UAT_EDGE_CASES, UAT_ENVIRONMENTS, UAT_PRIORITIES, UAT_RESULTS } from '#app/models/uat/vocabulary.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { IdParam, oneOf, parseListQuery } from '#app/utils/list.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { can } from '#app/utils/permissions.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import { valuesOf } from '#app/utils/vocabulary.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `UAT · ${data?.project.name ?? 'Project'} · Liaison` }]

const LATEST = ['pass', 'fail', 'blocked', 'not_run'] as const
const LATEST_LABELS: Record<(typeof LATEST)[number], string> = { ...UAT_RESULTS, not_run: 'Not run' }
/** An interface's id, or "project" for the scenarios about the whole project. */
const AboutParam = z.unknown().transform((v) => (v === 'project' ? ('project' as const) : IdParam.parse(v)))

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const project = await getUatProject(scope, { projectId: params.projectId ?? '' })
  if (!project) notFound('No such project in this organisation.')
  const query = parseListQuery(request, { about: AboutParam, latest: oneOf(LATEST), edge: oneOf(valuesOf(UAT_EDGE_CASES)) })
  const [list, summary] = await Promise.all([
    listScenarios(scope, { projectId: project.id, interfaceId: query.about, latest: query.latest, edgeCase: query.edge, page: query.page }),
    uatSummary(scope, { projectId: project.id }),
  ])
  return json({
    project: { id: project.id, name: project.name },
    interfaces: project.interfaces,
    summary: summary!,
    ...list,
    filter: { about: query.about ?? '', latest: query.latest ?? '', edge: query.edge ?? '', page: query.page },
    canWrite: can(scope.role, 'uat:write'),
    canSign: can(scope.role, 'uat:signoff'),
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'uat:write' })
  const project = await getUatProject(scope, { projectId: params.projectId ?? '' })
  if (!project) notFound('No such project in this organisation.')
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  if (intent !== 'create') return json({ error: 'Unknown action.' }, { status: 400 })
  const submission = parseWithZod(form, { schema: ScenarioSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  try {
    const created = await createScenario(scope, { projectId: project.id, ...submission.value })
    if (!created) notFound('No such project in this organisation.')
    return redirectWithToast(`/o/${scope.orgSlug}/projects/${project.id}/uat/${created.id}`, { type: 'success', title: `${scenarioLabel(created)} written`, description: 'Record a run when it has been tested.' })
  } catch (e) {
    return replyWithError(submission, e)
  }
}

function Filters({ interfaces, filter }: { interfaces: { id: string; name: string }[]; filter: { about: string; latest: string; edge: string } }) {
  const select = (id: string, name: string, label: string, value: string, any: string, options: [string, string][]) => (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className="input mt-1">
        <option value="">{any}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  )
  return (
    <Form method="get" className="flex flex-wrap items-end gap-2" aria-label="Filter scenarios">
      {select('about-filter', 'about', 'About', filter.about, 'Any interface', [['project', 'The whole project'], ...interfaces.map((i): [string, string] => [i.id, i.name])])}
      {select('latest-filter', 'latest', 'Latest result', filter.latest, 'Any result', LATEST.map((v) => [v, LATEST_LABELS[v]]))}
      {select('edge-filter', 'edge', 'Edge case', filter.edge, 'Any edge case', Object.entries(UAT_EDGE_CASES))}
      <button type="submit" className="btn-secondary">
        Filter
      </button>
    </Form>
  )
}

export default function UatPage() {
  const { project: p, interfaces, summary, scenarios, total, pageCount, filter, canWrite, canSign } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { result?: SubmissionResult<string[]>; error?: string } | undefined
  const { org } = useOrg()
  const base = `/o/${org.slug}/projects/${p.id}/uat`
  const filtered = !!(filter.about || filter.latest || filter.edge)
  return (
    <div className="space-y-6">
      <Link to={`/o/${org.slug}/projects/${p.id}`} className="link text-sm">
        ← {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">User acceptance testing</h1>
          <p className="max-w-3xl text-slate-700">The scenarios clinicians and analysts test before go-live, each with its latest run. A failed run opens a defect; severity 1–2 defects block go-live.</p>
        </div>
        <nav aria-label="UAT pages" className="flex flex-wrap gap-2 text-sm">
          <Link to={`${base}/defects`} className="btn-secondary">
            Defects
          </Link>
          <Link to={`${base}/signoffs`} className="btn-secondary">
            Sign-offs
          </Link>
          {canSign || canWrite ? (
            <Link to={`${base}/signoff`} className="btn-secondary">
              Request / give sign-off
            </Link>
          ) : null}
          <a href={`${base}/export`} className="btn-secondary" download>
            Export CSV
          </a>
          {canWrite ? (
            <Link to={`${base}/import`} className="btn-secondary">
              Import CSV
            </Link>
          ) : null}
        </nav>
      </div>
      <UatCounts counts={summary.counts} />
      {summary.interfaces.length > 1 ? (
        <details className="card">
          <summary className="cursor-pointer font-medium">By interface</summary>
          <ul className="mt-2 space-y-3">
            {summary.interfaces.map((i) => (
              <li key={i.interfaceId}>
                <h2 className="text-sm font-semibold">{i.name}</h2>
                <UatCounts counts={i.counts} label={`UAT of ${i.name}`} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <Filters interfaces={interfaces} filter={filter} />
      {scenarios.length ? (
        <>
          <ol className="space-y-3" aria-label="Scenarios">
            {scenarios.map((s) => (
              <li key={s.id} className="card space-y-2">
                <div className="flex flex-wrap items-baseline gap-2">
                  <span className="font-mono text-sm font-semibold text-slate-700">{s.label}</span>
                  <ResultBadge result={s.latest?.result ?? null} />
                  <span className="text-xs text-slate-700">{UAT_PRIORITIES[s.priority]} priority</span>
                  {s.openDefects ? <span className="text-xs font-semibold text-red-800">{s.openDefects} open defect{s.openDefects === 1 ? '' : 's'}</span> : null}
                </div>
                <h2 className="text-lg font-semibold">
                  <Link to={`${base}/${s.id}`} className="link" aria-label={`${s.label} ${s.title}`}>
                    {s.title}
                  </Link>
                </h2>
                <p className="text-sm text-slate-700">
                  {s.interface ?? 'The whole project'}
                  {s.latest ? ` · last run ${formatDateTime(s.latest.executedAt, org.timeZone, { dateStyle: 'medium' })} in ${UAT_ENVIRONMENTS[s.latest.environment].toLowerCase()}` : ''}
                  {s.author ? ` · written by ${s.author}` : ''}
                </p>
                <EdgeCaseTags edgeCases={s.edgeCases} />
              </li>
            ))}
          </ol>
          <Pagination page={filter.page} pageCount={pageCount} total={total} noun="scenarios" />
        </>
      ) : (
        <EmptyState title={filtered ? 'No scenario matches these filters' : 'No scenarios yet'}>
          Write what testers must try before go-live — the normal message and the awkward ones: empty values, special characters in names, unexpected codes, duplicates, a large batch.
        </EmptyState>
      )}
      {canWrite ? (
        <section className="card space-y-3" aria-labelledby="new-scenario">
          <h2 id="new-scenario" className="text-lg font-semibold">
            Write a scenario
          </h2>
          <ScenarioForm id="new-scenario-form" intent="create" label="Write a scenario" submitLabel="Save scenario" interfaces={interfaces} lastResult={actionData?.result} />
        </section>
      ) : (
        <p className="text-sm text-slate-700">Analysts, managers and clinical leads write scenarios and record runs.</p>
      )}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
