import { z } from 'zod'
import { defineJob } from '../definitions.ts'

/** Sends one row of the email outbox. */
export const sendEmailJob = defineJob({
  name: 'email.send',
  queue: 'email',
  schema: z.object({ emailId: z.string().min(1), organizationId: z.string().nullable() }),
  jobId: (p) => `email-${p.emailId}`,
})
