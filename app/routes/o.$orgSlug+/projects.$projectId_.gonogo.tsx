import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import type { SubmissionResult } from '@conform-to/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState, FormErrors } from '#app/components/forms.tsx'
import { DecisionBadge, GoNoGoForm, levelWords, tally, waveWords } from '#app/components/gonogo-parts.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { ReadinessTrend } from '#app/components/readiness-trend.tsx'
import { listMemberOptions } from '#app/models/people/membership.server.ts'
import { formatDay } from '#app/models/projects/plan.ts'
import { GoNoGoSchema } from '#app/models/readiness/gonogo.ts'
import { getGoNoGoProject, listMeetings, panelDefaults, recordMeeting } from '#app/models/readiness/gonogo.server.ts'
import { listSnapshots, takeSnapshot } from '#app/models/readiness/snapshots.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { errorReply, replyWithError } from '#app/utils/forms.server.ts'
import { useOrg, zonedParts } from '#app/utils/org.ts'
import { can } from '#app/utils/permissions.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Go/no-go · ${data?.project.name ?? 'Project'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const project = await getGoNoGoProject(scope, { projectId: params.projectId ?? '' })
  if (!project) notFound('No such project in this organisation.')
  const [meetings, snapshots] = await Promise.all([listMeetings(scope, { projectId: project.id }), listSnapshots(scope, { projectId: project.id })])
  const waveName = new Map(project.waves.map((w) => [w.id, w.name]))
  const mayWrite = can(scope.role, 'gonogo:write')
  const form = mayWrite
    ? {
        members: await listMemberOptions(scope),
        defaults: { heldOn: zonedParts(new Date(), scope.timeZone).date, waveId: project.waves.find((w) => w.status !== 'live')?.id, votes: (await panelDefaults(scope, { projectId: project.id }))! },
      }
    : null
  return json({
    project: { id: project.id, name: project.name },
    waves: project.waves.map((w) => ({ id: w.id, name: w.name, goLive: w.goLive, live: w.status === 'live' })),
    meetings: meetings.map((m) => ({ id: m.id, heldOn: m.heldOn, decision: m.decision, conditions: m.conditions, wave: waveWords(m.wave), scorePct: m.snapshot.scorecard.scorePct, level: m.snapshot.scorecard.level, tally: tally(m.votes), recordedBy: m.recordedBy })),
    snapshots: snapshots.map((s) => ({ id: s.id, takenAt: s.takenAt, scorePct: s.scorePct, level: s.level, kind: s.kind, daysBefore: s.daysBefore, wave: s.waveId ? (waveName.get(s.waveId) ?? null) : null })),
    form,
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'gonogo:write' })
  const project = await getGoNoGoProject(scope, { projectId: params.projectId ?? '' })
  if (!project) notFound('No such project in this organisation.')
  const here = `/o/${scope.orgSlug}/projects/${project.id}/gonogo`
  const form = await request.formData()
  switch (String(form.get('intent') ?? '')) {
    case 'record': {
      const submission = parseWithZod(form, { schema: GoNoGoSchema })
      if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
      try {
        const meeting = await recordMeeting(scope, { projectId: project.id, ...submission.value })
        if (!meeting) notFound('No such project in this organisation.')
        return redirectWithToast(`${here}/${meeting.id}`, { type: 'success', title: 'Go/no-go meeting recorded', description: 'The scorecard, sign-offs and open defects are frozen as they were.' })
      } catch (e) {
        return replyWithError(submission, e)
      }
    }
    case 'snapshot': {
      try {
        const snap = await takeSnapshot(scope, { projectId: project.id, kind: 'manual' })
        if (!snap) notFound('No such project in this organisation.')
        return redirectWithToast(here, { type: 'success', title: `Snapshot taken: ${snap.scorePct} %` })
      } catch (e) {
        return errorReply(e)
      }
    }
    default:
      return json({ error: 'Unknown action.' }, { status: 400 })
  }
}

export default function GoNoGoPage() {
  const { project: p, waves, meetings, snapshots, form } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { result?: SubmissionResult<string[]>; error?: string } | undefined
  const { org } = useOrg()
  const base = `/o/${org.slug}/projects/${p.id}/gonogo`
  return (
    <div className="space-y-6">
      <Link to={`../${p.id}`} relative="path" className="link text-sm">
        ← {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div>
        <h1 className="text-2xl font-bold">Go/no-go</h1>
        <p className="text-slate-700">The meetings that decided a go-live, each with what the panel saw, and the readiness score over time (taken 120, 90, 60 and 30 days before each wave’s go-live, and by hand).</p>
      </div>
      {actionData?.error ? <FormErrors errors={[actionData.error]} /> : null}

      <section aria-labelledby="meetings" className="space-y-3">
        <h2 id="meetings" className="text-lg font-semibold">
          Meetings
        </h2>
        {meetings.length ? (
          <ul className="space-y-3" aria-label="Go/no-go meetings">
            {meetings.map((m) => (
              <li key={m.id} className="card space-y-1">
                <div className="flex flex-wrap items-baseline gap-2">
                  <Link to={`${base}/${m.id}`} className="link font-semibold">
                    {formatDay(m.heldOn)} · {m.wave}
                  </Link>
                  <DecisionBadge decision={m.decision} />
                </div>
                {m.conditions ? <p className="whitespace-pre-line text-sm">Conditions: {m.conditions}</p> : null}
                <p className="text-sm text-slate-700">
                  Votes: {m.tally}. Score then {m.scorePct} % ({levelWords(m.level)}).{m.recordedBy ? ` Recorded by ${m.recordedBy}.` : ''}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="No go/no-go meeting recorded yet">Record the meeting before a go-live: the panel’s votes and the decision, with the evidence frozen beside them.</EmptyState>
        )}
      </section>

      <section aria-labelledby="trend" className="card space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="trend" className="text-lg font-semibold">
            Readiness trend
          </h2>
          {form ? (
            <Form method="post">
              <button type="submit" name="intent" value="snapshot" className="btn-secondary text-sm">
                Take a snapshot now
              </button>
            </Form>
          ) : null}
        </div>
        {snapshots.length ? (
          <ReadinessTrend points={snapshots} goLives={waves.filter((w) => w.goLive).map((w) => ({ name: w.name, goLive: w.goLive!, live: w.live }))} timeZone={org.timeZone} />
        ) : (
          <p className="text-sm text-slate-700">No snapshot yet: the first is taken 120 days before a wave’s go-live{form ? ', or now, by hand' : ''}.</p>
        )}
      </section>

      {form ? (
        <section className="card space-y-3" aria-labelledby="record-meeting-title">
          <h2 id="record-meeting-title" className="text-lg font-semibold">
            Record a go/no-go meeting
          </h2>
          <GoNoGoForm members={form.members} waves={waves.filter((w) => !w.live)} defaults={{ ...form.defaults, waveId: form.defaults.waveId ?? undefined }} lastResult={actionData?.result} />
        </section>
      ) : (
        <p className="text-sm text-slate-700">Managers record go/no-go meetings and take snapshots.</p>
      )}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
