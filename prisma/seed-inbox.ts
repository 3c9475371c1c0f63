import { dispatchEmail } from '#app/models/messages/email-outbox.server.ts'
import { runTrainingReminders } from '#app/models/training/training-reminder.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'

/**
 * The demo's inbox: the hourly reminder job's run for the organisation, now, as it would run
 * after the training seed — inbox notices for the ladder's due rungs (and escalations to the
 * managers) and one digest email per person, held in the outbox (the demo has no SMTP server).
 * Quiet hours are set aside so the demo shows digests whatever the hour it is seeded. Safe to
 * re-run: every reminder, notice and digest is keyed, so nothing is made twice.
 */
export async function seedReminders(organizationId: string) {
  if (!(await prisma.trainingAssignment.count({ where: { organizationId, status: 'open' } }))) return { recorded: 0, emailed: 0 }
  const scope = systemScope(organizationId)
  const result = await runTrainingReminders(scope, { respectQuietHours: false, limit: 5_000 })
  // The worker holds them (no SMTP_URL); if Redis is not up yet, its outbox sweep does later.
  for (const id of result.emailIds) await dispatchEmail(scope, id)
  return { recorded: result.recorded, emailed: result.emailed }
}
