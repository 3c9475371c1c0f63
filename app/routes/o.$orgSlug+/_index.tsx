import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { getEstateSummary } from '#app/models/inventory/estate.server.ts'
import { getOrganizationOverview } from '#app/models/people/organization.server.ts'
import { listReviewQueue } from '#app/models/mapping/mapping.server.ts'
import { countMyOpenTraining } from '#app/models/training/training-assignment.server.ts'
import { LIFECYCLES } from '#app/models/inventory/vocabulary.ts'
import { can } from '#app/utils/permissions.ts'
import { ROLE_LABELS, ROLES } from '#app/models/people/vocabulary.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { actorLabel, describeAction } from '#app/models/audit/vocabulary.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { dueLabel } from '#app/models/training/training.ts'
import { listMyResponsibilities } from '#app/models/projects/raci.server.ts'
import { MyResponsibilities } from '#app/components/my-responsibilities.tsx'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.orgName ?? 'Home'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'org:read' })
  const [overview, estate, training, reviewQueue, responsibilities] = await Promise.all([
    can(scope.role, 'members:read') ? getOrganizationOverview(scope) : null,
    can(scope.role, 'members:read') && can(scope.role, 'inventory:read') ? getEstateSummary(scope) : null,
    countMyOpenTraining(scope),
    can(scope.role, 'mapping:review') ? listReviewQueue(scope) : Promise.resolve([] as Awaited<ReturnType<typeof listReviewQueue>>),
    can(scope.role, 'projects:read') ? listMyResponsibilities(scope, 10) : null,
  ])
  return json({ orgName: scope.orgName, overview, estate, training, reviewQueue, responsibilities })
}

export default function OrgHome() {
  const { overview, estate, training, reviewQueue, responsibilities } = useLoaderData<typeof loader>()
  const { org, role, user } = useOrg()
  const base = `/o/${org.slug}`
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold">{org.name}</h1>
        <p className="text-slate-700">
          Welcome, {user.name}. You are signed in as <strong>{ROLE_LABELS[role]}</strong>.
        </p>
      </div>
      {training.next ? (
        // What a member came for first: their training (staff see little else here).
        <section
          aria-labelledby="my-training-heading"
          className={`space-y-2 rounded-lg p-4 ring-1 ${training.overdue ? 'bg-red-50 text-red-950 ring-red-300' : 'bg-brand-50 text-brand-900 ring-brand-100'}`}
        >
          <h2 id="my-training-heading" className="font-semibold">
            My training: {training.open} to do{training.overdue ? `, ${training.overdue} overdue` : ''}
          </h2>
          <p>
            Next: <strong>{training.next.title}</strong> · {dueLabel(training.next.dueAt, new Date(training.now), org.timeZone)}
          </p>
          <div className="flex flex-wrap gap-2">
            <Link to={`${base}/training/${training.next.id}`} className="btn-primary min-h-12 px-5 text-base">
              Continue my training
            </Link>
            <Link to={`${base}/training`} className="btn-secondary min-h-12">
              All my training
            </Link>
          </div>
        </section>
      ) : null}
      {responsibilities?.total ? <MyResponsibilities data={responsibilities} base={base} /> : null}
      {reviewQueue.length ? (
        <section aria-labelledby="review-queue-heading" className="card space-y-2">
          <h2 id="review-queue-heading" className="text-lg font-semibold">
            Mapping rows waiting for your review: {reviewQueue.reduce((a, q) => a + q.rows, 0)}
          </h2>
          <ul className="space-y-1 text-sm">
            {reviewQueue.map((q) => (
              <li key={q.versionId}>
                <Link to={`${base}/mapping/v/${q.versionId}?state=in_review`} className="link">
                  {q.interfaceName} v{q.number}
                </Link>
                : {q.rows} row{q.rows === 1 ? '' : 's'} in review
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {overview ? (
        <>
          <section aria-labelledby="people-heading" className="grid gap-4 sm:grid-cols-3">
            <h2 id="people-heading" className="sr-only">
              People
            </h2>
            <div className="card">
              <p className="text-sm text-slate-600">Active members</p>
              <p className="text-3xl font-bold">{overview.members}</p>
            </div>
            <div className="card">
              <p className="text-sm text-slate-600">Pending invitations</p>
              <p className="text-3xl font-bold">{overview.pendingInvitations}</p>
            </div>
            <div className="card">
              <p className="text-sm text-slate-600">By role</p>
              <ul className="mt-1 text-sm">
                {ROLES.filter((r) => overview.byRole[r]).map((r) => (
                  <li key={r}>
                    {ROLE_LABELS[r]}: <strong>{overview.byRole[r]}</strong>
                  </li>
                ))}
              </ul>
            </div>
          </section>
          {estate ? (
            <section aria-labelledby="estate-heading" className="card">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id="estate-heading" className="text-lg font-semibold">
                  The estate
                </h2>
                <Link to={`${base}/estate`} className="link text-sm">
                  Open the picture
                </Link>
              </div>
              {estate.systems ? (
                <dl className="mt-3 grid gap-4 text-sm sm:grid-cols-4">
                  <div>
                    <dt className="text-slate-600">Systems</dt>
                    <dd className="text-2xl font-bold">
                      <Link to={`${base}/systems`} className="hover:underline">{estate.systems}</Link>
                    </dd>
                  </div>
                  <div>
                    <dt className="text-slate-600">Interfaces</dt>
                    <dd className="text-2xl font-bold">
                      <Link to={`${base}/interfaces`} className="hover:underline">{estate.interfaces}</Link>
                    </dd>
                    <dd className="text-xs text-slate-600">
                      {Object.entries(LIFECYCLES)
                        .filter(([k]) => estate.byLifecycle[k])
                        .map(([k, label]) => `${estate.byLifecycle[k]} ${label.toLowerCase()}`)
                        .join(' · ')}
                    </dd>
                  </div>
                  <div>
                    <dt className="text-slate-600">On a standard</dt>
                    <dd className="text-2xl font-bold">{estate.active ? Math.round((estate.standardsBased / estate.active) * 100) : 100} %</dd>
                    <dd className="text-xs text-slate-600">of active interfaces use HL7 v2, FHIR, DICOM or X12</dd>
                  </div>
                  <div>
                    <dt className="text-slate-600">Warnings</dt>
                    <dd className={`text-2xl font-bold ${estate.warnings ? 'text-amber-800' : ''}`}>
                      <Link to={`${base}/interfaces`} className="hover:underline">{estate.warnings}</Link>
                    </dd>
                  </div>
                </dl>
              ) : (
                <p className="mt-2 text-sm text-slate-600">
                  No systems recorded yet.{' '}
                  {can(role, 'inventory:write') ? (
                    <Link to={`${base}/systems/new`} className="link">
                      Add the first one
                    </Link>
                  ) : (
                    'Your integration analysts will add them.'
                  )}
                </p>
              )}
            </section>
          ) : null}
          {overview.members <= 1 && can(role, 'members:invite') ? (
            <EmptyState
              title="You are the only one here so far"
              action={
                <Link to={`${base}/members/invite`} className="btn-primary">
                  Invite your project team
                </Link>
              }
            >
              Integration projects fail when nobody is accountable and clinicians are not involved. Invite a project
              manager, an integration analyst and a clinical lead first.
            </EmptyState>
          ) : null}
          <section aria-labelledby="activity-heading" className="card">
            <h2 id="activity-heading" className="text-lg font-semibold">
              Recent activity
            </h2>
            {overview.recent.length ? (
              <ul className="mt-3 divide-y divide-slate-100">
                {overview.recent.map((e) => (
                  <li key={e.id} className="flex flex-wrap justify-between gap-2 py-2 text-sm">
                    <span>
                      <strong>{actorLabel(e)}</strong> {describeAction(e.action)}
                      {e.targetLabel && e.targetLabel !== e.actorEmail ? <> · {e.targetLabel}</> : null}
                    </span>
                    <time dateTime={e.createdAt} className="text-slate-600">
                      {formatDateTime(e.createdAt, org.timeZone)}
                    </time>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-2 text-sm text-slate-600">Nothing has happened yet.</p>
            )}
          </section>
        </>
      ) : training.next ? null : (
        <EmptyState title="Nothing is assigned to you yet">
          When your project team assigns you training or asks for your sign-off, it will be listed here. You can manage
          your password on your <Link to="/account" className="link">account page</Link>.
        </EmptyState>
      )}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
