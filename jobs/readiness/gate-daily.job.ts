import { z } from 'zod'
import { defineJob } from '../definitions.ts'

/**
 * The go-live gate's daily tasks (app/models/readiness/gate-tasks.server.ts): exemptions about to
 * expire and expired, and the gate failing 30 / 7 days before a go-live. Daily through a job
 * scheduler with no organisation, which queues one job per organisation with open projects or
 * exemptions to tell about. Idempotent: every notice has a dedupe key.
 */
export const gateDailyJob = defineJob({
  name: 'readiness.gate-daily',
  queue: 'maintenance',
  schema: z.object({ organizationId: z.string().min(1).max(64).optional() }).strict(),
})
