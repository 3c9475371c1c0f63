import { z } from 'zod'

/** The audit trail's filter, from the query string (shared by the page and the CSV export). */
export const AuditFilterSchema = z.object({
  action: z.string().trim().max(80).optional().catch(undefined),
  actor: z.string().trim().max(200).optional().catch(undefined),
  target: z.string().trim().max(200).optional().catch(undefined),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1),
})

/** Dates in the filter are whole days, inclusive, in UTC. */
export function toAuditFilter(raw: z.infer<typeof AuditFilterSchema>) {
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
