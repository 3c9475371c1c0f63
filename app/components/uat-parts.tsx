import { getFormProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ErrorList, FormErrors, SelectField, TextAreaField, TextField } from '#app/components/forms.tsx'
import { ROLE_LABELS, type Role } from '#app/models/people/vocabulary.ts'
import { DefectSchema, DefectStatusSchema, RunSchema, ScenarioSchema } from '#app/models/uat/schemas.ts'
import {
  DEFECT_SEVERITIES,
  DEFECT_STATUSES,
  UAT_EDGE_CASES,
  UAT_ENVIRONMENTS,
  UAT_PRIORITIES,
  UAT_RESULTS,
  type DefectSeverity,
  type DefectStatus,
  type UatEdgeCase,
  type UatPriority,
  type UatResult,
} from '#app/models/uat/vocabulary.ts'

const RESULT_CLASS: Record<UatResult | 'not_run', string> = {
  pass: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  fail: 'bg-red-100 text-red-900 ring-red-300',
  blocked: 'bg-amber-100 text-amber-900 ring-amber-300',
  not_run: 'bg-slate-100 text-slate-800 ring-slate-300',
}
const badge = 'inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold ring-1'

/** A run's result in words (never colour alone); "Not run" for none. */
export function ResultBadge({ result }: { result: UatResult | null }) {
  return <span className={`${badge} ${RESULT_CLASS[result ?? 'not_run']}`}>{result ? UAT_RESULTS[result] : 'Not run'}</span>
}

const SEVERITY_CLASS: Record<DefectSeverity, string> = {
  1: 'bg-red-100 text-red-900 ring-red-300',
  2: 'bg-orange-100 text-orange-900 ring-orange-300',
  3: 'bg-amber-50 text-amber-900 ring-amber-300',
  4: 'bg-slate-100 text-slate-800 ring-slate-300',
}
export function SeverityBadge({ severity }: { severity: DefectSeverity }) {
  return <span className={`${badge} ${SEVERITY_CLASS[severity]}`}>Severity {DEFECT_SEVERITIES[severity]}</span>
}

const STATUS_CLASS: Record<DefectStatus, string> = {
  open: 'bg-red-50 text-red-900 ring-red-300',
  fixed: 'bg-sky-50 text-sky-900 ring-sky-300',
  verified: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  wont_fix: 'bg-slate-100 text-slate-800 ring-slate-300',
}
export function DefectStatusBadge({ status }: { status: DefectStatus }) {
  return <span className={`${badge} ${STATUS_CLASS[status]}`}>{DEFECT_STATUSES[status]}</span>
}

export function EdgeCaseTags({ edgeCases }: { edgeCases: UatEdgeCase[] }) {
  if (!edgeCases.length) return null
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Edge cases">
      {edgeCases.map((e) => (
        <li key={e} className="rounded-full bg-violet-50 px-2 py-0.5 text-xs text-violet-900 ring-1 ring-violet-200">
          {UAT_EDGE_CASES[e]}
        </li>
      ))}
    </ul>
  )
}

export type Counts = {
  scenarios: number
  executed: number
  pass: number
  fail: number
  blocked: number
  notRun: number
  openDefects: Record<DefectSeverity, number>
  openBlocking: number
}

/** The UAT counts at a glance: scenarios, executed, latest results, open defects by severity. */
export function UatCounts({ counts, label = 'UAT in numbers' }: { counts: Counts; label?: string }) {
  const open = counts.openDefects[1] + counts.openDefects[2] + counts.openDefects[3] + counts.openDefects[4]
  const items: [string, ReactNode][] = [
    ['Scenarios', counts.scenarios],
    ['Executed', `${counts.executed} of ${counts.scenarios}`],
    ['Passing', counts.pass],
    ['Failing', counts.fail],
    ['Blocked', counts.blocked],
    ['Not run', counts.notRun],
    [
      'Open defects',
      <>
        {open}
        {open ? <span className="block text-xs font-normal text-slate-700">{counts.openBlocking} of severity 1–2</span> : null}
      </>,
    ],
  ]
  return (
    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-7" aria-label={label}>
      {items.map(([term, value]) => (
        <div key={term} className={`rounded-md p-2 ring-1 ${term === 'Failing' && counts.fail ? 'bg-red-50 ring-red-200' : term === 'Open defects' && counts.openBlocking ? 'bg-orange-50 ring-orange-200' : 'bg-white ring-slate-200'}`}>
          <dt className="text-xs font-medium text-slate-700">{term}</dt>
          <dd className="text-lg font-semibold tabular-nums text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  )
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : [])

/** Checkboxes for a list field (a plain form: works without JavaScript), with the field's errors. */
function CheckboxGroup({ field, legend, options, hint }: { field: FieldMetadata<unknown>; legend: string; options: { value: string; label: string }[]; hint?: string }) {
  const checked = new Set(asList(field.initialValue))
  return (
    <fieldset aria-describedby={field.errors?.length ? field.errorId : undefined}>
      <legend className="label">{legend}</legend>
      {hint ? <p className="text-xs text-slate-600">{hint}</p> : null}
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o.value} className="inline-flex items-center gap-2 text-sm">
            <input type="checkbox" name={field.name} value={o.value} defaultChecked={checked.has(o.value)} className="h-4 w-4" />
            {o.label}
          </label>
        ))}
      </div>
      <ErrorList id={field.errorId} errors={field.errors} />
    </fieldset>
  )
}

export type ScenarioDefaults = Partial<{
  title: string
  interfaceId: string
  preconditions: string
  steps: string
  expectedResult: string
  priority: UatPriority
  edgeCases: string[]
  lineageIds: string[]
}>

/** The form that writes or edits a scenario. Mapping rows are offered when the scenario's interface is known. */
export function ScenarioForm({
  id,
  intent,
  label,
  submitLabel,
  interfaces,
  mappingRows,
  defaults = {},
  lastResult,
}: {
  id: string
  intent: string
  label: string
  submitLabel: string
  interfaces: { id: string; name: string }[]
  mappingRows?: { lineageId: string; label: string; current: boolean }[]
  defaults?: ScenarioDefaults
  lastResult?: SubmissionResult<string[]>
}) {
  const initial: ScenarioDefaults = { priority: 'medium', ...defaults }
  const [form, fields] = useForm({
    id,
    lastResult,
    constraint: getZodConstraint(ScenarioSchema),
    defaultValue: initial,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ScenarioSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" aria-label={label}>
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextField field={fields.title} label="Title" placeholder="e.g. Result with an empty value files as “no result”" />
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField field={fields.interfaceId} label="About" placeholder="The whole project" options={interfaces.map((i) => ({ value: i.id, label: i.name }))} />
        <SelectField field={fields.priority} label="Priority" options={Object.entries(UAT_PRIORITIES).map(([value, l]) => ({ value, label: l }))} />
      </div>
      <TextAreaField field={fields.preconditions} label="Preconditions" hint="What must be true before the tester starts: the test patient, the environment." rows={2} />
      <TextAreaField field={fields.steps} label="Steps" hint="One step a line." rows={4} />
      <TextAreaField field={fields.expectedResult} label="Expected result" rows={2} />
      <CheckboxGroup field={fields.edgeCases} legend="Edge cases it exercises" options={Object.entries(UAT_EDGE_CASES).map(([value, l]) => ({ value, label: l }))} />
      {mappingRows ? (
        mappingRows.length ? (
          <CheckboxGroup
            field={fields.lineageIds}
            legend="Mapping rows it exercises"
            hint="The rows of this scenario’s interface (as in its newest mapping version)."
            options={mappingRows.map((r) => ({ value: r.lineageId, label: r.current ? r.label : `${r.label} (not in the newest version)` }))}
          />
        ) : (
          <p className="text-sm text-slate-700">This interface has no mapping rows to link yet.</p>
        )
      ) : (
        <p className="text-sm text-slate-700">Mapping rows: choose the interface and save; its rows are then offered on the scenario’s page.</p>
      )}
      <button type="submit" name="intent" value={intent} className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  )
}

type MemberOption = { id: string; name: string; role: Role }
const memberOptions = (members: MemberOption[]) => members.map((m) => ({ value: m.id, label: `${m.name} · ${ROLE_LABELS[m.role]}` }))

/** Records a run: the result, where, who (the recorder unless named), when, notes and evidence. */
export function RunForm({ id, label, members, lastResult, today }: { id: string; label: string; members: MemberOption[]; lastResult?: SubmissionResult<string[]>; today: string }) {
  const [form, fields] = useForm({
    id,
    lastResult,
    constraint: getZodConstraint(RunSchema),
    defaultValue: { environment: 'test' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RunSchema }),
    shouldRevalidate: 'onBlur',
  })
  const chosen = String(fields.result.initialValue ?? '')
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" aria-label={label}>
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset aria-describedby={fields.result.errors?.length ? fields.result.errorId : undefined}>
        <legend className="label">Result</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {Object.entries(UAT_RESULTS).map(([value, l]) => (
            <label key={value} className="inline-flex items-center gap-2 text-sm">
              <input type="radio" name={fields.result.name} value={value} defaultChecked={chosen === value} className="h-4 w-4" />
              {l}
            </label>
          ))}
        </div>
        <ErrorList id={fields.result.errorId} errors={fields.result.errors} />
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField field={fields.environment} label="Environment" options={Object.entries(UAT_ENVIRONMENTS).map(([value, l]) => ({ value, label: l }))} />
        <SelectField field={fields.testerId} label="Tester" placeholder="Me" options={memberOptions(members)} />
        <TextField field={fields.executedOn} label="Run on" type="date" hint={`Empty: now. Not after ${today}.`} />
      </div>
      <TextAreaField field={fields.notes} label="Notes" hint="What happened, especially when it failed." rows={3} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextAreaField field={fields.evidence} label="Evidence" hint="The message id, a screenshot’s name, what you saw." rows={2} />
        <TextField field={fields.evidenceUrl} label="Evidence link" type="url" hint="https:// only." />
      </div>
      <button type="submit" name="intent" value="run" className="btn-primary">
        Record the run
      </button>
    </Form>
  )
}

export type DefectDefaults = Partial<{ title: string; description: string; severity: string; ownerId: string; scenarioId: string; runId: string }>

/** Opens a defect (or edits one: `edit` leaves out the scenario and run, fixed once opened). */
export function DefectForm({
  id,
  intent,
  label,
  submitLabel,
  members,
  scenarios,
  defaults = {},
  hidden,
  lastResult,
  edit = false,
}: {
  id: string
  intent: string
  label: string
  submitLabel: string
  members: MemberOption[]
  scenarios?: { id: string; label: string; title: string }[]
  defaults?: DefectDefaults
  hidden?: Record<string, string>
  lastResult?: SubmissionResult<string[]>
  edit?: boolean
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    constraint: getZodConstraint(DefectSchema),
    defaultValue: defaults,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DefectSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" aria-label={label}>
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextField field={fields.title} label="Title" placeholder="e.g. Abnormal flag H lost when OBX-8 is empty" />
      <TextAreaField field={fields.description} label="Description" hint="What happened, what should have happened, how to reproduce it." rows={3} />
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField field={fields.severity} label="Severity" placeholder="Choose…" options={Object.entries(DEFECT_SEVERITIES).map(([value, l]) => ({ value, label: l }))} />
        <SelectField field={fields.ownerId} label="Owner" placeholder="Nobody yet" options={memberOptions(members)} />
        {!edit && scenarios ? <SelectField field={fields.scenarioId} label="Scenario" placeholder="None (the project)" options={scenarios.map((s) => ({ value: s.id, label: `${s.label} ${s.title}` }))} /> : null}
      </div>
      {!edit && fields.runId.errors?.length ? <ErrorList id={fields.runId.errorId} errors={fields.runId.errors} /> : null}
      <button type="submit" name="intent" value={intent} className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  )
}

/** Moves a defect: the next statuses it may take, and the reason a won't-fix needs. */
export function DefectStatusForm({
  id,
  label,
  defectId,
  moves,
  lastResult,
}: {
  id: string
  label: string
  defectId: string
  moves: readonly DefectStatus[]
  lastResult?: SubmissionResult<string[]>
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    constraint: getZodConstraint(DefectStatusSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DefectStatusSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-end gap-2" aria-label={label}>
      <input type="hidden" name="defectId" value={defectId} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <SelectField field={fields.status} label="New status" placeholder="Choose…" options={moves.map((s) => ({ value: s, label: s === 'open' ? 'Reopen' : DEFECT_STATUSES[s] }))} />
      {moves.includes('wont_fix') ? (
        <div className="min-w-48 flex-1">
          <TextField field={fields.wontFixReason} label="Reason (for won’t fix)" />
        </div>
      ) : null}
      <button type="submit" name="intent" value="status" className="btn-secondary">
        Change status
      </button>
    </Form>
  )
}
