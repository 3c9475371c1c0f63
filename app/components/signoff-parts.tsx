/** What a clinical lead reads and signs, and the marks of a sign-off (decision, stale, verification). */
import { Link, useParams } from '@remix-run/react'
import type { SignedScenario, SignoffContent } from '#app/models/uat/signoff.ts'
import { DEFECT_SEVERITIES, SIGNOFF_DECISIONS, UAT_EDGE_CASES, UAT_ENVIRONMENTS, UAT_PRIORITIES, UAT_RESULTS, type DefectSeverity, type SignoffDecision, type UatResult } from '#app/models/uat/vocabulary.ts'
import { formatDateTime } from '#app/utils/org.ts'

const RESULT_CLASS: Record<UatResult, string> = {
  pass: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  fail: 'bg-red-100 text-red-900 ring-red-300',
  blocked: 'bg-amber-100 text-amber-900 ring-amber-300',
}

function Badge({ className, children }: { className: string; children: React.ReactNode }) {
  return <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ${className}`}>{children}</span>
}

export function DecisionBadge({ decision }: { decision: SignoffDecision }) {
  return <Badge className={decision === 'signed' ? 'bg-emerald-100 text-emerald-900 ring-emerald-300' : 'bg-red-100 text-red-900 ring-red-300'}>{SIGNOFF_DECISIONS[decision]}</Badge>
}

export function StaleBadge({ stale }: { stale: { reason: string } | null }) {
  if (!stale) return null
  return <Badge className="bg-amber-100 text-amber-900 ring-amber-300">Stale</Badge>
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="whitespace-pre-line break-words text-sm text-slate-900">{children}</dd>
    </div>
  )
}

function ScenarioItem({ s, timeZone }: { s: SignedScenario; timeZone: string }) {
  const run = s.latestRun
  return (
    <li className="card space-y-2" aria-labelledby={`scenario-${s.id}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={`scenario-${s.id}`} className="font-semibold">
          {s.label}: {s.title}
        </h3>
        {run ? <Badge className={RESULT_CLASS[run.result]}>Latest: {UAT_RESULTS[run.result]}</Badge> : <Badge className="bg-slate-100 text-slate-800 ring-slate-300">Never run</Badge>}
      </div>
      <p className="text-xs text-slate-700">
        {s.interface ? `Interface: ${s.interface}` : 'Whole project'} · Priority {UAT_PRIORITIES[s.priority]}
        {s.edgeCases.length ? ` · Edge cases: ${s.edgeCases.map((e) => UAT_EDGE_CASES[e as keyof typeof UAT_EDGE_CASES] ?? e).join(', ')}` : ''}
      </p>
      <dl className="grid gap-2 sm:grid-cols-3">
        {s.preconditions ? <Field label="Preconditions">{s.preconditions}</Field> : null}
        <Field label="Steps">{s.steps}</Field>
        <Field label="Expected result">{s.expectedResult}</Field>
      </dl>
      {run ? (
        <div className="rounded-md bg-slate-50 p-2 text-sm ring-1 ring-slate-200">
          <p>
            <span className="font-medium">{UAT_RESULTS[run.result]}</span> in {UAT_ENVIRONMENTS[run.environment].toLowerCase()} · {run.tester ?? 'tester unknown'} ·{' '}
            <time dateTime={run.executedAt}>{formatDateTime(run.executedAt, timeZone)}</time>
          </p>
          {run.notes ? <p className="whitespace-pre-line break-words text-slate-800">{run.notes}</p> : null}
          {run.evidence ? <p className="whitespace-pre-line break-words text-slate-800">Evidence: {run.evidence}</p> : null}
          {run.evidenceUrl ? (
            <p className="break-all">
              Evidence link: <span className="text-slate-800">{run.evidenceUrl}</span>
            </p>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-slate-700">This scenario has no run yet.</p>
      )}
    </li>
  )
}

/** Every scenario with its latest run, then every open defect: exactly what is (or was) signed. */
export function SignoffContentView({ content, timeZone }: { content: SignoffContent; timeZone: string }) {
  return (
    <div className="space-y-4">
      <section aria-labelledby="signed-scenarios" className="space-y-2">
        <h2 id="signed-scenarios" className="text-lg font-semibold">
          Scenarios ({content.scenarios.length})
        </h2>
        {content.scenarios.length ? (
          <ol className="space-y-3" aria-label="Scenarios">
            {content.scenarios.map((s) => (
              <ScenarioItem key={s.id} s={s} timeZone={timeZone} />
            ))}
          </ol>
        ) : (
          <p className="text-sm text-slate-700">This set has no UAT scenarios yet: there is nothing to sign.</p>
        )}
      </section>
      <section aria-labelledby="open-defects" className="space-y-2">
        <h2 id="open-defects" className="text-lg font-semibold">
          Open defects ({content.openDefects.length})
        </h2>
        {content.openDefects.length ? (
          <ul className="divide-y divide-slate-200 rounded-md ring-1 ring-slate-200" aria-label="Open defects">
            {content.openDefects.map((d) => (
              <li key={d.id} className="space-y-1 p-3">
                <p className="flex flex-wrap items-baseline gap-2">
                  <span className="font-semibold">
                    {d.label}: {d.title}
                  </span>
                  <Badge className={d.severity <= 2 ? 'bg-red-100 text-red-900 ring-red-300' : 'bg-slate-100 text-slate-800 ring-slate-300'}>
                    Severity {DEFECT_SEVERITIES[d.severity as DefectSeverity] ?? d.severity}
                  </Badge>
                </p>
                <p className="text-xs text-slate-700">{d.scenario ? `Found in ${d.scenario}` : 'Not linked to a scenario (concerns the whole project)'}</p>
                {d.description ? <p className="whitespace-pre-line break-words text-sm text-slate-800">{d.description}</p> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">No open defects.</p>
        )}
      </section>
    </div>
  )
}

/** Links between the sign-off pages and the UAT page (the project's tab is the UAT page's). */
export function SignoffLinks({ current }: { current: 'signoff' | 'signoffs' | 'record' }) {
  const { orgSlug, projectId } = useParams()
  const base = `/o/${orgSlug}/projects/${projectId}/uat`
  return (
    <nav aria-label="UAT sign-off" className="flex flex-wrap gap-x-4 gap-y-1 text-sm print:hidden">
      <Link to={base} className="link">
        ← UAT scenarios
      </Link>
      {current !== 'signoff' ? (
        <Link to={`${base}/signoff`} className="link">
          Sign off
        </Link>
      ) : null}
      {current !== 'signoffs' ? (
        <Link to={`${base}/signoffs`} className="link">
          Sign-off history
        </Link>
      ) : null}
    </nav>
  )
}
