import { useRouteLoaderData } from '@remix-run/react'
import type { Capability } from './permissions.ts'
import type { Role } from '#app/models/people/vocabulary.ts'
import { can } from './permissions.ts'

export type OrgContext = {
  org: { slug: string; name: string; timeZone: string }
  role: Role
  user: { id: string; name: string; email: string; isOperator: boolean }
}

export const ORG_LAYOUT_ID = 'routes/o.$orgSlug+/_layout'

/** The organisation, role and user resolved once by the org layout; for any page under it. */
export function useOrg(): OrgContext {
  const data = useRouteLoaderData(ORG_LAYOUT_ID) as OrgContext | undefined
  if (!data) throw new Error('useOrg() used outside /o/:orgSlug')
  return data
}

/** Whether the current member may do `capability` (hide what the role can't do). */
export function useCan(capability: Capability) {
  return can(useOrg().role, capability)
}

// Building an Intl.DateTimeFormat is costly (a members page formats dozens of dates): keep one
// per zone and options.
const formatters = new Map<string, Intl.DateTimeFormat>()

/** Formats a UTC instant in the organisation's time zone. */
export function formatDateTime(iso: string | Date, timeZone: string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }) {
  const key = `${timeZone}|${JSON.stringify(opts)}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone })
    formatters.set(key, f)
  }
  return f.format(new Date(iso))
}

const zonedFormats = new Map<string, Intl.DateTimeFormat>()

/**
 * The calendar day ("2026-12-03") and hour (0–23) of an instant in a time zone: what "today" and
 * "now" mean to the organisation. The one zoned-day helper (projects, training, reminders).
 */
export function zonedParts(instant: Date, timeZone: string): { date: string; hour: number } {
  let f = zonedFormats.get(timeZone)
  if (!f) zonedFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' })))
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]))
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) % 24 }
}
