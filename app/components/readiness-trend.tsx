import { CategoryScale, Chart as ChartJS, LinearScale, LineElement, PointElement, Tooltip, type Plugin } from 'chart.js'
import { Line } from 'react-chartjs-2'
import { formatDay } from '#app/models/projects/plan.ts'
import { SNAPSHOT_KINDS, type SnapshotKind } from '#app/models/readiness/vocabulary.ts'
import { formatDateTime } from '#app/utils/org.ts'

ChartJS.register(LinearScale, CategoryScale, LineElement, PointElement, Tooltip)

export type TrendPoint = { id: string; takenAt: string; scorePct: number; level: string; kind: SnapshotKind; daysBefore: number | null; wave: string | null }
export type GoLiveMark = { name: string; goLive: string; live: boolean }

const DAY = 86_400_000
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`)
const LEVEL_WORDS: Record<string, string> = { none: 'None yet', design: 'Design complete', uat: 'UAT-ready', golive: 'Go-live ready' }

/** Draws each wave's go-live as a dashed vertical line with its name (chart.js has no such mark built in). */
const goLiveLines = (marks: GoLiveMark[]): Plugin<'line'> => ({
  id: 'goLiveLines',
  afterDatasetsDraw(chart) {
    const { ctx, chartArea, scales } = chart
    const x = scales.x!
    ctx.save()
    ctx.font = '11px system-ui, sans-serif'
    ctx.fillStyle = '#334155'
    ctx.strokeStyle = '#7c3aed'
    ctx.setLineDash([4, 4])
    marks.forEach((m, i) => {
      const px = x.getPixelForValue(dayMs(m.goLive))
      if (px < chartArea.left || px > chartArea.right) return
      ctx.beginPath()
      ctx.moveTo(px, chartArea.top)
      ctx.lineTo(px, chartArea.bottom)
      ctx.stroke()
      const label = `${m.name} go-live`
      const w = ctx.measureText(label).width
      // Right of the line, or left of it where the chart ends.
      ctx.fillText(label, px + 4 + w <= chartArea.right ? px + 4 : Math.max(px - 4 - w, chartArea.left), chartArea.top + 12 + (i % 3) * 13)
    })
    ctx.restore()
  },
})

/**
 * The project's readiness score over time: one point per snapshot, each wave's go-live marked.
 * The canvas is a picture; the table under it has the same points (and the go-lives) for
 * everyone — screen readers, print, no JavaScript.
 */
export function ReadinessTrend({ points, goLives, timeZone }: { points: TrendPoint[]; goLives: GoLiveMark[]; timeZone: string }) {
  const times = [...points.map((p) => Date.parse(p.takenAt)), ...goLives.map((g) => dayMs(g.goLive))]
  const min = times.length ? Math.min(...times) - 3 * DAY : 0
  const max = times.length ? Math.max(...times) + 3 * DAY : 1
  const caption = 'Readiness score over time'
  return (
    <figure aria-labelledby="trend-title" className="space-y-3">
      <figcaption id="trend-title" className="font-semibold">
        {caption}
      </figcaption>
      {points.length ? (
        <div className="relative h-56 min-w-0 print:hidden">
          <Line
            role="img"
            aria-label={`${caption}: chart; the table below has the same figures.`}
            data={{
              datasets: [
                {
                  label: 'Score',
                  data: points.map((p) => ({ x: Date.parse(p.takenAt), y: p.scorePct })),
                  borderColor: '#0369a1',
                  backgroundColor: '#0369a1',
                  pointRadius: 4,
                  tension: 0,
                },
              ],
            }}
            options={{
              responsive: true,
              maintainAspectRatio: false,
              animation: false,
              parsing: false,
              scales: {
                x: { type: 'linear', min, max, ticks: { maxTicksLimit: 6, callback: (v) => formatDateTime(new Date(Number(v)), timeZone, { day: 'numeric', month: 'short' }) } },
                y: { min: 0, max: 100, ticks: { stepSize: 25, callback: (v) => `${v} %` } },
              },
              plugins: {
                legend: { display: false },
                tooltip: { callbacks: { title: (items) => formatDateTime(new Date(items[0]!.parsed.x ?? 0), timeZone, { dateStyle: 'medium' }), label: (item) => `Score ${item.parsed.y} %` } },
              },
            }}
            plugins={[goLiveLines(goLives)]}
          />
        </div>
      ) : null}
      <div className="min-w-0 overflow-x-auto" tabIndex={0} role="region" aria-label="Snapshots">
        <table className="table">
          <caption className="sr-only">{caption}: every snapshot</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Why</th>
              <th scope="col" className="text-right">
                Score
              </th>
              <th scope="col">Level passed</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {points.map((p) => (
              <tr key={p.id}>
                <td className="whitespace-nowrap">{formatDateTime(p.takenAt, timeZone, { dateStyle: 'medium' })}</td>
                <td>{p.kind === 'scheduled' && p.daysBefore ? `${p.daysBefore} days before ${p.wave ?? 'a wave'}’s go-live` : `${SNAPSHOT_KINDS[p.kind]}${p.wave ? ` (${p.wave})` : ''}`}</td>
                <td className="text-right tabular-nums">{p.scorePct} %</td>
                <td>{LEVEL_WORDS[p.level] ?? p.level}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {goLives.length ? (
        <p className="text-sm text-slate-700">
          Go-lives marked:{' '}
          {goLives.map((g, i) => (
            <span key={g.name}>
              {i ? '; ' : ''}
              {g.name} {formatDay(g.goLive)}
              {g.live ? ' (live)' : ''}
            </span>
          ))}
          .
        </p>
      ) : null}
    </figure>
  )
}
