import { z } from 'zod'
import { defineJob } from '../definitions.ts'

/**
 * Training reminders: the ladder's due rungs recorded (with inbox notices) and the day's
 * digests queued in the outbox (app/models/training/training-reminder.server.ts). Hourly through a job
 * scheduler with no organisation, which queues one job per organisation that has open
 * assignments; a run that reaches its batch limit queues the rest of its organisation's work.
 */
export const trainingRemindersJob = defineJob({
  name: 'training.reminders',
  queue: 'training',
  schema: z.object({ organizationId: z.string().min(1).max(64).optional() }).strict(),
})
