import { z } from 'zod'
import { defineJob } from '../definitions.ts'

/**
 * Readiness snapshots 120, 90, 60 and 30 days before each wave's go-live
 * (app/models/readiness/snapshots.server.ts). Daily through a job scheduler with no
 * organisation, which queues one job per organisation with a wave that close to its go-live.
 * Idempotent: the unique (waveId, daysBefore) key makes a second run take nothing.
 */
export const readinessSnapshotsJob = defineJob({
  name: 'readiness.snapshots',
  queue: 'readiness',
  schema: z.object({ organizationId: z.string().min(1).max(64).optional() }).strict(),
})
