/**
 * The one permission map: role → capabilities. Server guards (`requireTenant`) and the UI
 * (`can()` in components) both read it, so what a role cannot do is also hidden from it.
 * No `.server` suffix: the browser bundle needs it. The roles and functions themselves (values
 * and labels) are the members' vocabulary, members-vocabulary.ts.
 */
import { ROLES, type Role } from '#app/models/people/vocabulary.ts'

export const CAPABILITIES = [
  'org:read',
  'org:settings',
  'members:read',
  'members:invite',
  'members:manage',
  'audit:read',
  'audit:export',
  'outbox:read',
  'inventory:read',
  'inventory:write',
  'mapping:read',
  'mapping:write',
  'mapping:review',
  'training:manage',
  'training:report',
  'projects:read',
  'projects:write',
  // Edit a project's RACI matrix. A project's owner may also edit its RACI without it
  // (checked by the RACI model, which knows the project).
  'raci:write',
  // Log and accept decisions. Members who are R or A on the project may also log decisions.
  'decisions:write',
  // Complete items of a project's security risk assessment; attest the whole (compliance).
  'security:write',
  'security:attest',
  // Write UAT scenarios (analysts, managers, clinical leads) and record runs and defects.
  'uat:write',
  // Sign off (or refuse) UAT for go-live: clinical leads who are R or A on the project's UAT
  // activity (checked by the sign-off model, which knows the RACI); never their own scenarios.
  'uat:signoff',
  // Exempt one readiness check of a project until a date (compliance). Overriding the whole
  // gate is for the project's A (checked by the gate model from the RACI), not a capability.
  'gate:exempt',
  // Record a go/no-go meeting and take readiness snapshots by hand.
  'gonogo:write',
] as const
export type Capability = (typeof CAPABILITIES)[number]

const everyone: Capability[] = ['org:read', 'members:read', 'inventory:read', 'mapping:read', 'projects:read']

export const PERMISSIONS: Record<Role, readonly Capability[]> = {
  owner: [...everyone, 'org:settings', 'members:invite', 'members:manage', 'audit:read', 'audit:export', 'outbox:read', 'inventory:write', 'mapping:write', 'mapping:review', 'training:manage', 'training:report', 'projects:write', 'raci:write', 'decisions:write', 'security:write', 'uat:write', 'gonogo:write'],
  admin: [...everyone, 'org:settings', 'members:invite', 'members:manage', 'audit:read', 'audit:export', 'outbox:read', 'inventory:write', 'mapping:write', 'mapping:review', 'training:manage', 'training:report', 'projects:write', 'raci:write', 'decisions:write', 'security:write', 'uat:write', 'gonogo:write'],
  // The inventory is kept by the people who run the integration work: managers and analysts.
  // Project managers run training (modules, rules, roster) and read adoption.
  // They also create and re-plan projects.
  manager: [...everyone, 'members:invite', 'inventory:write', 'training:manage', 'training:report', 'projects:write', 'raci:write', 'decisions:write', 'uat:write', 'gonogo:write'],
  // Analysts write mapping rows; analysts and clinical leads review them (never their own).
  // Analysts and clinical leads also write UAT scenarios and record runs; clinical leads sign off.
  analyst: [...everyone, 'inventory:write', 'mapping:write', 'mapping:review', 'uat:write'],
  clinical_lead: [...everyone, 'mapping:review', 'training:report', 'uat:write', 'uat:signoff'],
  executive: [...everyone, 'training:report'],
  // Compliance completes the security risk assessment and is the only role that attests it.
  compliance: [...everyone, 'audit:read', 'audit:export', 'training:report', 'security:write', 'security:attest', 'gate:exempt'],
  // Staff see their own training (every member has "My training"; it needs only org:read).
  // Everyone reads projects: staff see the go-lives that will change their work.
  staff: ['org:read', 'inventory:read', 'projects:read'],
}

export function can(role: Role | null | undefined, capability: Capability): boolean {
  return role ? PERMISSIONS[role].includes(capability) : false
}

/** Roles a member with `role` may hand out: nobody but an owner makes owners. */
export function assignableRoles(role: Role): Role[] {
  if (role === 'owner') return [...ROLES]
  if (role === 'admin') return ROLES.filter((r) => r !== 'owner')
  // Managers invite project members but not admins, owners or compliance officers.
  return ROLES.filter((r) => !['owner', 'admin', 'compliance'].includes(r))
}
