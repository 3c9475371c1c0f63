/** The sign-off page's form schemas, shared by the server and the browser. */
import { z } from 'zod'
import { optionalText } from '#app/utils/schemas.ts'

/** The password, re-entered before signing (step-up). */
export const StepUpSchema = z.object({
  password: z.string({ required_error: 'Enter your password' }).min(1, 'Enter your password').max(1000, 'Enter your password'),
  interfaceId: optionalText(64),
})

/** Sign or refuse: the hash of what was read; a refusal says why. */
export const DecideSchema = z
  .object({
    intent: z.enum(['sign', 'refuse']),
    interfaceId: optionalText(64),
    contentHash: z.string({ required_error: 'Read the content first' }).regex(/^[0-9a-f]{64}$/, 'Read the content first'),
    refusalReason: optionalText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.intent === 'refuse' && !v.refusalReason) ctx.addIssue({ code: 'custom', path: ['refusalReason'], message: 'Say why you refuse: the project needs to know what to fix.' })
  })

/** Which set to ask a sign-off of. */
export const RequestSignoffSchema = z.object({ interfaceId: optionalText(64) })
