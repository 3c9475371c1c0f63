/** The projects domain's form schemas, shared by the server and the browser (conform validates with both). */
import { z } from 'zod'
import { enumOf, optionalText } from '#app/utils/schemas.ts'
import { isRealDay } from '#app/utils/list.ts'
import { APPROACH_HELP, PLAN_STATUSES, PROJECT_STATUSES, WAVE_KINDS } from './vocabulary.ts'

/** A calendar day (the browser's date input sends YYYY-MM-DD); empty is "not set". */
const optionalDay = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => v === undefined || isRealDay(v), 'Enter a real date (YYYY-MM-DD)')

const requiredDay = (message: string) =>
  z
    .string({ required_error: message })
    .trim()
    .min(1, message)
    .refine((v) => isRealDay(v), 'Enter a real date (YYYY-MM-DD)')

const ids = (max: number) =>
  z
    .union([z.array(z.string()), z.string()])
    .optional()
    .transform((v) => [...new Set((Array.isArray(v) ? v : [v ?? '']).map((s) => s.trim()).filter(Boolean))].slice(0, max))

export const ProjectSchema = z
  .object({
    name: z.string({ required_error: 'Name the project' }).trim().min(1, 'Name the project').max(160),
    goal: z.string({ required_error: 'Say what the project is for' }).trim().min(1, 'Say what the project is for').max(2000),
    benefits: optionalText(4000),
    approach: enumOf(APPROACH_HELP, 'Choose the integration approach'),
    approachReason: optionalText(2000),
    ownerId: optionalText(40),
    startDate: requiredDay('Enter the start date'),
    targetGoLive: requiredDay('Enter the target go-live date'),
    status: enumOf(PROJECT_STATUSES, 'Choose a status').default('planned'),
    interfaceIds: ids(500),
    systemIds: ids(200),
    /** Also put every interface of the chosen systems in scope. */
    withSystemInterfaces: z.coerce.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (v.startDate && v.targetGoLive && v.targetGoLive <= v.startDate) {
      ctx.addIssue({ code: 'custom', path: ['targetGoLive'], message: 'The target go-live comes after the start date' })
    }
  })
export type ProjectInput = z.infer<typeof ProjectSchema>

const spanFields = {
  plannedStart: optionalDay,
  plannedEnd: optionalDay,
  actualStart: optionalDay,
  actualEnd: optionalDay,
}

function checkSpans(v: { plannedStart?: string; plannedEnd?: string; actualStart?: string; actualEnd?: string }, ctx: z.RefinementCtx) {
  if (v.plannedStart && v.plannedEnd && v.plannedEnd < v.plannedStart) ctx.addIssue({ code: 'custom', path: ['plannedEnd'], message: 'The planned end comes after the planned start' })
  if (v.actualStart && v.actualEnd && v.actualEnd < v.actualStart) ctx.addIssue({ code: 'custom', path: ['actualEnd'], message: 'The actual end comes after the actual start' })
}

export const StepSchema = z
  .object({
    title: z.string({ required_error: 'Name the step' }).trim().min(1, 'Name the step').max(200),
    description: optionalText(2000),
    ownerId: optionalText(40),
    status: enumOf(PLAN_STATUSES, 'Choose a status').default('not_started'),
    skipReason: optionalText(1000),
    ...spanFields,
  })
  .superRefine((v, ctx) => {
    checkSpans(v, ctx)
    if (v.status === 'skipped' && !v.skipReason) ctx.addIssue({ code: 'custom', path: ['skipReason'], message: 'Say why the step is skipped' })
  })
export type StepInput = z.infer<typeof StepSchema>

export const PhaseSchema = z
  .object({
    ownerId: optionalText(40),
    status: enumOf(PLAN_STATUSES, 'Choose a status').default('not_started'),
    ...spanFields,
  })
  .superRefine(checkSpans)
export type PhaseInput = z.infer<typeof PhaseSchema>

/** Units as a form sends them: ticked choices (repeated `units`) and typed ones (`newUnits`, comma- or line-separated). */
const unitList = z
  .union([z.array(z.string()), z.string()])
  .optional()
  .transform((v) => (Array.isArray(v) ? v : [v ?? '']).flatMap((s) => s.split(/[,\n]/)).map((s) => s.trim().replace(/\s+/g, ' ')).filter(Boolean))
  .refine((v) => v.every((u) => u.length <= 120), 'A unit’s name has at most 120 characters')

export const WaveSchema = z
  .object({
    kind: enumOf(WAVE_KINDS, 'Choose pilot or expansion wave').default('expansion'),
    name: z.string({ required_error: 'Name the wave' }).trim().min(1, 'Name the wave').max(120),
    units: unitList,
    newUnits: unitList,
    goLive: requiredDay('Enter the planned go-live date'),
    notes: optionalText(2000),
    memberIds: ids(200),
  })
  .transform(({ newUnits, units, ...v }) => {
    // One unit once, whatever its spelling: "Ward 7" ticked and "ward 7" typed are one unit (as the training rules compare them).
    const seen = new Map<string, string>()
    for (const u of [...(units ?? []), ...(newUnits ?? [])]) if (!seen.has(u.toLowerCase())) seen.set(u.toLowerCase(), u)
    return { ...v, units: [...seen.values()].slice(0, 100) }
  })
  .superRefine((v, ctx) => {
    if (!v.units.length && !v.memberIds.length) ctx.addIssue({ code: 'custom', path: ['units'], message: 'Choose the units this wave brings live (or, for the pilot, its named members)' })
  })
export type WaveInput = z.infer<typeof WaveSchema>
