/**
 * The readiness scorecard's pieces: status and band badges, the three levels, the small summary
 * on the project home. Words, not colour alone: every badge says its status.
 */
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form, Link } from '@remix-run/react'
import { FormErrors, SelectField, TextAreaField, TextField } from '#app/components/forms.tsx'
import { BANDS, CHECK_STATUSES, ExemptionSchema, LEVEL_ORDER, LEVELS, OverrideSchema, type Band, type CheckStatus, type Level } from '#app/models/readiness/readiness.ts'

const STATUS_CLASS: Record<CheckStatus, string> = {
  pass: 'bg-emerald-50 text-emerald-900 ring-emerald-300',
  fail: 'bg-rose-50 text-rose-900 ring-rose-300',
  na: 'bg-slate-50 text-slate-700 ring-slate-300',
  exempted: 'bg-amber-50 text-amber-900 ring-amber-300',
}
const BAND_CLASS: Record<Band, string> = {
  failing: 'bg-rose-50 text-rose-900 ring-rose-300',
  attention: 'bg-amber-50 text-amber-900 ring-amber-300',
  passing: 'bg-emerald-50 text-emerald-900 ring-emerald-300',
}

export function CheckStatusBadge({ status }: { status: CheckStatus }) {
  return <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ${STATUS_CLASS[status]}`}>{CHECK_STATUSES[status]}</span>
}

export function BandBadge({ band }: { band: Band }) {
  return <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ${BAND_CLASS[band]}`}>{BANDS[band]}</span>
}

export const levelLabel = (level: Level | null) => (level ? LEVELS[level] : 'Not yet design complete')

/** The three levels in order, each reached or not. */
export function LevelSteps({ level }: { level: Level | null }) {
  const reached = level ? LEVEL_ORDER.indexOf(level) : -1
  return (
    <ol className="flex flex-wrap gap-2" aria-label="Readiness levels">
      {LEVEL_ORDER.map((l, i) => (
        <li key={l} className={`rounded-full px-3 py-1 text-sm ring-1 ${i <= reached ? 'bg-emerald-50 font-semibold text-emerald-900 ring-emerald-300' : 'bg-white text-slate-700 ring-slate-300'}`}>
          <span aria-hidden="true">{i <= reached ? '✓ ' : `${i + 1}. `}</span>
          {LEVELS[l]}
          <span className="sr-only">{i <= reached ? ' (passed)' : ' (not yet)'}</span>
        </li>
      ))}
    </ol>
  )
}

/** The project home's summary: score, band, level, what fails, and the way to the scorecard. */
export function ReadinessSummary({ to, scorePct, band, level, failing, gateOpen, overridden }: { to: string; scorePct: number; band: Band; level: Level | null; failing: string[]; gateOpen: boolean; overridden: boolean }) {
  return (
    <section className="card space-y-2" aria-labelledby="readiness-summary">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="readiness-summary" className="text-lg font-semibold">
          Readiness
        </h2>
        <Link to={to} className="link text-sm">
          Scorecard
        </Link>
      </div>
      <p className="flex flex-wrap items-center gap-2">
        <span className="text-2xl font-bold">{scorePct} %</span> <BandBadge band={band} /> <span className="text-sm text-slate-700">{levelLabel(level)}</span>
      </p>
      <p className="text-sm text-slate-700">
        {failing.length ? `Failing: ${failing.join(', ')}.` : 'Every check passes.'} Go-live gate {gateOpen ? (overridden ? 'open by override' : 'open') : 'closed'}.
      </p>
    </section>
  )
}

/** The accountable person's override of the whole gate: a written reason (a plain form: works without JavaScript). */
export function OverrideForm({ lastResult }: { lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({
    id: 'override',
    lastResult,
    constraint: getZodConstraint(OverrideSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: OverrideSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" aria-label="Override the gate">
      <input type="hidden" name="intent" value="override" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextAreaField field={fields.reason} label="Why the project goes live with failing checks" hint="Written on the scorecard and in the audit trail; you can revoke the override later." rows={3} />
      <button type="submit" className="btn-primary">
        Override the gate
      </button>
    </Form>
  )
}

/** Compliance exempts one check until a future date, with a reason. */
export function ExemptionForm({ checks, lastResult, today }: { checks: readonly { key: string; title: string }[]; lastResult?: SubmissionResult<string[]>; today: string }) {
  const [form, fields] = useForm({
    id: 'exempt',
    lastResult,
    constraint: getZodConstraint(ExemptionSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ExemptionSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" aria-label="Exempt a check">
      <input type="hidden" name="intent" value="exempt" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField field={fields.checkKey} label="Check" placeholder="Choose a check" options={checks.map((c) => ({ value: c.key, label: c.title }))} />
        <TextField field={fields.expiresOn} label="Expires on" type="date" hint={`After ${today}. It stops counting the day after.`} />
      </div>
      <TextAreaField field={fields.reason} label="Reason" rows={2} />
      <button type="submit" className="btn-primary">
        Grant exemption
      </button>
    </Form>
  )
}
