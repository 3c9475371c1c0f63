import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { DecisionBadge, SignoffLinks, StaleBadge } from '#app/components/signoff-parts.tsx'
import { listSignoffs } from '#app/models/uat/signoff.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { PageParam, parseListQuery } from '#app/utils/list.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `UAT sign-offs · ${data?.project.name ?? 'Project'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const { page } = parseListQuery(request, { page: PageParam })
  const list = await listSignoffs(scope, { projectId: params.projectId ?? '', page })
  if (!list) notFound('No such project in this organisation.')
  return json(list)
}

export default function SignoffHistoryPage() {
  const { project, signoffs, total, page, pageCount } = useLoaderData<typeof loader>()
  const { org } = useOrg()
  const base = `/o/${org.slug}/projects/${project.id}/uat/signoffs`
  return (
    <div className="space-y-6">
      <SignoffLinks current="signoffs" />
      <ProjectNav projectId={project.id} name={project.name} />
      <div className="space-y-1">
        <h1 className="text-2xl font-bold">UAT sign-off history</h1>
        <p className="text-sm text-slate-700">Every sign-off and refusal, as signed. A record is never changed; a later change to what it covered marks it stale.</p>
      </div>
      {signoffs.length ? (
        <ol className="space-y-3" aria-label="Sign-offs">
          {signoffs.map((s) => (
            <li key={s.id} className="card space-y-1">
              <p className="flex flex-wrap items-center gap-2">
                <DecisionBadge decision={s.decision} />
                <StaleBadge stale={s.stale} />
                <Link to={`${base}/${s.id}`} className="link font-semibold first-letter:uppercase">
                  {s.setLabel}
                </Link>
              </p>
              <p className="text-sm text-slate-700">
                {s.signerName} · <time dateTime={s.signedAt}>{formatDateTime(s.signedAt, org.timeZone)}</time>
              </p>
              {s.refusalReason ? <p className="whitespace-pre-line break-words text-sm text-slate-800">Reason: {s.refusalReason}</p> : null}
              {s.stale ? (
                <p className="text-sm text-amber-950">
                  Stale since {formatDateTime(s.stale.staleAt, org.timeZone)}: {s.stale.reason}.
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <EmptyState title="No sign-offs yet">A clinical lead who is Responsible or Accountable for UAT signs the project’s scenarios, or one interface’s, from the sign-off page.</EmptyState>
      )}
      <Pagination page={page} pageCount={pageCount} total={total} noun="sign-offs" />
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
