import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from '@conform-to/react'
import type { ReactNode } from 'react'

export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  if (!errors?.length) return null
  return (
    <ul id={id} className="field-error">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  )
}

type InputType = 'text' | 'email' | 'password' | 'search' | 'url' | 'date'

export function TextField({
  field,
  label,
  type = 'text',
  hint,
  autoComplete,
  placeholder,
}: {
  field: FieldMetadata<string | undefined>
  label: string
  type?: InputType
  hint?: string
  autoComplete?: string
  placeholder?: string
}) {
  const hintId = hint ? `${field.id}-hint` : undefined
  const props = getInputProps(field, { type, ariaDescribedBy: hintId })
  return (
    <div>
      <label htmlFor={field.id} className="label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <input {...props} key={props.key} autoComplete={autoComplete} placeholder={placeholder} className="input mt-1" />
      <ErrorList id={field.errorId} errors={field.errors} />
    </div>
  )
}

export function SelectField({
  field,
  label,
  options,
  placeholder,
}: {
  field: FieldMetadata<string | undefined>
  label: string
  options: readonly { value: string; label: string }[]
  placeholder?: string
}) {
  const props = getSelectProps(field)
  return (
    <div>
      <label htmlFor={field.id} className="label">
        {label}
      </label>
      <select {...props} key={props.key} className="input mt-1">
        {placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorList id={field.errorId} errors={field.errors} />
    </div>
  )
}

export function FormErrors({ errors, id }: { errors?: string[] | null; id?: string }) {
  if (!errors?.length) return null
  return (
    <div id={id} role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-300">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  )
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-lg border-2 border-dashed border-slate-300 p-8 text-center">
      <p className="font-semibold text-slate-800">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-600">{children}</div> : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  )
}

export function TextAreaField({ field, label, hint, rows = 2 }: { field: FieldMetadata<string | undefined>; label: string; hint?: string; rows?: number }) {
  const hintId = hint ? `${field.id}-hint` : undefined
  const props = getTextareaProps(field, { ariaDescribedBy: hintId })
  return (
    <div>
      <label htmlFor={field.id} className="label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <textarea {...props} key={props.key} rows={rows} className="input mt-1" />
      <ErrorList id={field.errorId} errors={field.errors} />
    </div>
  )
}
