import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ApplyImportForm, CsvProblemsTable, FileUploadField, ImportChangesTable, ImportColumnsTable, ImportCounts, ImportPreview, ImportProblems, PreviewImportButton } from '#app/components/csv-import.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { RACI_COLUMNS, raciTemplateCsv } from '#app/models/projects/raci-csv.ts'
import { applyRaciImport, getRaci, previewRaciImport, type RaciImportPlan } from '#app/models/projects/raci.server.ts'
import { MAX_UPLOAD_BYTES } from '#app/utils/csv.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { clipCell, readImportForm, refusedOr, uploadedFile } from '#app/utils/import-upload.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Import a RACI · ${data?.project.name ?? 'Project'} · Liaison` }]

const PREVIEW_ROWS = 300
const PREVIEW_ERRORS = 5_000

// Everyone reads projects; the model decides who may import (raci:write, or the project's owner).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const raci = await getRaci(scope, params.projectId ?? '')
  if (!raci) notFound('No such project in this organisation.')
  return json({
    project: { id: raci.project.id, name: raci.project.name },
    canEdit: raci.canEdit,
    columns: RACI_COLUMNS.map((c) => ({ name: c.name, help: c.help, required: !('optional' in c) })),
    template: raciTemplateCsv(),
    maxMb: MAX_UPLOAD_BYTES / 1024 / 1024,
  })
}

function summarise(batchId: string | null, plan: RaciImportPlan) {
  return {
    batchId,
    fileName: plan.fileName,
    total: plan.total,
    counts: plan.counts,
    changes: plan.changes.slice(0, PREVIEW_ROWS).map((c) => ({ ...c, activity: clipCell(c.activity) })),
    changeCount: plan.changes.length,
    errors: plan.errors.slice(0, PREVIEW_ERRORS).map((e) => ({ ...e, value: clipCell(e.value) })),
    errorCount: plan.errors.length,
  }
}

type ActionData = { formError?: string; preview?: ReturnType<typeof summarise> }

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const projectId = params.projectId ?? ''
  const read = await readImportForm(request)
  if ('tooLarge' in read) return json<ActionData>({ formError: read.tooLarge }, { status: 413 })
  const { form } = read
  const intent = form.get('intent')
  if (intent === 'preview') {
    const file = uploadedFile(form)
    if (!file) return json<ActionData>({ formError: 'Choose a CSV file to upload.' }, { status: 400 })
    const previewed = await previewRaciImport(scope, { projectId, fileName: file.name, content: new Uint8Array(await file.arrayBuffer()) })
    if (!previewed) notFound('No such project in this organisation.')
    return json<ActionData>({ preview: summarise(previewed.batchId, previewed.plan) }, { status: previewed.plan.errors.length ? 422 : 200 })
  }
  if (intent === 'apply') {
    const batchId = form.get('batchId')
    if (typeof batchId !== 'string' || !batchId) return json<ActionData>({ formError: 'Upload a file first.' }, { status: 400 })
    const applied = await refusedOr(() => applyRaciImport(scope, { projectId, batchId }))
    if ('refused' in applied) {
      // A refusal of the person (403) is the one error path's, as the guard's would be.
      if (applied.status === 403) throw new Response(applied.refused, { status: 403, statusText: 'Forbidden' })
      return json<ActionData>({ formError: applied.refused }, { status: applied.status })
    }
    const result = applied.value
    if (!result) notFound('This RACI import does not exist.')
    if (result.status === 'invalid') {
      return json<ActionData>(
        { formError: 'The RACI changed since the preview and the file no longer fits. Nothing was imported: correct the lines below and upload again.', preview: summarise(null, result.plan) },
        { status: 422 },
      )
    }
    const { set, cleared } = result.plan.counts
    return redirectWithToast(`/o/${scope.orgSlug}/projects/${projectId}/raci`, { type: 'success', title: `RACI imported: ${set} set, ${cleared} cleared` })
  }
  return json<ActionData>({ formError: 'Unknown action.' }, { status: 400 })
}

export default function RaciImportPage() {
  const { project: p, canEdit, columns, template, maxMb } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state !== 'idle'
  const preview = data?.preview
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <Link to=".." relative="path" className="link text-sm">
        ← RACI of {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div>
        <h1 className="text-2xl font-bold">Import a RACI</h1>
        <p className="max-w-3xl text-slate-700">
          Upload the matrix as CSV, one row per cell (the export’s format). Each row sets its cell, an empty letter clears it; cells the file does not name stay as
          they are. You see every change first; applying writes all of them or none.
        </p>
      </div>
      {!canEdit ? <p className="rounded bg-slate-50 p-3 text-sm text-slate-800 ring-1 ring-slate-200">Only the project’s owner and managers import into this RACI.</p> : null}
      {data?.formError ? <FormErrors errors={[data.formError]} /> : null}
      {preview ? (
        <ImportPreview title={`Preview: ${preview.fileName}`}>
          <ImportCounts
            counts={[
              ['Rows', preview.total],
              ['To set', preview.counts.set],
              ['To clear', preview.counts.cleared],
              ['Unchanged', preview.counts.unchanged],
              ['Problems', preview.errorCount],
            ]}
          />
          <ImportProblems count={preview.errorCount} shown={preview.errors.length}>
            <CsvProblemsTable errors={preview.errors} scrollClassName="max-h-[28rem]" />
          </ImportProblems>
          {preview.changes.length ? (
            <ImportChangesTable
              caption={preview.changeCount > preview.changes.length ? `The first ${preview.changes.length} of ${preview.changeCount} changes` : 'What the import changes'}
              headings={['Line', 'Activity', 'Person or function', 'Letter']}
              scrollClassName="max-h-[28rem]"
            >
              {preview.changes.map((c) => (
                <tr key={c.line}>
                  <td className="tabular-nums">{c.line}</td>
                  <td className="break-words">{c.activity}</td>
                  <td>{c.who}</td>
                  <td>
                    {c.from ?? 'none'} → {c.to ?? 'none'}
                  </td>
                </tr>
              ))}
            </ImportChangesTable>
          ) : null}
          <ApplyImportForm
            batchId={preview.batchId}
            disabled={preview.errorCount > 0 || !preview.batchId || preview.changeCount === 0 || busy}
            label="Apply the RACI"
            startOver="."
            hint={preview.errorCount ? 'Correct the problems in the file and upload it again.' : preview.changeCount === 0 ? 'Nothing to change.' : 'All cells are written together, or none. The preview stays valid for an hour.'}
          />
        </ImportPreview>
      ) : null}
      {canEdit ? (
        <section className="card space-y-3" aria-labelledby="upload-heading">
          <h2 id="upload-heading" className="text-lg font-semibold">
            Upload
          </h2>
          <Form method="post" encType="multipart/form-data" className="space-y-3">
            <FileUploadField
              id="raci-file"
              label="RACI CSV file"
              accept=".csv,text/csv"
              hint={
                <>
                  UTF-8, comma-separated, with the header row; at most {maxMb} MB.{' '}
                  <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(template)}`} download="raci-template.csv" className="link">
                    Download a template
                  </a>
                </>
              }
            />
            <PreviewImportButton busy={busy} />
          </Form>
        </section>
      ) : null}
      <section className="card overflow-x-auto" aria-labelledby="format-heading">
        <h2 id="format-heading" className="text-lg font-semibold">
          The format
        </h2>
        <ImportColumnsTable caption="RACI columns" captionHidden columns={columns} />
        <p className="mt-2 text-sm text-slate-700">Problems are reported by line (the header is line 1) and column: an unknown email or activity, a bad letter, two A’s for one activity after the import.</p>
      </section>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
