import { INTERACTIONS, type CapabilitySummary } from '#app/utils/fhir-capability.ts'

/** Resources × interactions of an imported CapabilityStatement, with search parameters on demand. */
export function CapabilityMatrix({ summary }: { summary: CapabilitySummary }) {
  return (
    <div className="space-y-3">
      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        <div>
          <dt className="inline font-medium">FHIR version: </dt>
          <dd className="inline">{summary.fhirVersion}</dd>
        </div>
        <div>
          <dt className="inline font-medium">Software: </dt>
          <dd className="inline">{summary.software ?? '—'}</dd>
        </div>
        <div>
          <dt className="inline font-medium">Security: </dt>
          <dd className="inline">
            {summary.security.services.length ? summary.security.services.join(', ') : 'no security service declared'}
            {summary.security.smartOnFhir ? ' · SMART on FHIR' : ''}
          </dd>
        </div>
        <div>
          <dt className="inline font-medium">Formats: </dt>
          <dd className="inline">{summary.formats.join(', ') || '—'}</dd>
        </div>
      </dl>
      <div className="max-h-[32rem] overflow-auto rounded-md ring-1 ring-slate-200">
        <table className="table">
          <caption className="sr-only">Resources and the interactions the server supports</caption>
          <thead className="sticky top-0 bg-slate-50">
            <tr>
              <th scope="col">Resource</th>
              {INTERACTIONS.map((i) => (
                <th key={i} scope="col" className="text-center text-xs">
                  {i}
                </th>
              ))}
              <th scope="col">Search parameters</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {summary.resources.map((r) => (
              <tr key={r.type}>
                <th scope="row" className="font-medium">
                  {r.type}
                </th>
                {INTERACTIONS.map((i) => (
                  <td key={i} className="text-center">
                    {r.interactions.includes(i) ? <span aria-label="supported" className="text-emerald-700">✔</span> : <span aria-label="not supported" className="text-slate-500">·</span>}
                  </td>
                ))}
                <td className="text-xs">
                  {r.searchParams.length ? (
                    <details>
                      <summary className="cursor-pointer">{r.searchParams.length} parameters</summary>
                      <p className="mt-1">{r.searchParams.map((p) => `${p.name}${p.type ? ` (${p.type})` : ''}`).join(', ')}</p>
                    </details>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
