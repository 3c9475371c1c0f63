import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form, Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { FormErrors, SelectField, TextAreaField, TextField } from '#app/components/forms.tsx'
import { DecisionSchema } from '#app/models/projects/decision-schemas.ts'
import { DECISION_STATUSES, type DecisionStatus } from '#app/models/projects/vocabulary.ts'
import { ROLE_LABELS, type Role } from '#app/models/people/vocabulary.ts'
import { formatDay } from '#app/models/projects/plan.ts'

const STATUS_CLASS: Record<DecisionStatus, string> = {
  proposed: 'bg-amber-100 text-amber-900 ring-amber-300',
  accepted: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  superseded: 'bg-slate-100 text-slate-800 ring-slate-300',
  rejected: 'bg-red-50 text-red-900 ring-red-300',
}

/** A decision's status in words (never colour alone). */
export function DecisionStatusBadge({ status }: { status: DecisionStatus }) {
  return <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ${STATUS_CLASS[status]}`}>{DECISION_STATUSES[status]}</span>
}

type Decision = {
  id: string
  label: string
  title: string
  decision: string
  rationale: string | null
  alternatives: string | null
  status: DecisionStatus
  decidedOn: string | null
  owner: string | null
  activity: string | null
  interface: string | null
  supersedes: { id: string; label: string; title: string } | null
  supersededBy: { id: string; label: string; title: string; status: DecisionStatus } | null
}

/** One decision's facts, with its place in the superseding chain. `linkTo` makes a chain link for a decision id. */
export function DecisionFacts({ d, linkTo, children }: { d: Decision; linkTo: (id: string) => string; children?: ReactNode }) {
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="font-mono text-sm font-semibold text-slate-700">{d.label}</span>
        <DecisionStatusBadge status={d.status} />
        {d.status === 'superseded' && d.supersededBy ? (
          <span className="text-sm text-slate-700">
            superseded by{' '}
            <Link to={linkTo(d.supersededBy.id)} className="link">
              {d.supersededBy.label}
            </Link>
          </span>
        ) : d.supersededBy ? (
          <span className="text-sm text-slate-700">
            <Link to={linkTo(d.supersededBy.id)} className="link">
              {d.supersededBy.label}
            </Link>{' '}
            proposes to supersede it
          </span>
        ) : null}
        {d.supersedes ? (
          <span className="text-sm text-slate-700">
            supersedes{' '}
            <Link to={linkTo(d.supersedes.id)} className="link">
              {d.supersedes.label}
            </Link>
          </span>
        ) : null}
      </div>
      <p className="whitespace-pre-line text-slate-900">{d.decision}</p>
      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        {d.rationale ? (
          <>
            <dt className="font-medium text-slate-700">Rationale</dt>
            <dd className="whitespace-pre-line">{d.rationale}</dd>
          </>
        ) : null}
        {d.alternatives ? (
          <>
            <dt className="font-medium text-slate-700">Alternatives considered</dt>
            <dd className="whitespace-pre-line">{d.alternatives}</dd>
          </>
        ) : null}
        <dt className="font-medium text-slate-700">Owner</dt>
        <dd>{d.owner ?? 'Nobody named'}</dd>
        <dt className="font-medium text-slate-700">Date</dt>
        <dd>{d.decidedOn ? formatDay(d.decidedOn) : 'Not decided yet'}</dd>
        {d.activity || d.interface ? (
          <>
            <dt className="font-medium text-slate-700">About</dt>
            <dd>{d.activity ? `Activity: ${d.activity}` : `Interface: ${d.interface}`}</dd>
          </>
        ) : null}
      </dl>
      {children}
    </div>
  )
}

export type DecisionFormOptions = {
  members: { id: string; name: string; role: Role }[]
  activities: { id: string; title: string }[]
  interfaces: { id: string; name: string }[]
}

type Defaults = Partial<Record<'title' | 'decision' | 'rationale' | 'alternatives' | 'ownerId' | 'decidedOn' | 'activityId' | 'interfaceId', string>>

/** The form that logs, edits or supersedes a decision (a plain form: works without JavaScript). */
export function DecisionForm({
  id,
  intent,
  submitLabel,
  options,
  defaults = {},
  lastResult,
  hidden,
  label,
}: {
  id: string
  intent: string
  submitLabel: string
  options: DecisionFormOptions
  defaults?: Defaults
  lastResult?: SubmissionResult<string[]>
  hidden?: Record<string, string>
  label: string
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    constraint: getZodConstraint(DecisionSchema),
    defaultValue: defaults,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DecisionSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" aria-label={label}>
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextField field={fields.title} label="Title" placeholder="e.g. Route results through the engine" />
      <TextAreaField field={fields.decision} label="Decision" hint="What was decided, in a sentence or two." rows={3} />
      <TextAreaField field={fields.rationale} label="Rationale" rows={3} />
      <TextAreaField field={fields.alternatives} label="Alternatives considered" rows={2} />
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField field={fields.ownerId} label="Owner" placeholder="Nobody yet" options={options.members.map((m) => ({ value: m.id, label: `${m.name} · ${ROLE_LABELS[m.role]}` }))} />
        <TextField field={fields.decidedOn} label="Decision date" type="date" hint="Left empty, acceptance sets today." />
        <SelectField field={fields.activityId} label="Linked activity" placeholder="None" options={options.activities.map((a) => ({ value: a.id, label: a.title }))} />
        <SelectField field={fields.interfaceId} label="Linked interface" placeholder="None" options={options.interfaces.map((i) => ({ value: i.id, label: i.name }))} />
      </div>
      <button type="submit" name="intent" value={intent} className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  )
}
