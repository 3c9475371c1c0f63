/**
 * The UAT domain's words, browser-safe: the enum values of prisma/schema.prisma (checked by
 * app/utils/vocabulary.test.ts) with the labels people read.
 */

export const UAT_PRIORITIES = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
} as const
export type UatPriority = keyof typeof UAT_PRIORITIES

/** The edge cases a scenario exercises: the seeds' "null values, special characters, unexpected codes". */
export const UAT_EDGE_CASES = {
  null_values: 'Null values',
  special_characters: 'Special characters',
  unexpected_codes: 'Unexpected codes',
  duplicates: 'Duplicates',
  large_volume: 'Large volume',
} as const
export type UatEdgeCase = keyof typeof UAT_EDGE_CASES

export const UAT_RESULTS = {
  pass: 'Pass',
  fail: 'Fail',
  blocked: 'Blocked',
} as const
export type UatResult = keyof typeof UAT_RESULTS

export const UAT_ENVIRONMENTS = {
  sandbox: 'Sandbox',
  test: 'Test',
  production: 'Production',
} as const
export type UatEnvironment = keyof typeof UAT_ENVIRONMENTS

export const DEFECT_STATUSES = {
  open: 'Open',
  fixed: 'Fixed',
  verified: 'Verified',
  wont_fix: 'Won’t fix',
} as const
export type DefectStatus = keyof typeof DEFECT_STATUSES

/** Severity 1 (critical) to 4 (cosmetic); 1 and 2 block go-live and make a sign-off stale. */
export const DEFECT_SEVERITIES = {
  1: '1 — Critical',
  2: '2 — Major',
  3: '3 — Minor',
  4: '4 — Cosmetic',
} as const
export type DefectSeverity = 1 | 2 | 3 | 4
export const BLOCKING_SEVERITY = 2

export const SIGNOFF_DECISIONS = {
  signed: 'Signed off',
  refused: 'Refused',
} as const
export type SignoffDecision = keyof typeof SIGNOFF_DECISIONS
