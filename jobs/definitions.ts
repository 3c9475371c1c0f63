import { z } from 'zod'

/**
 * A job definition: its name, the queue it runs on, and the zod schema of its payload.
 * Payloads carry ids and organizationId only: never secrets or personal data.
 */
export type JobDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> = {
  name: string
  queue: QueueName
  schema: S
  /** Deterministic job id from the payload: the same logical job is queued once. */
  jobId?: (payload: z.infer<S>) => string
}

export const QUEUES = ['email', 'maintenance', 'training', 'readiness'] as const
export type QueueName = (typeof QUEUES)[number]

export function defineJob<S extends z.ZodTypeAny>(def: JobDefinition<S>) {
  return def
}
