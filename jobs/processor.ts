import { UnrecoverableError, type Job } from 'bullmq'
import type { Transporter } from 'nodemailer'
import type { Logger } from 'pino'
import type { z } from 'zod'
import type { JobDefinition } from './definitions.ts'

/** What the worker hands every processor besides the job. */
export type ProcessorContext = {
  /** The SMTP transport, or null when none is configured (emails are then held). */
  mailTransport: () => Transporter | null
  log: Logger
}

export type Processor = (job: Job, ctx: ProcessorContext) => Promise<unknown>

/**
 * Validates a job's payload again on the way out (it may have been queued by an older
 * release, or by hand). A payload that doesn't fit will never fit: fail the job for good
 * instead of retrying it. The message names fields, never their values.
 */
export function parsePayload<S extends z.ZodTypeAny>(definition: JobDefinition<S>, data: unknown): z.infer<S> {
  const parsed = definition.schema.safeParse(data)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ')
    throw new UnrecoverableError(`Bad payload for ${definition.name}: ${issues}`)
  }
  return parsed.data
}
