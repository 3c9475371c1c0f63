import { getFormProps, getInputProps, getSelectProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { FHIR_VERSIONS, HL7V2_VERSIONS, SystemSchema } from '#app/models/inventory/inventory.ts'
import { CRITICALITIES, ENVIRONMENTS, HOSTINGS, SYSTEM_KINDS } from '#app/models/inventory/vocabulary.ts'
import { ROLE_LABELS, type Role } from '#app/models/people/vocabulary.ts'
import { ErrorList, FormErrors, SelectField, TextField } from './forms.tsx'

const options = (map: Record<string, string>) => Object.entries(map).map(([value, label]) => ({ value, label }))

export type MemberOption = { id: string; name: string; role: Role; unit: string | null }

export type SystemFormDefaults = {
  name?: string
  kind?: string
  vendor?: string | null
  product?: string | null
  version?: string | null
  environment?: string
  hosting?: string | null
  criticality?: string
  businessOwnerId?: string | null
  technicalOwnerId?: string | null
  unitsServed?: string[]
  notes?: string | null
  hl7v2Versions?: string[]
  fhirVersion?: string | null
  fhirBaseUrl?: string | null
  dicom?: boolean
  x12?: boolean
}

export function SystemForm({
  lastResult,
  defaults,
  members,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaults?: SystemFormDefaults
  members: MemberOption[]
  submitLabel: string
}) {
  const [form, fields] = useForm({
    id: 'system',
    lastResult,
    constraint: getZodConstraint(SystemSchema),
    defaultValue: {
      environment: 'production',
      criticality: 'medium',
      ...defaults,
      unitsServed: defaults?.unitsServed?.join('; ') ?? '',
      dicom: defaults?.dicom ? 'on' : undefined,
      x12: defaults?.x12 ? 'on' : undefined,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SystemSchema }),
    shouldRevalidate: 'onBlur',
  })
  const memberOptions = members.map((m) => ({ value: m.id, label: `${m.name} · ${ROLE_LABELS[m.role]}${m.unit ? ` · ${m.unit}` : ''}` }))
  const hl7 = getSelectProps(fields.hl7v2Versions as FieldMetadata<string[] | undefined>)
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6">
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset className="card grid gap-4 sm:grid-cols-2">
        <legend className="text-lg font-semibold">The system</legend>
        <TextField field={fields.name} label="Name" placeholder="e.g. Epic EHR (production)" />
        <SelectField field={fields.kind} label="Kind" placeholder="Choose a kind" options={options(SYSTEM_KINDS)} />
        <TextField field={fields.vendor} label="Vendor" />
        <TextField field={fields.product} label="Product" />
        <TextField field={fields.version} label="Version" hint="Changing it records an upgrade." />
        <SelectField field={fields.environment} label="Environment" options={options(ENVIRONMENTS)} />
        <SelectField field={fields.hosting} label="Hosting" placeholder="Not recorded" options={options(HOSTINGS)} />
        <SelectField field={fields.criticality} label="Criticality" options={options(CRITICALITIES)} />
        <SelectField field={fields.businessOwnerId} label="Business owner" placeholder="Nobody yet" options={memberOptions} />
        <SelectField field={fields.technicalOwnerId} label="Technical owner" placeholder="Nobody yet" options={memberOptions} />
        <div className="sm:col-span-2">
          <TextField field={fields.unitsServed as FieldMetadata<string | undefined>} label="Units that use it" hint="Separate with semicolons, e.g. Emergency Department; ICU" />
        </div>
        <div className="sm:col-span-2">
          <label htmlFor={fields.notes.id} className="label">
            Notes
          </label>
          <textarea {...getInputProps(fields.notes, { type: 'text' })} key={fields.notes.key} rows={3} className="input mt-1" />
          <ErrorList id={fields.notes.errorId} errors={fields.notes.errors} />
        </div>
      </fieldset>
      <fieldset className="card grid gap-4 sm:grid-cols-2">
        <legend className="text-lg font-semibold">Standards it speaks</legend>
        <div>
          <label htmlFor={hl7.id} className="label">
            HL7 v2 versions
          </label>
          <p className="text-xs text-slate-600">Hold Ctrl or ⌘ to choose several.</p>
          <select {...hl7} key={hl7.key} multiple size={5} className="input mt-1">
            {HL7V2_VERSIONS.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
          <ErrorList id={fields.hl7v2Versions.errorId} errors={fields.hl7v2Versions.errors} />
        </div>
        <div className="space-y-4">
          <SelectField field={fields.fhirVersion} label="FHIR version" placeholder="No FHIR" options={options(FHIR_VERSIONS)} />
          <TextField field={fields.fhirBaseUrl} label="FHIR base URL" type="url" placeholder="https://fhir.vendor.example/r4" />
        </div>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input {...getInputProps(fields.dicom, { type: 'checkbox' })} key={fields.dicom.key} className="h-4 w-4" /> DICOM
        </label>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input {...getInputProps(fields.x12, { type: 'checkbox' })} key={fields.x12.key} className="h-4 w-4" /> X12 (claims, eligibility)
        </label>
      </fieldset>
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  )
}
