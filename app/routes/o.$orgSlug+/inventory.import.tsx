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
import { applyImport, previewImport, type ImportPlan } from '#app/models/inventory-csv.server.ts'
import { isDomainError, notFound, statusOf } from '#app/utils/errors.server.ts'
import { acceptedValues, columnsFor, IMPORT_KINDS, ImportKindSchema, MAX_UPLOAD_BYTES, type ImportKind } from '#app/utils/inventory-csv.ts'
import { useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction = () => [{ title: 'Import systems and interfaces · Liaison' }]

/** How many planned changes the preview lists (the counts cover all of them). */
const PREVIEW_ROWS = 200
/** A page with more errors than this would be too heavy to open; the count says how many more. */
const PREVIEW_ERRORS = 10_000

const KIND_LABEL: Record<ImportKind, { title: string; noun: string }> = {
  systems: { title: 'Systems', noun: 'systems' },
  interfaces: { title: 'Interfaces', noun: 'interfaces' },
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireTenant(request, params, { can: 'inventory:write' })
  const formats = IMPORT_KINDS.map((kind) => ({
    kind,
    columns: columnsFor(kind).map((c) => ({ name: c.name, required: c.required, help: c.help, values: acceptedValues(c) })),
  }))
  return json({ formats, maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 })
}

function summarise(batchId: string | null, plan: ImportPlan) {
  const changes = plan.rows.filter((r) => r.action !== 'unchanged')
  return {
    batchId,
    kind: plan.kind,
    fileName: plan.fileName,
    total: plan.total,
    counts: plan.counts,
    changes: changes.slice(0, PREVIEW_ROWS).map((r) => ({
      ...r,
      changes: r.changes.map((c) => ({ column: c.column, from: clip(c.from), to: clip(c.to) })),
    })),
    changeCount: changes.length,
    errors: plan.errors.slice(0, PREVIEW_ERRORS).map((e) => ({ ...e, value: clip(e.value) })),
    errorCount: plan.errors.length,
  }
}

const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s)

type ActionData = { formError?: string; kind?: ImportKind; preview?: ReturnType<typeof summarise> }

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  let form: FormData
  try {
    form = (request.headers.get('content-type') ?? '').startsWith('multipart/form-data')
      ? await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }))
      : await request.formData()
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) {
      return json<ActionData>({ formError: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split it into smaller files.` }, { status: 413 })
    }
    throw e
  }
  const intent = form.get('intent')

  if (intent === 'preview') {
    const kind = ImportKindSchema.safeParse(form.get('kind'))
    if (!kind.success) return json<ActionData>({ formError: 'Choose whether the file holds systems or interfaces.' }, { status: 400 })
    const file = form.get('file')
    if (!file || typeof file === 'string' || file.size === 0) {
      return json<ActionData>({ kind: kind.data, formError: 'Choose a CSV file to upload.' }, { status: 400 })
    }
    const { batchId, plan } = await previewImport(scope, { kind: kind.data, fileName: file.name, content: new Uint8Array(await file.arrayBuffer()) })
    return json<ActionData>({ kind: kind.data, preview: summarise(batchId, plan) }, { status: plan.errors.length ? 422 : 200 })
  }

  if (intent === 'apply') {
    const batchId = form.get('batchId')
    if (typeof batchId !== 'string' || !batchId) return json<ActionData>({ formError: 'Upload a file first.' }, { status: 400 })
    let result: Awaited<ReturnType<typeof applyImport>>
    try {
      result = await applyImport(scope, batchId)
    } catch (e) {
      if (!isDomainError(e)) throw e
      return json<ActionData>({ formError: e.message }, { status: statusOf(e) })
    }
    if (!result) notFound('This import does not exist, or it belongs to another organisation.')
    const { plan } = result
    if (result.status === 'invalid') {
      return json<ActionData>(
        {
          kind: plan.kind,
          formError: 'The inventory changed since the preview, and the file no longer fits it. Nothing was imported: correct the rows below and upload the file again.',
          preview: summarise(null, plan),
        },
        { status: 422 },
      )
    }
    const { create, update, unchanged } = plan.counts
    return redirectWithToast(`/o/${scope.orgSlug}/${plan.kind}`, {
      type: 'success',
      title: `Imported: ${create} created, ${update} updated, ${unchanged} unchanged`,
      description: plan.fileName,
    })
  }

  return json<ActionData>({ formError: 'Unknown action.' }, { status: 400 })
}

export default function ImportPage() {
  const { formats, maxMb } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as ActionData | undefined
  const base = `/o/${useOrg().org.slug}`
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const preview = data?.preview

  return (
    <div className="space-y-6">
      <div>
        <Link to={`${base}/systems`} className="link text-sm">
          ← Systems
        </Link>
        <h1 className="mt-2 text-2xl font-bold">Import systems and interfaces</h1>
        <p className="max-w-3xl text-slate-700">
          Upload a CSV file (from a spreadsheet: “Save as” → “CSV UTF-8”). You first see what it would change; nothing is written until you
          apply it, and then either every row is imported or none is. Rows are matched to what exists by name, without regard to case: a
          matching row updates, a new name adds, an identical row changes nothing — so importing the same file twice is harmless.
        </p>
      </div>

      {data?.formError ? <FormErrors errors={[data.formError]} /> : null}

      {preview ? <Preview preview={preview} busy={busy} base={base} /> : null}

      <div className="grid gap-6 lg:grid-cols-2">
        {formats.map(({ kind }) => (
          <section key={kind} className="card space-y-4" aria-labelledby={`upload-${kind}`}>
            <h2 id={`upload-${kind}`} className="text-lg font-semibold">
              {KIND_LABEL[kind].title}
            </h2>
            <p className="text-sm text-slate-700">
              {kind === 'interfaces'
                ? 'Interfaces name their source and target systems, which must already exist: import systems first.'
                : 'One row per system. Owners are named by the email of a member of this organisation.'}{' '}
              <a href={`${base}/inventory/template?kind=${kind}`} className="link" download>
                Download the {KIND_LABEL[kind].noun} template
              </a>{' '}
              or{' '}
              <a href={`${base}/inventory/export?kind=${kind}`} className="link" download>
                export the current {KIND_LABEL[kind].noun}
              </a>{' '}
              to edit.
            </p>
            <Form method="post" encType="multipart/form-data" className="space-y-3">
              <input type="hidden" name="kind" value={kind} />
              <div>
                <label htmlFor={`file-${kind}`} className="label">
                  {KIND_LABEL[kind].title} CSV file
                </label>
                <p id={`file-${kind}-hint`} className="text-xs text-slate-600">
                  UTF-8, comma-separated, with the header row; at most {maxMb} MB.
                </p>
                <input
                  id={`file-${kind}`}
                  name="file"
                  type="file"
                  accept=".csv,text/csv"
                  required
                  aria-describedby={`file-${kind}-hint`}
                  className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium"
                />
              </div>
              <button type="submit" name="intent" value="preview" className="btn-primary" disabled={busy}>
                Preview the import
              </button>
            </Form>
          </section>
        ))}
      </div>

      <section className="card space-y-4" aria-labelledby="format">
        <h2 id="format" className="text-lg font-semibold">
          The format
        </h2>
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
          <li>The first row names the columns (in any order); every column below is needed, though most cells may be empty.</li>
          <li>Choices accept the value or its label, in any case: “lis” and “Laboratory (LIS)” are the same. Exports write the values.</li>
          <li>Lists (units, HL7 v2 versions, message types) separate their items with “;”.</li>
          <li>
            Values that a spreadsheet would take for a formula (starting with = + - or @) are exported with a leading apostrophe, which the
            import removes again.
          </li>
          <li>Problems are reported by line (as your editor numbers them, the header being line 1) and column.</li>
        </ul>
        {formats.map(({ kind, columns }) => (
          <div key={kind} className="overflow-x-auto">
            <table className="table">
              <caption className="py-2 text-left font-semibold">{KIND_LABEL[kind].title} columns</caption>
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
                    <td>
                      {c.help}
                      {c.values ? <span className="block text-xs text-slate-600">Values: {c.values}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </section>
    </div>
  )
}

function Preview({ preview, busy, base }: { preview: NonNullable<ActionData['preview']>; busy: boolean; base: string }) {
  const { counts, errors } = preview
  const blocked = preview.errorCount > 0 || !preview.batchId
  const nothing = preview.total === 0
  return (
    <section className="card space-y-4" aria-labelledby="preview-title">
      <h2 id="preview-title" className="text-lg font-semibold">
        Preview: {preview.fileName} ({KIND_LABEL[preview.kind].noun})
      </h2>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-5">
        {[
          ['Rows', preview.total],
          ['To create', counts.create],
          ['To update', counts.update],
          ['Unchanged', counts.unchanged],
          ['Problems', preview.errorCount],
        ].map(([label, n]) => (
          <div key={label} className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
            <dt className="text-slate-600">{label}</dt>
            <dd className="text-xl font-semibold">{n}</dd>
          </div>
        ))}
      </dl>

      {preview.errorCount ? (
        <div role="alert" className="space-y-2">
          <p className="font-medium text-red-800">
            {preview.errorCount === 1 ? 'One problem' : `${preview.errorCount.toLocaleString('en-GB')} problems`} must be corrected before
            anything can be imported. Nothing has been written.
          </p>
          <div className="max-h-[32rem] overflow-auto rounded-md ring-1 ring-red-200">
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
                {errors.map((e, i) => (
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
          {preview.errorCount > errors.length ? (
            <p className="text-sm text-slate-700">
              Showing the first {errors.length.toLocaleString('en-GB')} problems of {preview.errorCount.toLocaleString('en-GB')}.
            </p>
          ) : null}
        </div>
      ) : null}

      {preview.changes.length ? (
        <div className="max-h-[32rem] overflow-auto rounded-md ring-1 ring-slate-200">
          <table className="table">
            <caption className="py-2 text-left font-semibold">
              {preview.changeCount > preview.changes.length
                ? `The first ${preview.changes.length} of ${preview.changeCount.toLocaleString('en-GB')} changes`
                : 'Changes'}
            </caption>
            <thead className="sticky top-0 bg-slate-50">
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Name</th>
                <th scope="col">Action</th>
                <th scope="col">What changes</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {preview.changes.map((r) => (
                <tr key={r.line}>
                  <td className="tabular-nums">{r.line}</td>
                  <td className="break-words">{r.name}</td>
                  <td>{r.action === 'create' ? 'Add' : 'Update'}</td>
                  <td>
                    {r.action === 'create' ? (
                      <span className="text-slate-600">new {preview.kind === 'systems' ? 'system' : 'interface'}</span>
                    ) : (
                      <ul>
                        {r.changes.map((c) => (
                          <li key={c.column}>
                            <span className="font-mono text-xs">{c.column}</span>: <del className="text-slate-600">{c.from || '(empty)'}</del> →{' '}
                            <ins className="no-underline">{c.to || '(empty)'}</ins>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : !preview.errorCount ? (
        <p className="text-sm text-slate-700">
          {nothing ? 'The file has a header but no rows: there is nothing to import.' : 'Every row matches what is already there: applying changes nothing.'}
        </p>
      ) : null}

      <Form method="post" className="flex flex-wrap items-center gap-3">
        <input type="hidden" name="batchId" value={preview.batchId ?? ''} />
        <button type="submit" name="intent" value="apply" className="btn-primary" disabled={blocked || nothing || busy} aria-describedby="apply-hint">
          Apply the import
        </button>
        <Link to={`${base}/inventory/import`} className="btn-secondary">
          Start over
        </Link>
        <p id="apply-hint" className="text-sm text-slate-600">
          {blocked
            ? 'Correct the problems in the file and upload it again.'
            : 'All rows are written together, or none. The preview stays valid for an hour.'}
        </p>
      </Form>
    </section>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
