/** The decision log's and the security assessment's form schemas, shared by the server and the browser. */
import { z } from 'zod'
import { isRealDay } from '#app/utils/list.ts'
import { enumOf, optionalText } from '#app/utils/schemas.ts'
import { SECURITY_ITEM_STATUSES } from './vocabulary.ts'

const optionalDay = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => v === undefined || isRealDay(v), 'Enter a real date (YYYY-MM-DD)')

export const DecisionSchema = z
  .object({
    title: z.string({ required_error: 'Give the decision a title' }).trim().min(1, 'Give the decision a title').max(200, 'At most 200 characters'),
    decision: z.string({ required_error: 'Say what was decided' }).trim().min(1, 'Say what was decided').max(4000, 'At most 4000 characters'),
    rationale: optionalText(4000),
    alternatives: optionalText(4000),
    ownerId: optionalText(40),
    decidedOn: optionalDay,
    activityId: optionalText(40),
    interfaceId: optionalText(40),
  })
  .superRefine((v, ctx) => {
    if (v.activityId && v.interfaceId) ctx.addIssue({ code: 'custom', path: ['interfaceId'], message: 'Link an activity or an interface, not both' })
  })
export type DecisionInput = z.infer<typeof DecisionSchema>

/** An evidence link: an https URL only (no javascript:, no plain http for a compliance record). */
const httpsUrl = optionalText(2000).refine((v) => {
  if (v === undefined) return true
  try {
    return new URL(v).protocol === 'https:'
  } catch {
    return false
  }
}, 'Enter an https:// link')

export const SecurityItemSchema = z
  .object({
    itemId: z.string({ required_error: 'Choose an item' }).trim().min(1, 'Choose an item').max(40),
    status: enumOf(SECURITY_ITEM_STATUSES, 'Choose a status'),
    evidence: optionalText(4000),
    evidenceUrl: httpsUrl,
  })
  .superRefine((v, ctx) => {
    if (v.status === 'not_applicable' && !v.evidence) ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'Say why this item does not apply' })
  })
export type SecurityItemInput = z.infer<typeof SecurityItemSchema>

export const AttestSchema = z.object({ note: optionalText(2000) })
export type AttestInput = z.infer<typeof AttestSchema>
