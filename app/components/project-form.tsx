import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { APPROACH_HELP, PROJECT_STATUSES } from '#app/models/projects/vocabulary.ts'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { ErrorList, FormErrors, SelectField, TextAreaField, TextField } from './forms.tsx'
import type { MemberOption } from './system-form.tsx'

export type ScopeOptions = {
  systems: { id: string; name: string; kind: string }[]
  interfaces: { id: string; name: string; sourceName: string; targetName: string }[]
}

export type ProjectFormDefaults = {
  name?: string
  goal?: string
  benefits?: string | null
  approach?: string
  approachReason?: string | null
  ownerId?: string | null
  startDate?: string
  targetGoLive?: string
  status?: string
  interfaceIds?: string[]
  systemIds?: string[]
}

/** The project's fields and its scope picked from the inventory; the approach comes with the seed's comparison as help. */
export function ProjectForm({
  lastResult,
  defaults,
  members,
  scopeOptions,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaults?: ProjectFormDefaults
  members: MemberOption[]
  scopeOptions: ScopeOptions
  submitLabel: string
}) {
  const [form, fields] = useForm({
    id: 'project',
    lastResult,
    constraint: getZodConstraint(ProjectSchema),
    defaultValue: { status: 'planned', ...defaults },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProjectSchema }),
    shouldRevalidate: 'onBlur',
  })
  const memberOptions = members.map((m) => ({ value: m.id, label: `${m.name} · ${ROLE_LABELS[m.role]}${m.unit ? ` · ${m.unit}` : ''}` }))
  const chosenSystems = new Set(defaults?.systemIds ?? [])
  const chosenInterfaces = new Set(defaults?.interfaceIds ?? [])
  // conform keeps the submitted values after a failed submit: read them back for the checkboxes.
  const submitted = (name: 'systemIds' | 'interfaceIds', chosen: Set<string>) => {
    const v = fields[name].value
    if (v === undefined) return chosen
    return new Set(Array.isArray(v) ? (v as string[]) : [v as string])
  }
  const systemsChecked = submitted('systemIds', chosenSystems)
  const interfacesChecked = submitted('interfaceIds', chosenInterfaces)
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset className="card grid gap-4 sm:grid-cols-2">
        <legend className="text-lg font-semibold">The project</legend>
        <div className="sm:col-span-2">
          <TextField field={fields.name} label="Name" placeholder="e.g. Quest lab results into Epic via Mirth" />
        </div>
        <div className="sm:col-span-2">
          <TextAreaField field={fields.goal} label="Goal" hint="What changes for patients and staff when it is done." />
        </div>
        <div className="sm:col-span-2">
          <TextAreaField field={fields.benefits} label="Expected benefits" hint="In words, e.g. no re-keying of results; results in the chart within minutes." rows={3} />
        </div>
        <SelectField field={fields.ownerId} label="Owner" placeholder="Nobody yet" options={memberOptions} />
        <SelectField field={fields.status} label="Status" options={Object.entries(PROJECT_STATUSES).map(([value, label]) => ({ value, label }))} />
        <TextField field={fields.startDate} label="Start" type="date" />
        <TextField field={fields.targetGoLive} label="Target go-live" type="date" hint="The plan's first four phases are spread between the two dates." />
      </fieldset>

      <fieldset className="card space-y-3" aria-describedby="approach-help">
        <legend className="text-lg font-semibold">Integration approach</legend>
        <p id="approach-help" className="text-sm text-slate-600">
          Choose the architecture that fits the organisation’s size, budget and technical maturity. Many organisations combine them: an engine for legacy systems, API-first for new applications.
        </p>
        <div className="grid gap-3 md:grid-cols-3">
          {Object.entries(APPROACH_HELP).map(([value, a]) => (
            <label key={value} className="flex cursor-pointer gap-2 rounded-md p-3 ring-1 ring-slate-300 has-[:checked]:ring-2 has-[:checked]:ring-sky-700">
              <input
                type="radio"
                name={fields.approach.name}
                value={value}
                defaultChecked={(fields.approach.initialValue ?? defaults?.approach) === value}
                aria-describedby={`approach-${value}`}
                className="mt-1 h-4 w-4"
              />
              <span>
                <span className="font-semibold">{a.label}</span>
                <span id={`approach-${value}`} className="mt-1 block space-y-1 text-xs text-slate-700">
                  <span className="block">{a.what}</span>
                  <span className="block">
                    <strong>Pros:</strong> {a.pros}
                  </span>
                  <span className="block">
                    <strong>Cons:</strong> {a.cons}
                  </span>
                  <span className="block">
                    <strong>Best for:</strong> {a.bestFor}
                  </span>
                </span>
              </span>
            </label>
          ))}
        </div>
        <ErrorList id={fields.approach.errorId} errors={fields.approach.errors} />
        <TextAreaField field={fields.approachReason} label="Why this approach" hint="The reason, for whoever reviews the project later." />
      </fieldset>

      <fieldset className="card space-y-4">
        <legend className="text-lg font-semibold">Scope</legend>
        <p className="text-sm text-slate-600">The systems and interfaces of the inventory this project changes.</p>
        <div className="grid gap-6 md:grid-cols-2">
          <div>
            <p className="label" id="scope-systems">
              Systems
            </p>
            <ul aria-labelledby="scope-systems" className="mt-1 max-h-72 space-y-1 overflow-auto rounded-md p-2 ring-1 ring-slate-200">
              {scopeOptions.systems.map((s) => (
                <li key={s.id}>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name={fields.systemIds.name} value={s.id} defaultChecked={systemsChecked.has(s.id)} className="h-4 w-4" /> {s.name}
                  </label>
                </li>
              ))}
            </ul>
            <label className="mt-2 flex items-center gap-2 text-sm font-medium">
              <input {...getInputProps(fields.withSystemInterfaces, { type: 'checkbox' })} key={fields.withSystemInterfaces.key} className="h-4 w-4" /> Add every interface of the chosen systems
            </label>
            <ErrorList id={fields.systemIds.errorId} errors={fields.systemIds.errors} />
          </div>
          <div>
            <p className="label" id="scope-interfaces">
              Interfaces
            </p>
            <ul aria-labelledby="scope-interfaces" className="mt-1 max-h-72 space-y-1 overflow-auto rounded-md p-2 ring-1 ring-slate-200">
              {scopeOptions.interfaces.map((i) => (
                <li key={i.id}>
                  <label className="flex items-start gap-2 text-sm">
                    <input type="checkbox" name={fields.interfaceIds.name} value={i.id} defaultChecked={interfacesChecked.has(i.id)} className="mt-0.5 h-4 w-4" />
                    <span>
                      {i.name}
                      <span className="block text-xs text-slate-600">
                        {i.sourceName} → {i.targetName}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
            <ErrorList id={fields.interfaceIds.errorId} errors={fields.interfaceIds.errors} />
          </div>
        </div>
      </fieldset>
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  )
}
