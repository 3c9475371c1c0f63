import type { Job } from 'bullmq'
import { syncTrainingAssignments } from '#app/models/training/training-assignment.server.ts'
import { createExpiryRefreshers, listOrganizationsWithTraining } from '#app/models/training/training-refresher.server.ts'
import { enqueue } from '#app/utils/queue.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { parsePayload, type ProcessorContext } from '../processor.ts'
import { syncTrainingAssignmentsJob } from './sync-assignments.job.ts'

/**
 * Without an organisation (the daily scheduler): one job per organisation with training
 * modules. With one: assignments synced with the rules, then refreshers for completions
 * nearing expiry. Both are set-based and idempotent (a second run changes nothing).
 */
export async function processSyncTrainingAssignments(job: Job, ctx: ProcessorContext) {
  const { organizationId } = parsePayload(syncTrainingAssignmentsJob, job.data)
  if (!organizationId) {
    const orgs = await listOrganizationsWithTraining()
    for (const id of orgs) await enqueue(syncTrainingAssignmentsJob, { organizationId: id })
    ctx.log.debug({ organizations: orgs.length }, 'training syncs queued')
    return { queued: orgs.length }
  }
  // The job acts as the system: its audit events name no member.
  const scope = systemScope(organizationId)
  const now = new Date()
  const sync = await syncTrainingAssignments(scope, { trigger: 'job' }, { now })
  const refreshers = await createExpiryRefreshers(scope, { now })
  const summary = { ...sync, refreshers: refreshers.created }
  ctx.log.info({ jobId: job.id, organizationId, ...summary }, 'training assignments synced')
  return summary
}
