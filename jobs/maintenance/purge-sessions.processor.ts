import type { Job } from 'bullmq'
import { deleteExpiredSessions } from '#app/utils/session.server.ts'
import { parsePayload, type ProcessorContext } from '../processor.ts'
import { purgeSessionsJob } from './purge-sessions.job.ts'

/** Deletes sessions past their idle or absolute expiry (they are refused anyway; this keeps the table small). */
export async function processPurgeSessions(job: Job, ctx: ProcessorContext) {
  parsePayload(purgeSessionsJob, job.data)
  await deleteExpiredSessions()
  ctx.log.debug('expired sessions purged')
}
