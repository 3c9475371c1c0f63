import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { diffMappingVersion, getMappingVersion } from '#app/models/mapping/mapping.server.ts'
import { codeSystemLabel } from '#app/models/mapping/mapping.ts'
import { mappingFieldLabel } from '#app/models/mapping/vocabulary.ts'
import { useOrg } from '#app/utils/org.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction = () => [{ title: 'What changed · Mapping · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:read' })
  const [version, diff] = await Promise.all([getMappingVersion(scope, params.versionId ?? ''), diffMappingVersion(scope, params.versionId ?? '')])
  if (!version || !diff) notFound()
  return json({ version: { id: version.id, number: version.number, interfaceName: version.interface.name }, diff })
}

function Change({ field, from, to }: { field: string; from: string | null; to: string | null }) {
  return (
    <li className="text-sm">
      <span className="font-medium">{mappingFieldLabel(field)}:</span> <del className="bg-red-50 text-red-900">{from ?? '—'}</del> →{' '}
      <ins className="bg-emerald-50 text-emerald-900 no-underline">{to ?? '—'}</ins>
    </li>
  )
}

function Section({ title, total, shown, children }: { title: string; total: number; shown: number; children: React.ReactNode }) {
  return (
    <section className="card" aria-label={title}>
      <h3 className="font-semibold">
        {title} ({total})
      </h3>
      {total === 0 ? <p className="text-sm text-slate-600">None.</p> : <ul className="mt-2 space-y-2">{children}</ul>}
      {total > shown ? <p className="mt-2 text-sm text-slate-700">Showing the first {shown}; export both versions to compare the rest.</p> : null}
    </section>
  )
}

export default function MappingDiffPage() {
  const { version, diff } = useLoaderData<typeof loader>()
  const { org } = useOrg()
  const vbase = `/o/${org.slug}/mapping/v/${version.id}`
  const codeKey = (m: { sourceSystem: string; localCode: string; targetSystem: string }) => `${m.localCode} (${m.sourceSystem} → ${codeSystemLabel(m.targetSystem)})`
  return (
    <div className="space-y-6">
      <Link to={vbase} className="link text-sm">
        ← {version.interfaceName} v{version.number}
      </Link>
      <h1 className="text-2xl font-bold">
        What changed in v{version.number}
        {diff.basedOn ? ` since v${diff.basedOn.number}` : ''}
      </h1>
      {!diff.rows || !diff.codes ? (
        <EmptyState title="v1 is the first version">There is nothing to compare it with.</EmptyState>
      ) : (
        <>
          <h2 className="text-lg font-semibold">Rows</h2>
          <div className="grid gap-4 lg:grid-cols-3">
            <Section title="Added" total={diff.rows.added.total} shown={diff.rows.added.items.length}>
              {diff.rows.added.items.map((r) => (
                <li key={r.lineageId} className="font-mono text-sm">
                  <Link to={`${vbase}/rows/${r.rowId}`} className="link">
                    {r.label}
                  </Link>
                </li>
              ))}
            </Section>
            <Section title="Removed" total={diff.rows.removed.total} shown={diff.rows.removed.items.length}>
              {diff.rows.removed.items.map((r) => (
                <li key={r.lineageId} className="font-mono text-sm">
                  {r.label}
                </li>
              ))}
            </Section>
            <Section title="Changed" total={diff.rows.changed.total} shown={diff.rows.changed.items.length}>
              {diff.rows.changed.items.map((r) => (
                <li key={r.lineageId}>
                  <Link to={`${vbase}/rows/${r.rowId}`} className="link font-mono text-sm">
                    {r.label}
                  </Link>
                  <ul className="ml-3">
                    {r.changes.map((c) => (
                      <Change key={c.field} {...c} />
                    ))}
                  </ul>
                </li>
              ))}
            </Section>
          </div>
          <h2 className="text-lg font-semibold">Code maps</h2>
          <div className="grid gap-4 lg:grid-cols-3">
            <Section title="Added" total={diff.codes.added.total} shown={diff.codes.added.items.length}>
              {diff.codes.added.items.map((m) => (
                <li key={m.id} className="text-sm">
                  {codeKey(m)} → {m.targetCode ?? 'unmapped'}
                </li>
              ))}
            </Section>
            <Section title="Removed" total={diff.codes.removed.total} shown={diff.codes.removed.items.length}>
              {diff.codes.removed.items.map((m) => (
                <li key={m.id} className="text-sm">
                  {codeKey(m)} → {m.targetCode ?? 'unmapped'}
                </li>
              ))}
            </Section>
            <Section title="Changed" total={diff.codes.changed.total} shown={diff.codes.changed.items.length}>
              {diff.codes.changed.items.map((m) => (
                <li key={m.id}>
                  <span className="text-sm">{codeKey(m)}</span>
                  <ul className="ml-3">
                    {m.changes.map((c) => (
                      <Change key={c.field} field={c.field} from={c.from} to={c.to} />
                    ))}
                  </ul>
                </li>
              ))}
            </Section>
          </div>
        </>
      )}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
