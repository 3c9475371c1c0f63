import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { DueBadge, Progress } from '#app/components/training.tsx'
import { isVerifier, listMyTraining, listVerificationQueue } from '#app/models/training/training-assignment.server.ts'
import { formatDateTime, useCan, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { daysUntil } from '#app/models/training/training.ts'

export const meta: MetaFunction = () => [{ title: 'My training · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'org:read' })
  const [mine, verifier] = await Promise.all([listMyTraining(scope), isVerifier(scope)])
  const toVerify = verifier ? (await listVerificationQueue(scope)).length : 0
  return json({ ...mine, verifier, toVerify, now: new Date().toISOString() })
}

export default function MyTrainingPage() {
  const { open, completed, verifier, toVerify, now } = useLoaderData<typeof loader>()
  const { org } = useOrg()
  const canManage = useCan('training:manage')
  const canReport = useCan('training:report')
  const canInvite = useCan('members:invite')
  const base = `/o/${org.slug}/training`
  const today = new Date(now)
  const [next, ...rest] = open
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-bold">My training</h1>
        {canManage || canReport ? (
          <nav aria-label="Training administration" className="flex flex-wrap gap-2 text-sm">
            {canManage ? (
              <Link to={`${base}/modules`} className="btn-secondary">
                Modules and rules
              </Link>
            ) : null}
            {canInvite ? (
              <Link to={`${base}/roster`} className="btn-secondary">
                Import a roster
              </Link>
            ) : null}
            {canReport ? (
              <Link to={`${base}/adoption`} className="btn-secondary">
                Adoption
              </Link>
            ) : null}
          </nav>
        ) : null}
      </div>

      {verifier ? (
        <Link
          to={`${base}/verify`}
          className="flex min-h-12 items-center justify-between gap-3 rounded-lg bg-amber-50 p-4 text-amber-950 ring-1 ring-amber-300 hover:bg-amber-100"
        >
          <span>
            <strong>{toVerify === 0 ? 'Nothing to verify' : toVerify === 1 ? '1 item to verify' : `${toVerify} items to verify`}</strong>
            <span className="block text-sm">Colleagues’ at-the-elbow sessions and other items your role confirms.</span>
          </span>
          <span aria-hidden="true">→</span>
        </Link>
      ) : null}

      {next ? (
        <section aria-labelledby="next-heading" className="card space-y-3 ring-2 ring-brand-600">
          <h2 id="next-heading" className="text-sm font-semibold uppercase tracking-wide text-brand-700">
            Next up
          </h2>
          <p className="text-xl font-bold">{next.module.title}</p>
          <p className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
            <DueBadge dueAt={next.dueAt} now={today} timeZone={org.timeZone} />
            <span>about {next.module.estimatedMinutes} min</span>
            <span>
              {next.done} of {next.total} done{next.pending ? ` · ${next.pending} waiting for verification` : ''}
            </span>
          </p>
          <Progress done={next.done} pending={next.pending} total={next.total} />
          <Link to={`${base}/${next.id}`} className="btn-primary min-h-12 w-full text-base sm:w-auto">
            {next.done || next.pending ? 'Continue' : 'Start'} <span className="sr-only">{next.module.title}</span>
          </Link>
        </section>
      ) : (
        <EmptyState title="You are all caught up">
          {completed.length ? 'Every training assigned to you is done.' : 'No training is assigned to you yet. When it is, it appears here with its due date.'}
        </EmptyState>
      )}

      {rest.length ? (
        <section aria-labelledby="todo-heading" className="space-y-2">
          <h2 id="todo-heading" className="text-lg font-semibold">
            Also to do ({rest.length})
          </h2>
          <ul className="space-y-2">
            {rest.map((a) => (
              <li key={a.id}>
                <Link to={`${base}/${a.id}`} className="block min-h-12 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:bg-slate-50">
                  <span className="block font-semibold">{a.module.title}</span>
                  <span className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm text-slate-700">
                    <DueBadge dueAt={a.dueAt} now={today} timeZone={org.timeZone} />
                    <span>about {a.module.estimatedMinutes} min</span>
                    <span>
                      {a.done} of {a.total} done
                    </span>
                    {a.reason !== 'rule' && a.reason !== 'manual' ? <span>Refresher{a.reasonDetail ? `: ${a.reasonDetail}` : ''}</span> : null}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {completed.length ? (
        <section aria-labelledby="done-heading" className="space-y-2">
          <h2 id="done-heading" className="text-lg font-semibold">
            Done
          </h2>
          <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            {completed.map((c) => {
              const expired = c.expiresAt && daysUntil(c.expiresAt, today, org.timeZone) < 0
              return (
                <li key={c.id}>
                  <Link to={`${base}/${c.id}`} className="flex min-h-12 flex-wrap items-center justify-between gap-2 p-4 hover:bg-slate-50">
                    <span className="font-medium">
                      <span aria-hidden="true" className="mr-2 text-green-700">
                        ✓
                      </span>
                      {c.module.title}
                    </span>
                    <span className="text-sm text-slate-700">
                      {c.completedAt ? `Completed ${formatDateTime(c.completedAt, org.timeZone, { dateStyle: 'medium' })}` : null}
                      {c.expiresAt ? (
                        <span className={`block ${expired ? 'font-semibold text-red-800' : ''}`}>
                          {expired ? 'Expired' : 'Valid until'} {formatDateTime(c.expiresAt, org.timeZone, { dateStyle: 'medium' })}
                        </span>
                      ) : (
                        <span className="block">Does not expire</span>
                      )}
                    </span>
                  </Link>
                </li>
              )
            })}
          </ul>
        </section>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
