import { z } from 'zod'
import { defineJob } from '../definitions.ts'

/** Deletes expired sessions (idle or absolute). Hourly. */
export const purgeSessionsJob = defineJob({
  name: 'maintenance.purge-sessions',
  queue: 'maintenance',
  schema: z.object({}).strict(),
})
