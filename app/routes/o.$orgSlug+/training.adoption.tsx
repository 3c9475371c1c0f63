import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { BarChart } from '#app/components/charts/bar-chart.tsx'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { ProjectFilterForm } from '#app/components/project-filter.tsx'
import { listProjectFilterOptions, projectGroup } from '#app/models/projects/waves.server.ts'
import { getAdoptionReport, trainingReadiness } from '#app/models/training/training-report.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { IdParam, parseListQuery } from '#app/utils/list.ts'
import { can } from '#app/utils/permissions.ts'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction = () => [{ title: 'Training adoption · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'training:report' })
  const { project, wave } = parseListQuery(request, { project: IdParam, wave: IdParam })
  // A project's (or a wave's) people instead of the organisation's; another organisation's project, or a wave not of the project: 404.
  const group = project ? await projectGroup(scope, { projectId: project, waveId: wave }) : null
  if (project && !group) notFound('No such project or wave in this organisation.')
  const members = group?.membershipIds
  const [report, readiness, projects] = await Promise.all([getAdoptionReport(scope, { members }), trainingReadiness(scope, { members }), listProjectFilterOptions(scope)])
  return json({
    report,
    readiness,
    projects,
    group: group ? { project: group.project, wave: group.wave, units: group.units, people: group.membershipIds.length } : null,
    canSettings: can(scope.role, 'org:settings'),
  })
}

const GREEN = '#15803d'
const AMBER = '#b45309'
const BLUE = '#1d4ed8'
const SLATE = '#64748b'

export default function AdoptionPage() {
  const { report, readiness, canSettings, projects, group } = useLoaderData<typeof loader>()
  const { org } = useOrg()
  const base = `/o/${org.slug}`
  const t = report.totals
  return (
    <div className="space-y-6">
      <div>
        <Link to={`${base}/training`} className="link text-sm">
          ← Training
        </Link>
        <h1 className="mt-2 text-2xl font-bold">Training adoption</h1>
        <p className="max-w-3xl text-slate-700">
          Who is trained, who is not, and who uses Liaison. A training need is a member × a module assigned to them; it is met by a completion that
          has not expired. Figures as of {formatDateTime(report.generatedAt, org.timeZone)}.
        </p>
      </div>

      <ProjectFilterForm label="Whose training" projects={projects} project={group?.project.id ?? null} wave={group?.wave?.id ?? null} />
      <p className="text-sm text-slate-700" role="status">
        {group ? (
          <>
            Showing <strong>{group.wave ? `${group.wave.kind === 'pilot' ? 'the pilot group' : 'the wave'} “${group.wave.name}”` : 'every wave'}</strong> of{' '}
            <Link to={`${base}/projects/${group.project.id}/waves`} className="link">
              {group.project.name}
            </Link>
            : {group.people} active member{group.people === 1 ? '' : 's'} — those in {group.units.length ? group.units.join(', ') : 'no unit'} and the named members.
          </>
        ) : (
          'Showing the whole organisation: choose a project to see its pilot group and waves.'
        )}
      </p>

      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading" className="sr-only">
          Summary
        </h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {(
            [
              ['Completion', `${t.pct} %`, `${t.met} of ${t.needs} training needs met`],
              ['Overdue', String(report.overdueCount), 'open assignments past their due date'],
              ['People in training', String(t.people), 'active members with assigned training'],
              ['Go-live readiness', readiness.state === 'pass' ? 'Ready' : readiness.state === 'fail' ? 'Not ready' : '—', readiness.state === 'no_required_modules' ? 'no module is required for go-live' : `${readiness.overall.pct} % of ${readiness.overall.total} ready`],
            ] as const
          ).map(([label, value, hint]) => (
            <div key={label} className="card p-4">
              <dt className="text-sm text-slate-600">{label}</dt>
              <dd className="text-2xl font-bold">{value}</dd>
              <dd className="text-xs text-slate-600">{hint}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="readiness-heading" className="card space-y-3">
        <h2 id="readiness-heading" className="text-lg font-semibold">
          Go-live readiness (training)
        </h2>
        <p className="text-sm text-slate-700">
          The check: at least {readiness.threshold} % of the group has completed the modules required for go-live, and everyone in a high-risk role
          has. The group is every active member {group ? `of ${group.wave ? `“${group.wave.name}”` : group.project.name} ` : ''}with a required module assigned.
        </p>
        {readiness.state === 'no_required_modules' ? (
          <p className="rounded-md bg-slate-50 p-3 text-sm ring-1 ring-slate-200">
            No assigned module is marked “required before go-live”, so readiness cannot be judged. Mark the modules staff must finish before go-live.
          </p>
        ) : (
          <ul className="space-y-2 text-sm">
            <li className={`rounded-md p-3 ring-1 ${readiness.overall.pass ? 'bg-green-50 ring-green-300' : 'bg-red-50 ring-red-300'}`}>
              <strong>{readiness.overall.pass ? 'Passes' : 'Does not pass'}:</strong> {readiness.overall.ready} of {readiness.overall.total} members (
              {readiness.overall.pct} %) have completed their {readiness.requiredModules === 1 ? 'required module' : 'required modules'}; {readiness.threshold} % needed.
            </li>
            {readiness.highRisk.map((h) => (
              <li key={h.role} className={`rounded-md p-3 ring-1 ${h.pass ? 'bg-green-50 ring-green-300' : 'bg-red-50 ring-red-300'}`}>
                <strong>{h.pass ? 'Passes' : 'Does not pass'}:</strong> {ROLE_LABELS[h.role]} (high-risk): {h.ready} of {h.total} ready; 100 % needed.
              </li>
            ))}
          </ul>
        )}
        <p className="text-sm text-slate-700">
          High-risk roles: {readiness.highRiskRoles.length ? readiness.highRiskRoles.map((r) => ROLE_LABELS[r]).join(', ') : 'none chosen'}.{' '}
          {canSettings ? (
            <Link to={`${base}/settings`} className="link">
              Change them in the settings
            </Link>
          ) : (
            'An owner or admin chooses them in the settings.'
          )}
        </p>
        {readiness.notReady.length ? (
          <details>
            <summary className="cursor-pointer text-sm font-medium">Not ready yet ({readiness.notReady.length}{readiness.notReady.length === 100 ? '+' : ''})</summary>
            <ul className="mt-2 grid gap-1 text-sm sm:grid-cols-2">
              {readiness.notReady.map((m) => (
                <li key={m.membershipId}>
                  {m.name} · {ROLE_LABELS[m.role]}
                  {m.unit ? ` · ${m.unit}` : ''} — {m.missing} to go
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      {t.needs === 0 ? (
        <EmptyState title="No training assigned yet">Add modules with rules; completion figures appear once people have training assigned.</EmptyState>
      ) : (
        <>
          <section aria-labelledby="by-module-heading" className="card space-y-3">
            <h2 id="by-module-heading" className="text-lg font-semibold">
              By module
            </h2>
            <BarChart
              id="by-module"
              groupLabel="Module"
              title="Completion by module"
              labels={report.byModule.map((r) => r.label + (r.required ? ' (go-live)' : ''))}
              series={[{ label: 'Completed', data: report.byModule.map((r) => r.pct), color: GREEN }]}
              unit=" %"
              max={100}
              columns={[
                { label: 'Met', values: report.byModule.map((r) => `${r.met} of ${r.needs}`) },
                { label: 'Overdue', values: report.byModule.map((r) => r.overdue) },
              ]}
            />
          </section>
          <section aria-labelledby="by-role-heading" className="card space-y-3">
            <h2 id="by-role-heading" className="text-lg font-semibold">
              By role and unit
            </h2>
            <BarChart
              id="by-role"
              groupLabel="Role"
              title="Completion by role"
              labels={report.byRole.map((r) => ROLE_LABELS[r.key as keyof typeof ROLE_LABELS] ?? r.label)}
              series={[{ label: 'Completed', data: report.byRole.map((r) => r.pct), color: BLUE }]}
              unit=" %"
              max={100}
              columns={[
                { label: 'Met', values: report.byRole.map((r) => `${r.met} of ${r.needs}`) },
                { label: 'Overdue', values: report.byRole.map((r) => r.overdue) },
              ]}
            />
            <BarChart
              id="by-unit"
              groupLabel="Unit"
              title="Completion by unit"
              labels={report.byUnit.map((r) => r.label)}
              series={[{ label: 'Completed', data: report.byUnit.map((r) => r.pct), color: BLUE }]}
              unit=" %"
              max={100}
              columns={[
                { label: 'Met', values: report.byUnit.map((r) => `${r.met} of ${r.needs}`) },
                { label: 'Overdue', values: report.byUnit.map((r) => r.overdue) },
              ]}
            />
          </section>
        </>
      )}

      <section aria-labelledby="overdue-heading" className="card space-y-3">
        <h2 id="overdue-heading" className="text-lg font-semibold">
          Overdue ({report.overdueCount})
        </h2>
        {report.overdue.length ? (
          <div className="overflow-x-auto">
            <table className="table">
              <caption className="sr-only">Overdue training, most overdue first</caption>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col">Who</th>
                  <th scope="col">Training</th>
                  <th scope="col">Due</th>
                  <th scope="col" className="text-right">
                    Days late
                  </th>
                  <th scope="col">Manager</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {report.overdue.map((o) => (
                  <tr key={o.id}>
                    <td>
                      {o.member}
                      <span className="block text-xs text-slate-600">
                        {ROLE_LABELS[o.role]}
                        {o.unit ? ` · ${o.unit}` : ''}
                      </span>
                    </td>
                    <td>
                      <Link to={`${base}/training/${o.id}`} className="link">
                        {o.module}
                      </Link>
                      {o.refresher ? <span className="block text-xs text-slate-600">refresher</span> : null}
                    </td>
                    <td className="whitespace-nowrap">{formatDateTime(o.dueAt, org.timeZone, { dateStyle: 'medium' })}</td>
                    <td className="text-right tabular-nums">{o.daysLate}</td>
                    <td>{o.manager ? <a href={`mailto:${o.manager.email}`} className="link">{o.manager.name}</a> : <span className="text-slate-600">none recorded</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {report.overdueCount > report.overdue.length ? (
              <p className="mt-2 text-sm text-slate-700">The {report.overdue.length} most overdue of {report.overdueCount}.</p>
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-slate-700">Nobody is overdue.</p>
        )}
      </section>

      <section aria-labelledby="activity-heading" className="card space-y-3">
        <h2 id="activity-heading" className="text-lg font-semibold">
          Activity by role
        </h2>
        <p className="text-sm text-slate-700">Members who used Liaison in the last 7 and 30 days (from their last visit to this organisation).</p>
        <BarChart
          id="activity"
          groupLabel="Role"
          title="Active members by role, last 7 and 30 days"
          labels={report.activity.map((r) => ROLE_LABELS[r.role])}
          series={[
            { label: 'Last 7 days', data: report.activity.map((r) => r.seen7), color: AMBER },
            { label: 'Last 30 days', data: report.activity.map((r) => r.seen30), color: SLATE },
          ]}
          columns={[{ label: 'Members', values: report.activity.map((r) => r.members) }]}
        />
      </section>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
