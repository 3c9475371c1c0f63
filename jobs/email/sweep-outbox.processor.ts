import type { Job } from 'bullmq'
import { dispatchEmail, findEmailsToSweep } from '#app/models/messages/email-outbox.server.ts'
import { getQueue } from '#app/utils/queue.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { parsePayload, type ProcessorContext } from '../processor.ts'
import { sendEmailJob } from './send-email.job.ts'
import { sweepOutboxJob } from './sweep-outbox.job.ts'

/** At most this many rows per run (every minute): a backlog drains over a few runs, not in one burst. */
export const SWEEP_BATCH = 200

/**
 * Re-queues outbox rows nobody is sending: written while Redis was down, or left behind by a
 * worker that died mid-send.
 */
export async function processSweepOutbox(job: Job, ctx: ProcessorContext) {
  parsePayload(sweepOutboxJob, job.data)
  const rows = await findEmailsToSweep(SWEEP_BATCH)
  const queue = getQueue(sendEmailJob.queue)
  let requeued = 0
  for (const row of rows) {
    const payload = { emailId: row.id, organizationId: row.organizationId }
    // NOTE: send jobs have a deterministic id, and BullMQ ignores an add whose id it still
    // keeps (finished jobs are kept for a day). A job that finished without sending (it found
    // the row claimed by a worker that then died) would block the re-send: remove it first.
    const existing = await queue.getJob(sendEmailJob.jobId!(payload))
    if (existing) {
      const state = await existing.getState()
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue // still on its way
      await existing.remove().catch(() => {})
    }
    await dispatchEmail(row.organizationId ? systemScope(row.organizationId) : null, row.id)
    requeued++
  }
  if (requeued) ctx.log.info({ requeued }, 'outbox sweep re-queued emails')
  return { requeued }
}
