import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { DecisionBadge, SignoffContentView, SignoffLinks, StaleBadge } from '#app/components/signoff-parts.tsx'
import { getSignoff, verifySignoff } from '#app/models/uat/signoff.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `UAT sign-off record · ${data?.project.name ?? 'Project'} · Liaison` }]

/** The record as signed, and its verification (recomputed at every visit: "Verify again" reloads). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const ids = { projectId: params.projectId ?? '', signoffId: params.signoffId ?? '' }
  const record = await getSignoff(scope, ids)
  if (!record) notFound('No such sign-off in this project.')
  const verification = await verifySignoff(scope, ids)
  if (!verification) notFound('No such sign-off in this project.')
  return json({ ...record, verification, verifiedAt: new Date().toISOString() })
}

function Check({ ok, good, bad, children }: { ok: boolean; good: string; bad: string; children?: React.ReactNode }) {
  return (
    <li className={`rounded-md p-2 text-sm ring-1 ${ok ? 'bg-emerald-50 text-emerald-950 ring-emerald-200' : 'bg-red-50 text-red-950 ring-red-200'}`}>
      <p className="font-semibold">{ok ? `✓ ${good}` : `✗ ${bad}`}</p>
      {children}
    </li>
  )
}

export default function SignoffRecordPage() {
  const { project, signoff: s, content, verification: v, verifiedAt } = useLoaderData<typeof loader>()
  const { org } = useOrg()
  return (
    <div className="space-y-6">
      <SignoffLinks current="record" />
      <ProjectNav projectId={project.id} name={project.name} />
      <div className="space-y-1">
        <h1 className="flex flex-wrap items-center gap-2 text-2xl font-bold">
          UAT sign-off record <DecisionBadge decision={s.decision} /> <StaleBadge stale={s.stale} />
        </h1>
        <p className="text-sm text-slate-700 first-letter:uppercase">{s.setLabel}</p>
      </div>

      <section className="card space-y-3" aria-labelledby="record-facts">
        <h2 id="record-facts" className="text-lg font-semibold">
          As signed
        </h2>
        <dl className="grid gap-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="font-medium text-slate-700">{s.decision === 'signed' ? 'Signed by' : 'Refused by'}</dt>
            <dd>{s.signerName}</dd>
          </div>
          <div>
            <dt className="font-medium text-slate-700">When</dt>
            <dd>
              <time dateTime={s.signedAt}>{formatDateTime(s.signedAt, org.timeZone)}</time>
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-700">Password re-entered</dt>
            <dd>
              <time dateTime={s.stepUpAt}>{formatDateTime(s.stepUpAt, org.timeZone)}</time>
            </dd>
          </div>
          <div className="min-w-0">
            <dt className="font-medium text-slate-700">SHA-256 of the content</dt>
            <dd className="break-all font-mono text-xs">{s.contentHash}</dd>
          </div>
        </dl>
        <blockquote className="rounded-md bg-sky-50 p-3 text-sm text-slate-900 ring-1 ring-sky-200">{s.statement}</blockquote>
        {s.refusalReason ? <p className="whitespace-pre-line break-words text-sm">Reason for refusing: {s.refusalReason}</p> : null}
      </section>

      <section className="card space-y-3" aria-labelledby="verify">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="verify" className="text-lg font-semibold">
            Verification
          </h2>
          <form method="get">
            <button type="submit" className="btn-secondary text-sm">
              Verify again
            </button>
          </form>
        </div>
        <p className="text-xs text-slate-600">Checked {formatDateTime(verifiedAt, org.timeZone, { dateStyle: 'medium', timeStyle: 'medium' })}.</p>
        <ul className="space-y-2" aria-label="Verification">
          <Check ok={v.intact} good="Content intact: the stored content still hashes to the signed SHA-256." bad="Tampered: the stored content does not match its signed SHA-256.">
            {!v.intact ? <p className="break-all font-mono text-xs">Recomputed: {v.recomputedHash}</p> : null}
          </Check>
          <Check ok={v.matchesLive} good="Still matches the live scenarios, results and open defects." bad="The live content has changed since the signing.">
            {v.changes.length ? (
              <ul className="mt-1 list-disc pl-5">
                {v.changes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            ) : null}
          </Check>
          <Check ok={!v.stale} good="Not stale." bad={v.stale ? `Stale since ${formatDateTime(v.stale.staleAt, org.timeZone)}: ${v.stale.reason}.` : ''} />
        </ul>
      </section>

      <SignoffContentView content={content} timeZone={org.timeZone} />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
