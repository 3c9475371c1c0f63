/** UAT's form schemas (scenarios, runs, defects), shared by the server and the browser. */
import { z } from 'zod'
import { isRealDay } from '#app/utils/list.ts'
import { enumOf, optionalText } from '#app/utils/schemas.ts'
import { valuesOf } from '#app/utils/vocabulary.ts'
import { DEFECT_STATUSES, type DefectStatus, UAT_EDGE_CASES, UAT_ENVIRONMENTS, UAT_PRIORITIES, UAT_RESULTS } from './vocabulary.ts'

const required = (message: string, max: number) => z.string({ required_error: message }).trim().min(1, message).max(max, `At most ${max} characters`)

/** Checkboxes arrive as one string, several strings or nothing: always a list, without repeats. */
const listOf = <T extends z.ZodTypeAny>(item: T, max: number) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : [v]), z.array(item).max(max, `At most ${max}`)).transform(
    (list) => [...new Set(list as z.output<T>[])],
  )

export const ScenarioSchema = z.object({
  title: required('Give the scenario a title', 200),
  /** The interface it is about; empty: the project as a whole. */
  interfaceId: optionalText(40),
  preconditions: optionalText(4000),
  steps: required('Write the steps a tester follows', 8000),
  expectedResult: required('Say what the tester should see', 4000),
  edgeCases: listOf(z.enum(valuesOf(UAT_EDGE_CASES), { message: 'Choose edge cases from the list' }), 5),
  priority: enumOf(UAT_PRIORITIES, 'Choose a priority').default('medium'),
  /** The mapping rows it exercises, by lineage (the interface's rows). */
  lineageIds: listOf(z.string().trim().min(1).max(40), 200),
})
export type ScenarioInput = z.infer<typeof ScenarioSchema>

/** An evidence link: https only (no javascript:, no plain http for a record a go-live rests on). */
export const httpsUrl = optionalText(2000).refine((v) => {
  if (v === undefined) return true
  try {
    return new URL(v).protocol === 'https:'
  } catch {
    return false
  }
}, 'Enter an https:// link')

export const RunSchema = z.object({
  result: enumOf(UAT_RESULTS, 'Choose the result'),
  environment: enumOf(UAT_ENVIRONMENTS, 'Choose the environment'),
  /** Who ran it; empty: the person recording it. */
  testerId: optionalText(40),
  /** The day it was run (not in the future); empty: now. */
  executedOn: optionalText(10).refine((v) => v === undefined || isRealDay(v), 'Enter a real date (YYYY-MM-DD)'),
  notes: optionalText(4000),
  evidence: optionalText(4000),
  evidenceUrl: httpsUrl,
})
export type RunInput = z.infer<typeof RunSchema>

const severity = z.coerce
  .number({ required_error: 'Choose a severity', invalid_type_error: 'Choose a severity' })
  .int('Choose a severity')
  .min(1, 'Severity is 1 (critical) to 4 (cosmetic)')
  .max(4, 'Severity is 1 (critical) to 4 (cosmetic)')

export const DefectSchema = z.object({
  title: required('Give the defect a title', 200),
  description: optionalText(4000),
  severity,
  ownerId: optionalText(40),
  scenarioId: optionalText(40),
  runId: optionalText(40),
})
export type DefectInput = z.infer<typeof DefectSchema>

/** Edits what a defect is (its status changes through DefectStatusSchema). */
export const DefectEditSchema = DefectSchema.pick({ title: true, description: true, severity: true, ownerId: true })
export type DefectEditInput = z.infer<typeof DefectEditSchema>

export const DefectStatusSchema = z
  .object({
    status: enumOf(DEFECT_STATUSES, 'Choose a status'),
    wontFixReason: optionalText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.status === 'wont_fix' && !v.wontFixReason) ctx.addIssue({ code: 'custom', path: ['wontFixReason'], message: 'Say why it will not be fixed' })
  })
export type DefectStatusInput = z.infer<typeof DefectStatusSchema>

/** The moves a defect's status may make (open → fixed → verified, won't fix, reopen). */
export const DEFECT_MOVES: Record<DefectStatus, readonly DefectStatus[]> = {
  open: ['fixed', 'wont_fix'],
  fixed: ['verified', 'open', 'wont_fix'],
  verified: ['open'],
  wont_fix: ['open'],
}
