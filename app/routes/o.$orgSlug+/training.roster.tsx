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
import { applyRoster, previewRoster, type RosterPlan } from '#app/models/training/roster.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { clipCell, clipChanges, readImportForm, refusedOr, uploadedFile } from '#app/utils/import-upload.server.ts'
import { MAX_UPLOAD_BYTES } from '#app/utils/csv.ts'
import { useOrg } from '#app/utils/org.ts'
import { ROSTER_COLUMNS, rosterTemplateCsv } from '#app/models/training/roster-csv.ts'
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
    rows: rows.slice(0, PREVIEW_ROWS).map((r) => ({ ...r, changes: clipChanges(r.changes) })),
    rowCount: rows.length,
    errors: plan.errors.slice(0, PREVIEW_ERRORS).map((e) => ({ ...e, value: clipCell(e.value) })),
    errorCount: plan.errors.length,
  }
}

type ActionData = { formError?: string; preview?: ReturnType<typeof summarise> }

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: CAN })
  const read = await readImportForm(request)
  if ('tooLarge' in read) return json<ActionData>({ formError: read.tooLarge }, { status: 413 })
  const { form } = read
  const intent = form.get('intent')
  if (intent === 'preview') {
    const file = uploadedFile(form)
    if (!file) return json<ActionData>({ formError: 'Choose a CSV file to upload.' }, { status: 400 })
    const { batchId, plan } = await previewRoster(scope, { fileName: file.name, content: new Uint8Array(await file.arrayBuffer()) })
    return json<ActionData>({ preview: summarise(batchId, plan) }, { status: plan.errors.length ? 422 : 200 })
  }
  if (intent === 'apply') {
    const batchId = form.get('batchId')
    if (typeof batchId !== 'string' || !batchId) return json<ActionData>({ formError: 'Upload a file first.' }, { status: 400 })
    const inviterName = (await requireUser(request)).name
    const applied = await refusedOr(() => applyRoster(scope, { batchId, inviterName }))
    if ('refused' in applied) return json<ActionData>({ formError: applied.refused }, { status: applied.status })
    const result = applied.value
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
          <FileUploadField
            id="roster-file"
            label="Roster CSV file"
            accept=".csv,text/csv"
            hint={
              <>
                UTF-8, comma-separated, with the header row; at most {maxMb} MB.{' '}
                <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(template)}`} download="roster-template.csv" className="link">
                  Download a template
                </a>
              </>
            }
          />
          <PreviewImportButton busy={busy} />
        </Form>
      </section>
      <section className="card overflow-x-auto" aria-labelledby="format-heading">
        <h2 id="format-heading" className="text-lg font-semibold">
          The format
        </h2>
        <ImportColumnsTable caption="Roster columns" captionHidden columns={columns} />
        <p className="mt-2 text-sm text-slate-700">Every column must be in the header (cells may be empty). Problems are reported by line (the header is line 1) and column.</p>
      </section>
    </div>
  )
}

function Preview({ preview, busy, base }: { preview: NonNullable<ActionData['preview']>; busy: boolean; base: string }) {
  const blocked = preview.errorCount > 0 || !preview.batchId
  const nothing = preview.counts.invite + preview.counts.update === 0
  return (
    <ImportPreview title={`Preview: ${preview.fileName}`}>
      <ImportCounts
        counts={[
          ['Rows', preview.total],
          ['To invite', preview.counts.invite],
          ['To update', preview.counts.update],
          ['Unchanged', preview.counts.unchanged + preview.counts.pending],
          ['Skipped', preview.counts.skipped],
          ['Problems', preview.errorCount],
        ]}
      />
      <ImportProblems count={preview.errorCount} shown={preview.errors.length}>
        <CsvProblemsTable errors={preview.errors} scrollClassName="max-h-[28rem]" />
      </ImportProblems>
      {preview.rows.length ? (
        <ImportChangesTable
          caption={preview.rowCount > preview.rows.length ? `The first ${preview.rows.length} of ${preview.rowCount} rows that do something` : 'What the import does'}
          headings={['Line', 'Person', 'Action', 'Details']}
          scrollClassName="max-h-[28rem]"
        >
          {preview.rows.map((r) => (
            <tr key={r.line}>
              <td className="tabular-nums">{r.line}</td>
              <td className="break-words">
                {r.name ? <span className="block">{r.name}</span> : null}
                <span className="text-xs text-slate-700">{r.email}</span>
              </td>
              <td>{ACTION_LABEL[r.action]}</td>
              <td>
                {r.changes.length ? <FieldChanges changes={r.changes} /> : null}
                {r.note ? <span className="block text-xs text-slate-700">{r.note}</span> : null}
              </td>
            </tr>
          ))}
        </ImportChangesTable>
      ) : null}
      <ApplyImportForm
        batchId={preview.batchId}
        disabled={blocked || nothing || busy}
        label="Apply the roster"
        startOver={`${base}/training/roster`}
        hint={blocked ? 'Correct the problems in the file and upload it again.' : nothing ? 'Nothing to change.' : 'All rows are written together, or none. The preview stays valid for an hour.'}
      />
    </ImportPreview>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
