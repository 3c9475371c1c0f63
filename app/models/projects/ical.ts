/**
 * RFC 5545 iCalendar text for all-day events (a project's milestones), written here rather than
 * with a library: the feed needs one component (VEVENT, all-day) and the three rules that
 * matter — TEXT escaping (§3.3.11), line folding at 75 octets without splitting a character
 * (§3.1), CRLF line ends — and the shared node_modules of this workplace is not one to
 * `npm install` into (docs/decisions/025-waves-calendar.md). Pure and browser-safe.
 */
import { addDays, type Day } from './plan.ts'

export type CalendarEvent = {
  /** Stable across fetches, so a calendar app updates the event instead of adding a copy. */
  uid: string
  day: Day
  summary: string
  description?: string
  url?: string
  /** When the event's source last changed (DTSTAMP/LAST-MODIFIED). */
  stamp: Date
}

/** TEXT value escaping: backslash, semicolon, comma, and newlines as \n. */
export function escapeText(value: string) {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n')
}

const encoder = new TextEncoder()

/** Folds a content line to at most 75 octets per physical line (continuations start with one space), never inside a character. */
export function foldLine(line: string) {
  const out: string[] = []
  let current = ''
  let octets = 0
  for (const ch of line) {
    const size = encoder.encode(ch).length
    // The first line has 75 octets; each continuation 74 after its leading space.
    const limit = out.length ? 74 : 75
    if (octets + size > limit) {
      out.push(current)
      current = ''
      octets = 0
    }
    current += ch
    octets += size
  }
  out.push(current)
  return out.join('\r\n ')
}

const utc = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
const date = (d: Day) => d.replace(/-/g, '')

export function icalendar(input: { name: string; events: CalendarEvent[] }) {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Liaison//Project milestones//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.name)}`,
  ]
  for (const e of input.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utc(e.stamp)}`,
      `LAST-MODIFIED:${utc(e.stamp)}`,
      // All-day: DTEND is the day after (exclusive), as RFC 5545 §3.6.1 has it for DATE values.
      `DTSTART;VALUE=DATE:${date(e.day)}`,
      `DTEND;VALUE=DATE:${date(addDays(e.day, 1))}`,
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      ...(e.url ? [`URL:${e.url}`] : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    )
  }
  lines.push('END:VCALENDAR')
  return `${lines.map(foldLine).join('\r\n')}\r\n`
}
