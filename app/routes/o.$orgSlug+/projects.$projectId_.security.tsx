import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors, SelectField, TextAreaField, TextField } from '#app/components/forms.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { AttestSchema, SecurityItemSchema } from '#app/models/projects/decision-schemas.ts'
import { attestSecurityAssessment, getSecurityAssessment, startSecurityAssessment, updateSecurityItem, type SecurityAssessmentView } from '#app/models/projects/security.server.ts'
import { SECURITY_ITEM_KINDS, SECURITY_ITEM_STATUSES, type SecurityItemStatus } from '#app/models/projects/vocabulary.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { errorReply, replyWithError } from '#app/utils/forms.server.ts'
import { formatDateTime, useCan, useOrg } from '#app/utils/org.ts'
import type { Capability } from '#app/utils/permissions.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Security · ${data?.assessment.project.name ?? 'Project'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const assessment = await getSecurityAssessment(scope, { projectId: params.projectId ?? '' })
  if (!assessment) notFound('No such project in this organisation.')
  return json({ assessment })
}

/** Items are completed with `security:write` (compliance, owners, admins); only compliance attests. */
const CAN: Record<string, Capability> = { start: 'security:write', 'update-item': 'security:write', attest: 'security:attest' }

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const scope = await requireTenant(request, params, { can: CAN[intent] ?? 'security:write' })
  const projectId = params.projectId ?? ''
  const here = `/o/${scope.orgSlug}/projects/${projectId}/security`
  switch (intent) {
    case 'start':
      try {
        if (!(await startSecurityAssessment(scope, { projectId }))) notFound('No such project in this organisation.')
        return redirectWithToast(here, { type: 'success', title: 'Security risk assessment started' })
      } catch (e) {
        return errorReply(e)
      }
    case 'update-item': {
      const submission = parseWithZod(form, { schema: SecurityItemSchema })
      const itemId = String(form.get('itemId') ?? '')
      if (submission.status !== 'success') return json({ itemId, result: submission.reply() }, { status: 400 })
      try {
        if (!(await updateSecurityItem(scope, { projectId, ...submission.value }))) notFound('No such item in this project’s assessment.')
        return redirectWithToast(here, { type: 'success', title: 'Item saved' })
      } catch (e) {
        return replyWithError(submission, e, { data: { itemId } })
      }
    }
    case 'attest': {
      const submission = parseWithZod(form, { schema: AttestSchema })
      if (submission.status !== 'success') return json({ itemId: 'attest', result: submission.reply() }, { status: 400 })
      try {
        if (!(await attestSecurityAssessment(scope, { projectId, ...submission.value }))) notFound('No such assessment in this organisation.')
        return redirectWithToast(here, { type: 'success', title: 'Assessment attested' })
      } catch (e) {
        return replyWithError(submission, e, { data: { itemId: 'attest' } })
      }
    }
    default:
      return json({ error: 'Unknown action.' }, { status: 400 })
  }
}

const STATUS_CLASS: Record<SecurityItemStatus, string> = {
  open: 'bg-amber-100 text-amber-900 ring-amber-300',
  in_progress: 'bg-sky-100 text-sky-900 ring-sky-300',
  done: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  not_applicable: 'bg-slate-100 text-slate-800 ring-slate-300',
}

type ActionData = { itemId?: string; result?: SubmissionResult<string[]>; error?: string } | undefined
type Item = SecurityAssessmentView['items'][number]

export default function SecurityPage() {
  const { assessment: a } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData
  const canWrite = useCan('security:write')
  const canAttest = useCan('security:attest')
  const { org } = useOrg()
  const p = a.project
  const allComplete = a.started && a.complete === a.total
  const open = a.items.filter((i) => !i.outOfScope && (i.status === 'open' || i.status === 'in_progress'))
  return (
    <div className="space-y-6">
      <Link to={`../${p.id}`} relative="path" className="link text-sm">
        ← {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div>
        <h1 className="text-2xl font-bold">Security risk assessment</h1>
        <p className="text-slate-700">
          {a.started ? `${a.complete} of ${a.total} items done or not applicable` : 'Not started'} ·{' '}
          {a.attestedAt ? `attested by ${a.attestedBy ?? 'a former member'} on ${formatDateTime(a.attestedAt, org.timeZone)}` : 'not attested'}
        </p>
      </div>
      {actionData?.error ? <FormErrors errors={[actionData.error]} /> : null}
      {a.started && open.length ? (
        <p className="text-sm text-slate-800">
          <span className="font-medium">Still to do:</span> {open.map((i) => `${SECURITY_ITEM_KINDS[i.kind].label}${i.vendor ? ` — ${i.vendor}` : ''}`).join('; ')}
        </p>
      ) : null}
      {a.reopenedAt && !a.attestedAt ? (
        <div role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-300">
          <p className="font-semibold">Re-opened on {formatDateTime(a.reopenedAt, org.timeZone)}</p>
          <p>{a.reopenReason}</p>
          <p>The earlier attestation no longer holds: complete the open items and attest again.</p>
        </div>
      ) : null}
      {a.attestedAt ? (
        <div role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-950 ring-1 ring-emerald-300">
          <p className="font-semibold">Attested by {a.attestedBy ?? 'a former member'}</p>
          {a.attestationNote ? <p className="whitespace-pre-line">{a.attestationNote}</p> : null}
        </div>
      ) : null}
      {!a.started ? (
        <div className="card space-y-2">
          <p>This project predates its assessment. Starting it creates the checklist below, with a business associate agreement for each vendor in scope.</p>
          {canWrite ? (
            <Form method="post">
              <button type="submit" name="intent" value="start" className="btn-primary">
                Start the assessment
              </button>
            </Form>
          ) : (
            <p className="text-sm text-slate-700">Compliance, owners and admins start it.</p>
          )}
        </div>
      ) : null}
      <ol className="space-y-3" aria-label="Checklist">
        {a.items.map((item, i) => (
          <li key={item.id || `${item.kind}-${i}`} className={`card space-y-2 ${item.outOfScope ? 'opacity-80' : ''}`}>
            <ItemHeader item={item} timeZone={org.timeZone} fhirInScope={a.fhirInScope} />
            {a.started && canWrite && !item.outOfScope ? (
              <ItemForm item={item} fhirInScope={a.fhirInScope} lastResult={actionData?.itemId === item.id ? actionData.result : undefined} />
            ) : null}
          </li>
        ))}
      </ol>
      {a.started && canAttest && !a.attestedAt ? <AttestForm allComplete={allComplete} lastResult={actionData?.itemId === 'attest' ? actionData.result : undefined} /> : null}
    </div>
  )
}

function ItemHeader({ item, timeZone, fhirInScope }: { item: Item; timeZone: string; fhirInScope: boolean }) {
  const kind = SECURITY_ITEM_KINDS[item.kind]
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-semibold">
          {kind.label}
          {item.vendor ? ` — ${item.vendor}` : ''}
        </h2>
        <span className="flex gap-2">
          {item.outOfScope ? <span className="rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ring-slate-300">No longer in scope</span> : null}
          <span className={`whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ${STATUS_CLASS[item.status]}`}>{SECURITY_ITEM_STATUSES[item.status]}</span>
        </span>
      </div>
      <p className="text-sm text-slate-700">{kind.help}</p>
      {item.kind === 'baa' && item.systems.length ? <p className="text-xs text-slate-600">Systems in scope: {item.systems.join(', ')}</p> : null}
      {item.kind === 'oauth_smart' && !fhirInScope ? <p className="text-xs text-slate-600">No FHIR interface or FHIR-speaking system is in scope: this item may be marked not applicable.</p> : null}
      {item.reopenedAt && item.status === 'open' ? <p className="text-xs font-medium text-amber-900">Re-opened by a scope change on {formatDateTime(item.reopenedAt, timeZone)}</p> : null}
      {item.evidence || item.evidenceUrl ? (
        <p className="text-sm">
          <span className="font-medium">Evidence: </span>
          {item.evidence}
          {item.evidenceUrl ? (
            <>
              {' '}
              <a href={item.evidenceUrl} className="link" rel="noreferrer noopener" target="_blank">
                {item.evidenceUrl}
              </a>
            </>
          ) : null}
        </p>
      ) : null}
      {item.completedAt ? (
        <p className="text-xs text-slate-600">
          {item.status === 'done' ? 'Completed' : 'Marked not applicable'} by {item.completedBy ?? 'a former member'} on {formatDateTime(item.completedAt, timeZone)}
        </p>
      ) : null}
    </div>
  )
}

function ItemForm({ item, fhirInScope, lastResult }: { item: Item; fhirInScope: boolean; lastResult?: SubmissionResult<string[]> }) {
  const offerNotApplicable = item.kind === 'oauth_smart' && !fhirInScope && item.status === 'open' && !item.evidence
  const label = `${SECURITY_ITEM_KINDS[item.kind].label}${item.vendor ? ` — ${item.vendor}` : ''}`
  const [form, fields] = useForm({
    id: `item-${item.id}`,
    lastResult,
    constraint: getZodConstraint(SecurityItemSchema),
    defaultValue: {
      itemId: item.id,
      status: offerNotApplicable ? 'not_applicable' : item.status,
      evidence: offerNotApplicable ? 'No FHIR interface or FHIR-speaking system is in the project’s scope.' : (item.evidence ?? ''),
      evidenceUrl: item.evidenceUrl ?? '',
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SecurityItemSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <details className="rounded-md bg-slate-50 p-3" open={!!lastResult}>
      <summary className="cursor-pointer text-sm font-medium text-sky-900">Update {label}</summary>
      <Form method="post" {...getFormProps(form)} className="mt-2 space-y-3" aria-label={`Update ${label}`}>
        <input type="hidden" name="itemId" value={item.id} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField field={fields.status} label="Status" options={Object.entries(SECURITY_ITEM_STATUSES).map(([value, l]) => ({ value, label: l }))} />
          <div className="sm:col-span-2">
            <TextField field={fields.evidenceUrl} label="Evidence link" type="url" hint="An https:// link to the document, ticket or scan." placeholder="https://" />
          </div>
        </div>
        <TextAreaField field={fields.evidence} label="Evidence" hint="What shows it is done; for “Not applicable”, why it does not apply." />
        <button type="submit" name="intent" value="update-item" className="btn-primary text-sm">
          Save {label}
        </button>
      </Form>
    </details>
  )
}

function AttestForm({ allComplete, lastResult }: { allComplete: boolean; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({ id: 'attest', lastResult, constraint: getZodConstraint(AttestSchema), onValidate: ({ formData }) => parseWithZod(formData, { schema: AttestSchema }) })
  return (
    <section className="card space-y-3" aria-labelledby="attest-heading">
      <h2 id="attest-heading" className="text-lg font-semibold">
        Attest the assessment
      </h2>
      <p className="text-sm text-slate-700">
        {allComplete
          ? 'Every item in scope is done or not applicable. Your attestation records your name, the time and your note.'
          : 'Attesting needs every item in scope done or not applicable.'}
      </p>
      <Form method="post" {...getFormProps(form)} className="space-y-3" aria-label="Attest the assessment">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextAreaField field={fields.note} label="Attestation note" hint="Optional: scope of the review, residual risks accepted." />
        <button type="submit" name="intent" value="attest" className="btn-primary">
          Attest
        </button>
      </Form>
    </section>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
