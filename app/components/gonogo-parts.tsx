import { getFormProps, getInputProps, useForm, type FieldMetadata, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { ErrorList, FormErrors, SelectField, TextAreaField, TextField } from '#app/components/forms.tsx'
import { ROLE_LABELS, type Role } from '#app/models/people/vocabulary.ts'
import { formatDay } from '#app/models/projects/plan.ts'
import { GoNoGoSchema, PANEL_ORDER, type MeetingSnapshot, type MeetingVote } from '#app/models/readiness/gonogo.ts'
import { CHECK_STATUSES, LEVELS, type CheckStatus, type Level } from '#app/models/readiness/readiness.ts'
import { GO_NO_GO_DECISIONS, PANEL_ROLES, VOTES, type GoNoGoDecision, type PanelRole, type Vote } from '#app/models/readiness/vocabulary.ts'
import { SIGNOFF_DECISIONS, type SignoffDecision } from '#app/models/uat/vocabulary.ts'
import { formatDateTime } from '#app/utils/org.ts'

const DECISION_CLASS: Record<GoNoGoDecision, string> = {
  go: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  go_with_conditions: 'bg-amber-100 text-amber-900 ring-amber-300',
  no_go: 'bg-red-50 text-red-900 ring-red-300',
}

/** The decision in words (never colour alone); printed with a border. */
export function DecisionBadge({ decision, large = false }: { decision: GoNoGoDecision; large?: boolean }) {
  return <span className={`inline-block whitespace-nowrap rounded px-2 py-0.5 font-semibold ring-1 print:ring-black ${large ? 'text-lg' : 'text-xs'} ${DECISION_CLASS[decision]}`}>{GO_NO_GO_DECISIONS[decision]}</span>
}

export const levelWords = (l: string | null) => (l && l in LEVELS ? LEVELS[l as Level] : 'No level passed')

/** "3 go, 1 abstain". */
export function tally(votes: { vote: Vote }[]) {
  return (Object.keys(VOTES) as Vote[])
    .map((v) => [v, votes.filter((x) => x.vote === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${VOTES[v].toLowerCase()}`)
    .join(', ')
}

// ───────────────────────────── the form ─────────────────────────────

type Member = { id: string; name: string; role: Role }

function RadioGroup({ field, legend, options }: { field: FieldMetadata<string | undefined>; legend: string; options: Record<string, string> }) {
  return (
    <fieldset aria-describedby={field.errors?.length ? field.errorId : undefined}>
      <legend className="label">{legend}</legend>
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        {Object.entries(options).map(([value, label]) => {
          const { key, ...props } = getInputProps(field, { type: 'radio', value })
          return (
            <label key={value} className="inline-flex items-center gap-1.5 text-sm">
              {/* One id per option: conform gives them the field's. */}
              <input {...props} key={key} id={`${field.id}-${value}`} aria-describedby={undefined} className="h-4 w-4" />
              {label}
            </label>
          )
        })}
      </div>
      <ErrorList id={field.errorId} errors={field.errors} />
    </fieldset>
  )
}

type Defaults = { heldOn: string; waveId?: string; votes: Record<PanelRole, string | null> }

/** Records a meeting: the day, the wave, the decision and conditions, and the four seats' votes (a plain form: works without JavaScript). */
export function GoNoGoForm({ members, waves, defaults, lastResult }: { members: Member[]; waves: { id: string; name: string }[]; defaults: Defaults; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({
    id: 'record-meeting',
    lastResult,
    constraint: getZodConstraint(GoNoGoSchema),
    defaultValue: {
      heldOn: defaults.heldOn,
      waveId: defaults.waveId ?? '',
      votes: Object.fromEntries(PANEL_ORDER.map((r) => [r, { membershipId: defaults.votes[r] ?? '' }])),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: GoNoGoSchema }),
    shouldRevalidate: 'onBlur',
  })
  const votes = fields.votes.getFieldset()
  const memberOptions = members.map((m) => ({ value: m.id, label: `${m.name} · ${ROLE_LABELS[m.role]}` }))
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4" aria-label="Record a go/no-go meeting">
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField field={fields.heldOn} label="Held on" type="date" />
        <SelectField field={fields.waveId} label="For" placeholder="The whole project" options={waves.map((w) => ({ value: w.id, label: w.name }))} />
      </div>
      <RadioGroup field={fields.decision} legend="Decision" options={GO_NO_GO_DECISIONS} />
      <TextAreaField field={fields.conditions} label="Conditions" hint="Required for a go with conditions: what must be true before go-live, and by when." rows={2} />
      <TextAreaField field={fields.notes} label="Notes" rows={2} />
      <div className="space-y-3">
        <h3 className="font-semibold">The panel’s votes</h3>
        {PANEL_ORDER.map((role) => {
          const seat = votes[role].getFieldset()
          return (
            <fieldset key={role} className="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-2">
              <legend className="px-1 font-medium">{PANEL_ROLES[role]}</legend>
              <SelectField field={seat.membershipId} label={`${PANEL_ROLES[role]}: member`} placeholder="Choose a member" options={memberOptions} />
              <RadioGroup field={seat.vote} legend={`${PANEL_ROLES[role]}: vote`} options={VOTES} />
              <div className="sm:col-span-2">
                <TextField field={seat.comment} label={`${PANEL_ROLES[role]}: comment`} />
              </div>
            </fieldset>
          )
        })}
      </div>
      <p className="text-sm text-slate-700">Recording freezes the scorecard, the sign-offs and the open defects as they are now. A record is never edited: a correction is a new meeting.</p>
      <button type="submit" name="intent" value="record" className="btn-primary">
        Record the meeting
      </button>
    </Form>
  )
}

// ───────────────────────────── the record ─────────────────────────────

const STATUS_MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', na: '–', exempted: '≈' }

export function VotesTable({ votes }: { votes: MeetingVote[] }) {
  return (
    <table className="table">
      <caption className="sr-only">The panel’s votes</caption>
      <thead className="bg-slate-50">
        <tr>
          <th scope="col">Seat</th>
          <th scope="col">Member</th>
          <th scope="col">Vote</th>
          <th scope="col">Comment</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {votes.map((v) => (
          <tr key={v.panelRole}>
            <th scope="row" className="font-normal">
              {PANEL_ROLES[v.panelRole]}
            </th>
            <td>{v.name}</td>
            <td className="font-semibold">{VOTES[v.vote]}</td>
            <td className="whitespace-pre-line">{v.comment ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function ScorecardTable({ scorecard }: { scorecard: MeetingSnapshot['scorecard'] }) {
  return (
    <table className="table">
      <caption className="sr-only">The readiness checks as they were</caption>
      <thead className="bg-slate-50">
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Result</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {scorecard.checks.map((c) => (
          <tr key={c.key}>
            <th scope="row" className="font-normal">
              {c.title}
            </th>
            <td className="whitespace-nowrap font-semibold">
              <span aria-hidden="true">{STATUS_MARK[c.status as CheckStatus] ?? ''} </span>
              {CHECK_STATUSES[c.status as CheckStatus] ?? c.status}
            </td>
            <td>{c.why}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function SignoffsTable({ signoffs, timeZone }: { signoffs: MeetingSnapshot['signoffs']; timeZone: string }) {
  if (!signoffs.length) return <p className="text-sm text-slate-700">No sign-off had been given.</p>
  return (
    <table className="table">
      <caption className="sr-only">The clinical sign-offs as they were</caption>
      <thead className="bg-slate-50">
        <tr>
          <th scope="col">Set</th>
          <th scope="col">Signer</th>
          <th scope="col">Signed</th>
          <th scope="col">Decision</th>
          <th scope="col">Current?</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {signoffs.map((s) => (
          <tr key={s.id}>
            <td>{s.set}</td>
            <td>{s.signer}</td>
            <td className="whitespace-nowrap">{formatDateTime(s.signedAt, timeZone, { dateStyle: 'medium' })}</td>
            <td>{SIGNOFF_DECISIONS[s.decision as SignoffDecision] ?? s.decision}</td>
            <td>{s.stale ? `Stale: ${s.staleReason ?? ''}` : 'Current'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function DefectsTable({ defects }: { defects: MeetingSnapshot['openDefects'] }) {
  if (!defects.length) return <p className="text-sm text-slate-700">No defect was open.</p>
  return (
    <table className="table">
      <caption className="sr-only">The open defects as they were</caption>
      <thead className="bg-slate-50">
        <tr>
          <th scope="col">Defect</th>
          <th scope="col">Title</th>
          <th scope="col">Severity</th>
          <th scope="col">Owner</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {defects.map((d) => (
          <tr key={d.number}>
            <td className="whitespace-nowrap font-mono">DEF-{d.number}</td>
            <td>{d.title}</td>
            <td>{d.severity}</td>
            <td>{d.owner ?? 'Nobody'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export const waveWords = (w: MeetingSnapshot['wave']) => (w ? `${w.name}${w.goLive ? ` (go-live ${formatDay(w.goLive)})` : ''}` : 'The whole project')
