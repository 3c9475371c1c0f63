import { z } from 'zod'
import { defineJob } from '../definitions.ts'

/** Re-queues outbox rows that were never sent (Redis was down when they were written, or a
 * worker died mid-send). Runs every minute through a job scheduler. */
export const sweepOutboxJob = defineJob({
  name: 'email.sweep',
  queue: 'email',
  schema: z.object({}).strict(),
})
