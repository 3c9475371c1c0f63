import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors, TextAreaField, TextField } from '#app/components/forms.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { DecisionBadge, SignoffContentView, SignoffLinks, StaleBadge } from '#app/components/signoff-parts.tsx'
import { confirmPassword } from '#app/models/people/user.server.ts'
import { DecideSchema, RequestSignoffSchema, StepUpSchema } from '#app/models/uat/signoff-schemas.ts'
import { findSignoffSet, getSignoffPage, requestSignoff, signOff } from '#app/models/uat/signoff.server.ts'
import { STEP_UP_MINUTES } from '#app/models/uat/signoff.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { errorReply, replyWithError } from '#app/utils/forms.server.ts'
import { IdParam, parseListQuery } from '#app/utils/list.ts'
import { formatDateTime, useCan, useOrg } from '#app/utils/org.ts'
import type { Capability } from '#app/utils/permissions.ts'
import { getRequestContext } from '#app/utils/request-context.server.ts'
import { reauthenticatedAt, reauthenticatedWithin, recordReauthentication } from '#app/utils/session.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `UAT sign-off · ${data?.project.name ?? 'Project'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const query = parseListQuery(request, { interface: IdParam })
  const projectId = params.projectId ?? ''
  // An interface that is not in the project's scope (a stale bookmark) is ignored like any list filter: the project's set.
  let page = await getSignoffPage(scope, { projectId, interfaceId: query.interface })
  if (!page && query.interface) page = await getSignoffPage(scope, { projectId })
  if (!page) notFound('No such project in this organisation.')
  const interfaceId = page.read.content.set.interfaceId ?? undefined
  const stepUpAt = await reauthenticatedAt(request)
  const now = new Date()
  const steppedUp = reauthenticatedWithin(stepUpAt, STEP_UP_MINUTES, now)
  return json({
    ...page,
    interfaceId: interfaceId ?? null,
    stepUp: steppedUp && stepUpAt ? { at: stepUpAt.toISOString(), until: new Date(stepUpAt.getTime() + STEP_UP_MINUTES * 60_000).toISOString() } : null,
  })
}

/** Signing and the step-up need `uat:signoff` (clinical leads; the model checks the RACI); asking needs `uat:write`. */
const CAN: Record<string, Capability> = { 'step-up': 'uat:signoff', sign: 'uat:signoff', refuse: 'uat:signoff', request: 'uat:write' }

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const scope = await requireTenant(request, params, { can: CAN[intent] ?? 'uat:signoff' })
  const interfaceId = typeof form.get('interfaceId') === 'string' && form.get('interfaceId') ? String(form.get('interfaceId')) : undefined
  const set = await findSignoffSet(scope, { projectId: params.projectId ?? '', interfaceId })
  if (!set) notFound('No such project (or interface in its scope) in this organisation.')
  const projectId = set.project.id
  const here = `/o/${scope.orgSlug}/projects/${projectId}/uat/signoff${set.iface ? `?interface=${set.iface.id}` : ''}`
  switch (intent) {
    case 'step-up': {
      const submission = parseWithZod(form, { schema: StepUpSchema })
      if (submission.status !== 'success') return json({ intent, result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
      try {
        await confirmPassword(scope, { password: submission.value.password, purpose: 'UAT sign-off', ip: getRequestContext(request).ip })
      } catch (e) {
        return replyWithError(submission, e, { hideFields: ['password'], data: { intent } })
      }
      await recordReauthentication(request)
      return redirectWithToast(`${here}#sign`, { type: 'success', title: 'Password confirmed', description: `You may sign for the next ${STEP_UP_MINUTES} minutes.` })
    }
    case 'sign':
    case 'refuse': {
      const submission = parseWithZod(form, { schema: DecideSchema })
      if (submission.status !== 'success') return json({ intent, result: submission.reply() }, { status: 400 })
      try {
        const row = await signOff(scope, {
          projectId,
          interfaceId: set.iface?.id ?? null,
          decision: intent === 'sign' ? 'signed' : 'refused',
          refusalReason: submission.value.refusalReason ?? null,
          contentHash: submission.value.contentHash,
          stepUpAt: await reauthenticatedAt(request),
        })
        if (!row) notFound('No such project in this organisation.')
        return redirectWithToast(`/o/${scope.orgSlug}/projects/${projectId}/uat/signoffs/${row.id}`, {
          type: 'success',
          title: intent === 'sign' ? 'UAT signed off' : 'Sign-off refused',
          description: 'The record is kept as it is; the project owner is told.',
        })
      } catch (e) {
        return replyWithError(submission, e, { data: { intent } })
      }
    }
    case 'request': {
      const submission = parseWithZod(form, { schema: RequestSignoffSchema })
      if (submission.status !== 'success') return json({ intent, error: 'Choose a set of scenarios.' }, { status: 400 })
      try {
        const asked = await requestSignoff(scope, { projectId, interfaceId: set.iface?.id ?? null })
        if (!asked) notFound('No such project in this organisation.')
        return redirectWithToast(here, { type: 'success', title: 'Sign-off requested', description: `Asked ${asked.asked.join(', ')} in their inbox.` })
      } catch (e) {
        return errorReply(e, (message) => ({ intent, error: message }))
      }
    }
    default:
      return json({ error: 'Unknown action.' }, { status: 400 })
  }
}

type ActionData = { intent?: string; result?: SubmissionResult<string[]>; error?: string } | undefined

function StepUpForm({ interfaceId, lastResult }: { interfaceId: string | null; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({
    id: 'step-up',
    lastResult,
    constraint: getZodConstraint(StepUpSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: StepUpSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="step-up-title" className="space-y-3">
      <h3 id="step-up-title" className="font-semibold">
        Confirm it is you
      </h3>
      <p className="text-sm text-slate-700">Signing needs your password, entered within the last {STEP_UP_MINUTES} minutes. Wrong passwords count toward the sign-in lockout.</p>
      <FormErrors errors={form.errors} id={form.errorId} />
      {interfaceId ? <input type="hidden" name="interfaceId" value={interfaceId} /> : null}
      <div className="max-w-sm">
        <TextField field={fields.password} label="Your password" type="password" autoComplete="current-password" />
      </div>
      <button type="submit" name="intent" value="step-up" className="btn-primary">
        Confirm password
      </button>
    </Form>
  )
}

function DecideForm({ interfaceId, contentHash, statement, lastResult }: { interfaceId: string | null; contentHash: string; statement: string; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({
    id: 'decide',
    lastResult,
    constraint: getZodConstraint(DecideSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DecideSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="decide-title" className="space-y-3">
      <h3 id="decide-title" className="font-semibold">
        Your statement
      </h3>
      <blockquote className="rounded-md bg-sky-50 p-3 text-sm text-slate-900 ring-1 ring-sky-200">{statement}</blockquote>
      <FormErrors errors={form.errors} id={form.errorId} />
      {interfaceId ? <input type="hidden" name="interfaceId" value={interfaceId} /> : null}
      <input type="hidden" name="contentHash" value={contentHash} />
      <TextAreaField field={fields.refusalReason} label="Reason for refusing" hint="Needed only to refuse: what must change before you can sign." rows={3} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="intent" value="sign" className="btn-primary">
          Sign off
        </button>
        <button type="submit" name="intent" value="refuse" className="btn-secondary">
          Refuse
        </button>
      </div>
    </Form>
  )
}

export default function SignoffPage() {
  const { project, sets, read, eligibility, latest, interfaceId, stepUp } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData
  const { org } = useOrg()
  const maySign = useCan('uat:signoff')
  const mayAsk = useCan('uat:write')
  const base = `/o/${org.slug}/projects/${project.id}/uat`
  const hasScenarios = read.content.scenarios.length > 0
  return (
    <div className="space-y-6">
      <SignoffLinks current="signoff" />
      <ProjectNav projectId={project.id} name={project.name} />
      <div className="space-y-1">
        <h1 className="text-2xl font-bold">Sign off UAT</h1>
        <p className="text-sm text-slate-700">Read every scenario with its latest result and every open defect below. What you sign is kept exactly as you read it.</p>
      </div>

      <nav aria-label="Scenario sets" className="space-y-1">
        <p className="text-sm font-medium">Set to sign</p>
        <ul className="flex flex-wrap gap-2">
          {sets.map((s) => {
            const current = s.interfaceId === interfaceId
            return (
              <li key={s.interfaceId ?? 'project'}>
                <Link
                  to={s.interfaceId ? `${base}/signoff?interface=${s.interfaceId}` : `${base}/signoff`}
                  aria-current={current ? 'page' : undefined}
                  className={`inline-block rounded-md px-3 py-1.5 text-sm ring-1 ${current ? 'bg-sky-800 text-white ring-sky-800' : 'bg-white text-slate-800 ring-slate-300 hover:bg-slate-50'}`}
                >
                  {s.name} ({s.scenarioCount})
                </Link>
              </li>
            )
          })}
        </ul>
      </nav>

      <section className="card space-y-2" aria-labelledby="set-title">
        <h2 id="set-title" className="text-lg font-semibold first-letter:uppercase">
          {read.content.set.label}
        </h2>
        {latest ? (
          <p className="flex flex-wrap items-center gap-2 text-sm">
            Latest: <DecisionBadge decision={latest.decision} /> <StaleBadge stale={latest.stale} /> by {latest.signerName}, {formatDateTime(latest.signedAt, org.timeZone)} ·{' '}
            <Link to={`${base}/signoffs/${latest.id}`} className="link">
              see the record
            </Link>
          </p>
        ) : (
          <p className="text-sm text-slate-700">Not signed off yet.</p>
        )}
        {mayAsk ? (
          <Form method="post" className="flex flex-wrap items-center gap-2">
            {interfaceId ? <input type="hidden" name="interfaceId" value={interfaceId} /> : null}
            <button type="submit" name="intent" value="request" className="btn-secondary text-sm">
              Ask the clinical leads to sign
            </button>
            {actionData?.intent === 'request' && actionData.error ? <FormErrors errors={[actionData.error]} /> : null}
          </Form>
        ) : null}
      </section>

      <SignoffContentView content={read.content} timeZone={org.timeZone} />

      <section id="sign" className="card space-y-3" aria-labelledby="sign-title">
        <h2 id="sign-title" className="text-lg font-semibold">
          Sign or refuse
        </h2>
        {!maySign ? (
          <p className="text-sm text-slate-700">A clinical lead who is Responsible or Accountable for UAT in the project’s RACI signs off; you can read what they will sign.</p>
        ) : !hasScenarios ? (
          <p className="text-sm text-slate-700">There is nothing to sign in this set yet.</p>
        ) : !eligibility.may ? (
          <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-950 ring-1 ring-amber-200">{eligibility.reason}</p>
        ) : !stepUp ? (
          <>
            {(actionData?.intent === 'sign' || actionData?.intent === 'refuse') && actionData.result?.error?.[''] ? <FormErrors errors={actionData.result.error['']} /> : null}
            <StepUpForm interfaceId={interfaceId} lastResult={actionData?.intent === 'step-up' ? actionData.result : undefined} />
          </>
        ) : (
          <>
            <p className="text-sm text-slate-700">
              Password confirmed at {formatDateTime(stepUp.at, org.timeZone, { timeStyle: 'short' })}; you may sign until {formatDateTime(stepUp.until, org.timeZone, { timeStyle: 'short' })}.
            </p>
            <DecideForm
              interfaceId={interfaceId}
              contentHash={read.hash}
              statement={read.statements.signed}
              lastResult={actionData?.intent === 'sign' || actionData?.intent === 'refuse' ? actionData.result : undefined}
            />
            <p className="break-all text-xs text-slate-600">
              SHA-256 of what you read: <code>{read.hash}</code>
            </p>
          </>
        )}
      </section>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
