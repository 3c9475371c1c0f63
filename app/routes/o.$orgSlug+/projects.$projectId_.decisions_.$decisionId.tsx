import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { DecisionFacts, DecisionForm } from '#app/components/decision-parts.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { DecisionSchema } from '#app/models/projects/decision-schemas.ts'
import {
  acceptDecision,
  assertMayDecide,
  createDecision,
  decisionLabel,
  getDecision,
  getDecisionLog,
  rejectDecision,
  updateDecision,
} from '#app/models/projects/decisions.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { errorReply, replyWithError } from '#app/utils/forms.server.ts'
import { parseListQuery } from '#app/utils/list.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import { z } from 'zod'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.decision.label ?? 'Decision'} · ${data?.project.name ?? 'Project'} · Liaison` }]

async function load(request: Request, params: { orgSlug?: string; projectId?: string; decisionId?: string }) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const log = await getDecisionLog(scope, { projectId: params.projectId ?? '' })
  if (!log) notFound('No such project in this organisation.')
  const decision = await getDecision(scope, { projectId: log.project.id, decisionId: params.decisionId ?? '' })
  if (!decision) notFound('No such decision in this project.')
  return { scope, log, decision }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope, log, decision } = await load(request, params)
  const { supersede } = parseListQuery(request, { supersede: z.unknown().transform((v) => v === '1') })
  return json({
    project: log.project,
    decision,
    links: log.links,
    mayDecide: log.mayDecide,
    supersede: supersede && decision.status === 'accepted' && !decision.supersededBy,
    members: log.mayDecide ? await listMemberOptions(scope) : [],
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { scope, log, decision } = await load(request, params)
  const projectId = log.project.id
  await assertMayDecide(scope, { projectId })
  const base = `/o/${scope.orgSlug}/projects/${projectId}/decisions`
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const ids = { projectId, decisionId: decision.id }
  switch (intent) {
    case 'update':
    case 'supersede': {
      const submission = parseWithZod(form, { schema: DecisionSchema })
      if (submission.status !== 'success') return json({ intent, result: submission.reply() }, { status: 400 })
      try {
        if (intent === 'update') {
          if (!(await updateDecision(scope, { ...ids, ...submission.value }))) notFound('No such decision in this project.')
          return redirectWithToast(`${base}/${decision.id}`, { type: 'success', title: `${decision.label} saved` })
        }
        const created = await createDecision(scope, { projectId, supersedesId: decision.id, ...submission.value })
        if (!created) notFound('No such decision in this project.')
        return redirectWithToast(`${base}/${created.id}`, {
          type: 'success',
          title: `${decisionLabel(created)} proposed`,
          description: `Accepting it marks ${decision.label} superseded.`,
        })
      } catch (e) {
        return replyWithError(submission, e, { data: { intent } })
      }
    }
    case 'accept':
    case 'reject':
      try {
        const done = await (intent === 'accept' ? acceptDecision : rejectDecision)(scope, ids)
        if (!done) notFound('No such decision in this project.')
        return redirectWithToast(`${base}/${decision.id}`, { type: 'success', title: `${decision.label} ${intent === 'accept' ? 'accepted' : 'rejected'}` })
      } catch (e) {
        return errorReply(e)
      }
    default:
      return json({ error: 'Unknown action.' }, { status: 400 })
  }
}

export default function DecisionPage() {
  const { project: p, decision: d, links, mayDecide, supersede, members } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { intent?: string; result?: SubmissionResult<string[]>; error?: string } | undefined
  const { org } = useOrg()
  const options = { members, ...links }
  const content = {
    title: d.title,
    decision: d.decision,
    rationale: d.rationale ?? '',
    alternatives: d.alternatives ?? '',
    ownerId: d.ownerId ?? '',
    decidedOn: d.decidedOn ?? '',
    activityId: d.activityId ?? '',
    interfaceId: d.interfaceId ?? '',
  }
  const superseding = supersede || actionData?.intent === 'supersede'
  return (
    <div className="space-y-6">
      <Link to="../decisions" relative="path" className="link text-sm">
        ← Decision log of {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div>
        <h1 className="text-2xl font-bold">
          {d.label}: {d.title}
        </h1>
        <p className="text-sm text-slate-700">
          Logged {formatDateTime(d.createdAt, org.timeZone)}
          {d.acceptedAt ? ` · accepted ${formatDateTime(d.acceptedAt, org.timeZone)} by ${d.acceptedBy ?? 'a former member'}` : ''}
        </p>
      </div>
      {actionData?.error ? <FormErrors errors={[actionData.error]} /> : null}
      <section className="card">
        <DecisionFacts d={d} linkTo={(id) => `/o/${org.slug}/projects/${p.id}/decisions/${id}`}>
          {d.status === 'accepted' || d.status === 'superseded' ? (
            <p className="rounded-md bg-slate-50 p-2 text-sm text-slate-800 ring-1 ring-slate-200">
              This decision is {d.status === 'accepted' ? 'accepted' : 'superseded'} and can no longer be edited.
              {d.status === 'accepted' && !d.supersededBy ? ' To change it, supersede it with a new decision.' : ''}
            </p>
          ) : d.status === 'rejected' ? (
            <p className="rounded-md bg-slate-50 p-2 text-sm text-slate-800 ring-1 ring-slate-200">This decision was rejected; it is kept as it was.</p>
          ) : null}
          {mayDecide && d.status === 'proposed' ? (
            <Form method="post" className="flex flex-wrap gap-2">
              <button type="submit" name="intent" value="accept" className="btn-primary text-sm">
                Accept {d.label}
              </button>
              <button type="submit" name="intent" value="reject" className="btn-secondary text-sm">
                Reject {d.label}
              </button>
            </Form>
          ) : null}
          {mayDecide && d.status === 'accepted' && !d.supersededBy && !superseding ? (
            <Link to="?supersede=1" className="btn-secondary inline-block text-sm">
              Supersede {d.label}
            </Link>
          ) : null}
        </DecisionFacts>
      </section>
      {mayDecide && d.status === 'proposed' ? (
        <section className="card space-y-3" aria-labelledby="edit-decision">
          <h2 id="edit-decision" className="text-lg font-semibold">
            Edit {d.label}
          </h2>
          <p className="text-sm text-slate-700">A proposed decision may still be changed; once accepted it is kept as it is.</p>
          <DecisionForm id={`edit-${d.id}`} intent="update" submitLabel="Save decision" label={`Edit ${d.label}`} options={options} defaults={content} lastResult={actionData?.intent === 'update' ? actionData.result : undefined} />
        </section>
      ) : null}
      {mayDecide && superseding && d.status === 'accepted' ? (
        <section className="card space-y-3" aria-labelledby="supersede-decision">
          <h2 id="supersede-decision" className="text-lg font-semibold">
            Supersede {d.label}
          </h2>
          <p className="text-sm text-slate-700">This logs a new, proposed decision. {d.label} stays accepted until the new one is accepted; then it is marked superseded.</p>
          <DecisionForm id={`supersede-${d.id}`} intent="supersede" submitLabel="Propose the new decision" label={`Supersede ${d.label}`} options={options} defaults={{ ...content, decidedOn: '' }} lastResult={actionData?.intent === 'supersede' ? actionData.result : undefined} />
        </section>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
