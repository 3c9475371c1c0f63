import { getFormProps, getInputProps, getSelectProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { FUNCTION_LABELS, FUNCTIONS, ROLE_LABELS, ROLES } from '#app/models/people/vocabulary.ts'
import { ChecklistItemSchema, daysUntil, dueLabel, ModuleSchema, RuleSchema } from '#app/models/training/training.ts'
import { ErrorList, FormErrors, SelectField, TextField } from './forms.tsx'

export function DueBadge({ dueAt, now, timeZone }: { dueAt: string; now: Date; timeZone: string }) {
  const n = daysUntil(dueAt, now, timeZone)
  const tone = n < 0 ? 'bg-red-100 text-red-900 ring-red-300' : n <= 2 ? 'bg-amber-100 text-amber-950 ring-amber-300' : 'bg-slate-100 text-slate-800 ring-slate-300'
  return <span className={`rounded px-2 py-0.5 text-sm font-semibold ring-1 ${tone}`}>{dueLabel(dueAt, now, timeZone)}</span>
}

export function Progress({ done, pending, total }: { done: number; pending: number; total: number }) {
  if (!total) return null
  return (
    <div className="flex h-2 w-full overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
      <div className="bg-green-600" style={{ width: `${(done / total) * 100}%` }} />
      <div className="bg-amber-400" style={{ width: `${(pending / total) * 100}%` }} />
    </div>
  )
}


// ─── the manager's forms ─────────────────────────────────────────────────────────────────

export type ModuleFormDefaults = {
  title?: string
  description?: string | null
  contentUrl?: string | null
  sandboxUrl?: string | null
  estimatedMinutes?: number
  refresherMonths?: number | null
  requiredForGoLive?: boolean
  systemIds?: string[]
}

export function ModuleForm({
  lastResult,
  defaults,
  systems,
  submitLabel,
  intent,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaults?: ModuleFormDefaults
  systems: { id: string; name: string }[]
  submitLabel: string
  intent?: string
}) {
  const [form, fields] = useForm({
    id: 'module',
    lastResult,
    constraint: getZodConstraint(ModuleSchema),
    defaultValue: {
      ...defaults,
      description: defaults?.description ?? '',
      contentUrl: defaults?.contentUrl ?? '',
      sandboxUrl: defaults?.sandboxUrl ?? '',
      estimatedMinutes: String(defaults?.estimatedMinutes ?? 30),
      refresherMonths: defaults?.refresherMonths ? String(defaults.refresherMonths) : '',
      requiredForGoLive: defaults?.requiredForGoLive ? 'on' : undefined,
      // conform types a preprocessed list's default as one string; a multi-select takes an array.
      systemIds: (defaults?.systemIds ?? []) as never,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ModuleSchema }),
    shouldRevalidate: 'onBlur',
  })
  const systemsSelect = getSelectProps(fields.systemIds as FieldMetadata<string[] | undefined>)
  return (
    <Form method="post" {...getFormProps(form)} className="card grid gap-4 sm:grid-cols-2">
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <div className="sm:col-span-2">
        <FormErrors id={form.errorId} errors={form.errors} />
      </div>
      <div className="sm:col-span-2">
        <TextField field={fields.title} label="Title" placeholder="e.g. Lab results in the new EHR inbox" />
      </div>
      <div className="sm:col-span-2">
        <label htmlFor={fields.description.id} className="label">
          What the learner will be able to do
        </label>
        <textarea {...getInputProps(fields.description, { type: 'text' })} key={fields.description.key} rows={3} className="input mt-1" />
        <ErrorList id={fields.description.errorId} errors={fields.description.errors} />
      </div>
      <TextField field={fields.contentUrl} label="Course link" type="url" placeholder="https://learning.example.org/…" />
      <TextField field={fields.sandboxUrl} label="Sandbox link" type="url" hint="A practice environment with realistic test data." />
      <TextField field={fields.estimatedMinutes as FieldMetadata<string | undefined>} label="Estimated minutes" />
      <TextField field={fields.refresherMonths as FieldMetadata<string | undefined>} label="Refresher every … months" hint="Empty: the completion never expires." />
      <div>
        <label htmlFor={systemsSelect.id} className="label">
          Systems it teaches
        </label>
        <p className="text-xs text-slate-600">An upgrade of one of them calls for a refresher. Hold Ctrl or ⌘ to choose several.</p>
        <select {...systemsSelect} key={systemsSelect.key} multiple size={Math.min(6, Math.max(3, systems.length))} className="input mt-1">
          {systems.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <ErrorList id={fields.systemIds.errorId} errors={fields.systemIds.errors} />
      </div>
      <label className="flex items-center gap-2 self-center text-sm font-medium">
        <input {...getInputProps(fields.requiredForGoLive, { type: 'checkbox' })} key={fields.requiredForGoLive.key} className="h-5 w-5" />
        Required before go-live (counts towards readiness)
      </label>
      <div className="sm:col-span-2">
        <button type="submit" className="btn-primary">
          {submitLabel}
        </button>
      </div>
    </Form>
  )
}

export function ChecklistItemForm({ lastResult }: { lastResult?: SubmissionResult<string[]> | null }) {
  const [form, fields] = useForm({
    id: 'checklist-item',
    lastResult,
    constraint: getZodConstraint(ChecklistItemSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChecklistItemSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-[1fr_14rem_auto] sm:items-end">
      <input type="hidden" name="intent" value="add-item" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextField field={fields.label} label="New item" placeholder="e.g. File a normal result in the sandbox" />
      <SelectField
        field={fields.verifierRole as FieldMetadata<string | undefined>}
        label="Verified by"
        placeholder="Nobody (self-ticked)"
        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
      />
      <button type="submit" className="btn-primary">
        Add item
      </button>
    </Form>
  )
}

export function RuleForm({ lastResult }: { lastResult?: SubmissionResult<string[]> | null }) {
  const [form, fields] = useForm({
    id: 'rule',
    lastResult,
    constraint: getZodConstraint(RuleSchema),
    defaultValue: { dueInDays: '14' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RuleSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <input type="hidden" name="intent" value="add-rule" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <p className="text-sm text-slate-700">
        Members who match every list you fill are assigned the module — now, when they join, and when their role, function or unit changes.
        An empty list means any.
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        <fieldset>
          <legend className="label">Roles</legend>
          <div className="mt-1 grid grid-cols-2 gap-1">
            {ROLES.map((r) => (
              <label key={r} className="flex min-h-8 items-center gap-2 text-sm">
                <input type="checkbox" name={fields.roles.name} value={r} className="h-4 w-4" /> {ROLE_LABELS[r]}
              </label>
            ))}
          </div>
          <ErrorList id={fields.roles.errorId} errors={fields.roles.errors} />
        </fieldset>
        <fieldset>
          <legend className="label">Functions</legend>
          <div className="mt-1 grid grid-cols-2 gap-1">
            {FUNCTIONS.map((f) => (
              <label key={f} className="flex min-h-8 items-center gap-2 text-sm">
                <input type="checkbox" name={fields.functions.name} value={f} className="h-4 w-4" /> {FUNCTION_LABELS[f]}
              </label>
            ))}
          </div>
          <ErrorList id={fields.functions.errorId} errors={fields.functions.errors} />
        </fieldset>
        <TextField field={fields.units as FieldMetadata<string | undefined>} label="Units" hint="Separate with semicolons, e.g. Emergency Department; ICU" />
        <TextField field={fields.dueInDays as FieldMetadata<string | undefined>} label="Due … days after assignment" />
      </div>
      <button type="submit" className="btn-primary">
        Add rule and assign
      </button>
    </Form>
  )
}
