import {
  json,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { applyRoster, previewRoster, type RosterPlan } from '#app/models/roster.server.ts'
import { isDomainError, notFound, statusOf } from '#app/utils/errors.server.ts'
import { MAX_UPLOAD_BYTES } from '#app/utils/inventory-csv.ts'
import { useOrg } from '#app/utils/org.ts'
import { ROSTER_COLUMNS, rosterTemplateCsv } from '#app/utils/roster-csv.ts'
import { requireTenant, requireUser } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction = () => [{ title: 'Import a staff roster · Liaison' }]

// NOTE: members:invite, not training:manage: the import invites people into the organisation
// (the weightier effect) and sets function, unit and line manager — never roles. The two
// capabilities are held by the same roles today (owner, admin, manager); should they part,
// inviting is the one that must be guarded.
const CAN = 'members:invite' as const
const PREVIEW_ROWS = 300
const PREVIEW_ERRORS = 5_000
const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s)

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireTenant(request, params, { can: CAN })
  return json({ columns: ROSTER_COLUMNS.map((c) => ({ ...c })), template: rosterTemplateCsv(), maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 })
}

function summarise(batchId: string | null, plan: RosterPlan) {
  const rows = plan.rows.filter((r) => r.action !== 'unchanged')
  return {
    batchId,
    fileName: plan.fileName,
    total: plan.total,
    counts: plan.counts,
    rows: rows.slice(0, PREVIEW_ROWS).map((r) => ({ ...r, changes: r.changes.map((c) => ({ column: c.column, from: clip(c.from), to: clip(c.to) })) })),
    rowCount: rows.length,
    errors: plan.errors.slice(0, PREVIEW_ERRORS).map((e) => ({ ...e, value: clip(e.value) })),
    errorCount: plan.errors.length,
  }
}

type ActionData = { formError?: string; preview?: ReturnType<typeof summarise> }

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: CAN })
  let form: FormData
  try {
    form = (request.headers.get('content-type') ?? '').startsWith('multipart/form-data')
      ? await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }))
      : await request.formData()
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return json<ActionData>({ formError: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.` }, { status: 413 })
    throw e
  }
  const intent = form.get('intent')
  if (intent === 'preview') {
    const file = form.get('file')
    if (!file || typeof file === 'string' || file.size === 0) return json<ActionData>({ formError: 'Choose a CSV file to upload.' }, { status: 400 })
    const { batchId, plan } = await previewRoster(scope, { fileName: file.name, content: new Uint8Array(await file.arrayBuffer()) })
    return json<ActionData>({ preview: summarise(batchId, plan) }, { status: plan.errors.length ? 422 : 200 })
  }
  if (intent === 'apply') {
    const batchId = form.get('batchId')
    if (typeof batchId !== 'string' || !batchId) return json<ActionData>({ formError: 'Upload a file first.' }, { status: 400 })
    let result: Awaited<ReturnType<typeof applyRoster>>
    try {
      result = await applyRoster(scope, batchId, (await requireUser(request)).name)
    } catch (e) {
      if (!isDomainError(e)) throw e
      return json<ActionData>({ formError: e.message }, { status: statusOf(e) })
    }
    if (!result) notFound('This roster import does not exist.')
    if (result.status === 'invalid') {
      return json<ActionData>(
        { formError: 'The organisation changed since the preview and the file no longer fits. Nothing was imported: correct the rows below and upload again.', preview: summarise(null, result.plan) },
        { status: 422 },
      )
    }
    const { invite, update } = result.plan.counts
    return redirectWithToast(`/o/${scope.orgSlug}/members`, {
      type: 'success',
      title: `Roster imported: ${invite} invited, ${update} updated`,
      description: `Training: ${result.training.created} assigned, ${result.training.cancelled} released.`,
    })
  }
  return json<ActionData>({ formError: 'Unknown action.' }, { status: 400 })
}

const ACTION_LABEL = { invite: 'Invite', update: 'Update', unchanged: 'Unchanged', pending: 'Already invited', skipped: 'Skipped' } as const

export default function RosterPage() {
  const { columns, template, maxMb } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as ActionData | undefined
  const base = `/o/${useOrg().org.slug}`
  const busy = useNavigation().state !== 'idle'
  const preview = data?.preview
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div>
        <Link to={`${base}/training`} className="link text-sm">
          ← Training
        </Link>
        <h1 className="mt-2 text-2xl font-bold">Import a staff roster</h1>
        <p className="max-w-3xl text-slate-700">
          Upload HR’s list of people as CSV. Members are matched by email and get their function, unit and line manager updated; anyone who is
          not a member yet is invited by email. You see every change first; applying writes all rows or none, then assigns the training
          their rules call for.
        </p>
      </div>
      {data?.formError ? <FormErrors errors={[data.formError]} /> : null}
      {preview ? <Preview preview={preview} busy={busy} base={base} /> : null}
      <section className="card space-y-3" aria-labelledby="upload-heading">
        <h2 id="upload-heading" className="text-lg font-semibold">
          Upload
        </h2>
        <Form method="post" encType="multipart/form-data" className="space-y-3">
          <div>
            <label htmlFor="roster-file" className="label">
              Roster CSV file
            </label>
            <p id="roster-file-hint" className="text-xs text-slate-600">
              UTF-8, comma-separated, with the header row; at most {maxMb} MB.{' '}
              <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(template)}`} download="roster-template.csv" className="link">
                Download a template
              </a>
            </p>
            <input
              id="roster-file"
              name="file"
              type="file"
              accept=".csv,text/csv"
              required
              aria-describedby="roster-file-hint"
              className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium"
            />
          </div>
          <button type="submit" name="intent" value="preview" className="btn-primary" disabled={busy}>
            Preview the import
          </button>
        </Form>
      </section>
      <section className="card overflow-x-auto" aria-labelledby="format-heading">
        <h2 id="format-heading" className="text-lg font-semibold">
          The format
        </h2>
        <table className="table">
          <caption className="sr-only">Roster columns</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Required</th>
              <th scope="col">What to write</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {columns.map((c) => (
              <tr key={c.name}>
                <th scope="row" className="font-mono text-xs">
                  {c.name}
                </th>
                <td>{c.required ? 'yes' : 'no'}</td>
                <td>{c.help}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-2 text-sm text-slate-700">Every column must be in the header (cells may be empty). Problems are reported by line (the header is line 1) and column.</p>
      </section>
    </div>
  )
}

function Preview({ preview, busy, base }: { preview: NonNullable<ActionData['preview']>; busy: boolean; base: string }) {
  const blocked = preview.errorCount > 0 || !preview.batchId
  const nothing = preview.counts.invite + preview.counts.update === 0
  return (
    <section className="card space-y-4" aria-labelledby="preview-title">
      <h2 id="preview-title" className="text-lg font-semibold">
        Preview: {preview.fileName}
      </h2>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-6">
        {(
          [
            ['Rows', preview.total],
            ['To invite', preview.counts.invite],
            ['To update', preview.counts.update],
            ['Unchanged', preview.counts.unchanged + preview.counts.pending],
            ['Skipped', preview.counts.skipped],
            ['Problems', preview.errorCount],
          ] as const
        ).map(([label, n]) => (
          <div key={label} className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
            <dt className="text-slate-600">{label}</dt>
            <dd className="text-xl font-semibold">{n}</dd>
          </div>
        ))}
      </dl>
      {preview.errorCount ? (
        <div role="alert" className="space-y-2">
          <p className="font-medium text-red-800">
            {preview.errorCount === 1 ? 'One problem' : `${preview.errorCount} problems`} must be corrected before anything can be imported. Nothing has been written.
          </p>
          <div className="max-h-[28rem] overflow-auto rounded-md ring-1 ring-red-200">
            <table className="table">
              <caption className="sr-only">Problems in the file, by line and column</caption>
              <thead className="sticky top-0 bg-red-50">
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Column</th>
                  <th scope="col">Value</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {preview.errors.map((e, i) => (
                  <tr key={i}>
                    <td className="tabular-nums">{e.line ?? '—'}</td>
                    <td>
                      {e.column ? <span className="font-mono text-xs">{e.column}</span> : null}
                      {e.columnNumber ? <span className="block text-xs text-slate-600">column {e.columnNumber}</span> : null}
                      {!e.column && !e.columnNumber ? '—' : null}
                    </td>
                    <td className="max-w-xs whitespace-pre-wrap break-words font-mono text-xs">{e.value}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
      {preview.rows.length ? (
        <div className="max-h-[28rem] overflow-auto rounded-md ring-1 ring-slate-200">
          <table className="table">
            <caption className="py-2 text-left font-semibold">
              {preview.rowCount > preview.rows.length ? `The first ${preview.rows.length} of ${preview.rowCount} rows that do something` : 'What the import does'}
            </caption>
            <thead className="sticky top-0 bg-slate-50">
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Person</th>
                <th scope="col">Action</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {preview.rows.map((r) => (
                <tr key={r.line}>
                  <td className="tabular-nums">{r.line}</td>
                  <td className="break-words">
                    {r.name ? <span className="block">{r.name}</span> : null}
                    <span className="text-xs text-slate-700">{r.email}</span>
                  </td>
                  <td>{ACTION_LABEL[r.action]}</td>
                  <td>
                    {r.changes.length ? (
                      <ul>
                        {r.changes.map((c) => (
                          <li key={c.column}>
                            <span className="font-mono text-xs">{c.column}</span>: <del className="text-slate-600">{c.from || '(empty)'}</del> →{' '}
                            <ins className="no-underline">{c.to || '(empty)'}</ins>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    {r.note ? <span className="block text-xs text-slate-700">{r.note}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Form method="post" className="flex flex-wrap items-center gap-3">
        <input type="hidden" name="batchId" value={preview.batchId ?? ''} />
        <button type="submit" name="intent" value="apply" className="btn-primary" disabled={blocked || nothing || busy} aria-describedby="apply-hint">
          Apply the roster
        </button>
        <Link to={`${base}/training/roster`} className="btn-secondary">
          Start over
        </Link>
        <p id="apply-hint" className="text-sm text-slate-600">
          {blocked ? 'Correct the problems in the file and upload it again.' : nothing ? 'Nothing to change.' : 'All rows are written together, or none. The preview stays valid for an hour.'}
        </p>
      </Form>
    </section>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
