import type { Job } from 'bullmq'
import { sendOutboxEmail } from '#app/models/messages/email-outbox.server.ts'
import { parsePayload, type ProcessorContext } from '../processor.ts'
import { sendEmailJob } from './send-email.job.ts'

/**
 * Sends one outbox row. Idempotent: the model claims the row before sending, so a job that
 * runs twice (retry, duplicate, stalled and re-run) sends once. An SMTP error is thrown for
 * BullMQ to retry with back-off; on the last attempt the row is marked failed.
 */
export async function processSendEmail(job: Job, ctx: ProcessorContext) {
  const { emailId } = parsePayload(sendEmailJob, job.data)
  const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
  const result = await sendOutboxEmail(emailId, ctx.mailTransport(), { finalAttempt })
  ctx.log.info({ jobId: job.id, emailId, result }, 'email job done')
  return result
}
