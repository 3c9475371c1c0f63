import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { DecisionFacts, DecisionForm } from '#app/components/decision-parts.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState, FormErrors } from '#app/components/forms.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { DecisionSchema } from '#app/models/projects/decision-schemas.ts'
import { acceptDecision, assertMayDecide, createDecision, decisionLabel, getDecisionLog, rejectDecision } from '#app/models/projects/decisions.server.ts'
import { DECISION_STATUSES, type DecisionStatus } from '#app/models/projects/vocabulary.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { errorReply, replyWithError } from '#app/utils/forms.server.ts'
import { oneOf, parseListQuery } from '#app/utils/list.ts'
import { useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import type { SubmissionResult } from '@conform-to/react'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Decisions · ${data?.project.name ?? 'Project'} · Liaison` }]

const STATUS_VALUES = Object.keys(DECISION_STATUSES) as [DecisionStatus, ...DecisionStatus[]]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const { status } = parseListQuery(request, { status: oneOf(STATUS_VALUES) })
  const log = await getDecisionLog(scope, { projectId: params.projectId ?? '', status })
  if (!log) notFound('No such project in this organisation.')
  return json({ ...log, status: status ?? null, members: log.mayDecide ? await listMemberOptions(scope) : [] })
}

const DecisionIdSchema = z.object({ decisionId: z.string().trim().min(1).max(64) })

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const log = await getDecisionLog(scope, { projectId: params.projectId ?? '' })
  if (!log) notFound('No such project in this organisation.')
  const projectId = log.project.id
  // Managers, or members who are R or A on the project: anyone else gets 403 (audited) before the form is read.
  await assertMayDecide(scope, { projectId })
  const here = `/o/${scope.orgSlug}/projects/${projectId}/decisions`
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  switch (intent) {
    case 'create': {
      const submission = parseWithZod(form, { schema: DecisionSchema })
      if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
      try {
        const created = await createDecision(scope, { projectId, ...submission.value })
        if (!created) notFound('No such project in this organisation.')
        return redirectWithToast(here, { type: 'success', title: `${decisionLabel(created)} logged`, description: 'It is proposed until someone accepts it.' })
      } catch (e) {
        return replyWithError(submission, e)
      }
    }
    case 'accept':
    case 'reject': {
      const parsed = DecisionIdSchema.safeParse(Object.fromEntries(form))
      if (!parsed.success) return json({ error: 'Choose a decision.' }, { status: 400 })
      try {
        const done = await (intent === 'accept' ? acceptDecision : rejectDecision)(scope, { projectId, decisionId: parsed.data.decisionId })
        if (!done) notFound('No such decision in this project.')
        return redirectWithToast(here, { type: 'success', title: `${decisionLabel(done)} ${intent === 'accept' ? 'accepted' : 'rejected'}` })
      } catch (e) {
        return errorReply(e)
      }
    }
    default:
      return json({ error: 'Unknown action.' }, { status: 400 })
  }
}

export default function DecisionsPage() {
  const { project: p, decisions, links, mayDecide, counts, status, members } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { result?: SubmissionResult<string[]>; error?: string } | undefined
  const { org } = useOrg()
  const base = `/o/${org.slug}/projects/${p.id}/decisions`
  const total = Object.values(counts).reduce((n, c) => n + (c ?? 0), 0)
  return (
    <div className="space-y-6">
      <Link to={`../${p.id}`} relative="path" className="link text-sm">
        ← {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div>
        <h1 className="text-2xl font-bold">Decision log</h1>
        <p className="text-slate-700">
          {total} decision{total === 1 ? '' : 's'} ·{' '}
          {STATUS_VALUES.map((s) => `${counts[s] ?? 0} ${DECISION_STATUSES[s].toLowerCase()}`).join(' · ')}. An accepted decision cannot be changed: supersede it with a new one.
        </p>
      </div>
      {actionData?.error ? <FormErrors errors={[actionData.error]} /> : null}
      <Form method="get" className="flex flex-wrap items-end gap-2" aria-label="Filter decisions">
        <div>
          <label htmlFor="status-filter" className="label">
            Status
          </label>
          <select id="status-filter" name="status" defaultValue={status ?? ''} className="input mt-1">
            <option value="">Any status</option>
            {STATUS_VALUES.map((s) => (
              <option key={s} value={s}>
                {DECISION_STATUSES[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          Filter
        </button>
      </Form>
      {decisions.length ? (
        <ol className="space-y-3" aria-label="Decisions">
          {decisions.map((d) => (
            <li key={d.id} className="card">
              <h2 className="text-lg font-semibold">
                <Link to={`${base}/${d.id}`} className="link" aria-label={`${d.label} ${d.title}`}>
                  {d.title}
                </Link>
              </h2>
              <DecisionFacts d={d} linkTo={(id) => `${base}/${id}`}>
                {mayDecide && d.status === 'proposed' ? (
                  <Form method="post" className="flex flex-wrap gap-2">
                    <input type="hidden" name="decisionId" value={d.id} />
                    <button type="submit" name="intent" value="accept" className="btn-primary text-sm" aria-label={`Accept ${d.label}`}>
                      Accept
                    </button>
                    <button type="submit" name="intent" value="reject" className="btn-secondary text-sm" aria-label={`Reject ${d.label}`}>
                      Reject
                    </button>
                    <Link to={`${base}/${d.id}`} className="btn-secondary text-sm" aria-label={`Edit ${d.label}`}>
                      Edit
                    </Link>
                  </Form>
                ) : mayDecide && d.status === 'accepted' && !d.supersededBy ? (
                  <Link to={`${base}/${d.id}?supersede=1`} className="btn-secondary inline-block text-sm" aria-label={`Supersede ${d.label}`}>
                    Supersede
                  </Link>
                ) : null}
              </DecisionFacts>
            </li>
          ))}
        </ol>
      ) : (
        <EmptyState title={status ? `No ${DECISION_STATUSES[status].toLowerCase()} decisions` : 'No decisions logged yet'}>
          Log the choices that shape the project — the approach, a vendor, a data-quality rule — with why, so the next person knows.
        </EmptyState>
      )}
      {mayDecide ? (
        <section className="card space-y-3" aria-labelledby="log-decision">
          <h2 id="log-decision" className="text-lg font-semibold">
            Log a decision
          </h2>
          <DecisionForm id="new-decision" intent="create" submitLabel="Log decision" label="Log a decision" options={{ members, ...links }} lastResult={actionData?.result} />
        </section>
      ) : (
        <p className="text-sm text-slate-700">Managers and the members who are Responsible or Accountable on this project log its decisions.</p>
      )}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
