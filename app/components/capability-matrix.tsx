import { INTERACTIONS, readStoredSummary, type CapabilitySummary } from '#app/models/inventory/fhir-capability.ts'

/** What OAuth endpoint each oauth-uris entry is, in words. */
const OAUTH_LABELS: Record<string, string> = {
  authorize: 'Authorize',
  token: 'Token',
  register: 'Dynamic registration',
  manage: 'Manage authorisations',
  introspect: 'Token introspection',
  revoke: 'Token revocation',
}

/** A profile's canonical URL by its last part (us-core-patient), the whole URL a hover away. */
const profileName = (url: string) => url.replace(/\|.*$/, '').split('/').filter(Boolean).pop() ?? url

/**
 * All that an imported CapabilityStatement states, as the seed's advice asks ("read the
 * vendor's conformance statement before committing"): who and what, the implementation guides,
 * security with the SMART OAuth endpoints, what the whole server does, and resources ×
 * interactions with their operations, supported profiles and search parameters.
 */
export function CapabilityMatrix({ summary: stored }: { summary: CapabilitySummary }) {
  const summary = readStoredSummary(stored)
  const { security } = summary
  // The services' own words first; "SMART on FHIR" only when they do not already say it.
  const securityLine = [
    ...security.services,
    ...(security.smartOnFhir && !security.services.some((s) => /smart/i.test(s)) ? ['SMART on FHIR'] : []),
    ...(security.cors === true ? ['CORS allowed'] : security.cors === false ? ['no CORS'] : []),
  ]
  const withOperations = summary.resources.some((r) => r.operations.length)
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
        {summary.publisher ? (
          <div>
            <dt className="inline font-medium">Publisher: </dt>
            <dd className="inline">{summary.publisher}</dd>
          </div>
        ) : null}
        {summary.implementation ? (
          <div>
            <dt className="inline font-medium">Implementation: </dt>
            <dd className="inline">{summary.implementation}</dd>
          </div>
        ) : null}
        <div>
          <dt className="inline font-medium">Formats: </dt>
          <dd className="inline">{summary.formats.join(', ') || '—'}</dd>
        </div>
        {summary.implementationGuides.length || summary.instantiates.length ? (
          <div className="sm:col-span-2">
            <dt className="font-medium">Implementation guides and statements it conforms to:</dt>
            <dd>
              <ul className="break-all font-mono text-xs leading-5">
                {[...summary.implementationGuides, ...summary.instantiates].map((g) => (
                  <li key={g}>{g}</li>
                ))}
              </ul>
            </dd>
          </div>
        ) : null}
      </dl>

      <section aria-labelledby="cap-security-h" className="space-y-1 text-sm">
        <h3 id="cap-security-h" className="font-semibold">
          Security
        </h3>
        <p>{securityLine.length ? securityLine.join(' · ') : 'No security service declared.'}</p>
        {security.description ? <p className="text-slate-700">{security.description}</p> : null}
        {security.oauth.length ? (
          <ul className="space-y-0.5" aria-label="SMART OAuth endpoints">
            {security.oauth.map((o) => (
              <li key={o.name} className="flex flex-wrap gap-x-2">
                <span className="font-medium">{OAUTH_LABELS[o.name] ?? o.name}</span>
                <span className="break-all font-mono text-xs leading-5">{o.url}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-labelledby="cap-server-h" className="space-y-1 text-sm">
        <h3 id="cap-server-h" className="font-semibold">
          The whole server
        </h3>
        <dl className="space-y-0.5">
          <div>
            <dt className="inline font-medium">Interactions: </dt>
            <dd className="inline">{summary.systemInteractions.join(', ') || 'none declared'}</dd>
          </div>
          <div>
            <dt className="inline font-medium">Operations: </dt>
            <dd className="inline">{summary.operations.map((o) => `$${o}`).join(', ') || 'none declared'}</dd>
          </div>
        </dl>
      </section>

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
              {withOperations ? <th scope="col">Operations</th> : null}
              <th scope="col">Profiles</th>
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
                {withOperations ? <td className="text-xs">{r.operations.map((o) => `$${o}`).join(', ') || '—'}</td> : null}
                <td className="text-xs">
                  {r.supportedProfiles.length ? (
                    <ul>
                      {r.supportedProfiles.map((p) => (
                        <li key={p} title={p}>
                          {profileName(p)}
                        </li>
                      ))}
                    </ul>
                  ) : r.profile ? (
                    <span title={r.profile}>{profileName(r.profile)}</span>
                  ) : (
                    '—'
                  )}
                </td>
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
