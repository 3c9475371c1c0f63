import { percent, type Coverage } from '#app/models/mapping/mapping.ts'

/**
 * Mapping coverage as labelled bars: a bar is a <meter>-like div with its figures in text, so
 * screen readers and printouts read the same numbers the eye sees.
 */
export function CoverageBars({ coverage, compact = false }: { coverage: Coverage; compact?: boolean }) {
  const bars = [
    { label: 'Required rows approved', part: coverage.requiredApproved, whole: coverage.requiredRows },
    { label: 'Rows approved', part: coverage.approvedRows, whole: coverage.rows },
    { label: 'Code maps complete', part: coverage.codeMapsMapped, whole: coverage.codeMaps },
  ]
  return (
    <div className={compact ? 'space-y-1' : 'space-y-2'}>
      {bars.map((b) => (
        <Bar key={b.label} {...b} compact={compact} />
      ))}
      {coverage.unmappedCodes ? (
        <p className="text-xs font-medium text-amber-900">
          {coverage.unmappedCodes} unmapped local code{coverage.unmappedCodes === 1 ? '' : 's'}
        </p>
      ) : null}
    </div>
  )
}

function Bar({ label, part, whole, compact }: { label: string; part: number; whole: number; compact: boolean }) {
  const pct = percent(part, whole)
  const colour = pct === null ? 'bg-slate-300' : pct === 100 ? 'bg-emerald-600' : pct >= 80 ? 'bg-amber-500' : 'bg-red-600'
  return (
    <div>
      <div className={`flex justify-between gap-2 ${compact ? 'text-xs' : 'text-sm'}`}>
        <span>{label}</span>
        <span className="tabular-nums text-slate-700">{whole === 0 ? 'none yet' : `${part} / ${whole} · ${pct}%`}</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? 0}
        aria-valuetext={whole === 0 ? 'none yet' : `${part} of ${whole}`}
        className={`mt-0.5 w-full overflow-hidden rounded bg-slate-200 ${compact ? 'h-1.5' : 'h-2.5'}`}
      >
        <div className={`h-full ${colour}`} style={{ width: `${pct ?? 0}%` }} />
      </div>
    </div>
  )
}

const STATE_STYLES: Record<string, string> = {
  draft: 'bg-slate-100 text-slate-800 ring-slate-300',
  in_review: 'bg-blue-50 text-blue-900 ring-blue-300',
  changes_requested: 'bg-amber-50 text-amber-900 ring-amber-300',
  approved: 'bg-emerald-50 text-emerald-900 ring-emerald-300',
}

export function StateBadge({ state, label }: { state: string; label: string }) {
  return <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${STATE_STYLES[state] ?? STATE_STYLES.draft}`}>{label}</span>
}
