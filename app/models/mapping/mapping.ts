import { z } from 'zod'
import { optionalText } from '#app/utils/schemas.ts'
import { EQUIVALENCES, REQUIREMENTS, TRANSFORM_TYPES, type TransformType } from './vocabulary.ts'
import { valuesOf } from '#app/utils/vocabulary.ts'

/**
 * The mapping matrix's schemas and code systems, shared by the forms, the CSV and ConceptMap
 * round trips and the browser. Its enum vocabularies and field labels are in
 * mapping-vocabulary.ts.
 */


/** Standard code systems, by their FHIR code-system URI. */
export const CODE_SYSTEMS = {
  'http://loinc.org': 'LOINC',
  'http://snomed.info/sct': 'SNOMED CT',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://www.ama-assn.org/go/cpt': 'CPT',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
  'http://unitsofmeasure.org': 'UCUM',
} as const
export type CodeSystemUri = keyof typeof CODE_SYSTEMS
export const CODE_SYSTEM_URIS = Object.keys(CODE_SYSTEMS) as [CodeSystemUri, ...CodeSystemUri[]]

/** A code system given by URI or by its short name ("LOINC", "snomed ct"): its URI, or null. */
export function codeSystemUri(value: string): CodeSystemUri | null {
  const v = value.trim()
  if (v in CODE_SYSTEMS) return v as CodeSystemUri
  const byName = Object.entries(CODE_SYSTEMS).find(([, name]) => name.toLowerCase() === v.toLowerCase())
  return byName ? (byName[0] as CodeSystemUri) : null
}

export function codeSystemLabel(uri: string) {
  return (CODE_SYSTEMS as Record<string, string>)[uri] ?? uri
}

/** Data types people pick from (HL7 v2 and FHIR); any other short name is allowed too. */
export const DATA_TYPE_SUGGESTIONS = [
  'string',
  'code',
  'date',
  'dateTime',
  'instant',
  'integer',
  'decimal',
  'boolean',
  'Identifier',
  'HumanName',
  'Address',
  'ContactPoint',
  'CodeableConcept',
  'Coding',
  'Quantity',
  'Reference',
  'Period',
  'ST',
  'TS',
  'DTM',
  'CWE',
  'CX',
  'XPN',
  'XAD',
  'NM',
  'ID',
  'IS',
] as const

const requiredText = (message: string, max: number) => z.string({ required_error: message }).trim().min(1, message).max(max, `At most ${max} characters`)

/** A field path: a segment-field path (PID-7.1, OBX-3, PID-3[1].1), a FHIR path (Patient.birthDate), a column name… */
const PathSchema = (message: string) =>
  requiredText(message, 200).refine((v) => !/[\r\n\t]/.test(v), 'A path is one line without tabs')

export const MappingRowSchema = z
  .object({
    sourceField: requiredText('Name the source field', 120),
    sourcePath: PathSchema('Give the source path, e.g. PID-7.1'),
    targetField: requiredText('Name the target field', 120),
    targetPath: PathSchema('Give the target path, e.g. Patient.birthDate'),
    dataType: requiredText('Give the data type, e.g. date', 60),
    requirement: z.enum(valuesOf(REQUIREMENTS), { required_error: 'Choose required, optional or conditional' }),
    allowedValues: optionalText(2000),
    usageFrequency: optionalText(60),
    transformType: z.enum(valuesOf(TRANSFORM_TYPES), {
      required_error: 'Choose a transformation',
    }),
    transformRule: optionalText(2000),
    qualityRule: optionalText(2000),
    notes: optionalText(4000),
  })
  .superRefine((row, ctx) => {
    // A required field without a rule for bad data is how data goes missing in production.
    if (row.requirement === 'required' && !row.qualityRule) {
      ctx.addIssue({
        code: 'custom',
        path: ['qualityRule'],
        message: 'A required field needs a data-quality rule: what happens when it is missing or bad (e.g. "reject and flag; never default")',
      })
    }
    if (['format_date', 'concatenate', 'split', 'constant', 'custom'].includes(row.transformType) && !row.transformRule) {
      ctx.addIssue({
        code: 'custom',
        path: ['transformRule'],
        message: `Describe the ${TRANSFORM_TYPES[row.transformType as TransformType].toLowerCase()} rule (e.g. "YYYYMMDD → YYYY-MM-DD")`,
      })
    }
  })
export type MappingRowInput = z.infer<typeof MappingRowSchema>

/** The row's columns, in the order of the form, the table and the CSV. */
export const MAPPING_ROW_FIELDS = [
  'sourceField',
  'sourcePath',
  'targetField',
  'targetPath',
  'dataType',
  'requirement',
  'allowedValues',
  'usageFrequency',
  'transformType',
  'transformRule',
  'qualityRule',
  'notes',
] as const satisfies readonly (keyof MappingRowInput)[]

export const CodeMapSchema = z
  .object({
    rowId: optionalText(40),
    sourceSystem: requiredText('Name the local code system, e.g. urn:riverside:lab', 200),
    localCode: requiredText('Give the local code', 100),
    localDisplay: optionalText(300),
    targetSystem: z
      .string({ required_error: 'Choose the standard code system' })
      .trim()
      .transform((v, ctx) => {
        const uri = codeSystemUri(v)
        if (!uri) {
          ctx.addIssue({ code: 'custom', message: `Unknown code system "${v}": use one of ${Object.values(CODE_SYSTEMS).join(', ')} (or its URI)` })
          return z.NEVER
        }
        return uri
      }),
    targetCode: optionalText(100),
    targetDisplay: optionalText(300),
    equivalence: z.enum(valuesOf(EQUIVALENCES), { required_error: 'Choose the equivalence' }),
    comment: optionalText(1000),
  })
  .superRefine((m, ctx) => {
    if (m.equivalence === 'unmatched' && m.targetCode) {
      ctx.addIssue({ code: 'custom', path: ['targetCode'], message: 'An unmatched code has no standard code: clear it or choose another equivalence' })
    }
    if (m.equivalence !== 'unmatched' && !m.targetCode) {
      ctx.addIssue({ code: 'custom', path: ['targetCode'], message: 'Give the standard code, or mark the local code unmatched' })
    }
    // FHIR R4 ConceptMap invariant cmd-1: a narrower map SHALL say what the standard code leaves out.
    if (m.equivalence === 'narrower' && !m.comment) {
      ctx.addIssue({ code: 'custom', path: ['comment'], message: 'A narrower map needs a comment: what the standard code leaves out (FHIR requires it)' })
    }
    // FHIR types, so that every export is a valid ConceptMap: a code system is a uri, a code has single spaces at most.
    if (/\s/.test(m.sourceSystem)) {
      ctx.addIssue({ code: 'custom', path: ['sourceSystem'], message: 'Write the code system without spaces, e.g. urn:riverside:lab (FHIR needs a URI)' })
    }
    for (const f of ['localCode', 'targetCode'] as const) {
      const v = m[f]
      if (v && !/^\S+( \S+)*$/.test(v)) ctx.addIssue({ code: 'custom', path: [f], message: 'A code has no line breaks, tabs or double spaces' })
    }
  })
export type CodeMapInput = z.infer<typeof CodeMapSchema>

export const CODE_MAP_FIELDS = [
  'sourceSystem',
  'localCode',
  'localDisplay',
  'targetSystem',
  'targetCode',
  'targetDisplay',
  'equivalence',
  'comment',
] as const satisfies readonly (keyof CodeMapInput)[]

/** A code map still needs work when it has no standard code. */
export function isUnmapped(m: { targetCode: string | null; equivalence: string }) {
  return !m.targetCode || m.equivalence === 'unmatched'
}

export type Coverage = {
  rows: number
  requiredRows: number
  requiredApproved: number
  approvedRows: number
  codeMaps: number
  codeMapsMapped: number
  unmappedCodes: number
}

export function percent(part: number, whole: number) {
  return whole === 0 ? null : Math.floor((part / whole) * 100)
}
