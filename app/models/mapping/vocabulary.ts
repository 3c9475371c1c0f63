/**
 * The mapping matrix's vocabulary: every value of its database enums with the label people
 * read, and the label of every field of a mapping row and a code map (the forms, the version
 * diff and the review history name a field the same way). Browser-safe; vocabulary.test.ts
 * checks the values against schema.prisma (docs/decisions/018-one-scope-and-vocabulary.md).
 */

export const REQUIREMENTS = { required: 'Required', optional: 'Optional', conditional: 'Conditional' } as const
export type Requirement = keyof typeof REQUIREMENTS

export const TRANSFORM_TYPES = {
  copy: 'Copy',
  format_date: 'Format date',
  concatenate: 'Concatenate',
  split: 'Split',
  lookup: 'Lookup (code map)',
  constant: 'Constant',
  custom: 'Custom',
} as const
export type TransformType = keyof typeof TRANSFORM_TYPES

export const REVIEW_STATES = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
} as const
export type ReviewState = keyof typeof REVIEW_STATES

/** Equivalence of a local code to its standard code (a subset of FHIR R4 ConceptMap equivalence). */
export const EQUIVALENCES = {
  equal: 'Equal',
  wider: 'Wider (the standard code means more)',
  narrower: 'Narrower (the standard code means less)',
  unmatched: 'Unmatched (no standard code)',
} as const
export type Equivalence = keyof typeof EQUIVALENCES

/** A mapping version's state (MappingVersionStatus): a draft is edited, an approved one is frozen. */
export const MAPPING_VERSION_STATUSES = { draft: 'Draft', approved: 'Approved' } as const
export type MappingVersionStatus = keyof typeof MAPPING_VERSION_STATUSES

/** The label of each field of a mapping row and a code map, in forms and diffs. */
export const MAPPING_FIELD_LABELS = {
  sourceField: 'Source field',
  sourcePath: 'Source path',
  targetField: 'Target field',
  targetPath: 'Target path',
  dataType: 'Data type',
  requirement: 'Required?',
  allowedValues: 'Allowed values',
  usageFrequency: 'Usage frequency',
  transformType: 'Transformation',
  transformRule: 'Transformation rule',
  qualityRule: 'Data-quality rule',
  notes: 'Notes',
  sourceSystem: 'Local code system',
  localCode: 'Local code',
  localDisplay: 'Local display',
  targetSystem: 'Standard code system',
  targetCode: 'Standard code',
  targetDisplay: 'Standard display',
  equivalence: 'Equivalence',
  comment: 'Comment',
} as const

/** A field's label, or its name when it has none (an old audit event may name a retired field). */
export function mappingFieldLabel(field: string): string {
  return (MAPPING_FIELD_LABELS as Record<string, string>)[field] ?? field
}
