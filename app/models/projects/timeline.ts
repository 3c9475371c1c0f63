/**
 * The timeline picture's geometry, computed once from the plan (browser-safe and deterministic:
 * the same plan gives the same SVG, so the picture can be tested and printed). One row per
 * phase and step; x is days from the first date shown. Bars: planned (filled), baseline (a
 * ghost outline beneath), actual (a dark band inside); milestones: go-live; a line for today.
 */
import { addDays, daysBetween, type Day } from './plan.ts'

export type TimelineItem = {
  id: string
  kind: 'phase' | 'step'
  label: string
  status: string
  planned: { start: Day | null; end: Day | null }
  baseline: { start: Day | null; end: Day | null }
  actual: { start: Day | null; end: Day | null }
}

export type TimelineBar = { x: number; width: number }
export type TimelineRow = TimelineItem & { y: number; plannedBar: TimelineBar | null; baselineBar: TimelineBar | null; actualBar: TimelineBar | null; slipDays: number | null }

export const LABEL_WIDTH = 260
export const ROW_HEIGHT = 26
export const HEADER_HEIGHT = 40
const MIN_CHART_WIDTH = 720

export function timelineLayout(items: TimelineItem[], milestones: { label: string; day: Day }[], today: Day, chartWidth = MIN_CHART_WIDTH) {
  const days = items.flatMap((i) => [i.planned.start, i.planned.end, i.baseline.start, i.baseline.end, i.actual.start, i.actual.end]).filter((d): d is Day => Boolean(d))
  days.push(...milestones.map((m) => m.day))
  if (!days.length) days.push(today)
  const first = days.reduce((a, b) => (a < b ? a : b))
  const last = days.reduce((a, b) => (a > b ? a : b))
  // A little room either side, starting on the first of a month so the scale reads cleanly.
  const from = `${addDays(first, -3).slice(0, 7)}-01`
  const to = addDays(last, 7)
  const span = Math.max(1, daysBetween(from, to) + 1)
  const pxPerDay = chartWidth / span
  const x = (d: Day) => LABEL_WIDTH + daysBetween(from, d) * pxPerDay
  const bar = (s: { start: Day | null; end: Day | null }): TimelineBar | null =>
    s.start && s.end ? { x: round(x(s.start)), width: round(Math.max(2, (daysBetween(s.start, s.end) + 1) * pxPerDay)) } : null
  const rows: TimelineRow[] = items.map((item, i) => ({
    ...item,
    y: HEADER_HEIGHT + i * ROW_HEIGHT,
    plannedBar: bar(item.planned),
    baselineBar: bar(item.baseline),
    actualBar: item.actual.start ? bar({ start: item.actual.start, end: item.actual.end ?? (today > item.actual.start ? today : item.actual.start) }) : null,
    slipDays: item.planned.end && item.baseline.end ? daysBetween(item.baseline.end, item.planned.end) : null,
  }))
  const months: { x: number; label: string }[] = []
  for (let m = from; m <= to; m = nextMonth(m)) months.push({ x: round(x(m)), label: months.length === 0 && !m.endsWith('-01-01') ? `${monthLabel(m)} ${m.slice(0, 4)}` : monthLabel(m) })
  return {
    width: LABEL_WIDTH + chartWidth + 16,
    height: HEADER_HEIGHT + items.length * ROW_HEIGHT + 12,
    rows,
    months,
    todayX: today >= from && today <= to ? round(x(today)) : null,
    milestones: milestones.filter((m) => m.day >= from && m.day <= to).map((m) => ({ ...m, x: round(x(m.day)) })),
  }
}

const round = (n: number) => Math.round(n * 10) / 10
function nextMonth(d: Day): Day {
  const [y, m] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))]
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
}
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const monthLabel = (d: Day) => `${MONTHS[Number(d.slice(5, 7)) - 1]}${d.slice(5, 7) === '01' ? ` ${d.slice(0, 4)}` : ''}`
