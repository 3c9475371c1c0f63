import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ApplyImportForm, CsvProblemsTable, FileUploadField, ImportChangesTable, ImportColumnsTable, ImportCounts, ImportPreview, ImportProblems, PreviewImportButton } from '#app/components/csv-import.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { applyScenarioImport, previewScenarioImport, type UatImportPlan } from '#app/models/uat/scenario-io.server.ts'
import { getUatProject } from '#app/models/uat/scenarios.server.ts'
import { UAT_COLUMNS, uatTemplateCsv } from '#app/models/uat/uat-csv.ts'
import { MAX_UPLOAD_BYTES } from '#app/utils/csv.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { clipCell, readImportForm, refusedOr, uploadedFile } from '#app/utils/import-upload.server.ts'
import { useOrg } from '#app/utils/org.ts'
import { can } from '#app/utils/permissions.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Import UAT scenarios · ${data?.project.name ?? 'Project'} · Liaison` }]

const PREVIEW_ROWS = 300
const PREVIEW_ERRORS = 5_000

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const project = await getUatProject(scope, { projectId: params.projectId ?? '' })
  if (!project) notFound('No such project in this organisation.')
  return json({
    project: { id: project.id, name: project.name },
    canWrite: can(scope.role, 'uat:write'),
    columns: UAT_COLUMNS.map((c) => ({ name: c.name, help: c.help, required: !('optional' in c) })),
    template: uatTemplateCsv(),
    maxMb: MAX_UPLOAD_BYTES / 1024 / 1024,
  })
}

function summarise(batchId: string | null, plan: UatImportPlan) {
  return {
    batchId,
    fileName: plan.fileName,
    total: plan.total,
    counts: plan.counts,
    changes: plan.changes.slice(0, PREVIEW_ROWS).map((c) => ({ ...c, title: clipCell(c.title) })),
    changeCount: plan.changes.length,
    errors: plan.errors.slice(0, PREVIEW_ERRORS).map((e) => ({ ...e, value: clipCell(e.value) })),
    errorCount: plan.errors.length,
  }
}

type ActionData = { formError?: string; preview?: ReturnType<typeof summarise> }

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'uat:write' })
  const projectId = params.projectId ?? ''
  const read = await readImportForm(request)
  if ('tooLarge' in read) return json<ActionData>({ formError: read.tooLarge }, { status: 413 })
  const { form } = read
  const intent = form.get('intent')
  if (intent === 'preview') {
    const file = uploadedFile(form)
    if (!file) return json<ActionData>({ formError: 'Choose a CSV file to upload.' }, { status: 400 })
    const previewed = await previewScenarioImport(scope, { projectId, fileName: file.name, content: new Uint8Array(await file.arrayBuffer()) })
    if (!previewed) notFound('No such project in this organisation.')
    return json<ActionData>({ preview: summarise(previewed.batchId, previewed.plan) }, { status: previewed.plan.errors.length ? 422 : 200 })
  }
  if (intent === 'apply') {
    const batchId = form.get('batchId')
    if (typeof batchId !== 'string' || !batchId) return json<ActionData>({ formError: 'Upload a file first.' }, { status: 400 })
    const applied = await refusedOr(() => applyScenarioImport(scope, { projectId, batchId }))
    if ('refused' in applied) {
      if (applied.status === 403) throw new Response(applied.refused, { status: 403, statusText: 'Forbidden' })
      return json<ActionData>({ formError: applied.refused }, { status: applied.status })
    }
    const result = applied.value
    if (!result) notFound('This UAT import does not exist.')
    if (result.status === 'invalid') {
      return json<ActionData>(
        { formError: 'The scenarios changed since the preview and the file no longer fits. Nothing was imported: correct the lines below and upload again.', preview: summarise(null, result.plan) },
        { status: 422 },
      )
    }
    const { added, updated } = result.plan.counts
    return redirectWithToast(`/o/${scope.orgSlug}/projects/${projectId}/uat`, { type: 'success', title: `Scenarios imported: ${added} added, ${updated} updated` })
  }
  return json<ActionData>({ formError: 'Unknown action.' }, { status: 400 })
}

export default function UatImportPage() {
  const { project: p, canWrite, columns, template, maxMb } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state !== 'idle'
  const { org } = useOrg()
  const preview = data?.preview
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <Link to={`/o/${org.slug}/projects/${p.id}/uat`} className="link text-sm">
        ← UAT of {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div>
        <h1 className="text-2xl font-bold">Import UAT scenarios</h1>
        <p className="max-w-3xl text-slate-700">
          Upload scenarios as CSV, one row per scenario (the export’s format). A row with a number (S-4) updates that scenario; a row without one adds a new scenario.
          Scenarios the file does not name stay as they are. You see every change first; applying writes all of them or none.
        </p>
      </div>
      {!canWrite ? <p className="rounded bg-slate-50 p-3 text-sm text-slate-800 ring-1 ring-slate-200">Only analysts, managers and clinical leads import scenarios.</p> : null}
      {data?.formError ? <FormErrors errors={[data.formError]} /> : null}
      {preview ? (
        <ImportPreview title={`Preview: ${preview.fileName}`}>
          <ImportCounts
            counts={[
              ['Rows', preview.total],
              ['To add', preview.counts.added],
              ['To update', preview.counts.updated],
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
              headings={['Line', 'Scenario', 'Title', 'Change']}
              scrollClassName="max-h-[28rem]"
            >
              {preview.changes.map((c) => (
                <tr key={c.line}>
                  <td className="tabular-nums">{c.line}</td>
                  <td>{c.label}</td>
                  <td className="break-words">{c.title}</td>
                  <td>{c.kind === 'added' ? 'added' : `changes ${c.fields.join(', ')}`}</td>
                </tr>
              ))}
            </ImportChangesTable>
          ) : null}
          <ApplyImportForm
            batchId={preview.batchId}
            disabled={preview.errorCount > 0 || !preview.batchId || preview.changeCount === 0 || busy}
            label="Apply the scenarios"
            startOver="."
            hint={preview.errorCount ? 'Correct the problems in the file and upload it again.' : preview.changeCount === 0 ? 'Nothing to change.' : 'All scenarios are written together, or none. The preview stays valid for an hour.'}
          />
        </ImportPreview>
      ) : null}
      {canWrite ? (
        <section className="card space-y-3" aria-labelledby="upload-heading">
          <h2 id="upload-heading" className="text-lg font-semibold">
            Upload
          </h2>
          <Form method="post" encType="multipart/form-data" className="space-y-3">
            <FileUploadField
              id="uat-file"
              label="Scenarios CSV file"
              accept=".csv,text/csv"
              hint={
                <>
                  UTF-8, comma-separated, with the header row; at most {maxMb} MB.{' '}
                  <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(template)}`} download="uat-template.csv" className="link">
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
        <ImportColumnsTable caption="Scenario columns" captionHidden columns={columns} />
        <p className="mt-2 text-sm text-slate-700">
          Problems are reported by line (the header is line 1) and column: an unknown number or interface, a mapping row the interface does not have, a missing title, steps or
          expected result. Runs and defects are not imported: they are history, recorded on the scenario’s page.
        </p>
      </section>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
