import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { useState } from 'react'
import { z } from 'zod'
import { CoverageBars, StateBadge } from '#app/components/coverage-bars.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState, FormErrors } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import {
  approveMappingVersion,
  getMappingVersion,
  getVersionCoverage,
  listMappingRows,
  REVIEW_ACTIONS,
  reviewMappingRows,
  type ReviewAction,
} from '#app/models/mapping/mapping.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { REQUIREMENTS, REVIEW_STATES, TRANSFORM_TYPES, type ReviewState } from '#app/models/mapping/vocabulary.ts'
import { formatDateTime, useCan, useOrg } from '#app/utils/org.ts'
import type { Capability } from '#app/utils/permissions.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { oneOf, parseListQuery, SearchParam } from '#app/utils/list.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import { errorReply } from '#app/utils/forms.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.version.interface.name} v${data.version.number} · Mapping · Liaison` : 'Mapping · Liaison' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:read' })
  const version = await getMappingVersion(scope, params.versionId ?? '')
  if (!version) notFound()
  const query = parseListQuery(request, {
    state: oneOf(Object.keys(REVIEW_STATES) as [ReviewState, ...ReviewState[]]),
    requirement: oneOf(Object.keys(REQUIREMENTS) as [string, ...string[]]),
    q: SearchParam,
  })
  const [list, coverage] = await Promise.all([
    listMappingRows(scope, { versionId: version.id, ...query }),
    getVersionCoverage(scope, version.id),
  ])
  return json({ version, ...list, coverage, me: scope.membershipId })
}

/** Approving and requesting changes are a reviewer's; submitting and reopening an author's. */
const CAN: Record<ReviewAction | 'approve-version', Capability> = {
  submit: 'mapping:write',
  reopen: 'mapping:write',
  approve: 'mapping:review',
  request_changes: 'mapping:review',
  'approve-version': 'mapping:review',
}

const ReviewSchema = z.object({
  intent: z.enum(REVIEW_ACTIONS),
  scope: z.enum(['selected', 'all']).default('selected'),
  rowId: z.array(z.string().max(40)).max(5000).default([]),
  comment: z.string().max(2000).optional(),
})

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const can = CAN[intent as keyof typeof CAN]
  if (!can) throw new Response('Bad request', { status: 400 })
  const scope = await requireTenant(request, params, { can })
  const versionId = params.versionId ?? ''
  try {
    if (intent === 'approve-version') {
      const version = await approveMappingVersion(scope, versionId)
      if (!version) notFound()
      return redirectWithToast(`/o/${scope.orgSlug}/mapping/v/${version.id}`, {
        type: 'success',
        title: `v${version.number} approved`,
        description: 'It is frozen now; the next change starts a new version.',
      })
    }
    const parsed = ReviewSchema.safeParse({ ...Object.fromEntries(form), rowId: form.getAll('rowId') })
    if (!parsed.success) throw new Response('Bad request', { status: 400 })
    const v = parsed.data
    if (v.scope === 'selected' && !v.rowId.length) return json({ error: 'Select the rows first.' }, { status: 400 })
    const result = await reviewMappingRows(scope, { versionId, action: v.intent, target: v.scope === 'all' ? { all: true } : { rowIds: v.rowId }, comment: v.comment })
    if (!result) notFound()
    const skipped = [
      result.skippedOwn ? `${result.skippedOwn} of your own (another reviewer must approve them)` : '',
      result.skippedState ? `${result.skippedState} not in a state that allows it` : '',
    ].filter(Boolean)
    return redirectWithToast(request.url, {
      type: result.changed ? 'success' : 'info',
      title: `${result.changed} row${result.changed === 1 ? '' : 's'} ${PAST[v.intent]}`,
      description: skipped.length ? `Skipped ${skipped.join(' and ')}.` : undefined,
    })
  } catch (e) {
    return errorReply(e)
  }
}

const PAST: Record<ReviewAction, string> = { submit: 'sent for review', approve: 'approved', request_changes: 'sent back for changes', reopen: 'reopened' }

export default function MappingMatrixPage() {
  const { version, rows, total, page, pageCount, stateCounts, coverage, me } = useLoaderData<typeof loader>()
  const error = useActionData<typeof action>()?.error
  const { org } = useOrg()
  const [sp] = useSearchParams()
  const canWrite = useCan('mapping:write')
  const canReview = useCan('mapping:review')
  const busy = useNavigation().state === 'submitting'
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const base = `/o/${org.slug}`
  const vbase = `${base}/mapping/v/${version.id}`
  const draft = version.status === 'draft'
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id))
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const stateLink = (state: string | null) => {
    const next = new URLSearchParams(sp)
    next.delete('page')
    if (state) next.set('state', state)
    else next.delete('state')
    return `?${next}`
  }
  return (
    <div className="space-y-6">
      <Link to={`${base}/mapping/${version.interface.id}`} className="link text-sm">
        ← All versions of {version.interface.name}
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">
            {version.interface.name} · v{version.number}{' '}
            <span className={`text-lg ${draft ? 'text-blue-900' : 'text-emerald-800'}`}>{draft ? 'draft' : 'approved · frozen'}</span>
          </h1>
          <p className="text-slate-700">
            {version.interface.source.name} → {version.interface.target.name}
            {version.basedOn ? (
              <>
                {' '}
                · from v{version.basedOn.number} ·{' '}
                <Link to={`${vbase}/diff`} className="link">
                  what changed
                </Link>
              </>
            ) : null}
            {version.approvedAt ? ` · approved ${formatDateTime(version.approvedAt, org.timeZone)}${version.approvedBy ? ` by ${version.approvedBy.user.name}` : ''}` : ''}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link to={`${vbase}/codes`} className="btn-secondary">
            Code maps ({coverage.codeMaps})
          </Link>
          <a href={`${vbase}/export?kind=rows`} className="btn-secondary" download>
            Export rows
          </a>
          {draft && canWrite ? (
            <>
              <Link to={`${vbase}/import`} className="btn-secondary">
                Import
              </Link>
              <Link to={`${vbase}/rows/new`} className="btn-primary">
                Add a row
              </Link>
            </>
          ) : null}
        </div>
      </div>
      <FormErrors errors={error ? [error] : null} />
      <section className="card grid gap-6 md:grid-cols-[1fr_2fr]" aria-labelledby="cov-h">
        <div>
          <h2 id="cov-h" className="text-lg font-semibold">
            Coverage
          </h2>
          {draft ? (
            <p className="text-sm text-slate-700">Every row must be approved by someone other than its author before the version can be approved and frozen.</p>
          ) : (
            <p className="text-sm text-slate-700">This version is frozen. Start a new version from the interface’s mapping page to change it.</p>
          )}
          {draft && canReview ? (
            <Form method="post" className="mt-3">
              <button
                type="submit"
                name="intent"
                value="approve-version"
                className="btn-primary"
                disabled={busy || coverage.rows === 0 || coverage.approvedRows < coverage.rows}
                aria-describedby="approve-version-hint"
              >
                Approve v{version.number}
              </button>
              <p id="approve-version-hint" className="mt-1 text-xs text-slate-600">
                {coverage.rows === 0
                  ? 'Add rows first.'
                  : coverage.approvedRows < coverage.rows
                    ? `${coverage.rows - coverage.approvedRows} row(s) still to approve.`
                    : coverage.unmappedCodes
                      ? `Ready. ${coverage.unmappedCodes} local code(s) stay unmapped.`
                      : 'Ready: every row is approved.'}
              </p>
            </Form>
          ) : null}
        </div>
        <CoverageBars coverage={coverage} />
      </section>

      <nav aria-label="Filter by review state" className="flex flex-wrap gap-2 text-sm">
        <Link to={stateLink(null)} className={!sp.get('state') ? 'btn-primary' : 'btn-secondary'} aria-current={!sp.get('state') ? 'page' : undefined}>
          All ({Object.values(stateCounts).reduce((a, b) => a + (b ?? 0), 0)})
        </Link>
        {(Object.keys(REVIEW_STATES) as ReviewState[]).map((s) => (
          <Link key={s} to={stateLink(s)} className={sp.get('state') === s ? 'btn-primary' : 'btn-secondary'} aria-current={sp.get('state') === s ? 'page' : undefined}>
            {REVIEW_STATES[s]} ({stateCounts[s] ?? 0})
          </Link>
        ))}
      </nav>
      <Form method="get" className="card flex flex-wrap items-end gap-3" role="search" aria-label="Search rows">
        {sp.get('state') ? <input type="hidden" name="state" value={sp.get('state')!} /> : null}
        <div className="grow">
          <label htmlFor="q" className="label">
            Search paths and fields
          </label>
          <input id="q" name="q" type="search" defaultValue={sp.get('q') ?? ''} className="input mt-1" placeholder="PID-7, birthDate, OBX…" />
        </div>
        <div>
          <label htmlFor="requirement" className="label">
            Required?
          </label>
          <select id="requirement" name="requirement" defaultValue={sp.get('requirement') ?? ''} className="input mt-1">
            <option value="">Any</option>
            {Object.entries(REQUIREMENTS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          Search
        </button>
      </Form>

      {rows.length === 0 ? (
        <EmptyState
          title={total === 0 && !sp.toString() ? 'No rows yet' : 'No rows match'}
          action={
            draft && canWrite && !sp.toString() ? (
              <Link to={`${vbase}/rows/new`} className="btn-primary">
                Add the first row
              </Link>
            ) : undefined
          }
        >
          {!sp.toString() ? 'A row maps one source field to one target field, with its rules.' : null}
        </EmptyState>
      ) : (
        <Form
          method="post"
          className="space-y-3"
          onSubmit={(e) => {
            // Sending every approved row back to draft undoes reviews: make sure it is meant.
            const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null
            const everyRow = new FormData(e.currentTarget).get('scope') === 'all'
            if (everyRow && submitter?.value === 'reopen' && !confirm('Send every reviewed row of this version back to draft? Their approvals are lost.')) {
              e.preventDefault()
              return
            }
            setSelected(new Set())
          }}
        >
          {draft && (canWrite || canReview) ? (
            <fieldset className="card flex flex-wrap items-end gap-3" aria-describedby="bulk-hint">
              <legend className="px-1 font-semibold">Review</legend>
              <p id="bulk-hint" className="w-full text-sm text-slate-700">
                {selected.size} selected. Act on the selected rows, or on every row of this version the action applies to (e.g. approve all rows in review). Your own rows are skipped when you approve.
              </p>
              <div className="flex items-center gap-3 text-sm">
                <label className="flex items-center gap-1">
                  <input type="radio" name="scope" value="selected" defaultChecked /> selected rows
                </label>
                <label className="flex items-center gap-1">
                  <input type="radio" name="scope" value="all" /> every row it applies to
                </label>
              </div>
              {canReview ? (
                <div className="grow">
                  <label htmlFor="comment" className="label">
                    Comment for the author <span className="font-normal text-slate-600">(needed to request changes)</span>
                  </label>
                  <input id="comment" name="comment" className="input mt-1" />
                </div>
              ) : null}
              <div className="flex flex-wrap gap-2">
                {canWrite ? (
                  <button type="submit" name="intent" value="submit" className="btn-secondary" disabled={busy}>
                    Send for review
                  </button>
                ) : null}
                {canReview ? (
                  <>
                    <button type="submit" name="intent" value="approve" className="btn-primary" disabled={busy}>
                      Approve
                    </button>
                    <button type="submit" name="intent" value="request_changes" className="btn-secondary" disabled={busy}>
                      Request changes
                    </button>
                  </>
                ) : null}
                {canWrite ? (
                  <button type="submit" name="intent" value="reopen" className="btn-secondary" disabled={busy}>
                    Back to draft
                  </button>
                ) : null}
              </div>
            </fieldset>
          ) : null}
          <div className="overflow-x-auto">
            <table className="table">
              <caption className="sr-only">Mapping rows of v{version.number}</caption>
              <thead>
                <tr>
                  {draft ? (
                    <th scope="col" className="w-8">
                      <input
                        type="checkbox"
                        aria-label="Select every row on this page"
                        checked={allOnPage}
                        onChange={() => setSelected(allOnPage ? new Set() : new Set(rows.map((r) => r.id)))}
                      />
                    </th>
                  ) : null}
                  <th scope="col">Source</th>
                  <th scope="col">Target</th>
                  <th scope="col">Type · required</th>
                  <th scope="col">Transformation</th>
                  <th scope="col">Data quality</th>
                  <th scope="col">Review</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    {draft ? (
                      <td>
                        <input
                          type="checkbox"
                          name="rowId"
                          value={r.id}
                          checked={selected.has(r.id)}
                          onChange={() => toggle(r.id)}
                          aria-label={`Select ${r.sourcePath} → ${r.targetPath}`}
                        />
                      </td>
                    ) : null}
                    <td>
                      <Link to={`${vbase}/rows/${r.id}`} className="link font-mono text-sm">
                        {r.sourcePath}
                      </Link>
                      <div className="text-xs text-slate-600">{r.sourceField}</div>
                    </td>
                    <td>
                      <span className="font-mono text-sm">{r.targetPath}</span>
                      <div className="text-xs text-slate-600">{r.targetField}</div>
                    </td>
                    <td className="text-sm">
                      {r.dataType}
                      <div className={`text-xs ${r.requirement === 'required' ? 'font-semibold' : 'text-slate-600'}`}>{REQUIREMENTS[r.requirement]}</div>
                    </td>
                    <td className="text-sm">
                      {TRANSFORM_TYPES[r.transformType]}
                      {r._count.codeMaps ? <div className="text-xs text-slate-600">{r._count.codeMaps} code maps</div> : null}
                    </td>
                    <td className="max-w-xs text-sm">{r.qualityRule ?? <span className="text-slate-500">—</span>}</td>
                    <td className="text-sm">
                      <StateBadge state={r.reviewState} label={REVIEW_STATES[r.reviewState]} />
                      <div className="text-xs text-slate-600">
                        {r.reviewedBy && r.reviewedAt ? `${r.reviewedBy.user.name}, ${formatDateTime(r.reviewedAt, org.timeZone, { dateStyle: 'medium' })}` : r.author ? `by ${r.author.user.name}` : ''}
                        {r.authorId === me ? ' (yours)' : ''}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Form>
      )}
      <Pagination page={page} pageCount={pageCount} total={total} noun="rows" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
