import type { Job } from 'bullmq'
import { purgeThrottles } from '#app/models/people/auth-throttle.server.ts'
import { deleteExpiredSessions } from '#app/utils/session.server.ts'
import { parsePayload, type ProcessorContext } from '../processor.ts'
import { purgeSessionsJob } from './purge-sessions.job.ts'

/** Deletes sessions past their idle or absolute expiry (they are refused anyway; this keeps the table small),
 * and sign-in/reset counts that no longer count. */
export async function processPurgeSessions(job: Job, ctx: ProcessorContext) {
  parsePayload(purgeSessionsJob, job.data)
  await deleteExpiredSessions()
  const throttles = await purgeThrottles()
  ctx.log.debug({ throttles }, 'expired sessions and throttle counts purged')
}
