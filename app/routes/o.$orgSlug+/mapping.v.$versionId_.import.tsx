import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ApplyImportForm, FieldChanges, FileUploadField, ImportChangesTable, ImportColumnsTable, ImportCounts, ImportPreview, ImportProblems, PreviewImportButton } from '#app/components/csv-import.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { applyMappingImport, getVersionForRoundTrip, previewMappingImport, type MappingImportPlan } from '#app/models/mapping/mapping-io.server.ts'
import { getMappingVersion } from '#app/models/mapping/mapping.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { clipCell, clipChanges, readImportForm, refusedOr, uploadedFile } from '#app/utils/import-upload.server.ts'
import { MAX_UPLOAD_BYTES } from '#app/utils/csv.ts'
import {
  acceptedValues,
  CODE_COLUMNS,
  describeIssue,
  MAPPING_IMPORT_KINDS,
  MAPPING_KIND_LABELS,
  MappingImportKindSchema,
  ROW_COLUMNS,
  type MappingImportKind,
} from '#app/models/mapping/mapping-csv.ts'
import { useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Import into ${data.version.interfaceName} ${data.version.label} · Liaison` : 'Import a mapping · Liaison' },
]

/** How many planned changes the preview lists (the counts cover all of them). */
const PREVIEW_ITEMS = 200
/** A page with more errors than this would be too heavy to open; the count says how many more. */
const PREVIEW_ERRORS = 10_000

const NOUN: Record<MappingImportKind, string> = { rows: 'row', codes: 'code map', conceptmap: 'code map' }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:write' })
  const version = await getVersionForRoundTrip(scope, params.versionId ?? '')
  if (!version) notFound()
  const describe = (columns: typeof ROW_COLUMNS) => columns.map((c) => ({ name: c.name, required: c.required, optional: Boolean(c.optional), help: c.help, values: acceptedValues(c) }))
  return json({
    version: { id: version.id, label: version.label, interfaceName: version.interfaceName, frozen: version.frozen, rows: version.rows, codeMaps: version.codeMaps },
    formats: { rows: describe(ROW_COLUMNS), codes: describe(CODE_COLUMNS) },
    maxMb: MAX_UPLOAD_BYTES / 1024 / 1024,
  })
}

function summarise(batchId: string | null, plan: MappingImportPlan) {
  const changes = plan.items.filter((r) => r.action !== 'unchanged')
  return {
    batchId,
    kind: plan.kind,
    fileName: plan.fileName,
    total: plan.total,
    counts: plan.counts,
    changes: changes.slice(0, PREVIEW_ITEMS).map((r) => ({ ...r, changes: clipChanges(r.changes) })),
    changeCount: changes.length,
    errors: plan.errors.slice(0, PREVIEW_ERRORS).map((e) => ({ text: describeIssue(e), value: clipCell(e.value) })),
    errorCount: plan.errors.length,
  }
}

type ActionData = { formError?: string; kind?: MappingImportKind; preview?: ReturnType<typeof summarise> }

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:write' })
  // The version first: another organisation's is not found, whatever the form says.
  const version = await getMappingVersion(scope, params.versionId ?? '')
  if (!version) notFound()
  const versionId = version.id
  const read = await readImportForm(request)
  if ('tooLarge' in read) return json<ActionData>({ formError: read.tooLarge }, { status: 413 })
  const { form } = read
  const intent = form.get('intent')

  if (intent === 'preview') {
    const kind = MappingImportKindSchema.safeParse(form.get('kind'))
    if (!kind.success) return json<ActionData>({ formError: kind.error.issues[0]!.message }, { status: 400 })
    const file = uploadedFile(form)
    if (!file) {
      return json<ActionData>({ kind: kind.data, formError: `Choose a ${kind.data === 'conceptmap' ? 'JSON' : 'CSV'} file to upload.` }, { status: 400 })
    }
    const content = new Uint8Array(await file.arrayBuffer())
    const previewed = await refusedOr(() => previewMappingImport(scope, { versionId, kind: kind.data, fileName: file.name, content }))
    if ('refused' in previewed) return json<ActionData>({ kind: kind.data, formError: previewed.refused }, { status: previewed.status })
    const result = previewed.value
    if (!result) notFound()
    return json<ActionData>({ kind: kind.data, preview: summarise(result.batchId, result.plan) }, { status: result.plan.errors.length ? 422 : 200 })
  }

  if (intent === 'apply') {
    const batchId = form.get('batchId')
    if (typeof batchId !== 'string' || !batchId) return json<ActionData>({ formError: 'Upload a file first.' }, { status: 400 })
    const applied = await refusedOr(() => applyMappingImport(scope, { versionId, batchId }))
    if ('refused' in applied) return json<ActionData>({ formError: applied.refused }, { status: applied.status })
    const result = applied.value
    if (!result) notFound('This import does not exist, or it belongs to another version or organisation.')
    const { plan } = result
    if (result.status === 'invalid') {
      return json<ActionData>(
        {
          kind: plan.kind,
          formError: 'The mapping changed since the preview, and the file no longer fits it. Nothing was imported: correct the file and upload it again.',
          preview: summarise(null, plan),
        },
        { status: 422 },
      )
    }
    const { create, update, unchanged } = plan.counts
    const page = plan.kind === 'rows' ? '' : '/codes'
    return redirectWithToast(`/o/${scope.orgSlug}/mapping/v/${versionId}${page}`, {
      type: 'success',
      title: `Imported: ${create} created, ${update} updated, ${unchanged} unchanged`,
      description: plan.fileName,
    })
  }

  return json<ActionData>({ formError: 'Unknown action.' }, { status: 400 })
}

export default function MappingImportPage() {
  const { version, formats, maxMb } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as ActionData | undefined
  const base = `/o/${useOrg().org.slug}`
  const vbase = `${base}/mapping/v/${version.id}`
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const preview = data?.preview
  const chosen = data?.kind ?? 'rows'

  return (
    <div className="space-y-6">
      <div>
        <Link to={vbase} className="link text-sm">
          ← {version.interfaceName} {version.label}
        </Link>
        <h1 className="mt-2 text-2xl font-bold">
          Import into {version.interfaceName} {version.label}
        </h1>
        <p className="max-w-3xl text-slate-700">
          Upload mapping rows or code maps as CSV (from a spreadsheet: “Save as” → “CSV UTF-8”), or code maps as a FHIR R4 ConceptMap in JSON.
          You first see what the file would change; nothing is written until you apply it, and then either all of it is imported or none. Rows
          are matched by source and target path, code maps by local code system, local code and standard code system: a match updates, a new
          one is added, and nothing is ever deleted — so importing the same file twice is harmless.
        </p>
      </div>

      {version.frozen ? (
        <div role="alert" className="rounded-md bg-amber-50 p-4 text-amber-900 ring-1 ring-amber-300">
          <p className="font-medium">
            {version.label} is approved and frozen; start a new version to change it.
          </p>
          <p className="mt-1 text-sm">
            You can still{' '}
            <a href={`${vbase}/export?kind=rows`} className="link" download>
              export its rows
            </a>
            ,{' '}
            <a href={`${vbase}/export?kind=codes`} className="link" download>
              its code maps
            </a>{' '}
            or{' '}
            <a href={`${vbase}/export?kind=conceptmap`} className="link" download>
              its ConceptMap
            </a>
            .
          </p>
        </div>
      ) : null}

      {data?.formError ? <FormErrors errors={[data.formError]} /> : null}

      {preview ? <Preview preview={preview} busy={busy} vbase={vbase} /> : null}

      {!version.frozen ? (
        <section className="card space-y-4" aria-labelledby="upload-title">
          <h2 id="upload-title" className="text-lg font-semibold">
            Upload a file
          </h2>
          <p className="text-sm text-slate-700">
            This version has {version.rows} row{version.rows === 1 ? '' : 's'} and {version.codeMaps} code map{version.codeMaps === 1 ? '' : 's'}.
            Start from{' '}
            <a href={`${base}/mapping/template?kind=rows`} className="link" download>
              the rows template
            </a>
            ,{' '}
            <a href={`${base}/mapping/template?kind=codes`} className="link" download>
              the code maps template
            </a>
            , or an export of this version:{' '}
            <a href={`${vbase}/export?kind=rows`} className="link" download>
              rows
            </a>
            ,{' '}
            <a href={`${vbase}/export?kind=codes`} className="link" download>
              code maps
            </a>
            ,{' '}
            <a href={`${vbase}/export?kind=conceptmap`} className="link" download>
              ConceptMap
            </a>
            .
          </p>
          <Form method="post" encType="multipart/form-data" className="space-y-4">
            <fieldset>
              <legend className="label">What the file holds</legend>
              <div className="mt-1 flex flex-wrap gap-x-6 gap-y-2">
                {MAPPING_IMPORT_KINDS.map((kind) => (
                  <label key={kind} className="flex items-center gap-2 text-sm">
                    <input type="radio" name="kind" value={kind} defaultChecked={kind === chosen} required />
                    {MAPPING_KIND_LABELS[kind]}
                  </label>
                ))}
              </div>
            </fieldset>
            <FileUploadField
              id="file"
              label="File"
              accept=".csv,.json,text/csv,application/json,application/fhir+json"
              hint={`CSV: UTF-8, comma-separated, with the header row. ConceptMap: one R4 ConceptMap resource in JSON. At most ${maxMb} MB.`}
            />
            <PreviewImportButton busy={busy} />
          </Form>
        </section>
      ) : null}

      <section className="card space-y-4" aria-labelledby="format">
        <h2 id="format" className="text-lg font-semibold">
          The formats
        </h2>
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
          <li>The first row of a CSV names the columns (in any order); every column below is needed except rowSourcePath, though many cells may be empty.</li>
          <li>Choices accept the value or its label, in any case: “format date” and “format_date” are the same. Code systems are named (LOINC) or given by URI.</li>
          <li>A changed row goes back to draft and needs review again; an unchanged row keeps its review.</li>
          <li>
            Values a spreadsheet would take for a formula (starting with = + - or @) are exported with a leading apostrophe, which the import removes
            again.
          </li>
          <li>
            ConceptMap: one group per local and standard code system, one target per code. R4 equivalences Liaison does not hold are read as the
            nearest (equivalent as equal, subsumes as wider, specializes as narrower); relatedto, inexact and disjoint are refused. Conditional maps
            (dependsOn, product) and group.unmapped are refused.
          </li>
          <li>Problems are named by line (as your editor numbers them, the header being line 1) and column, or in a ConceptMap by JSON path.</li>
        </ul>
        {(['rows', 'codes'] as const).map((kind) => (
          <div key={kind} className="overflow-x-auto">
            <ImportColumnsTable caption={`${MAPPING_KIND_LABELS[kind]}: columns`} columns={formats[kind]} requiredHeading="Value required" />
          </div>
        ))}
      </section>
    </div>
  )
}

function Preview({ preview, busy, vbase }: { preview: NonNullable<ActionData['preview']>; busy: boolean; vbase: string }) {
  const { counts, errors } = preview
  const blocked = preview.errorCount > 0 || !preview.batchId
  const nothing = preview.total === 0
  return (
    <ImportPreview title={`Preview: ${preview.fileName} (${MAPPING_KIND_LABELS[preview.kind]})`}>
      <ImportCounts
        counts={[
          [preview.kind === 'rows' ? 'Rows' : 'Code maps', preview.total],
          ['To create', counts.create],
          ['To update', counts.update],
          ['Unchanged', counts.unchanged],
          ['Problems', preview.errorCount],
        ]}
      />

      <ImportProblems count={preview.errorCount} shown={errors.length}>
        <ul aria-label="Problems in the file" className="max-h-[32rem] space-y-1 overflow-auto rounded-md p-3 text-sm ring-1 ring-red-200">
          {errors.map((e, i) => (
            <li key={i}>
              {e.text}
              {e.value ? (
                <>
                  {' '}
                  <span className="text-slate-600">(value:</span> <code className="whitespace-pre-wrap break-words text-xs">{e.value}</code>
                  <span className="text-slate-600">)</span>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </ImportProblems>

      {preview.changes.length ? (
        <ImportChangesTable
          caption={preview.changeCount > preview.changes.length ? `The first ${preview.changes.length} of ${preview.changeCount.toLocaleString('en-GB')} changes` : 'Changes'}
          headings={[preview.kind === 'conceptmap' ? 'Element' : 'Line', preview.kind === 'rows' ? 'Row' : 'Code', 'Action', 'What changes']}
        >
          {preview.changes.map((r) => (
            <tr key={`${r.line}-${r.path}-${r.name}`}>
              <td className="tabular-nums">{r.line ?? <span className="font-mono text-xs">{r.path}</span>}</td>
              <td className="break-words">{r.name}</td>
              <td>{r.action === 'create' ? 'Add' : 'Update'}</td>
              <td>
                {r.action === 'create' ? (
                  <span className="text-slate-600">new {NOUN[preview.kind]}</span>
                ) : (
                  <FieldChanges changes={r.changes}>
                    {preview.kind === 'rows' ? <li className="text-xs text-slate-600">goes back to draft for review</li> : null}
                  </FieldChanges>
                )}
              </td>
            </tr>
          ))}
        </ImportChangesTable>
      ) : !preview.errorCount ? (
        <p className="text-sm text-slate-700">
          {nothing ? 'The file holds nothing to import.' : 'Everything in the file matches what is already there: applying changes nothing.'}
        </p>
      ) : null}

      <ApplyImportForm
        batchId={preview.batchId}
        disabled={blocked || nothing || busy}
        label="Apply the import"
        startOver={`${vbase}/import`}
        hint={blocked ? 'Correct the problems in the file and upload it again.' : 'Everything is written together, or nothing. The preview stays valid for an hour.'}
      />
    </ImportPreview>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
