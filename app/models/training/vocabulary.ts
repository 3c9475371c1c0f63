/**
 * The training vocabulary: every value of its database enums (why an assignment exists, its
 * state, the rungs of the reminder ladder) with the label people read. Browser-safe;
 * vocabulary.test.ts checks the values against schema.prisma
 * (docs/decisions/018-one-scope-and-vocabulary.md).
 */

/** Why a member has an assignment (AssignmentReason). */
export const ASSIGNMENT_REASONS = {
  rule: 'Assigned by a rule',
  manual: 'Assigned by a manager',
  refresher_expiry: 'Refresher: completion expiring',
  refresher_change: 'Refresher: a system changed',
} as const
export type AssignmentReason = keyof typeof ASSIGNMENT_REASONS

/** An assignment's state (AssignmentStatus). */
export const ASSIGNMENT_STATUSES = { open: 'Open', completed: 'Completed', cancelled: 'Cancelled' } as const
export type AssignmentStatus = keyof typeof ASSIGNMENT_STATUSES

/** The rungs of the reminder ladder (ReminderKind), in the order a late assignment climbs them. */
export const REMINDER_KINDS = {
  due_7: 'Due in a week',
  due_1: 'Due tomorrow',
  overdue_1: 'Overdue (first reminder)',
  overdue_2: 'Overdue (second reminder)',
  overdue_3: 'Overdue (third reminder)',
  escalation: 'Escalated to the manager',
  refresher_due: 'Refresher assigned',
} as const
export type ReminderKind = keyof typeof REMINDER_KINDS

/** Refresher assignments are the reasons that start with "refresher_". */
export function isRefresherReason(reason: string): boolean {
  return reason === 'refresher_expiry' || reason === 'refresher_change'
}

/** Go-live readiness: the share of a group (the pilot, a wave) with its required training complete. */
export const READINESS_THRESHOLD_PCT = 90
