import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { StateBadge } from '#app/components/coverage-bars.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { MappingRowForm } from '#app/components/mapping-row-form.tsx'
import { deleteMappingRow, getMappingRow, getRowHistory, listCodeMaps, reviewMappingRows, updateMappingRow, type ReviewAction } from '#app/models/mapping/mapping.server.ts'
import { actorLabel, describeAction } from '#app/models/audit/vocabulary.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { errorReply, replyWithError } from '#app/utils/forms.server.ts'
import { codeSystemLabel, MappingRowSchema } from '#app/models/mapping/mapping.ts'
import { EQUIVALENCES, REQUIREMENTS, REVIEW_STATES, TRANSFORM_TYPES } from '#app/models/mapping/vocabulary.ts'
import { formatDateTime, useCan, useOrg } from '#app/utils/org.ts'
import type { Capability } from '#app/utils/permissions.ts'
import { requireTenant, type TenantScope } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.row.sourcePath} → ${data.row.targetPath} · Liaison` : 'Mapping row · Liaison' }]

async function loadRow(scope: TenantScope, params: { versionId?: string; rowId?: string }) {
  const row = await getMappingRow(scope, params.rowId ?? '')
  if (!row || row.versionId !== params.versionId) notFound()
  return row
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:read' })
  const row = await loadRow(scope, params)
  const [history, codes] = await Promise.all([getRowHistory(scope, row), listCodeMaps(scope, { versionId: row.versionId, rowId: row.id })])
  return json({ row, history, codes, me: scope.membershipId })
}

const CAN: Record<string, Capability> = {
  save: 'mapping:write',
  delete: 'mapping:write',
  submit: 'mapping:write',
  reopen: 'mapping:write',
  approve: 'mapping:review',
  request_changes: 'mapping:review',
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const can = CAN[intent]
  if (!can) throw new Response('Bad request', { status: 400 })
  const scope = await requireTenant(request, params, { can })
  const row = await loadRow(scope, params)
  const here = `/o/${scope.orgSlug}/mapping/v/${row.versionId}`
  if (intent === 'save') {
    const submission = parseWithZod(form, { schema: MappingRowSchema })
    if (submission.status !== 'success') return json({ result: submission.reply(), error: null }, { status: 400 })
    try {
      const saved = await updateMappingRow(scope, { rowId: row.id, ...submission.value })
      if (!saved) notFound()
      return redirectWithToast(`${here}/rows/${row.id}`, {
        type: 'success',
        title: 'Row saved',
        description: saved.reviewState === 'draft' && row.reviewState !== 'draft' ? 'It is a draft again: send it for review.' : undefined,
      })
    } catch (e) {
      return replyWithError(submission, e)
    }
  }
  try {
    if (intent === 'delete') {
      await deleteMappingRow(scope, row.id)
      return redirectWithToast(here, { type: 'success', title: `${row.sourcePath} → ${row.targetPath} deleted` })
    }
    const comment = String(form.get('comment') ?? '').slice(0, 2000)
    await reviewMappingRows(scope, { versionId: row.versionId, action: intent as ReviewAction, target: { rowIds: [row.id] }, comment })
    return redirectWithToast(`${here}/rows/${row.id}`, { type: 'success', title: REVIEWED[intent as ReviewAction] })
  } catch (e) {
    return errorReply(e, (error) => ({ result: null, error }))
  }
}

const REVIEWED: Record<ReviewAction, string> = { submit: 'Sent for review', approve: 'Row approved', request_changes: 'Changes requested', reopen: 'Back to draft' }

export default function MappingRowPage() {
  const { row, history, codes, me } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const { org } = useOrg()
  const canWrite = useCan('mapping:write')
  const canReview = useCan('mapping:review')
  const busy = useNavigation().state === 'submitting'
  const vbase = `/o/${org.slug}/mapping/v/${row.versionId}`
  const draft = row.version.status === 'draft'
  const mine = row.authorId === me
  const { version: _v, author: _a, reviewedBy: _r, ...defaults } = row
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <Link to={vbase} className="link text-sm">
        ← {row.version.interface.name} v{row.version.number}
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="font-mono text-2xl font-bold">
            {row.sourcePath} → {row.targetPath}
          </h1>
          <p className="text-slate-700">
            {row.sourceField} → {row.targetField} · {row.dataType} · {REQUIREMENTS[row.requirement]} · {TRANSFORM_TYPES[row.transformType]}
          </p>
        </div>
        <StateBadge state={row.reviewState} label={REVIEW_STATES[row.reviewState]} />
      </div>
      <FormErrors errors={data && 'error' in data && data.error ? [data.error] : null} />

      <section className="card space-y-3" aria-labelledby="review-h">
        <h2 id="review-h" className="text-lg font-semibold">
          Review
        </h2>
        <p className="text-sm text-slate-700">
          Written by {row.author ? row.author.user.name : 'a former member'}
          {mine ? ' (you)' : ''}.{' '}
          {row.reviewedBy && row.reviewedAt
            ? `${row.reviewState === 'approved' ? 'Approved' : 'Reviewed'} by ${row.reviewedBy.user.name}, ${formatDateTime(row.reviewedAt, org.timeZone)}.`
            : ''}
        </p>
        {row.reviewComment ? (
          <blockquote className="border-l-4 border-amber-400 bg-amber-50 p-2 text-sm">
            <span className="font-medium">Reviewer:</span> {row.reviewComment}
          </blockquote>
        ) : null}
        {draft ? (
          <Form method="post" className="flex flex-wrap items-end gap-2">
            {canReview && row.reviewState === 'in_review' ? (
              <div className="grow">
                <label htmlFor="comment" className="label">
                  Comment <span className="font-normal text-slate-600">(needed to request changes)</span>
                </label>
                <input id="comment" name="comment" className="input mt-1" />
              </div>
            ) : null}
            {canWrite && (row.reviewState === 'draft' || row.reviewState === 'changes_requested') ? (
              <button type="submit" name="intent" value="submit" className="btn-primary" disabled={busy}>
                Send for review
              </button>
            ) : null}
            {canReview && row.reviewState === 'in_review' ? (
              mine ? (
                <p className="text-sm text-slate-700">You wrote this row: another analyst or clinical lead approves it.</p>
              ) : (
                <>
                  <button type="submit" name="intent" value="approve" className="btn-primary" disabled={busy}>
                    Approve
                  </button>
                  <button type="submit" name="intent" value="request_changes" className="btn-secondary" disabled={busy}>
                    Request changes
                  </button>
                </>
              )
            ) : null}
            {canWrite && row.reviewState !== 'draft' ? (
              <button type="submit" name="intent" value="reopen" className="btn-secondary" disabled={busy}>
                Back to draft
              </button>
            ) : null}
          </Form>
        ) : (
          <p className="text-sm text-slate-700">v{row.version.number} is approved and frozen.</p>
        )}
      </section>

      <section className="card space-y-2" aria-labelledby="codes-h">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="codes-h" className="text-lg font-semibold">
            Code maps of this row ({codes.total})
          </h2>
          <Link to={`${vbase}/codes?row=${row.id}`} className="link text-sm">
            {draft && canWrite ? 'Add or edit code maps' : 'All code maps of this row'}
          </Link>
        </div>
        {codes.codeMaps.length ? (
          <ul className="divide-y text-sm">
            {codes.codeMaps.slice(0, 20).map((m) => (
              <li key={m.id} className="py-1">
                <span className="font-mono">{m.localCode}</span> {m.localDisplay} →{' '}
                {m.targetCode ? (
                  <>
                    {codeSystemLabel(m.targetSystem)} <span className="font-mono">{m.targetCode}</span> {m.targetDisplay} ({EQUIVALENCES[m.equivalence].split(' ')[0]})
                  </>
                ) : (
                  <span className="font-medium text-amber-900">unmapped</span>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{row.transformType === 'lookup' ? 'A lookup needs code maps: none yet.' : 'None.'}</p>
        )}
      </section>

      {draft && canWrite ? (
        <section aria-labelledby="edit-h" className="space-y-3">
          <h2 id="edit-h" className="text-lg font-semibold">
            Edit {row.reviewState !== 'draft' ? <span className="text-sm font-normal text-slate-700">(saving a change sends the row back to draft)</span> : null}
          </h2>
          <MappingRowForm lastResult={data?.result} defaults={defaults} submitLabel="Save the row" intent="save" />
          <Form
            method="post"
            onSubmit={(e) => {
              if (!confirm('Delete this row?')) e.preventDefault()
            }}
          >
            <button type="submit" name="intent" value="delete" className="btn-danger">
              Delete the row
            </button>
          </Form>
        </section>
      ) : (
        <section className="card" aria-labelledby="rules-h">
          <h2 id="rules-h" className="text-lg font-semibold">
            Rules
          </h2>
          <dl className="mt-2 grid gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
            <dt className="font-medium">Allowed values</dt>
            <dd className="whitespace-pre-wrap">{row.allowedValues ?? '—'}</dd>
            <dt className="font-medium">Usage frequency</dt>
            <dd>{row.usageFrequency ?? '—'}</dd>
            <dt className="font-medium">Transformation rule</dt>
            <dd className="whitespace-pre-wrap">{row.transformRule ?? '—'}</dd>
            <dt className="font-medium">Data-quality rule</dt>
            <dd className="whitespace-pre-wrap">{row.qualityRule ?? '—'}</dd>
            <dt className="font-medium">Notes</dt>
            <dd className="whitespace-pre-wrap">{row.notes ?? '—'}</dd>
          </dl>
        </section>
      )}

      <section className="card" aria-labelledby="history-h">
        <h2 id="history-h" className="text-lg font-semibold">
          History (all versions)
        </h2>
        <ol className="mt-2 space-y-1 text-sm">
          {history.map((h) => (
            <li key={h.id}>
              {formatDateTime(h.createdAt, org.timeZone)} · {actorLabel(h)} {describeAction(h.action)}
              {(h.metadata as { version?: string }).version ? ` (${(h.metadata as { version?: string }).version})` : ''}
              {(h.metadata as { comment?: string }).comment ? `: “${(h.metadata as { comment?: string }).comment}”` : ''}
            </li>
          ))}
        </ol>
      </section>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
