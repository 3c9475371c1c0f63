import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { DecisionBadge, DefectsTable, levelWords, ScorecardTable, SignoffsTable, VotesTable, waveWords } from '#app/components/gonogo-parts.tsx'
import { formatDay } from '#app/models/projects/plan.ts'
import { getMeeting } from '#app/models/readiness/gonogo.server.ts'
import { BANDS, type Band } from '#app/models/readiness/readiness.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Go/no-go ${data.meeting.heldOn} · ${data.meeting.snapshot.project.name} · Liaison` : 'Go/no-go · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const meeting = await getMeeting(scope, { projectId: params.projectId ?? '', meetingId: params.meetingId ?? '' })
  if (!meeting) notFound('No such go/no-go meeting in this project.')
  return json({ meeting })
}

/**
 * The one page a go-live board wants, printable on A4: on paper the app's frame (top bar, menu)
 * and the links disappear, the type shrinks, and the page fits one sheet.
 */
const PRINT_CSS = `
@media print {
  @page { size: A4; margin: 10mm; }
  div:has(> #main) > :not(#main), body > div[role="status"], .no-print { display: none !important; }
  /* Every size in the app is in rem: a smaller root shrinks the whole record in proportion. */
  html { font-size: 10.5px !important; }
  html, body { background: white !important; }
  /* The app's frame fills the screen's height; on paper that would push a blank second page. */
  html, body, div:has(> #main) { height: auto !important; min-height: 0 !important; }
  #main { padding: 0 !important; max-width: none !important; }
  .gonogo-record .table th, .gonogo-record .table td { padding-top: 1.5pt; padding-bottom: 1.5pt; }
  .gonogo-record section { break-inside: avoid; }
  .gonogo-record > * + * { margin-top: 6pt !important; }
}`

export default function GoNoGoRecordPage() {
  const { meeting: m } = useLoaderData<typeof loader>()
  const { org } = useOrg()
  const s = m.snapshot
  const card = s.scorecard
  return (
    <article className="gonogo-record space-y-5" aria-labelledby="record-title">
      {/* Raw: as a text child React would escape the “>” of the selector. */}
      <style dangerouslySetInnerHTML={{ __html: PRINT_CSS }} />
      <div className="no-print flex flex-wrap items-center justify-between gap-2">
        <Link to=".." relative="path" className="link text-sm">
          ← Go/no-go of {s.project.name}
        </Link>
        <p className="text-sm text-slate-700">Print this page (Ctrl+P) for the board: it fits one A4 sheet.</p>
      </div>
      <header className="space-y-1">
        <p className="text-sm font-medium text-slate-700">Go/no-go record · {org.name}</p>
        <h1 id="record-title" className="text-2xl font-bold">
          {s.project.name}
        </h1>
        <dl className="grid gap-x-6 gap-y-0.5 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="font-medium text-slate-700">For</dt>
          <dd>{waveWords(s.wave)}</dd>
          <dt className="font-medium text-slate-700">Held on</dt>
          <dd>{formatDay(m.heldOn)}</dd>
          <dt className="font-medium text-slate-700">Decision</dt>
          <dd>
            <DecisionBadge decision={m.decision} />
          </dd>
          {m.conditions ? (
            <>
              <dt className="font-medium text-slate-700">Conditions</dt>
              <dd className="whitespace-pre-line font-medium">{m.conditions}</dd>
            </>
          ) : null}
          {m.notes ? (
            <>
              <dt className="font-medium text-slate-700">Notes</dt>
              <dd className="whitespace-pre-line">{m.notes}</dd>
            </>
          ) : null}
          <dt className="font-medium text-slate-700">Recorded</dt>
          <dd>
            {formatDateTime(m.recordedAt, org.timeZone)}
            {m.recordedBy ? ` by ${m.recordedBy}` : ''}; the evidence below is as it was then.
          </dd>
        </dl>
      </header>

      <section aria-labelledby="votes-title" className="space-y-1">
        <h2 id="votes-title" className="text-lg font-semibold">
          The panel’s votes
        </h2>
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Votes">
          <VotesTable votes={m.votes} />
        </div>
      </section>

      <section aria-labelledby="scorecard-title" className="space-y-1">
        <h2 id="scorecard-title" className="text-lg font-semibold">
          Readiness scorecard: {card.scorePct} % ({BANDS[card.band as Band] ?? card.band}), {levelWords(card.level)}
        </h2>
        <p className="text-sm">
          Gate {card.gateOpen ? 'open' : 'closed'}
          {card.override ? ` — overridden by ${card.override.by}: ${card.override.reason}` : ''}.
          {card.exemptions.length ? ` Exemptions: ${card.exemptions.map((e) => `${e.checkKey} until ${formatDay(e.expiresOn)} (${e.by})`).join('; ')}.` : ''}
        </p>
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Scorecard">
          <ScorecardTable scorecard={card} />
        </div>
      </section>

      <section aria-labelledby="signoffs-title" className="space-y-1">
        <h2 id="signoffs-title" className="text-lg font-semibold">
          Clinical sign-offs
        </h2>
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Sign-offs">
          <SignoffsTable signoffs={s.signoffs} timeZone={org.timeZone} />
        </div>
      </section>

      <section aria-labelledby="defects-title" className="space-y-1">
        <h2 id="defects-title" className="text-lg font-semibold">
          Open defects
        </h2>
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Defects">
          <DefectsTable defects={s.openDefects} />
        </div>
      </section>
    </article>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
