import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js'
import { Bar } from 'react-chartjs-2'

ChartJS.register(BarElement, CategoryScale, LinearScale, Tooltip, Legend)

export type BarSeries = { label: string; data: number[]; color: string }

/**
 * A horizontal bar chart (chart.js) with the same figures in a table beside it: the canvas is
 * a picture for those who see it, the table is the data for everyone (screen readers, copy and
 * paste, print). The canvas is labelled and hidden from the accessibility tree's details.
 */
export function BarChart({
  id,
  title,
  labels,
  series,
  unit = '',
  max,
  columns,
  groupLabel = 'Group',
}: {
  id: string
  title: string
  labels: string[]
  series: BarSeries[]
  unit?: string
  max?: number
  /** The table's first column heading (what the labels are: module, role, unit). */
  groupLabel?: string
  /** Extra table columns (e.g. counts behind a percentage), one value per label. */
  columns?: { label: string; values: (string | number)[] }[]
}) {
  const height = Math.max(140, labels.length * (series.length > 1 ? 44 : 30) + 60)
  return (
    <figure aria-labelledby={`${id}-title`} className="grid gap-4 lg:grid-cols-2">
      <figcaption id={`${id}-title`} className="font-semibold lg:col-span-2">
        {title}
      </figcaption>
      <div style={{ height }} className="relative min-w-0">
        <Bar
          role="img"
          aria-label={`${title}: chart; the table beside it has the same figures.`}
          data={{ labels, datasets: series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.color, borderRadius: 3 })) }}
          options={{
            indexAxis: 'y',
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            scales: { x: { beginAtZero: true, max, ticks: { callback: (v) => `${v}${unit}` } } },
            plugins: {
              legend: { display: series.length > 1, position: 'bottom' },
              tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${ctx.formattedValue}${unit}` } },
            },
          }}
        />
      </div>
      <div className="min-w-0 overflow-x-auto">
        <table className="table">
          <caption className="sr-only">{title}</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col">{groupLabel}</th>
              {series.map((s) => (
                <th key={s.label} scope="col" className="text-right">
                  {s.label}
                </th>
              ))}
              {columns?.map((c) => (
                <th key={c.label} scope="col" className="text-right">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {labels.map((label, i) => (
              <tr key={label}>
                <th scope="row" className="font-normal">
                  {label}
                </th>
                {series.map((s) => (
                  <td key={s.label} className="text-right tabular-nums">
                    {s.data[i]}
                    {unit}
                  </td>
                ))}
                {columns?.map((c) => (
                  <td key={c.label} className="text-right tabular-nums">
                    {c.values[i]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  )
}
