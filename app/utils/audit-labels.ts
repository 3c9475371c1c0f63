// Human wording for audit actions (the trail stores stable machine names).
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
] as const
