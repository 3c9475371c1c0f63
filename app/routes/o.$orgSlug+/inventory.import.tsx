import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ApplyImportForm, CsvProblemsTable, FieldChanges, FileUploadField, ImportChangesTable, ImportColumnsTable, ImportCounts, ImportPreview, ImportProblems, PreviewImportButton } from '#app/components/csv-import.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { applyImport, previewImport, type ImportPlan } from '#app/models/inventory/inventory-csv.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { clipCell, clipChanges, readImportForm, refusedOr, uploadedFile } from '#app/utils/import-upload.server.ts'
import { MAX_UPLOAD_BYTES } from '#app/utils/csv.ts'
import { acceptedValues, columnsFor, IMPORT_KINDS, ImportKindSchema, type ImportKind } from '#app/models/inventory/inventory-csv.ts'
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
      changes: clipChanges(r.changes),
    })),
    changeCount: changes.length,
    errors: plan.errors.slice(0, PREVIEW_ERRORS).map((e) => ({ ...e, value: clipCell(e.value) })),
    errorCount: plan.errors.length,
  }
}

type ActionData = { formError?: string; kind?: ImportKind; preview?: ReturnType<typeof summarise> }

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  const read = await readImportForm(request)
  if ('tooLarge' in read) return json<ActionData>({ formError: read.tooLarge }, { status: 413 })
  const { form } = read
  const intent = form.get('intent')

  if (intent === 'preview') {
    const kind = ImportKindSchema.safeParse(form.get('kind'))
    if (!kind.success) return json<ActionData>({ formError: 'Choose whether the file holds systems or interfaces.' }, { status: 400 })
    const file = uploadedFile(form)
    if (!file) return json<ActionData>({ kind: kind.data, formError: 'Choose a CSV file to upload.' }, { status: 400 })
    const { batchId, plan } = await previewImport(scope, { kind: kind.data, fileName: file.name, content: new Uint8Array(await file.arrayBuffer()) })
    return json<ActionData>({ kind: kind.data, preview: summarise(batchId, plan) }, { status: plan.errors.length ? 422 : 200 })
  }

  if (intent === 'apply') {
    const batchId = form.get('batchId')
    if (typeof batchId !== 'string' || !batchId) return json<ActionData>({ formError: 'Upload a file first.' }, { status: 400 })
    const applied = await refusedOr(() => applyImport(scope, batchId))
    if ('refused' in applied) return json<ActionData>({ formError: applied.refused }, { status: applied.status })
    const result = applied.value
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
              <FileUploadField
                id={`file-${kind}`}
                label={`${KIND_LABEL[kind].title} CSV file`}
                accept=".csv,text/csv"
                hint={`UTF-8, comma-separated, with the header row; at most ${maxMb} MB.`}
              />
              <PreviewImportButton busy={busy} />
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
            <ImportColumnsTable caption={`${KIND_LABEL[kind].title} columns`} columns={columns} />
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
    <ImportPreview title={`Preview: ${preview.fileName} (${KIND_LABEL[preview.kind].noun})`}>
      <ImportCounts
        counts={[
          ['Rows', preview.total],
          ['To create', counts.create],
          ['To update', counts.update],
          ['Unchanged', counts.unchanged],
          ['Problems', preview.errorCount],
        ]}
      />

      <ImportProblems count={preview.errorCount} shown={errors.length}>
        <CsvProblemsTable errors={errors} />
      </ImportProblems>

      {preview.changes.length ? (
        <ImportChangesTable
          caption={
            preview.changeCount > preview.changes.length
              ? `The first ${preview.changes.length} of ${preview.changeCount.toLocaleString('en-GB')} changes`
              : 'Changes'
          }
          headings={['Line', 'Name', 'Action', 'What changes']}
        >
          {preview.changes.map((r) => (
            <tr key={r.line}>
              <td className="tabular-nums">{r.line}</td>
              <td className="break-words">{r.name}</td>
              <td>{r.action === 'create' ? 'Add' : 'Update'}</td>
              <td>
                {r.action === 'create' ? (
                  <span className="text-slate-600">new {preview.kind === 'systems' ? 'system' : 'interface'}</span>
                ) : (
                  <FieldChanges changes={r.changes} />
                )}
              </td>
            </tr>
          ))}
        </ImportChangesTable>
      ) : !preview.errorCount ? (
        <p className="text-sm text-slate-700">
          {nothing ? 'The file has a header but no rows: there is nothing to import.' : 'Every row matches what is already there: applying changes nothing.'}
        </p>
      ) : null}

      <ApplyImportForm
        batchId={preview.batchId}
        disabled={blocked || nothing || busy}
        label="Apply the import"
        startOver={`${base}/inventory/import`}
        hint={
          blocked
            ? 'Correct the problems in the file and upload it again.'
            : 'All rows are written together, or none. The preview stays valid for an hour.'
        }
      />
    </ImportPreview>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
