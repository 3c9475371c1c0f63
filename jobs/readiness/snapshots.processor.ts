import type { Job } from 'bullmq'
import { listOrganizationsWithUpcomingWaves, takeScheduledSnapshots } from '#app/models/readiness/snapshots.server.ts'
import { enqueue } from '#app/utils/queue.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { parsePayload, type ProcessorContext } from '../processor.ts'
import { readinessSnapshotsJob } from './snapshots.job.ts'

/**
 * Without an organisation (the daily scheduler): one job per organisation with a wave within
 * 120 days of its go-live. With one: the due scheduled snapshots of its waves, as the system.
 */
export async function processReadinessSnapshots(job: Job, ctx: ProcessorContext) {
  const { organizationId } = parsePayload(readinessSnapshotsJob, job.data)
  if (!organizationId) {
    const orgs = await listOrganizationsWithUpcomingWaves()
    for (const id of orgs) await enqueue(readinessSnapshotsJob, { organizationId: id })
    ctx.log.debug({ organizations: orgs.length }, 'readiness snapshots queued')
    return { queued: orgs.length }
  }
  const summary = await takeScheduledSnapshots(systemScope(organizationId), {}, { now: new Date() })
  ctx.log.info({ jobId: job.id, organizationId, ...summary }, 'readiness snapshots taken')
  return summary
}
