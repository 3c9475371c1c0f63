import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { DATA_TYPE_SUGGESTIONS, MappingRowSchema, REQUIREMENTS, TRANSFORM_TYPES, type MappingRowInput } from '#app/utils/mapping.ts'
import { FormErrors, SelectField, TextAreaField, TextField } from './forms.tsx'

const options = (map: Record<string, string>) => Object.entries(map).map(([value, label]) => ({ value, label }))

export type MappingRowDefaults = { [K in keyof MappingRowInput]?: string | null }

const present = (d: MappingRowDefaults) => Object.fromEntries(Object.entries(d).filter(([, v]) => v != null)) as { [K in keyof MappingRowInput]?: string }

/** The form of one mapping row: source, target, rules. The server validates with the same schema. */
export function MappingRowForm({
  lastResult,
  defaults,
  submitLabel,
  intent,
  anotherLabel,
}: {
  lastResult?: SubmissionResult<string[]> | null
  defaults?: MappingRowDefaults
  submitLabel: string
  intent?: string
  /** A second button that saves and comes back to an empty form (writing a matrix row after row). */
  anotherLabel?: string
}) {
  const [form, fields] = useForm({
    id: 'mapping-row',
    lastResult,
    defaultValue: { requirement: 'optional', transformType: 'copy', ...present(defaults ?? {}) } as { [K in keyof MappingRowInput]?: string },
    constraint: getZodConstraint(MappingRowSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MappingRowSchema }),
  })
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-5">
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <FormErrors errors={form.errors} id={form.errorId} />
      <fieldset className="card grid gap-4 sm:grid-cols-2">
        <legend className="px-1 font-semibold">Source</legend>
        <TextField field={fields.sourceField} label="Source field" placeholder="Date of birth" />
        <TextField field={fields.sourcePath} label="Source path" hint="Segment-field (PID-7.1, OBX-3), column or JSON path" placeholder="PID-7.1" />
      </fieldset>
      <fieldset className="card grid gap-4 sm:grid-cols-2">
        <legend className="px-1 font-semibold">Target</legend>
        <TextField field={fields.targetField} label="Target field" placeholder="Birth date" />
        <TextField field={fields.targetPath} label="Target path" hint="FHIR path (Patient.birthDate), segment-field or column" placeholder="Patient.birthDate" />
      </fieldset>
      <fieldset className="card grid gap-4 sm:grid-cols-3">
        <legend className="px-1 font-semibold">Data</legend>
        <TextField field={fields.dataType} label="Data type" hint={`e.g. ${DATA_TYPE_SUGGESTIONS.slice(0, 6).join(', ')}`} placeholder="date" />
        <SelectField field={fields.requirement} label="Required?" options={options(REQUIREMENTS)} />
        <TextField field={fields.usageFrequency} label="Usage frequency" hint="How often real traffic fills it" placeholder="99% of messages" />
        <div className="sm:col-span-3">
          <TextAreaField field={fields.allowedValues} label="Allowed values" hint="Value set, pattern or range" />
        </div>
      </fieldset>
      <fieldset className="card grid gap-4 sm:grid-cols-3">
        <legend className="px-1 font-semibold">Rules</legend>
        <SelectField field={fields.transformType} label="Transformation" options={options(TRANSFORM_TYPES)} />
        <div className="sm:col-span-2">
          <TextAreaField field={fields.transformRule} label="Transformation rule" hint="e.g. YYYYMMDD → YYYY-MM-DD; lookup uses the code maps below" />
        </div>
        <div className="sm:col-span-3">
          <TextAreaField
            field={fields.qualityRule}
            label="Data-quality rule"
            hint="What happens when the value is missing or bad. Required fields must say, e.g. “missing DOB → reject and flag; never default”."
          />
        </div>
        <div className="sm:col-span-3">
          <TextAreaField field={fields.notes} label="Notes" rows={3} />
        </div>
      </fieldset>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary">
          {submitLabel}
        </button>
        {anotherLabel ? (
          <button type="submit" name="next" value="another" className="btn-secondary">
            {anotherLabel}
          </button>
        ) : null}
      </div>
    </Form>
  )
}
