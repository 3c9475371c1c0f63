import { describe, expect, test } from 'vitest'
import { $Enums } from '#app/generated/prisma/client.ts'
import { actorLabel, describeAction } from '#app/models/audit/vocabulary.ts'
import { APPROACHES, CONFORMANCE_RESULTS, CRITICALITIES, DIRECTIONS, ENVIRONMENTS, HOSTINGS, LIFECYCLES, STANDARDS, SYSTEM_KINDS, TRANSPORTS } from '#app/models/inventory/vocabulary.ts'
import { EQUIVALENCES, MAPPING_FIELD_LABELS, MAPPING_VERSION_STATUSES, mappingFieldLabel, REQUIREMENTS, REVIEW_STATES, TRANSFORM_TYPES } from '#app/models/mapping/vocabulary.ts'
import { CODE_MAP_FIELDS, MAPPING_ROW_FIELDS } from '#app/models/mapping/mapping.ts'
import { FUNCTION_LABELS, FUNCTIONS, MEMBERSHIP_STATUSES, ROLE_LABELS, ROLES } from '#app/models/people/vocabulary.ts'
import { ASSIGNMENT_REASONS, ASSIGNMENT_STATUSES, isRefresherReason, REMINDER_KINDS } from '#app/models/training/vocabulary.ts'
import { labelOf, valuesOf } from './vocabulary.ts'
import { DEFECT_STATUSES, SIGNOFF_DECISIONS, UAT_EDGE_CASES, UAT_ENVIRONMENTS, UAT_PRIORITIES, UAT_RESULTS } from '#app/models/uat/vocabulary.ts'
import { GO_NO_GO_DECISIONS, PANEL_ROLES, SNAPSHOT_KINDS, VOTES } from '#app/models/readiness/vocabulary.ts'
import { DECISION_STATUSES, PHASES, PLAN_STATUSES, PROJECT_STATUSES, RACI_ACTIVITY_KINDS, RACI_CATEGORIES, RACI_LETTERS, SECURITY_ITEM_KINDS, SECURITY_ITEM_STATUSES, WAVE_KINDS, WAVE_STATUSES } from '#app/models/projects/vocabulary.ts'

/**
 * Every enum of schema.prisma and the vocabulary that writes it for people. Typed by the
 * generated client's enums, so a new enum does not compile until it is given a vocabulary here
 * (or a reason why people never read it); the test below fails when a value is added to,
 * renamed in or removed from an enum without its vocabulary following.
 */
const VOCABULARIES: Record<keyof typeof $Enums, readonly string[] | { none: string }> = {
  Role: ROLES,
  MemberFunction: FUNCTIONS,
  MembershipStatus: valuesOf(MEMBERSHIP_STATUSES),
  EmailStatus: { none: 'an outbox state, read by operators in the outbox view as it is stored' },
  SystemKind: valuesOf(SYSTEM_KINDS),
  SystemEnvironment: valuesOf(ENVIRONMENTS),
  Hosting: valuesOf(HOSTINGS),
  Criticality: valuesOf(CRITICALITIES),
  ConformanceResult: valuesOf(CONFORMANCE_RESULTS),
  InterfaceStandard: valuesOf(STANDARDS),
  Transport: valuesOf(TRANSPORTS),
  IntegrationApproach: valuesOf(APPROACHES),
  InterfaceDirection: valuesOf(DIRECTIONS),
  Lifecycle: valuesOf(LIFECYCLES),
  MappingVersionStatus: valuesOf(MAPPING_VERSION_STATUSES),
  Requirement: valuesOf(REQUIREMENTS),
  TransformType: valuesOf(TRANSFORM_TYPES),
  ReviewState: valuesOf(REVIEW_STATES),
  CodeEquivalence: valuesOf(EQUIVALENCES),
  AssignmentReason: valuesOf(ASSIGNMENT_REASONS),
  AssignmentStatus: valuesOf(ASSIGNMENT_STATUSES),
  ReminderKind: valuesOf(REMINDER_KINDS),
  ThrottleKind: { none: 'a sign-in throttle counter, never shown to people' },
  ProjectStatus: valuesOf(PROJECT_STATUSES),
  ProjectPhaseKind: valuesOf(PHASES),
  PlanStatus: valuesOf(PLAN_STATUSES),
  WaveKind: valuesOf(WAVE_KINDS),
  WaveStatus: valuesOf(WAVE_STATUSES),
  RaciActivityKind: valuesOf(RACI_ACTIVITY_KINDS),
  RaciCategory: valuesOf(RACI_CATEGORIES),
  RaciLetter: valuesOf(RACI_LETTERS),
  DecisionStatus: valuesOf(DECISION_STATUSES),
  SecurityItemKind: Object.keys(SECURITY_ITEM_KINDS),
  SecurityItemStatus: valuesOf(SECURITY_ITEM_STATUSES),
  UatPriority: valuesOf(UAT_PRIORITIES),
  UatEdgeCase: valuesOf(UAT_EDGE_CASES),
  UatResult: valuesOf(UAT_RESULTS),
  UatEnvironment: valuesOf(UAT_ENVIRONMENTS),
  DefectStatus: valuesOf(DEFECT_STATUSES),
  SignoffDecision: valuesOf(SIGNOFF_DECISIONS),
  GoNoGoDecision: valuesOf(GO_NO_GO_DECISIONS),
  PanelRole: valuesOf(PANEL_ROLES),
  Vote: valuesOf(VOTES),
  SnapshotKind: valuesOf(SNAPSHOT_KINDS),
}

const sorted = (values: Iterable<string>) => [...values].sort()

describe('vocabularies', () => {
  test('every Prisma enum has a vocabulary (or a stated reason for none)', () => {
    expect(sorted(Object.keys(VOCABULARIES))).toEqual(sorted(Object.keys($Enums)))
  })

  test.each(Object.entries(VOCABULARIES).filter((e): e is [string, readonly string[]] => Array.isArray(e[1])))(
    'the values of %s are the database enum’s values',
    (name, values) => {
      const prismaValues = Object.values($Enums[name as keyof typeof $Enums] as Record<string, string>)
      // Order is the vocabulary's (how a list or a select shows them); the set must be the enum's.
      expect(sorted(values)).toEqual(sorted(prismaValues))
      expect(new Set(values).size).toBe(values.length)
    },
  )

  test('roles and functions have a label each, and no label for a value that does not exist', () => {
    expect(sorted(Object.keys(ROLE_LABELS))).toEqual(sorted(ROLES))
    expect(sorted(Object.keys(FUNCTION_LABELS))).toEqual(sorted(FUNCTIONS))
  })

  test('every field of a mapping row and a code map has one label, used by forms and diffs alike', () => {
    for (const f of [...MAPPING_ROW_FIELDS, ...CODE_MAP_FIELDS]) expect(MAPPING_FIELD_LABELS[f], f).toBeTruthy()
    expect(mappingFieldLabel('transformRule')).toBe('Transformation rule')
    // A field an old audit event names but today's form has not: its name, not a blank.
    expect(mappingFieldLabel('retiredField')).toBe('retiredField')
  })

  test('valuesOf keeps the vocabulary’s order; labelOf falls back to the stored value', () => {
    expect(valuesOf(REVIEW_STATES)).toEqual(['draft', 'in_review', 'changes_requested', 'approved'])
    expect(() => valuesOf({})).toThrow()
    expect(labelOf(REVIEW_STATES, 'in_review')).toBe('In review')
    expect(labelOf(REVIEW_STATES, 'archived')).toBe('archived')
    // Not a property of every object: an inherited name is not a label.
    expect(labelOf(REVIEW_STATES, 'toString')).toBe('toString')
  })

  test('the refresher reasons are the assignment reasons that start with "refresher_"', () => {
    expect(valuesOf(ASSIGNMENT_REASONS).filter(isRefresherReason)).toEqual(valuesOf(ASSIGNMENT_REASONS).filter((r) => r.startsWith('refresher_')))
    expect(isRefresherReason('rule')).toBe(false)
  })

  test('the audit trail names the system as "system" and a member by their email', () => {
    expect(actorLabel({ actorEmail: null })).toBe('system')
    expect(actorLabel({ actorEmail: 'ana@example.test' })).toBe('ana@example.test')
    expect(describeAction('training.assignments_synced')).toBe('updated training assignments')
  })
})
