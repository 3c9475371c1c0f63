import type { Job } from 'bullmq'
import { listOrganizationsForGateDaily, runGateDaily } from '#app/models/readiness/gate-tasks.server.ts'
import { enqueue } from '#app/utils/queue.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { parsePayload, type ProcessorContext } from '../processor.ts'
import { gateDailyJob } from './gate-daily.job.ts'

/** Without an organisation (the daily scheduler): one job per organisation. With one: its run, as the system. */
export async function processGateDaily(job: Job, ctx: ProcessorContext) {
  const { organizationId } = parsePayload(gateDailyJob, job.data)
  if (!organizationId) {
    const orgs = await listOrganizationsForGateDaily()
    for (const id of orgs) await enqueue(gateDailyJob, { organizationId: id })
    ctx.log.debug({ organizations: orgs.length }, 'gate daily runs queued')
    return { queued: orgs.length }
  }
  const result = await runGateDaily(systemScope(organizationId))
  ctx.log.info({ jobId: job.id, organizationId, ...result }, 'gate daily run')
  return result
}
