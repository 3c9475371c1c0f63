import { z } from 'zod'
import { defineJob } from '../definitions.ts'

/**
 * Makes training assignments agree with the rules (repairing anything an event-driven sync
 * missed) and creates refreshers for completions nearing expiry. Daily through a job scheduler
 * with no organisation, which queues one job per organisation that has training modules.
 */
export const syncTrainingAssignmentsJob = defineJob({
  name: 'training.sync-assignments',
  queue: 'training',
  schema: z.object({ organizationId: z.string().min(1).max(64).optional() }).strict(),
})
