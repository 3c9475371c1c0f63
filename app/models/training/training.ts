import { z } from 'zod'
import { optionalText } from '#app/utils/schemas.ts'
import { zonedParts } from '#app/utils/org.ts'
import { FUNCTIONS, ROLES } from '../people/vocabulary.ts'

/**
 * Training's forms and vocabulary, shared by the routes (server validation) and the browser
 * (conform's client validation). No `.server` suffix.
 */

const optionalUrl = z
  .string()
  .trim()
  .max(2000)
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => !v || /^https?:\/\/[^\s]+$/i.test(v), 'Give a web address starting with https:// (or http://)')

/** Form checkboxes send "on" or nothing. */
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean())

/** A multi-select or a group of checkboxes: nothing, one value or several. */
function list<T extends z.ZodTypeAny>(item: T) {
  return z.preprocess((v) => (v == null || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(200))
}

export const ModuleSchema = z.object({
  title: z.string({ required_error: 'Give the module a title' }).trim().min(3, 'Give the module a title (3 characters or more)').max(160, 'At most 160 characters'),
  description: optionalText(4000),
  contentUrl: optionalUrl,
  sandboxUrl: optionalUrl,
  estimatedMinutes: z.coerce
    .number({ invalid_type_error: 'Minutes, as a whole number' })
    .int('Minutes, as a whole number')
    .min(1, 'At least one minute')
    .max(24 * 60, 'At most a day (1440 minutes)')
    .default(30),
  refresherMonths: z.preprocess(
    (v) => (v === '' || v == null ? undefined : v),
    z.coerce.number({ invalid_type_error: 'Months, as a whole number' }).int('Months, as a whole number').min(1, 'At least one month').max(120, 'At most 120 months').optional(),
  ),
  requiredForGoLive: checkbox,
  systemIds: list(z.string().min(1).max(64)),
})
export type ModuleInput = z.infer<typeof ModuleSchema>

export const ChecklistItemSchema = z.object({
  label: z.string({ required_error: 'Say what the learner does' }).trim().min(3, 'Say what the learner does (3 characters or more)').max(300, 'At most 300 characters'),
  verifierRole: z.preprocess((v) => (v === '' ? undefined : v), z.enum(ROLES, { message: 'Choose a role from the list' }).optional()),
})
export type ChecklistItemInput = z.infer<typeof ChecklistItemSchema>

export const RuleSchema = z.object({
  roles: list(z.enum(ROLES, { message: 'Choose roles from the list' })),
  functions: list(z.enum(FUNCTIONS, { message: 'Choose functions from the list' })),
  /** "Emergency Department; ICU": split, trimmed, de-duplicated (case-insensitively). */
  units: z.preprocess(
    (v) => {
      const raw = Array.isArray(v) ? v.join(';') : typeof v === 'string' ? v : ''
      const seen = new Set<string>()
      return raw
        .split(/[;\n]/)
        .map((s) => s.trim())
        .filter((s) => s && !seen.has(s.toLowerCase()) && seen.add(s.toLowerCase()))
    },
    z.array(z.string().max(120, 'A unit name has at most 120 characters')).max(100, 'At most 100 units'),
  ),
  dueInDays: z.coerce
    .number({ invalid_type_error: 'Days, as a whole number' })
    .int('Days, as a whole number')
    .min(1, 'At least one day')
    .max(365, 'At most 365 days')
    .default(14),
})
export type RuleInput = z.infer<typeof RuleSchema>

export const HighRiskRolesSchema = z.object({ highRiskRoles: list(z.enum(ROLES, { message: 'Choose roles from the list' })) })

/** What a rule targets, in words: "Staff · Clinical · Ward 7, ICU" or "everyone". */
export function describeAudience(rule: { roles: string[]; functions: string[]; units: string[] }, labels: { role: Record<string, string>; fn: Record<string, string> }) {
  const parts = [
    rule.roles.length ? rule.roles.map((r) => labels.role[r] ?? r).join(' or ') : null,
    rule.functions.length ? rule.functions.map((f) => labels.fn[f] ?? f).join(' or ') : null,
    rule.units.length ? rule.units.join(' or ') : null,
  ].filter(Boolean)
  return parts.length ? parts.join(' · ') : 'Everyone in the organisation'
}

const DAY = 24 * 3600_000
/** The calendar day of `d` in `timeZone`, as milliseconds at UTC midnight of that date. */
function calendarDay(d: Date, timeZone: string) {
  return Date.parse(`${zonedParts(d, timeZone).date}T00:00:00Z`)
}

/** Whole days from `now` to `due` (negative when overdue), counted on the calendar days of the organisation's time zone. */
export function daysUntil(due: string | Date, now: Date, timeZone: string) {
  return Math.round((calendarDay(new Date(due), timeZone) - calendarDay(now, timeZone)) / DAY)
}

/** "Due today", "Due in 3 days", "2 days overdue" (days of the organisation's time zone). */
export function dueLabel(due: string | Date, now: Date, timeZone: string) {
  const n = daysUntil(due, now, timeZone)
  if (n === 0) return 'Due today'
  if (n === 1) return 'Due tomorrow'
  if (n > 1) return `Due in ${n} days`
  return n === -1 ? '1 day overdue' : `${-n} days overdue`
}

/** completedAt + months (the same day of the month, clamped to the month's end). */
export function addMonths(date: Date, months: number) {
  const d = new Date(date)
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + months)
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return d
}
