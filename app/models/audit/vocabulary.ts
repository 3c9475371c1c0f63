/**
 * The audit trail's vocabulary: the wording of each action (the trail stores stable machine
 * names), the filter's action groups, and how an actor is named. Browser-safe
 * (docs/decisions/018-one-scope-and-vocabulary.md).
 */

// Human wording for audit actions.
const LABELS: Record<string, string> = {
  'org.created': 'created the organisation',
  'org.settings_changed': 'changed organisation settings',
  'member.invited': 'invited',
  'member.role_changed': 'changed the role of',
  'member.details_changed': 'changed the function or unit of',
  'member.deactivated': 'deactivated',
  'member.reactivated': 'reactivated',
  'member.removed': 'removed',
  'invitation.accepted': 'accepted an invitation',
  'invitation.revoked': 'withdrew the invitation of',
  'auth.login': 'signed in',
  'auth.logout': 'signed out',
  'auth.login_failed': 'failed to sign in',
  'auth.login_refused_locked': 'tried to sign in while locked out',
  'auth.lockout': 'was locked out',
  'auth.password_changed': 'changed their password',
  'auth.password_change_failed': 'failed to change their password',
  'auth.password_reset_requested': 'asked for a password reset',
  'audit.exported': 'exported the audit trail',
  'audit.verified': 'verified the audit chain',
  'security.permission_denied': 'was denied access to',
  'system.created': 'added the system',
  'system.updated': 'changed the system',
  'system.upgraded': 'recorded an upgrade of',
  'system.deleted': 'deleted the system',
  'system.capability_imported': 'imported the CapabilityStatement of',
  'system.conformance_recorded': 'recorded a conformance result for',
  'system.conformance_deleted': 'deleted a conformance result of',
  'interface.created': 'added the interface',
  'interface.updated': 'changed the interface',
  'interface.went_live': 'took live the interface',
  'interface.deleted': 'deleted the interface',
  'inventory.imported': 'imported a CSV file',
  'mapping.version_started': 'started a mapping version of',
  'mapping.version_approved': 'approved and froze the mapping of',
  'mapping.row_created': 'added the mapping row',
  'mapping.row_updated': 'changed the mapping row',
  'mapping.row_deleted': 'deleted the mapping row',
  'mapping.row_submitted': 'sent for review the mapping row',
  'mapping.row_approved': 'approved the mapping row',
  'mapping.row_changes_requested': 'requested changes to the mapping row',
  'mapping.row_reopened': 'reopened the mapping row',
  'mapping.code_created': 'added the code map',
  'mapping.code_updated': 'changed the code map',
  'mapping.code_deleted': 'deleted the code map',
  'mapping.imported': 'imported a file into the mapping',
  'org.high_risk_roles_changed': 'changed the high-risk roles of',
  'training.module_created': 'added the training module',
  'training.module_updated': 'changed the training module',
  'training.module_archived': 'archived the training module',
  'training.module_restored': 'restored the training module',
  'training.item_added': 'added a checklist item to',
  'training.item_removed': 'removed a checklist item from',
  'training.items_reordered': 'reordered the checklist of',
  'training.rule_added': 'added an assignment rule to',
  'training.rule_changed': 'changed an assignment rule of',
  'training.rule_removed': 'removed an assignment rule of',
  'training.assignments_synced': 'updated training assignments',
  'training.refreshers_created': 'assigned training refreshers for',
  'training.reminders_recorded': 'recorded training reminders',
  'training.reminder_digests_queued': 'queued training reminder emails',
  'training.item_checked': 'ticked a checklist item of',
  'training.item_unchecked': 'unticked a checklist item of',
  'training.item_verified': 'verified a checklist item of',
  'training.item_returned': 'sent back a checklist item of',
  'training.completed': 'completed the training',
  'training.roster_imported': 'imported a staff roster',
  'decision.created': 'logged a decision of',
  'decision.supersede_proposed': 'proposed a superseding decision for',
  'decision.updated': 'changed a proposed decision of',
  'decision.accepted': 'accepted a decision of',
  'decision.rejected': 'rejected a decision of',
  'decision.superseded': 'marked superseded a decision of',
  'security_assessment.started': 'started the security risk assessment of',
  'security_assessment.scope_changed': 'updated the vendors of the security risk assessment of',
  'security_assessment.reopened': 're-opened the security risk assessment of',
  'security_assessment.item_updated': 'updated a security item of',
  'security_assessment.attested': 'attested the security risk assessment of',
  'raci.cell_set': 'set a RACI letter in',
  'raci.cell_cleared': 'cleared a RACI letter in',
  'raci.activity_added': 'added a RACI activity to',
  'raci.activity_updated': 'changed a RACI activity of',
  'raci.activity_deleted': 'deleted a RACI activity of',
  'raci.template_applied': 'filled the RACI from a template in',
  'raci.imported': 'imported a RACI file into',
  'raci.exported': 'exported the RACI of',
  'project.wave_added': 'added a pilot group or wave to',
  'project.wave_updated': 'changed a wave of',
  'project.wave_removed': 'removed a wave of',
  'project.wave_live': 'took live a wave of',
  'calendar.feed_created': 'made a calendar feed URL for',
  'calendar.feed_revoked': 'revoked the calendar feed URL of',
  'gonogo.recorded': 'recorded a go/no-go meeting of',
  'readiness.snapshot_taken': 'took a readiness snapshot of',
}

export function describeAction(action: string) {
  return LABELS[action] ?? action
}

export const AUDIT_ACTION_GROUPS = [
  { value: 'auth.', label: 'Sign-in and passwords' },
  { value: 'member.', label: 'Members' },
  { value: 'invitation.', label: 'Invitations' },
  { value: 'org.', label: 'Organisation' },
  { value: 'security.', label: 'Permission denied' },
  { value: 'audit.', label: 'Audit exports and checks' },
  { value: 'system.', label: 'Systems' },
  { value: 'interface.', label: 'Interfaces' },
  { value: 'inventory.', label: 'Inventory imports' },
  { value: 'mapping.', label: 'Data mapping' },
  { value: 'training.', label: 'Training' },
  { value: 'decision.', label: 'Project decisions' },
  { value: 'security_assessment.', label: 'Security risk assessments' },
  { value: 'raci.', label: 'RACI' },
  { value: 'calendar.', label: 'Calendar feeds' },
  { value: 'gonogo.', label: 'Go/no-go meetings' },
  { value: 'readiness.', label: 'Readiness snapshots' },
] as const

/** How the trail names the system (a job, the seed) as an actor. */
export const SYSTEM_ACTOR = 'system'

/**
 * Who did it, as the audit views show it: the member's email, or "system" for work a job did
 * (a `SystemScope` writes no actor: scope.server.ts).
 */
export function actorLabel(event: { actorEmail: string | null }): string {
  return event.actorEmail ?? SYSTEM_ACTOR
}
