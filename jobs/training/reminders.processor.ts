import type { Job } from 'bullmq'
import { dispatchEmail } from '#app/models/messages/email-outbox.server.ts'
import { listOrganizationsWithOpenTraining, runTrainingReminders } from '#app/models/training/training-reminder.server.ts'
import { enqueue } from '#app/utils/queue.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { parsePayload, type ProcessorContext } from '../processor.ts'
import { trainingRemindersJob } from './reminders.job.ts'

/**
 * Without an organisation (the hourly scheduler): one job per organisation with open
 * assignments. With one: its reminder run, then the digests it queued are dispatched (after
 * their transactions committed; the outbox sweeper sends any whose dispatch is lost). Work left
 * over by the run's limits is queued as another job. Idempotent: every write is keyed.
 */
export async function processTrainingReminders(job: Job, ctx: ProcessorContext) {
  const { organizationId } = parsePayload(trainingRemindersJob, job.data)
  if (!organizationId) {
    const orgs = await listOrganizationsWithOpenTraining()
    for (const id of orgs) await enqueue(trainingRemindersJob, { organizationId: id })
    ctx.log.debug({ organizations: orgs.length }, 'training reminder runs queued')
    return { queued: orgs.length }
  }
  // The run acts as the system: its audit events name no member.
  const scope = systemScope(organizationId)
  const result = await runTrainingReminders(scope, {
    onProgress: (p) => {
      if (job.id) void job.updateProgress(p).catch(() => {})
    },
  })
  for (const emailId of result.emailIds) await dispatchEmail(scope, emailId)
  const summary = { recorded: result.recorded, emailed: result.emailed, failed: result.failed, quietHours: result.quietHours, more: result.more }
  ctx.log.info({ jobId: job.id, organizationId, ...summary }, 'training reminders run')
  // Failed digests: BullMQ retries this job (with back-off), which redoes only what is left.
  if (result.failed) throw new Error(`${result.failed} training digest(s) failed; the job is retried for them`)
  if (result.more) await enqueue(trainingRemindersJob, { organizationId })
  return summary
}
