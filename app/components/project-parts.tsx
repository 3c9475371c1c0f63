import { Link, NavLink, useParams } from '@remix-run/react'
import { formatDay } from '#app/models/projects/plan.ts'
import { HEADER_HEIGHT, LABEL_WIDTH, ROW_HEIGHT, timelineLayout, type TimelineItem } from '#app/models/projects/timeline.ts'
import { PLAN_STATUSES, PROJECT_STATUSES, WAVE_STATUSES, type PlanStatus, type WaveStatus } from '#app/models/projects/vocabulary.ts'

const HEALTH = {
  on_track: { label: 'On track', className: 'bg-emerald-100 text-emerald-900 ring-emerald-300' },
  at_risk: { label: 'At risk', className: 'bg-amber-100 text-amber-900 ring-amber-300' },
  late: { label: 'Late', className: 'bg-red-100 text-red-900 ring-red-300' },
  closed: { label: 'Closed', className: 'bg-slate-100 text-slate-800 ring-slate-300' },
} as const

/** The pages of a project, in the order a manager works through them. `to` is relative to the project. */
export const PROJECT_PAGES = [
  { to: '', label: 'Overview' },
  { to: 'plan', label: 'Plan' },
  { to: 'timeline', label: 'Timeline' },
  { to: 'waves', label: 'Pilot & waves' },
  { to: 'uat', label: 'UAT' },
  { to: 'raci', label: 'RACI' },
  { to: 'decisions', label: 'Decisions' },
  { to: 'security', label: 'Security' },
  { to: 'readiness', label: 'Readiness' },
  { to: 'gonogo', label: 'Go/no-go' },
] as const

/** The project's own navigation, on every project page (hidden when printing). */
export function ProjectNav({ projectId, name }: { projectId: string; name: string }) {
  const { orgSlug } = useParams()
  const base = `/o/${orgSlug}/projects/${projectId}`
  return (
    <nav aria-label={`Project ${name}`} className="-mx-1 overflow-x-auto print:hidden">
      <ul className="flex min-w-max gap-1 border-b border-slate-200 px-1">
        {PROJECT_PAGES.map((page) => (
          <li key={page.to}>
            <NavLink
              to={page.to ? `${base}/${page.to}` : base}
              end
              prefetch="intent"
              className={({ isActive }) =>
                `-mb-px inline-block border-b-2 px-3 py-2 text-sm font-medium ${isActive ? 'border-sky-700 text-sky-900' : 'border-transparent text-slate-700 hover:border-slate-400 hover:text-slate-900'}`
              }
            >
              {page.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}

/** Health at a glance, in words (never colour alone), with the reasons as text beside it. */
export function HealthBadge({ health, reasons, full = false }: { health: keyof typeof HEALTH; reasons: string[]; full?: boolean }) {
  const h = HEALTH[health]
  return (
    <span className="inline-flex flex-col gap-0.5">
      <span className={`inline-block w-fit rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ${h.className}`}>{h.label}</span>
      {reasons.length ? <span className={`text-xs text-slate-700 ${full ? '' : 'max-w-56'}`}>{reasons.join('; ')}</span> : null}
    </span>
  )
}

export function PlanStatusBadge({ status }: { status: PlanStatus }) {
  const className =
    status === 'done'
      ? 'bg-emerald-100 text-emerald-900'
      : status === 'in_progress'
        ? 'bg-sky-100 text-sky-900'
        : status === 'skipped'
          ? 'bg-slate-200 text-slate-800 line-through decoration-slate-500'
          : 'bg-slate-100 text-slate-800'
  return <span className={`whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${className}`}>{PLAN_STATUSES[status]}</span>
}

/**
 * The Gantt-like timeline as a server-rendered SVG: phases and steps, baseline ghosts, actual
 * bands, the go-live milestone and today's line. The SVG is one image with a text
 * alternative; the table beside it (TimelineTable) carries the same facts for screen readers
 * and keyboard users.
 */
export function ProjectTimeline({ items, milestones, today, title }: { items: TimelineItem[]; milestones: { label: string; day: string }[]; today: string; title: string }) {
  const t = timelineLayout(items, milestones, today)
  const slipped = t.rows.filter((r) => r.slipDays && r.slipDays > 0).length
  return (
    <svg
      role="img"
      aria-labelledby="timeline-title timeline-desc"
      viewBox={`0 0 ${t.width} ${t.height}`}
      width={t.width}
      className="timeline h-auto max-w-full"
      fontFamily="system-ui, sans-serif"
    >
      <title id="timeline-title">{title}</title>
      <desc id="timeline-desc">
        {`${items.filter((i) => i.kind === 'phase').length} phases and ${items.filter((i) => i.kind === 'step').length} steps; ${slipped} planned to end later than their baseline. The table below lists every date.`}
      </desc>
      {t.months.map((m) => (
        <g key={m.x}>
          <line x1={m.x} x2={m.x} y1={HEADER_HEIGHT - 8} y2={t.height - 8} stroke="#e2e8f0" />
          <text x={m.x + 3} y={HEADER_HEIGHT - 14} fontSize="11" fill="#334155">
            {m.label}
          </text>
        </g>
      ))}
      {t.rows.map((r, i) => (
        <g key={r.id} data-row={r.kind}>
          {i % 2 === 0 ? <rect x={0} y={r.y} width={t.width} height={ROW_HEIGHT} fill="#f8fafc" /> : null}
          <text x={r.kind === 'phase' ? 8 : 20} y={r.y + 17} fontSize={r.kind === 'phase' ? 13 : 12} fontWeight={r.kind === 'phase' ? 700 : 400} fill={r.status === 'skipped' ? '#64748b' : '#0f172a'} textDecoration={r.status === 'skipped' ? 'line-through' : undefined}>
            {r.label.length > 38 ? `${r.label.slice(0, 37)}…` : r.label}
          </text>
          {r.baselineBar ? <rect data-bar="baseline" x={r.baselineBar.x} y={r.y + 3} width={r.baselineBar.width} height={ROW_HEIGHT - 6} fill="none" stroke="#94a3b8" strokeDasharray="4 3" rx={3} /> : null}
          {r.plannedBar && r.status !== 'skipped' ? (
            <rect data-bar="planned" x={r.plannedBar.x} y={r.y + 6} width={r.plannedBar.width} height={ROW_HEIGHT - 12} fill={r.kind === 'phase' ? '#0369a1' : '#7dd3fc'} rx={2} />
          ) : null}
          {r.actualBar ? <rect data-bar="actual" x={r.actualBar.x} y={r.y + 11} width={r.actualBar.width} height={4} fill="#0f172a" /> : null}
        </g>
      ))}
      <line x1={LABEL_WIDTH - 4} x2={LABEL_WIDTH - 4} y1={HEADER_HEIGHT} y2={t.height - 8} stroke="#cbd5e1" />
      {t.milestones.map((m, i) => (
        <g key={`${m.label}-${m.day}`} data-milestone={m.label}>
          <title>{`${m.label}: ${formatDay(m.day)}`}</title>
          <line x1={m.x} x2={m.x} y1={HEADER_HEIGHT - 6} y2={t.height - 8} stroke="#7c3aed" strokeWidth={1.5} />
          <path d={`M ${m.x} ${HEADER_HEIGHT - 12} l 6 6 l -6 6 l -6 -6 z`} fill="#7c3aed" />
          {i === 0 ? (
            <text x={m.x + 8} y={HEADER_HEIGHT - 2} fontSize="11" fill="#5b21b6">
              {m.label}
            </text>
          ) : (
            <text x={m.x + 4} y={t.height - 12 - (i % 3) * 12} fontSize="10" fill="#5b21b6">
              {m.label.length > 34 ? `${m.label.slice(0, 33)}…` : m.label}
            </text>
          )}
        </g>
      ))}
      {t.todayX !== null ? (
        <g data-today="">
          <line x1={t.todayX} x2={t.todayX} y1={HEADER_HEIGHT - 6} y2={t.height - 8} stroke="#dc2626" strokeWidth={1.5} strokeDasharray="3 2" />
          <text x={t.todayX + 3} y={t.height - 1} fontSize="10" fill="#b91c1c">
            today
          </text>
        </g>
      ) : null}
    </svg>
  )
}

export type Milestone = { id: string; label: string; day: string; status: string | null; actual: string | null }

/** The timeline's facts as a table: the fallback of the picture, and what prints on paper when the picture is too small. */
export function TimelineTable({ items, milestones = [] }: { items: TimelineItem[]; milestones?: Milestone[] }) {
  return (
    <table className="table text-sm">
      <caption className="sr-only">Plan dates: planned, baseline and actual</caption>
      <thead className="bg-slate-50">
        <tr>
          <th scope="col">Phase or step</th>
          <th scope="col">Status</th>
          <th scope="col">Planned</th>
          <th scope="col">Baseline</th>
          <th scope="col">Actual</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {items.map((i) => {
          const slip = i.planned.end && i.baseline.end && i.planned.end !== i.baseline.end
          return (
            <tr key={i.id} className={i.kind === 'phase' ? 'bg-slate-50 font-semibold' : ''}>
              <th scope="row" className={`text-left ${i.kind === 'step' ? 'pl-6 font-normal' : ''}`}>
                {i.label}
              </th>
              <td>
                <PlanStatusBadge status={i.status as PlanStatus} />
              </td>
              <td className="whitespace-nowrap">
                {formatDay(i.planned.start)} – {formatDay(i.planned.end)}
                {slip ? <span className="block text-xs text-amber-900">{i.planned.end! > i.baseline.end! ? 'later than baseline' : 'earlier than baseline'}</span> : null}
              </td>
              <td className="whitespace-nowrap">{i.baseline.start ? `${formatDay(i.baseline.start)} – ${formatDay(i.baseline.end)}` : '—'}</td>
              <td className="whitespace-nowrap">{i.actual.start ? `${formatDay(i.actual.start)} – ${i.actual.end ? formatDay(i.actual.end) : 'ongoing'}` : '—'}</td>
            </tr>
          )
        })}
      </tbody>
      {milestones.length ? (
        <tbody className="divide-y divide-slate-100 border-t-2 border-slate-200">
          <tr className="bg-slate-50 font-semibold">
            <th scope="rowgroup" colSpan={5} className="text-left">
              Milestones
            </th>
          </tr>
          {milestones.map((m) => (
            <tr key={m.id} data-milestone-row={m.label}>
              <th scope="row" className="pl-6 text-left font-normal">
                {m.label}
              </th>
              <td>{m.status ? <span className={`whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${m.status === 'live' ? 'bg-emerald-100 text-emerald-900' : 'bg-slate-100 text-slate-800'}`}>{WAVE_STATUSES[m.status as WaveStatus]}</span> : '—'}</td>
              <td className="whitespace-nowrap">{formatDay(m.day)}</td>
              <td>—</td>
              <td className="whitespace-nowrap">{m.actual ? `went live ${formatDay(m.actual)}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      ) : null}
    </table>
  )
}

/** On a system's or an interface's page: the projects it is in, and a way to start one with it. */
export function ProjectsTouching({
  projects,
  base,
  canStart,
  startQuery,
}: {
  projects: { id: string; name: string; status: string; targetGoLive: string }[]
  base: string
  canStart: boolean
  startQuery: string
}) {
  if (!projects.length && !canStart) return null
  return (
    <section aria-labelledby="projects-h" className="card">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="projects-h" className="text-lg font-semibold">
          Projects
        </h2>
        {canStart ? (
          <Link to={`${base}/projects/new?${startQuery}`} className="link text-sm">
            Start a project with it
          </Link>
        ) : null}
      </div>
      {projects.length ? (
        <ul className="mt-2 space-y-1 text-sm">
          {projects.map((p) => (
            <li key={p.id}>
              <Link to={`${base}/projects/${p.id}`} className="link">
                {p.name}
              </Link>{' '}
              <span className="text-slate-600">
                · {PROJECT_STATUSES[p.status as keyof typeof PROJECT_STATUSES]} · go-live {formatDay(p.targetGoLive.slice(0, 10))}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-slate-700">In no project yet.</p>
      )}
    </section>
  )
}
