import type { RepeatOptions } from 'bullmq'
import type { JobDefinition } from './definitions.ts'
import { processSendEmail } from './email/send-email.processor.ts'
import { sendEmailJob } from './email/send-email.job.ts'
import { processSweepOutbox } from './email/sweep-outbox.processor.ts'
import { sweepOutboxJob } from './email/sweep-outbox.job.ts'
import { processPurgeSessions } from './maintenance/purge-sessions.processor.ts'
import { purgeSessionsJob } from './maintenance/purge-sessions.job.ts'
import type { Processor } from './processor.ts'
import { processGateDaily } from './readiness/gate-daily.processor.ts'
import { gateDailyJob } from './readiness/gate-daily.job.ts'
import { processReadinessSnapshots } from './readiness/snapshots.processor.ts'
import { readinessSnapshotsJob } from './readiness/snapshots.job.ts'
import { processTrainingReminders } from './training/reminders.processor.ts'
import { trainingRemindersJob } from './training/reminders.job.ts'
import { processSyncTrainingAssignments } from './training/sync-assignments.processor.ts'
import { syncTrainingAssignmentsJob } from './training/sync-assignments.job.ts'

// `any`: a definition's jobId takes its own payload type, so definitions of different payloads
// only fit one list through it. Processors re-validate the payload with the definition's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJobDefinition = JobDefinition<any>

/** Every job the worker runs: its definition (name, queue, payload schema) and its processor. */
export const REGISTRY: ReadonlyArray<{ definition: AnyJobDefinition; processor: Processor }> = [
  { definition: sendEmailJob, processor: processSendEmail },
  { definition: sweepOutboxJob, processor: processSweepOutbox },
  { definition: purgeSessionsJob, processor: processPurgeSessions },
  { definition: trainingRemindersJob, processor: processTrainingReminders },
  { definition: syncTrainingAssignmentsJob, processor: processSyncTrainingAssignments },
  { definition: gateDailyJob, processor: processGateDaily },
  { definition: readinessSnapshotsJob, processor: processReadinessSnapshots },
]

/**
 * The one place repeatable work is declared. The worker upserts these schedulers at start and
 * removes any scheduler that is no longer listed here.
 */
export const SCHEDULES: ReadonlyArray<{ definition: AnyJobDefinition; repeat: Omit<RepeatOptions, 'key'> }> = [
  { definition: sweepOutboxJob, repeat: { every: 60_000 } },
  { definition: purgeSessionsJob, repeat: { pattern: '17 * * * *' } },
  // Hourly: each organisation's digest goes out in the first run after its quiet hours end
  // (at most one a day per person); the ladder's rungs are recorded within the hour.
  { definition: trainingRemindersJob, repeat: { pattern: '5 * * * *' } },
  // Daily (UTC), besides the syncs that member and rule changes run at once.
  { definition: syncTrainingAssignmentsJob, repeat: { pattern: '40 2 * * *' } },
  // Daily (UTC), before the morning digests: exemptions expiring or expired, the gate failing before a go-live.
  { definition: gateDailyJob, repeat: { pattern: '20 3 * * *' } },
  // Daily (UTC): the 120/90/60/30-day readiness snapshots; a missed day catches up the nearest offset.
  { definition: readinessSnapshotsJob, repeat: { pattern: '25 3 * * *' } },
]

const byName = new Map(REGISTRY.map((r) => [r.definition.name, r]))

export function findRegisteredJob(name: string) {
  return byName.get(name)
}
