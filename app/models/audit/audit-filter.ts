import { z } from 'zod'
import { DayParam } from '#app/utils/list.ts'

/** The audit trail's filter, from the query string (shared by the page and the CSV export). */
export const AUDIT_FILTER = {
  action: z.string().trim().max(80).optional().catch(undefined),
  actor: z.string().trim().max(200).optional().catch(undefined),
  target: z.string().trim().max(200).optional().catch(undefined),
  from: DayParam,
  to: DayParam,
}

/** Dates in the filter are whole days, inclusive, in UTC. */
export function toAuditFilter(raw: { [K in keyof typeof AUDIT_FILTER]: z.output<(typeof AUDIT_FILTER)[K]> }) {
  const to = raw.to ? new Date(`${raw.to}T00:00:00Z`) : undefined
  if (to) to.setUTCDate(to.getUTCDate() + 1)
  return {
    action: raw.action || undefined,
    actor: raw.actor || undefined,
    target: raw.target || undefined,
    from: raw.from ? new Date(`${raw.from}T00:00:00Z`) : undefined,
    to,
  }
}
