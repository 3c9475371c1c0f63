import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { DATA_TYPE_SUGGESTIONS, MappingRowSchema, type MappingRowInput } from '#app/models/mapping/mapping.ts'
import { MAPPING_FIELD_LABELS, REQUIREMENTS, TRANSFORM_TYPES } from '#app/models/mapping/vocabulary.ts'
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
        <TextField field={fields.sourceField} label={MAPPING_FIELD_LABELS.sourceField} placeholder="Date of birth" />
        <TextField field={fields.sourcePath} label={MAPPING_FIELD_LABELS.sourcePath} hint="Segment-field (PID-7.1, OBX-3), column or JSON path" placeholder="PID-7.1" />
      </fieldset>
      <fieldset className="card grid gap-4 sm:grid-cols-2">
        <legend className="px-1 font-semibold">Target</legend>
        <TextField field={fields.targetField} label={MAPPING_FIELD_LABELS.targetField} placeholder="Birth date" />
        <TextField field={fields.targetPath} label={MAPPING_FIELD_LABELS.targetPath} hint="FHIR path (Patient.birthDate), segment-field or column" placeholder="Patient.birthDate" />
      </fieldset>
      <fieldset className="card grid gap-4 sm:grid-cols-3">
        <legend className="px-1 font-semibold">Data</legend>
        <TextField field={fields.dataType} label={MAPPING_FIELD_LABELS.dataType} hint={`e.g. ${DATA_TYPE_SUGGESTIONS.slice(0, 6).join(', ')}`} placeholder="date" />
        <SelectField field={fields.requirement} label={MAPPING_FIELD_LABELS.requirement} options={options(REQUIREMENTS)} />
        <TextField field={fields.usageFrequency} label={MAPPING_FIELD_LABELS.usageFrequency} hint="How often real traffic fills it" placeholder="99% of messages" />
        <div className="sm:col-span-3">
          <TextAreaField field={fields.allowedValues} label={MAPPING_FIELD_LABELS.allowedValues} hint="Value set, pattern or range" />
        </div>
      </fieldset>
      <fieldset className="card grid gap-4 sm:grid-cols-3">
        <legend className="px-1 font-semibold">Rules</legend>
        <SelectField field={fields.transformType} label={MAPPING_FIELD_LABELS.transformType} options={options(TRANSFORM_TYPES)} />
        <div className="sm:col-span-2">
          <TextAreaField field={fields.transformRule} label={MAPPING_FIELD_LABELS.transformRule} hint="e.g. YYYYMMDD → YYYY-MM-DD; lookup uses the code maps below" />
        </div>
        <div className="sm:col-span-3">
          <TextAreaField
            field={fields.qualityRule}
            label={MAPPING_FIELD_LABELS.qualityRule}
            hint="What happens when the value is missing or bad. Required fields must say, e.g. “missing DOB → reject and flag; never default”."
          />
        </div>
        <div className="sm:col-span-3">
          <TextAreaField field={fields.notes} label={MAPPING_FIELD_LABELS.notes} rows={3} />
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
