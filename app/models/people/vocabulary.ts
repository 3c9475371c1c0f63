/**
 * The members' vocabulary: roles, functions and membership states, every value of their
 * database enums with the label people read. Browser-safe; vocabulary.test.ts checks the
 * values against schema.prisma (docs/decisions/018-one-scope-and-vocabulary.md).
 */

export const ROLES = [
  'owner',
  'admin',
  'manager',
  'analyst',
  'clinical_lead',
  'executive',
  'compliance',
  'staff',
] as const
export type Role = (typeof ROLES)[number]

export const FUNCTIONS = ['it', 'clinical', 'operations', 'compliance', 'executive', 'vendor'] as const
export type MemberFunction = (typeof FUNCTIONS)[number]

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Project manager',
  analyst: 'Integration analyst',
  clinical_lead: 'Clinical lead',
  executive: 'Executive',
  compliance: 'Compliance',
  staff: 'Staff',
}

export const FUNCTION_LABELS: Record<MemberFunction, string> = {
  it: 'IT',
  clinical: 'Clinical',
  operations: 'Operations',
  compliance: 'Compliance',
  executive: 'Executive',
  vendor: 'Vendor',
}

/** A membership's state (MembershipStatus). */
export const MEMBERSHIP_STATUSES = { active: 'Active', deactivated: 'Deactivated' } as const
export type MembershipStatus = keyof typeof MEMBERSHIP_STATUSES
