import { parseWithZod } from '@conform-to/zod'
import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { CapabilityMatrix } from '#app/components/capability-matrix.tsx'
import { ProjectsTouching } from '#app/components/project-parts.tsx'
import { listProjectsTouching } from '#app/models/projects/projects.server.ts'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { WarningsPanel } from '#app/components/warnings-panel.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { getEstate } from '#app/models/inventory/estate.server.ts'
import { addConformanceTest, deleteConformanceTest, deleteSystem, getSystem, hasSystem, saveCapability } from '#app/models/inventory/system.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { computeWarnings, impactOf } from '#app/models/inventory/estate.ts'
import { parseCapabilityJson, type CapabilitySummary } from '#app/models/inventory/fhir-capability.ts'
import { FHIR_VERSIONS } from '#app/models/inventory/inventory.ts'
import { CONFORMANCE_RESULTS, CRITICALITIES, ENVIRONMENTS, HOSTINGS, LIFECYCLES, STANDARDS, SYSTEM_KINDS } from '#app/models/inventory/vocabulary.ts'
import { formatDateTime, useCan, useOrg } from '#app/utils/org.ts'
import { valuesOf } from '#app/utils/vocabulary.ts'
import { fetchPublicJson, UnsafeUrlError } from '#app/utils/safe-fetch.server.ts'
import { readImportForm } from '#app/utils/import-upload.server.ts'
import { MAX_UPLOAD_BYTES } from '#app/utils/csv.ts'
import { can } from '#app/utils/permissions.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import { errorReply } from '#app/utils/forms.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.system.name ?? 'System'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:read' })
  const system = await getSystem(scope, params.systemId ?? '')
  if (!system) notFound()
  const { nodes, edges } = await getEstate(scope)
  const warnings = computeWarnings(nodes, edges).filter((w) => w.systemIds.includes(system.id))
  return json({
    system: { ...system, capability: system.capability as unknown as CapabilitySummary | null },
    impact: impactOf(system.id, nodes, edges),
    warnings,
    projects: can(scope.role, 'projects:read') ? await listProjectsTouching(scope, { systemId: system.id }) : [],
  })
}

const ConformanceSchema = z.object({
  intent: z.literal('add-conformance'),
  standard: z.string({ required_error: 'Which standard or profile was tested?' }).trim().min(1).max(120),
  testedOn: z.coerce.date({ errorMap: () => ({ message: 'Enter the test date' }) }),
  result: z.enum(valuesOf(CONFORMANCE_RESULTS), { errorMap: () => ({ message: 'Choose a result' }) }),
  evidenceUrl: z
    .string()
    .trim()
    .url('Enter a link (https://…)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  notes: z.string().trim().max(2000).optional(),
})
const ActionSchema = z.discriminatedUnion('intent', [
  ConformanceSchema,
  z.object({ intent: z.literal('delete-conformance'), testId: z.string().min(1) }),
  z.object({ intent: z.literal('delete-system') }),
  z.object({ intent: z.literal('capability-url'), url: z.string().trim().min(1, 'Enter the FHIR base URL or its /metadata address') }),
])

type ActionData = { intent: string; errors: string[] }

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:write' })
  const id = params.systemId ?? ''
  // Before reading an upload or fetching a vendor's server: the system must be this organisation's.
  if (!(await hasSystem(scope, id))) notFound()
  const here = `/o/${scope.orgSlug}/systems/${id}`
  if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    // Read as the CSV imports read theirs (one reader, one size limit), with messages of its own.
    const refuse = (status: number, error: string) => json<ActionData>({ intent: 'capability-file', errors: [error] }, { status })
    const read = await readImportForm(request)
    if ('tooLarge' in read) {
      return refuse(413, `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; a CapabilityStatement is rarely more than a few hundred kB. Check that it is the right file.`)
    }
    const file = read.form.get('file')
    if (!(file instanceof File) || (file.size === 0 && !file.name)) return refuse(400, 'Choose a CapabilityStatement JSON file.')
    if (file.size === 0) return refuse(422, `${file.name} is empty. Upload what the server answers at [base]/metadata (in JSON).`)
    const parsed = parseCapabilityJson(await file.text())
    if (!parsed.ok) return json<ActionData>({ intent: 'capability-file', errors: parsed.errors }, { status: 422 })
    if (!(await saveCapability(scope, { systemId: id, summary: parsed.summary, source: `file:${file.name}` }))) notFound()
    return redirectWithToast(here, { type: 'success', title: 'CapabilityStatement imported', description: `${parsed.summary.resources.length} resources.` })
  }
  const submission = parseWithZod(await request.formData(), { schema: ActionSchema })
  if (submission.status !== 'success') {
    const intent = String(submission.payload.intent ?? '')
    return json<ActionData>({ intent, errors: Object.values(submission.error ?? {}).flat().filter((e): e is string => Boolean(e)) }, { status: 400 })
  }
  const v = submission.value
  try {
    switch (v.intent) {
      case 'capability-url': {
        const url = v.url.replace(/\/+$/, '')
        const metadataUrl = /\/metadata$/.test(url) ? url : `${url}/metadata`
        let text: string
        try {
          text = await fetchPublicJson(metadataUrl)
        } catch (e) {
          const reason = e instanceof UnsafeUrlError ? e.message : `Could not fetch ${metadataUrl}: ${(e as Error).message}`
          return json<ActionData>({ intent: v.intent, errors: [reason] }, { status: 422 })
        }
        const parsed = parseCapabilityJson(text)
        if (!parsed.ok) return json<ActionData>({ intent: v.intent, errors: parsed.errors }, { status: 422 })
        if (!(await saveCapability(scope, { systemId: id, summary: parsed.summary, source: metadataUrl }))) notFound()
        return redirectWithToast(here, { type: 'success', title: 'CapabilityStatement imported', description: metadataUrl })
      }
      case 'add-conformance':
        if (!(await addConformanceTest(scope, { systemId: id, ...v }))) notFound()
        return redirectWithToast(here, { type: 'success', title: 'Conformance result recorded' })
      case 'delete-conformance':
        if (!(await deleteConformanceTest(scope, { systemId: id, testId: v.testId }))) notFound()
        return redirectWithToast(here, { type: 'success', title: 'Conformance result deleted' })
      case 'delete-system': {
        const deleted = await deleteSystem(scope, id)
        if (!deleted) notFound()
        return redirectWithToast(`/o/${scope.orgSlug}/systems`, { type: 'success', title: `${deleted.name} deleted` })
      }
    }
  } catch (e) {
    return errorReply(e, (message): ActionData => ({ intent: v.intent, errors: [message] }))
  }
}

function Errors({ data, intent }: { data: ActionData | undefined; intent: string }) {
  if (!data || data.intent !== intent || !data.errors.length) return null
  return (
    <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-300">
      <ul className="list-disc pl-5">
        {data.errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </div>
  )
}


export default function SystemPage() {
  const { system, impact, warnings, projects } = useLoaderData<typeof loader>()
  const canStartProject = useCan('projects:write')
  const data = useActionData<typeof action>() as ActionData | undefined
  const { org } = useOrg()
  const canWrite = useCan('inventory:write')
  const navigation = useNavigation()
  const base = `/o/${org.slug}`
  return (
    <div className="space-y-6">
      <Link to={`${base}/systems`} className="link text-sm">
        ← Systems
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">{system.name}</h1>
          <p className="text-slate-700">
            {SYSTEM_KINDS[system.kind]} · {[system.vendor, system.product, system.version].filter(Boolean).join(' · ') || 'vendor not recorded'} ·{' '}
            {ENVIRONMENTS[system.environment]} · criticality {CRITICALITIES[system.criticality].toLowerCase()}
          </p>
        </div>
        <div className="flex gap-2">
          <Link to={`${base}/estate?system=${system.id}`} className="btn-secondary">
            Show on the estate map
          </Link>
          {canWrite ? (
            <Link to={`${base}/systems/${system.id}/edit`} className="btn-primary">
              Edit
            </Link>
          ) : null}
        </div>
      </div>

      <WarningsPanel warnings={warnings} />
      <ProjectsTouching projects={projects} base={base} canStart={canStartProject} startQuery={`systemId=${system.id}`} />

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="owners-h" className="card">
          <h2 id="owners-h" className="text-lg font-semibold">
            Ownership and use
          </h2>
          <dl className="mt-3 grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
            <dt className="font-medium">Business owner</dt>
            <dd>{system.businessOwner ? `${system.businessOwner.user.name}${system.businessOwner.unit ? ` · ${system.businessOwner.unit}` : ''}` : <span className="text-amber-800">nobody — name one</span>}</dd>
            <dt className="font-medium">Technical owner</dt>
            <dd>{system.technicalOwner ? `${system.technicalOwner.user.name}${system.technicalOwner.unit ? ` · ${system.technicalOwner.unit}` : ''}` : <span className="text-amber-800">nobody — name one</span>}</dd>
            <dt className="font-medium">Hosting</dt>
            <dd>{system.hosting ? HOSTINGS[system.hosting] : '—'}</dd>
            <dt className="font-medium">Used by</dt>
            <dd>{system.unitsServed.length ? system.unitsServed.join(', ') : '—'}</dd>
            {system.notes ? (
              <>
                <dt className="font-medium">Notes</dt>
                <dd className="whitespace-pre-wrap">{system.notes}</dd>
              </>
            ) : null}
          </dl>
        </section>

        <section aria-labelledby="std-h" className="card">
          <h2 id="std-h" className="text-lg font-semibold">
            Standards checklist
          </h2>
          <ul className="mt-3 space-y-1 text-sm">
            <Check ok={system.hl7v2Versions.length > 0} label={system.hl7v2Versions.length ? `HL7 v2: ${system.hl7v2Versions.join(', ')}` : 'HL7 v2: not spoken'} />
            <Check
              ok={Boolean(system.fhirVersion)}
              label={system.fhirVersion ? `FHIR ${FHIR_VERSIONS[system.fhirVersion as keyof typeof FHIR_VERSIONS] ?? system.fhirVersion}${system.fhirBaseUrl ? ` at ${system.fhirBaseUrl}` : ''}` : 'FHIR: not spoken'}
            />
            <Check ok={system.dicom} label={system.dicom ? 'DICOM' : 'DICOM: no'} />
            <Check ok={system.x12} label={system.x12 ? 'X12' : 'X12: no'} />
            <Check
              ok={Boolean(system.capability)}
              label={
                system.capabilityImportedAt
                  ? `CapabilityStatement imported ${formatDateTime(system.capabilityImportedAt, org.timeZone)}`
                  : 'No CapabilityStatement imported'
              }
            />
          </ul>
        </section>
      </div>

      <section aria-labelledby="impact-h" className="card">
        <h2 id="impact-h" className="text-lg font-semibold">
          If {system.name} is down
        </h2>
        {impact.interfaces.length ? (
          <div className="mt-3 grid gap-4 text-sm md:grid-cols-3">
            <div>
              <h3 className="font-medium">Interfaces that stop ({impact.interfaces.length})</h3>
              <ul className="mt-1 list-disc pl-5">
                {impact.interfaces.map((i) => (
                  <li key={i.id}>
                    <Link to={`${base}/interfaces/${i.id}`} className="link">
                      {i.name}
                    </Link>{' '}
                    {i.direction === 'out' ? '→' : i.direction === 'in' ? '←' : '↔'} {i.otherName}
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3 className="font-medium">Systems that lose data from it</h3>
              <ul className="mt-1 list-disc pl-5">
                {impact.downstream.length ? impact.downstream.map((s) => (
                  <li key={s.id}>
                    <Link to={`${base}/systems/${s.id}`} className="link">{s.name}</Link>
                    {s.via ? <span className="text-slate-600"> via {s.via}</span> : null}
                  </li>
                )) : <li>none</li>}
              </ul>
            </div>
            <div>
              <h3 className="font-medium">Units affected</h3>
              <p className="mt-1">{impact.unitsDirect.length ? impact.unitsDirect.join(', ') : 'No units recorded for this system.'}</p>
              {impact.unitsDownstream.length ? <p className="mt-1 text-slate-700">Downstream: {impact.unitsDownstream.join(', ')}</p> : null}
            </div>
          </div>
        ) : (
          <p className="mt-2 text-sm text-slate-600">No interfaces connect to it yet.</p>
        )}
      </section>

      <section aria-labelledby="ifaces-h" className="card">
        <div className="flex items-center justify-between">
          <h2 id="ifaces-h" className="text-lg font-semibold">
            Interfaces
          </h2>
          {canWrite ? (
            <Link to={`${base}/interfaces/new?source=${system.id}`} className="btn-secondary">
              Add an interface from {system.name}
            </Link>
          ) : null}
        </div>
        {system.outgoing.length + system.incoming.length ? (
          <table className="table mt-3">
            <caption className="sr-only">Interfaces of {system.name}</caption>
            <thead>
              <tr>
                <th scope="col">Interface</th>
                <th scope="col">Direction</th>
                <th scope="col">Standard</th>
                <th scope="col">Messages</th>
                <th scope="col">Lifecycle</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {[...system.outgoing.map((i) => ({ ...i, other: i.target, dir: `→ ${i.target.name}` })), ...system.incoming.map((i) => ({ ...i, other: i.source, dir: `← ${i.source.name}` }))].map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`${base}/interfaces/${i.id}`} className="link">
                      {i.name}
                    </Link>
                  </td>
                  <td>{i.dir}</td>
                  <td>{STANDARDS[i.standard]}</td>
                  <td className="text-xs">{i.messageTypes.join(', ')}</td>
                  <td>{LIFECYCLES[i.lifecycle]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="mt-2 text-sm text-slate-600">None yet.</p>
        )}
      </section>

      <section aria-labelledby="cap-h" className="card space-y-4">
        <h2 id="cap-h" className="text-lg font-semibold">
          FHIR CapabilityStatement
        </h2>
        {system.capability ? (
          <CapabilityMatrix summary={system.capability} />
        ) : (
          <p className="text-sm text-slate-600">
            Import the vendor’s CapabilityStatement to see which resources and interactions the system really supports — and
            to be warned when an interface expects more.
          </p>
        )}
        {canWrite ? (
          <div className="grid gap-4 md:grid-cols-2">
            <Form method="post" encType="multipart/form-data" className="space-y-2 rounded-md bg-slate-50 p-4">
              <Errors data={data} intent="capability-file" />
              <label htmlFor="cap-file" className="label">
                Upload the JSON
              </label>
              <input id="cap-file" name="file" type="file" accept=".json,application/json,application/fhir+json" className="block text-sm" />
              <button type="submit" className="btn-secondary" disabled={navigation.state === 'submitting'}>
                Import file
              </button>
            </Form>
            <Form method="post" className="space-y-2 rounded-md bg-slate-50 p-4">
              <Errors data={data} intent="capability-url" />
              <input type="hidden" name="intent" value="capability-url" />
              <label htmlFor="cap-url" className="label">
                Or fetch [base]/metadata
              </label>
              <input id="cap-url" name="url" type="url" defaultValue={system.fhirBaseUrl ?? ''} placeholder="https://fhir.vendor.example/r4" className="input" />
              <button type="submit" className="btn-secondary" disabled={navigation.state === 'submitting'}>
                Fetch
              </button>
            </Form>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="conf-h" className="card space-y-4">
        <h2 id="conf-h" className="text-lg font-semibold">
          Conformance testing
        </h2>
        {system.conformanceTests.length ? (
          <table className="table">
            <caption className="sr-only">Conformance test results</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Standard / profile</th>
                <th scope="col">Result</th>
                <th scope="col">Evidence</th>
                {canWrite ? <th scope="col"><span className="sr-only">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {system.conformanceTests.map((t) => (
                <tr key={t.id}>
                  <td>{t.testedOn.slice(0, 10)}</td>
                  <td>
                    {t.standard}
                    {t.notes ? <div className="text-xs text-slate-600">{t.notes}</div> : null}
                  </td>
                  <td className={t.result === 'failed' ? 'text-red-700' : t.result === 'passed' ? 'text-emerald-800' : 'text-amber-800'}>{CONFORMANCE_RESULTS[t.result]}</td>
                  <td>{t.evidenceUrl ? <a href={t.evidenceUrl} className="link" rel="noreferrer noopener" target="_blank">evidence</a> : '—'}</td>
                  {canWrite ? (
                    <td>
                      <Form method="post">
                        <input type="hidden" name="testId" value={t.id} />
                        <button type="submit" name="intent" value="delete-conformance" className="link text-sm">
                          Delete<span className="sr-only"> the {t.standard} result</span>
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <EmptyState title="No conformance results recorded">Record interface conformance tests (e.g. an HL7 v2 profile or a Touchstone run) with their evidence.</EmptyState>
        )}
        {canWrite ? (
          <Form method="post" className="grid gap-3 rounded-md bg-slate-50 p-4 sm:grid-cols-2 lg:grid-cols-5">
            <div className="sm:col-span-2 lg:col-span-5">
              <Errors data={data} intent="add-conformance" />
            </div>
            <input type="hidden" name="intent" value="add-conformance" />
            <div>
              <label htmlFor="c-standard" className="label">Standard / profile</label>
              <input id="c-standard" name="standard" required className="input mt-1" placeholder="HL7 v2.5.1 ORU^R01" />
            </div>
            <div>
              <label htmlFor="c-date" className="label">Tested on</label>
              <input id="c-date" name="testedOn" type="date" required className="input mt-1" />
            </div>
            <div>
              <label htmlFor="c-result" className="label">Result</label>
              <select id="c-result" name="result" className="input mt-1">
                {Object.entries(CONFORMANCE_RESULTS).map(([v, l]) => (
                  <option key={v} value={v}>{l}</option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="c-evidence" className="label">Evidence link</label>
              <input id="c-evidence" name="evidenceUrl" type="url" className="input mt-1" placeholder="https://…" />
            </div>
            <div className="flex items-end">
              <button type="submit" className="btn-secondary">Record result</button>
            </div>
          </Form>
        ) : null}
      </section>

      {canWrite ? (
        <Form
          method="post"
          onSubmit={(e) => {
            if (!confirm(`Delete ${system.name}? This cannot be undone.`)) e.preventDefault()
          }}
        >
          <Errors data={data} intent="delete-system" />
          <button type="submit" name="intent" value="delete-system" className="btn-danger mt-2">
            Delete {system.name}
          </button>
        </Form>
      ) : null}
    </div>
  )
}

function Check({ ok, label }: { ok: boolean; label: string }) {
  return (
    <li className="flex items-start gap-2">
      <span aria-hidden="true" className={ok ? 'text-emerald-700' : 'text-slate-500'}>
        {ok ? '✔' : '○'}
      </span>
      {label}
    </li>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
