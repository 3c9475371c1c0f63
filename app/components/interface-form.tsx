import { getFormProps, getInputProps, getSelectProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { useState } from 'react'
import { DICOM_SERVICES, HL7V2_MESSAGE_TYPES, InterfaceSchema, messageTypeNoun, vocabularyFor, X12_TRANSACTIONS } from '#app/models/inventory/inventory.ts'
import { APPROACHES, CRITICALITIES, DIRECTIONS, LIFECYCLES, STANDARDS, TRANSPORTS, type InterfaceStandard } from '#app/models/inventory/vocabulary.ts'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { ErrorList, FormErrors, SelectField, TextField } from './forms.tsx'
import type { MemberOption } from './system-form.tsx'

const options = (map: Record<string, string>) => Object.entries(map).map(([value, label]) => ({ value, label }))
const DESCRIPTIONS: Partial<Record<InterfaceStandard, Record<string, string>>> = {
  hl7v2: HL7V2_MESSAGE_TYPES,
  dicom: DICOM_SERVICES,
  x12: X12_TRANSACTIONS,
}

export type InterfaceFormDefaults = {
  name?: string
  sourceSystemId?: string
  targetSystemId?: string
  standard?: string
  messageTypes?: string[]
  transport?: string
  approach?: string
  direction?: string
  lifecycle?: string
  criticality?: string
  ownerId?: string | null
  standardsException?: string | null
  description?: string | null
}

export function InterfaceForm({
  lastResult,
  defaults,
  systems,
  members,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaults?: InterfaceFormDefaults
  systems: { id: string; name: string }[]
  members: MemberOption[]
  submitLabel: string
}) {
  const [form, fields] = useForm({
    id: 'interface',
    lastResult,
    constraint: getZodConstraint(InterfaceSchema),
    defaultValue: { direction: 'one_way', lifecycle: 'proposed', criticality: 'medium', ...defaults },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InterfaceSchema }),
    shouldRevalidate: 'onBlur',
  })
  const [standard, setStandard] = useState<InterfaceStandard | ''>((fields.standard.initialValue as InterfaceStandard | undefined) ?? '')
  const vocab = standard ? vocabularyFor(standard) : null
  const descriptions = standard ? DESCRIPTIONS[standard] : undefined
  const initialTypes = ([] as string[]).concat((fields.messageTypes.initialValue as string[] | string | undefined) ?? [])
  const systemOptions = systems.map((s) => ({ value: s.id, label: s.name }))
  const standardSelect = getSelectProps(fields.standard)
  const typesField = fields.messageTypes as FieldMetadata<string[] | undefined>
  const nonStandard = standard === 'proprietary' || standard === 'flat_file'
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset className="card grid gap-4 sm:grid-cols-2">
        <legend className="text-lg font-semibold">What flows where</legend>
        <div className="sm:col-span-2">
          <TextField field={fields.name} label="Name" placeholder="e.g. LIS → EHR results (ORU)" />
        </div>
        <SelectField field={fields.sourceSystemId} label="Source system (sends)" placeholder="Choose a system" options={systemOptions} />
        <SelectField field={fields.targetSystemId} label="Target system (receives)" placeholder="Choose a system" options={systemOptions} />
        <div>
          <label htmlFor={fields.standard.id} className="label">
            Standard
          </label>
          <select
            {...standardSelect}
            key={standardSelect.key}
            className="input mt-1"
            onChange={(e) => setStandard(e.currentTarget.value as InterfaceStandard)}
          >
            <option value="">Choose a standard</option>
            {options(STANDARDS).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <ErrorList id={fields.standard.errorId} errors={fields.standard.errors} />
        </div>
        <div>
          <label htmlFor={typesField.id} className="label">
            {standard ? `Message types: ${messageTypeNoun(standard)}` : 'Message types'}
          </label>
          {vocab ? (
            <>
              <p className="text-xs text-slate-600">Hold Ctrl or ⌘ to choose several.</p>
              <select
                id={typesField.id}
                name={typesField.name}
                multiple
                size={8}
                defaultValue={initialTypes.filter((t) => vocab.includes(t))}
                key={`${standard}-types`}
                aria-invalid={typesField.errors ? true : undefined}
                aria-describedby={typesField.errors ? typesField.errorId : undefined}
                className="input mt-1"
              >
                {vocab.map((m) => (
                  <option key={m} value={m}>
                    {descriptions?.[m] ? `${m} — ${descriptions[m]}` : m}
                  </option>
                ))}
              </select>
            </>
          ) : (
            <input
              id={typesField.id}
              name={typesField.name}
              defaultValue={initialTypes.join('; ')}
              key={`${standard}-free`}
              placeholder={standard ? 'Separate with semicolons' : 'Choose a standard first'}
              className="input mt-1"
            />
          )}
          <ErrorList id={typesField.errorId} errors={typesField.errors} />
        </div>
        <SelectField field={fields.transport} label="Transport" placeholder="Choose a transport" options={options(TRANSPORTS)} />
        <SelectField field={fields.approach} label="Approach" placeholder="Choose an approach" options={options(APPROACHES)} />
        <SelectField field={fields.direction} label="Direction" options={options(DIRECTIONS)} />
        <SelectField field={fields.lifecycle} label="Lifecycle" options={options(LIFECYCLES)} />
        <SelectField field={fields.criticality} label="Criticality" options={options(CRITICALITIES)} />
        <SelectField
          field={fields.ownerId as FieldMetadata<string | undefined>}
          label="Owner"
          placeholder="Nobody yet"
          options={members.map((m) => ({ value: m.id, label: `${m.name} · ${ROLE_LABELS[m.role]}` }))}
        />
      </fieldset>
      <fieldset className="card space-y-4">
        <legend className="text-lg font-semibold">Notes</legend>
        <div>
          <label htmlFor={fields.standardsException.id} className="label">
            Standards exception {nonStandard ? <span className="text-amber-800">(needed for a {STANDARDS[standard as InterfaceStandard].toLowerCase()} interface)</span> : '(only for proprietary or flat-file interfaces)'}
          </label>
          <p className="text-xs text-slate-600">Why no standard is possible, who agreed, and until when.</p>
          <textarea {...getInputProps(fields.standardsException, { type: 'text' })} key={fields.standardsException.key} rows={2} className="input mt-1" />
          <ErrorList id={fields.standardsException.errorId} errors={fields.standardsException.errors} />
        </div>
        <div>
          <label htmlFor={fields.description.id} className="label">
            Description
          </label>
          <textarea {...getInputProps(fields.description, { type: 'text' })} key={fields.description.key} rows={3} className="input mt-1" />
          <ErrorList id={fields.description.errorId} errors={fields.description.errors} />
        </div>
      </fieldset>
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  )
}
