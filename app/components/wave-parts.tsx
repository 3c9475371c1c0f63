import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint } from '@conform-to/zod'
import { Form, Link } from '@remix-run/react'
import { ErrorList, FormErrors, SelectField, TextAreaField, TextField } from '#app/components/forms.tsx'
import type { MemberOption } from '#app/components/system-form.tsx'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { WaveSchema } from '#app/models/projects/schemas.ts'
import { WAVE_KINDS } from '#app/models/projects/vocabulary.ts'

export type WaveFormDefaults = { id?: string; kind?: string; name?: string; units?: string[]; goLive?: string | null; notes?: string | null; members?: { id: string }[] }

/** Readiness in words and a number, never colour alone. */
export function TrainingFigure({ t }: { t: { people: number; trained: number; needs: number; met: number; pct: number } }) {
  if (!t.people) return <span className="text-slate-600">nobody in this wave yet</span>
  if (!t.needs) return <span className="text-slate-600">{t.people} {t.people === 1 ? 'person' : 'people'}, no training assigned</span>
  return (
    <span>
      <strong className="tabular-nums">{t.pct} %</strong> <span className="text-slate-700">· {t.met} of {t.needs} training needs met · {t.people} {t.people === 1 ? 'person' : 'people'}</span>
    </span>
  )
}

/**
 * Adds or edits a wave. Units: the organisation's known units as tick boxes, and a field to
 * type new ones; named members as tick boxes (the pilot's clinicians and super-users). A plain
 * form: works without JavaScript, validated on the server (the rules need the other waves).
 */
export function WaveForm({
  wave,
  canBePilot,
  unitChoices,
  members,
  taken = {},
  lastResult,
}: {
  wave?: WaveFormDefaults
  /** Units already in another wave of the project (lower-cased), with that wave's name. */
  taken?: Record<string, string>
  canBePilot: boolean
  unitChoices: string[]
  members: MemberOption[]
  lastResult?: SubmissionResult<string[]>
}) {
  const isNew = !wave?.id
  const [form, fields] = useForm<{ kind: string; name: string; goLive: string; notes: string; units: string[]; newUnits: string; memberIds: string[] }>({
    id: `wave-${wave?.id ?? 'new'}`,
    lastResult,
    constraint: getZodConstraint(WaveSchema),
    defaultValue: {
      kind: wave?.kind ?? (canBePilot ? 'pilot' : 'expansion'),
      name: wave?.name ?? '',
      goLive: wave?.goLive ?? '',
      notes: wave?.notes ?? '',
    },
  })
  // conform keeps the submitted values after a failed submit: read them back for the tick boxes.
  const submitted = (name: 'units' | 'memberIds', fallback: string[]) => {
    const v = fields[name].value
    if (v === undefined) return new Set(lastResult ? [] : fallback)
    return new Set(Array.isArray(v) ? (v as string[]) : [v as string])
  }
  const unitsChecked = submitted('units', wave?.units ?? [])
  const membersChecked = submitted('memberIds', (wave?.members ?? []).map((m) => m.id))
  const typed = fields.newUnits.value
  const choices = [...new Set([...unitChoices, ...(wave?.units ?? [])])].sort((a, b) => a.localeCompare(b))
  const label = isNew ? 'Add a pilot group or wave' : `Edit ${wave.name}`
  return (
    <Form method="post" {...getFormProps(form)} aria-label={label} className="space-y-3" preventScrollReset>
      {wave?.id ? <input type="hidden" name="id" value={wave.id} /> : null}
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="grid gap-3 sm:grid-cols-3">
        {isNew ? (
          <SelectField
            field={fields.kind}
            label="Kind"
            options={Object.entries(WAVE_KINDS)
              .filter(([v]) => v !== 'pilot' || canBePilot)
              .map(([value, l]) => ({ value, label: l }))}
          />
        ) : null}
        <TextField field={fields.name} label="Name" placeholder="e.g. Wave 1 — critical care" />
        <TextField field={fields.goLive} label="Planned go-live" type="date" />
      </div>
      <fieldset>
        <legend className="label">Units going live</legend>
        <ul className="mt-1 grid max-h-48 gap-1 overflow-auto rounded-md p-2 ring-1 ring-slate-200 sm:grid-cols-3">
          {choices.map((u) => (
            <li key={u}>
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" name={fields.units.name} value={u} defaultChecked={unitsChecked.has(u)} className="h-4 w-4" /> {u}
                {taken[u.toLowerCase()] ? <span className="text-xs text-slate-600">(in {taken[u.toLowerCase()]})</span> : null}
              </label>
            </li>
          ))}
        </ul>
        <div className="mt-2">
          <label htmlFor={`${form.id}-newUnits`} className="label">
            Other units
          </label>
          <p id={`${form.id}-newUnits-hint`} className="text-xs text-slate-600">
            Not in the list yet: type them, separated by commas.
          </p>
          <input
            id={`${form.id}-newUnits`}
            name={fields.newUnits.name}
            defaultValue={typeof typed === 'string' ? typed : ''}
            aria-describedby={`${form.id}-newUnits-hint`}
            className="input mt-1"
            maxLength={1000}
          />
        </div>
        <ErrorList id={fields.units.errorId} errors={fields.units.errors} />
      </fieldset>
      <fieldset>
        <legend className="label">Named members</legend>
        <p className="text-xs text-slate-600">The pilot’s clinicians and super-users; counted with the wave’s units.</p>
        <ul className="mt-1 grid max-h-48 gap-1 overflow-auto rounded-md p-2 ring-1 ring-slate-200 sm:grid-cols-2">
          {members.map((m) => (
            <li key={m.id}>
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" name={fields.memberIds.name} value={m.id} defaultChecked={membersChecked.has(m.id)} className="h-4 w-4" />
                <span>
                  {m.name} <span className="text-xs text-slate-600">· {ROLE_LABELS[m.role]}{m.unit ? ` · ${m.unit}` : ''}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
        <ErrorList id={fields.memberIds.errorId} errors={fields.memberIds.errors} />
      </fieldset>
      <TextAreaField field={fields.notes} label="Notes" />
      <div className="flex gap-2">
        <button type="submit" name="intent" value={isNew ? 'add-wave' : 'update-wave'} className="btn-primary">
          {isNew ? 'Add' : 'Save wave'}
        </button>
        {isNew ? null : (
          <Link to="." className="btn-secondary" preventScrollReset>
            Cancel
          </Link>
        )}
      </div>
    </Form>
  )
}
