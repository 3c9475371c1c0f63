/**
 * The readiness domain's words, browser-safe: go/no-go decisions, panel roles, votes and the
 * kinds of readiness snapshot (enum values of prisma/schema.prisma, checked by
 * app/utils/vocabulary.test.ts).
 */

export const GO_NO_GO_DECISIONS = {
  go: 'Go',
  go_with_conditions: 'Go with conditions',
  no_go: 'No-go',
} as const
export type GoNoGoDecision = keyof typeof GO_NO_GO_DECISIONS

/** The go/no-go panel: the project's accountable person, a clinical lead, IT and compliance. */
export const PANEL_ROLES = {
  project_accountable: 'Project accountable (A)',
  clinical_lead: 'Clinical lead',
  it: 'IT',
  compliance: 'Compliance',
} as const
export type PanelRole = keyof typeof PANEL_ROLES

export const VOTES = {
  go: 'Go',
  no_go: 'No-go',
  abstain: 'Abstain',
} as const
export type Vote = keyof typeof VOTES

export const SNAPSHOT_KINDS = {
  scheduled: 'Scheduled',
  manual: 'Taken by hand',
  go_no_go: 'Go/no-go meeting',
} as const
export type SnapshotKind = keyof typeof SNAPSHOT_KINDS
