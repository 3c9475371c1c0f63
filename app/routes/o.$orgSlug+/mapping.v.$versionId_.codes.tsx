import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ErrorList, FormErrors, TextField } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import {
  createCodeMap,
  deleteCodeMap,
  getCodeMap,
  getMappingVersion,
  listCodeMaps,
  listRowOptions,
  listUnmappedCodes,
  updateCodeMap,
} from '#app/models/mapping/mapping.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { errorReply, replyWithError } from '#app/utils/forms.server.ts'
import { CODE_SYSTEMS, CodeMapSchema, codeSystemLabel, type CodeMapInput } from '#app/models/mapping/mapping.ts'
import { EQUIVALENCES, MAPPING_FIELD_LABELS } from '#app/models/mapping/vocabulary.ts'
import { useCan, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { IdParam, oneOf, parseListQuery, SearchParam } from '#app/utils/list.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Code maps · ${data.version.interface.name} v${data.version.number} · Liaison` : 'Code maps · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:read' })
  const version = await getMappingVersion(scope, params.versionId ?? '')
  if (!version) notFound()
  const query = parseListQuery(request, { q: SearchParam, unmapped: oneOf(['1']), row: IdParam, edit: IdParam })
  const editId = query.edit
  const [list, rows, unmapped, editing] = await Promise.all([
    listCodeMaps(scope, { versionId: version.id, q: query.q, unmapped: query.unmapped === '1', rowId: query.row, page: query.page }),
    listRowOptions(scope, version.id),
    listUnmappedCodes(scope, { versionId: version.id, limit: 0 }),
    editId ? getCodeMap(scope, editId) : null,
  ])
  return json({ version, ...list, rows, bySystem: unmapped.bySystem, editing: editing?.versionId === version.id ? editing : null })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:write' })
  const form = await request.formData()
  const intent = form.get('intent')
  const versionId = params.versionId ?? ''
  const back = new URL(request.url)
  back.searchParams.delete('edit')
  if (intent === 'delete') {
    const id = String(form.get('codeMapId') ?? '')
    const existing = await getCodeMap(scope, id)
    if (!existing || existing.versionId !== versionId) notFound()
    try {
      await deleteCodeMap(scope, existing.id)
    } catch (e) {
      return errorReply(e, (error) => ({ result: null, error }))
    }
    return redirectWithToast(`${back.pathname}${back.search}`, { type: 'success', title: `${existing.localCode} deleted` })
  }
  if (intent !== 'create' && intent !== 'update') throw new Response('Bad request', { status: 400 })
  const submission = parseWithZod(form, { schema: CodeMapSchema })
  if (submission.status !== 'success') return json({ result: submission.reply(), error: null }, { status: 400 })
  try {
    let saved
    if (intent === 'update') {
      const existing = await getCodeMap(scope, String(form.get('codeMapId') ?? ''))
      if (!existing || existing.versionId !== versionId) notFound()
      saved = await updateCodeMap(scope, { codeMapId: existing.id, ...submission.value })
    } else {
      saved = await createCodeMap(scope, { versionId, ...submission.value })
    }
    if (!saved) notFound()
    return redirectWithToast(`${back.pathname}${back.search}`, {
      type: 'success',
      title: `${saved.localCode} ${saved.targetCode ? `→ ${codeSystemLabel(saved.targetSystem)} ${saved.targetCode}` : 'recorded as unmapped'}`,
    })
  } catch (e) {
    return replyWithError(submission, e)
  }
}

export default function CodeMapsPage() {
  const { version, codeMaps, total, page, pageCount, rows, bySystem, editing } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const { org } = useOrg()
  const [sp] = useSearchParams()
  const canWrite = useCan('mapping:write')
  const draft = version.status === 'draft'
  const vbase = `/o/${org.slug}/mapping/v/${version.id}`
  const rowFilter = sp.get('row')
  type Defaults = { [K in keyof CodeMapInput]?: string }
  const pick = (m: NonNullable<typeof editing>): Defaults => ({
    rowId: m.rowId ?? undefined,
    sourceSystem: m.sourceSystem,
    localCode: m.localCode,
    localDisplay: m.localDisplay ?? undefined,
    targetSystem: m.targetSystem,
    targetCode: m.targetCode ?? undefined,
    targetDisplay: m.targetDisplay ?? undefined,
    equivalence: m.equivalence,
    comment: m.comment ?? undefined,
  })
  const [form, fields] = useForm<Defaults>({
    // A new id after each save resets the form (the systems stay, from the first code map).
    id: editing ? `code-map-${editing.id}` : `code-map-new-${bySystem.reduce((a, x) => a + x.total, 0)}`,
    lastResult: data?.result,
    defaultValue: editing
      ? pick(editing)
      : { rowId: rowFilter ?? undefined, sourceSystem: codeMaps[0]?.sourceSystem, targetSystem: codeMaps[0]?.targetSystem ?? 'http://loinc.org', equivalence: 'equal' },
    constraint: getZodConstraint(CodeMapSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CodeMapSchema }),
  })
  const unmappedTotal = bySystem.reduce((a, s) => a + s.unmapped, 0)
  return (
    <div className="space-y-6">
      <Link to={vbase} className="link text-sm">
        ← {version.interface.name} v{version.number}
      </Link>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">Code maps</h1>
          <p className="max-w-3xl text-slate-700">
            Each local code of {version.interface.source.name} and the standard code it becomes. A code without one is unmapped: a message carrying it loses its
            meaning.
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <a href={`${vbase}/export?kind=codes`} className="btn-secondary" download>
            Export CSV
          </a>
          <a href={`${vbase}/export?kind=conceptmap`} className="btn-secondary" download>
            Export FHIR ConceptMap
          </a>
          {draft && canWrite ? (
            <Link to={`${vbase}/import`} className="btn-secondary">
              Import
            </Link>
          ) : null}
        </div>
      </div>
      <FormErrors errors={data && 'error' in data && data.error ? [data.error] : null} />
      {bySystem.length ? (
        <section className="card" aria-labelledby="unmapped-h">
          <h2 id="unmapped-h" className="text-lg font-semibold">
            Unmapped local codes: {unmappedTotal}
          </h2>
          <ul className="mt-1 text-sm">
            {bySystem.map((s) => (
              <li key={s.sourceSystem}>
                <span className="font-mono">{s.sourceSystem}</span>: {s.unmapped} of {s.total} unmapped
              </li>
            ))}
          </ul>
          {unmappedTotal ? (
            <Link to="?unmapped=1" className="link mt-1 inline-block text-sm">
              List the unmapped codes
            </Link>
          ) : null}
        </section>
      ) : null}

      {draft && canWrite ? (
        <Form method="post" {...getFormProps(form)} key={form.id} className="card space-y-3" aria-labelledby="code-form-h">
          <h2 id="code-form-h" className="text-lg font-semibold">
            {editing ? `Edit ${editing.localCode}` : 'Add a code map'}
          </h2>
          <input type="hidden" name="intent" value={editing ? 'update' : 'create'} />
          {editing ? <input type="hidden" name="codeMapId" value={editing.id} /> : null}
          <FormErrors errors={form.errors} id={form.errorId} />
          <div className="grid gap-3 md:grid-cols-3">
            <TextField field={fields.sourceSystem} label={MAPPING_FIELD_LABELS.sourceSystem} placeholder="urn:riverside:lab" />
            <TextField field={fields.localCode} label={MAPPING_FIELD_LABELS.localCode} placeholder="GLU" />
            <TextField field={fields.localDisplay} label={MAPPING_FIELD_LABELS.localDisplay} placeholder="Glucose, serum" />
            <div>
              <label htmlFor={fields.targetSystem.id} className="label">
                {MAPPING_FIELD_LABELS.targetSystem}
              </label>
              <select {...getSelectProps(fields.targetSystem)} key={fields.targetSystem.key} className="input mt-1">
                {Object.entries(CODE_SYSTEMS).map(([uri, name]) => (
                  <option key={uri} value={uri}>
                    {name}
                  </option>
                ))}
              </select>
              <ErrorList id={fields.targetSystem.errorId} errors={fields.targetSystem.errors} />
            </div>
            <TextField field={fields.targetCode} label={MAPPING_FIELD_LABELS.targetCode} placeholder="2345-7" />
            <TextField field={fields.targetDisplay} label={MAPPING_FIELD_LABELS.targetDisplay} />
            <div>
              <label htmlFor={fields.equivalence.id} className="label">
                {MAPPING_FIELD_LABELS.equivalence}
              </label>
              <select {...getSelectProps(fields.equivalence)} key={fields.equivalence.key} className="input mt-1">
                {Object.entries(EQUIVALENCES).map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
              <ErrorList id={fields.equivalence.errorId} errors={fields.equivalence.errors} />
            </div>
            <div>
              <label htmlFor={fields.rowId.id} className="label">
                Row
              </label>
              <select {...getSelectProps(fields.rowId)} key={fields.rowId.key} className="input mt-1">
                <option value="">The whole mapping</option>
                {rows.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.sourcePath} → {r.targetPath}
                  </option>
                ))}
              </select>
              <ErrorList id={fields.rowId.errorId} errors={fields.rowId.errors} />
            </div>
            <div>
              <label htmlFor={fields.comment.id} className="label">
                Comment
              </label>
              <input {...getInputProps(fields.comment, { type: 'text' })} key={fields.comment.key} className="input mt-1" />
              <ErrorList id={fields.comment.errorId} errors={fields.comment.errors} />
            </div>
          </div>
          <div className="flex gap-2">
            <button type="submit" className="btn-primary">
              {editing ? 'Save' : 'Add'}
            </button>
            {editing ? (
              <Link to="?" className="btn-secondary">
                Cancel
              </Link>
            ) : null}
          </div>
        </Form>
      ) : null}

      <Form method="get" className="card flex flex-wrap items-end gap-3" role="search" aria-label="Search code maps">
        {rowFilter ? <input type="hidden" name="row" value={rowFilter} /> : null}
        <div className="grow">
          <label htmlFor="q" className="label">
            Search codes and displays
          </label>
          <input id="q" name="q" type="search" defaultValue={sp.get('q') ?? ''} className="input mt-1" />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="unmapped" value="1" defaultChecked={sp.get('unmapped') === '1'} /> Unmapped only
        </label>
        <button type="submit" className="btn-secondary">
          Search
        </button>
        {sp.toString() ? (
          <Link to="?" className="link text-sm">
            Clear
          </Link>
        ) : null}
      </Form>
      {rowFilter ? <p className="text-sm">Showing the code maps of one row. <Link to="?" className="link">Show all</Link></p> : null}

      <div className="overflow-x-auto">
        <table className="table">
          <caption className="sr-only">Code maps</caption>
          <thead>
            <tr>
              <th scope="col">Local code</th>
              <th scope="col">Standard code</th>
              <th scope="col">Equivalence</th>
              <th scope="col">Row</th>
              {draft && canWrite ? <th scope="col"><span className="sr-only">Actions</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {codeMaps.map((m) => (
              <tr key={m.id}>
                <td>
                  <span className="font-mono text-sm">{m.localCode}</span> <span className="text-sm">{m.localDisplay}</span>
                  <div className="text-xs text-slate-600">{m.sourceSystem}</div>
                </td>
                <td>
                  {m.targetCode ? (
                    <>
                      <span className="font-mono text-sm">{m.targetCode}</span> <span className="text-sm">{m.targetDisplay}</span>
                    </>
                  ) : (
                    <span className="text-sm font-medium text-amber-900">unmapped</span>
                  )}
                  <div className="text-xs text-slate-600">{codeSystemLabel(m.targetSystem)}</div>
                </td>
                <td className="text-sm">{EQUIVALENCES[m.equivalence].split(' (')[0]}</td>
                <td className="font-mono text-xs">{m.row ? `${m.row.sourcePath} → ${m.row.targetPath}` : '—'}</td>
                {draft && canWrite ? (
                  <td className="whitespace-nowrap text-sm">
                    <Link to={`?${new URLSearchParams({ ...Object.fromEntries(sp), edit: m.id })}`} className="link" aria-label={`Edit ${m.localCode}`}>
                      Edit
                    </Link>{' '}
                    <Form method="post" className="inline">
                      <input type="hidden" name="codeMapId" value={m.id} />
                      <button type="submit" name="intent" value="delete" className="link text-red-800" aria-label={`Delete ${m.localCode}`}>
                        Delete
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pageCount={pageCount} total={total} noun="code maps" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
