import { parseWithZod } from '@conform-to/zod'
import type { SubmissionResult } from '@conform-to/react'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { ProjectNav } from '#app/components/project-parts.tsx'
import { BandBadge, CheckStatusBadge, ExemptionForm, LevelSteps, levelLabel, OverrideForm } from '#app/components/readiness-parts.tsx'
import { LIFECYCLES } from '#app/models/inventory/vocabulary.ts'
import { formatDay } from '#app/models/projects/plan.ts'
import { WAVE_KINDS, WAVE_STATUSES } from '#app/models/projects/vocabulary.ts'
import { assertMayExempt, grantExemption, overrideGate, revokeExemption, revokeOverride } from '#app/models/readiness/gate.server.ts'
import { projectReadiness } from '#app/models/readiness/readiness.server.ts'
import { APPLIES_TO, ExemptionSchema, LEVEL_ORDER, LEVELS, OverrideSchema } from '#app/models/readiness/readiness.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { errorReply, replyWithError } from '#app/utils/forms.server.ts'
import { can } from '#app/utils/permissions.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Readiness · ${data?.project.name ?? 'Project'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const card = await projectReadiness(scope, { projectId: params.projectId ?? '' })
  if (!card) notFound('No such project in this organisation.')
  const { facts: _facts, failing, accountable, ...rest } = card
  return json({
    ...rest,
    failing: failing.map((c) => c.key),
    mayOverride: accountable.accountableId === scope.membershipId,
    mayRevokeOverride: !!card.override && (accountable.accountableId === scope.membershipId || card.override.byId === scope.membershipId),
    accountableFrom: accountable.accountableFrom,
    mayExempt: can(scope.role, 'gate:exempt'),
  })
}

const IdSchema = z.object({ id: z.string().trim().min(1).max(64) })

export async function action({ request, params }: ActionFunctionArgs) {
  // Every reader reaches the action; the model refuses (403, audited) whoever may not override or exempt.
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const projectId = params.projectId ?? ''
  const here = `/o/${scope.orgSlug}/projects/${projectId}/readiness`
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  // Exemptions are compliance's (gate:exempt): anyone else gets 403 (audited) before the form is read.
  if (intent === 'exempt' || intent === 'revoke-exemption') {
    if (!(await assertMayExempt(scope, { projectId }))) notFound('No such project in this organisation.')
  }
  switch (intent) {
    case 'override': {
      const submission = parseWithZod(form, { schema: OverrideSchema })
      if (submission.status !== 'success') return json({ form: 'override', result: submission.reply() }, { status: 400 })
      try {
        if (!(await overrideGate(scope, { projectId, ...submission.value }))) notFound('No such project in this organisation.')
      } catch (e) {
        return replyWithError(submission, e, { data: { form: 'override' } })
      }
      return redirectWithToast(here, { type: 'success', title: 'Gate overridden', description: 'The override and its reason are on the scorecard and in the audit trail.' })
    }
    case 'exempt': {
      const submission = parseWithZod(form, { schema: ExemptionSchema })
      if (submission.status !== 'success') return json({ form: 'exempt', result: submission.reply() }, { status: 400 })
      try {
        if (!(await grantExemption(scope, { projectId, ...submission.value }))) notFound('No such project in this organisation.')
      } catch (e) {
        return replyWithError(submission, e, { data: { form: 'exempt' } })
      }
      return redirectWithToast(here, { type: 'success', title: 'Exemption granted', description: `Until ${submission.value.expiresOn}.` })
    }
    case 'revoke-override':
    case 'revoke-exemption': {
      const parsed = IdSchema.safeParse(Object.fromEntries(form))
      if (!parsed.success) return json({ error: 'Choose what to revoke.' }, { status: 400 })
      try {
        const done = intent === 'revoke-override' ? await revokeOverride(scope, { projectId, overrideId: parsed.data.id }) : await revokeExemption(scope, { projectId, exemptionId: parsed.data.id })
        if (!done) notFound('Nothing to revoke in this project.')
      } catch (e) {
        return errorReply(e)
      }
      return redirectWithToast(here, { type: 'success', title: intent === 'revoke-override' ? 'Override revoked' : 'Exemption revoked' })
    }
    default:
      return json({ error: 'Unknown action.' }, { status: 400 })
  }
}

type Card = ReturnType<typeof useLoaderData<typeof loader>>

function ChecksTable({ card }: { card: Card }) {
  return (
    <div className="space-y-4">
      {LEVEL_ORDER.map((level) => (
        // tabIndex: a region that scrolls sideways on a phone is reachable by keyboard.
        <section key={level} aria-labelledby={`level-${level}`} className="card overflow-x-auto p-0" tabIndex={0}>
          <h2 id={`level-${level}`} className="px-4 pt-3 text-lg font-semibold">
            {LEVELS[level]}
          </h2>
          <table className="table">
            <caption className="sr-only">Checks of the level “{LEVELS[level]}”</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Status</th>
                <th scope="col">Why</th>
                <th scope="col" className="print:hidden">
                  Fix
                </th>
              </tr>
            </thead>
            <tbody>
              {card.checks
                .filter((c) => c.level === level)
                .map((c) => (
                  <tr key={c.key} id={`check-${c.key}`} className="border-t border-slate-100 align-top">
                    <th scope="row" className="text-left font-medium">
                      {c.title}
                      <span className="block text-xs font-normal text-slate-600">
                        {APPLIES_TO[c.appliesTo]} · weight {c.weight}
                      </span>
                    </th>
                    <td>
                      <CheckStatusBadge status={c.status} />
                    </td>
                    <td className="max-w-prose text-sm">{c.why}</td>
                    <td className="text-sm print:hidden">
                      {c.link && c.status !== 'pass' ? (
                        <Link to={c.link} className="link" aria-label={`Fix: ${c.title}`}>
                          Fix
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  )
}

function ItemsTable({ caption, rows, nameHeader }: { caption: string; nameHeader: string; rows: { id: string; name: string; detail: string; checks: { key: string; title: string; status: 'pass' | 'fail' | 'na'; why: string; link: string | null }[] }[] }) {
  const titles = rows[0]?.checks.map((c) => ({ key: c.key, title: c.title })) ?? []
  return (
    <section aria-labelledby={`items-${nameHeader}`} className="card overflow-x-auto p-0" tabIndex={0}>
      <h2 id={`items-${nameHeader}`} className="px-4 pt-3 text-lg font-semibold">
        {caption}
      </h2>
      <table className="table">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col">{nameHeader}</th>
            {titles.map((t) => (
              <th key={t.key} scope="col">
                {t.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className="border-t border-slate-100 align-top">
              <th scope="row" className="text-left font-medium">
                {r.name}
                <span className="block text-xs font-normal text-slate-600">{r.detail}</span>
              </th>
              {r.checks.map((c) => (
                <td key={c.key} className="text-sm">
                  <CheckStatusBadge status={c.status} />
                  <span className="block text-xs text-slate-700">{c.why}</span>
                  {c.link && c.status === 'fail' ? (
                    <Link to={c.link} className="link text-xs print:hidden" aria-label={`Fix ${c.title} for ${r.name}`}>
                      Fix
                    </Link>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

export default function ReadinessPage() {
  const card = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { form?: string; result?: SubmissionResult<string[]>; error?: string } | undefined
  const p = card.project
  const failingTitles = card.checks.filter((c) => card.failing.includes(c.key)).map((c) => c.title)
  const activeExemptions = card.exemptions.filter((e) => !e.expired)
  const titleOf = (key: string) => card.checks.find((c) => c.key === key)?.title ?? key
  return (
    <div className="space-y-6">
      <Link to={`../${p.id}`} relative="path" className="link text-sm print:hidden">
        ← {p.name}
      </Link>
      <ProjectNav projectId={p.id} name={p.name} />
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Readiness scorecard</h1>
        <p className="flex flex-wrap items-center gap-3">
          <span className="text-3xl font-bold" aria-label={`Score ${card.scorePct} %`}>
            {card.scorePct} %
          </span>
          <BandBadge band={card.band} />
          <span className="text-slate-700">Level: {levelLabel(card.level)}</span>
          {card.nextGoLive ? <span className="text-slate-700">Next go-live {formatDay(card.nextGoLive)}</span> : null}
        </p>
        <LevelSteps level={card.level} />
      </div>
      {actionData?.error ? <FormErrors errors={[actionData.error]} /> : null}
      <section aria-labelledby="gate-heading" className={`card space-y-2 ring-2 ${card.gateOpen ? 'ring-emerald-300' : 'ring-rose-300'}`}>
        <h2 id="gate-heading" className="text-lg font-semibold">
          Go-live gate: {card.gateOpen ? 'open' : 'closed'}
        </h2>
        <p className="text-sm">
          {card.failing.length
            ? `Failing: ${failingTitles.join(', ')}. Deployment cannot start, no wave can go live and no interface of the project can be set live until they pass, are exempted, or the gate is overridden.`
            : 'Every check passes or is exempted: deployment can start and waves can go live.'}
        </p>
        {card.override ? (
          <div className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-300">
            <p>
              <strong>Overridden</strong> by {card.override.by} on {card.override.at.slice(0, 10)}: {card.override.reason}
            </p>
            {card.mayRevokeOverride ? (
              <Form method="post" className="mt-2 print:hidden">
                <input type="hidden" name="id" value={card.override.id} />
                <button type="submit" name="intent" value="revoke-override" className="btn-secondary text-sm">
                  Revoke the override
                </button>
              </Form>
            ) : null}
          </div>
        ) : null}
        {activeExemptions.length ? (
          <ul className="space-y-2" aria-label="Exemptions">
            {activeExemptions.map((e) => (
              <li key={e.id} className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-300">
                <strong>{titleOf(e.checkKey)}</strong> exempted until {formatDay(e.expiresOn)} by {e.by}: {e.reason}
                {card.mayExempt ? (
                  <Form method="post" className="mt-2 print:hidden">
                    <input type="hidden" name="id" value={e.id} />
                    <button type="submit" name="intent" value="revoke-exemption" className="btn-secondary text-sm" aria-label={`Revoke the exemption of ${titleOf(e.checkKey)}`}>
                      Revoke
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <ChecksTable card={card} />
      {card.interfaces.length ? (
        <ItemsTable caption="Per interface" nameHeader="Interface" rows={card.interfaces.map((i) => ({ id: i.id, name: i.name, detail: LIFECYCLES[i.lifecycle], checks: i.checks }))} />
      ) : null}
      {card.waves.length ? (
        <ItemsTable
          caption="Per wave"
          nameHeader="Wave"
          rows={card.waves.map((w) => ({ id: w.id, name: w.name, detail: `${WAVE_KINDS[w.kind]} · ${WAVE_STATUSES[w.status]}${w.goLive ? ` · ${formatDay(w.goLive)}` : ''}`, checks: w.checks }))}
        />
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2 print:hidden">
        {card.mayOverride && !card.override ? (
          <section aria-labelledby="override-heading" className="card space-y-2">
            <h2 id="override-heading" className="text-lg font-semibold">
              Override the gate
            </h2>
            <p className="text-sm text-slate-700">You are the project’s accountable person ({card.accountableFrom === 'raci' ? 'the A of “Phased rollout” in the RACI' : 'its owner: “Phased rollout” has no A'}). An override opens the whole gate until you revoke it.</p>
            <OverrideForm lastResult={actionData?.form === 'override' ? actionData.result : undefined} />
          </section>
        ) : null}
        {card.mayExempt ? (
          <section aria-labelledby="exempt-heading" className="card space-y-2">
            <h2 id="exempt-heading" className="text-lg font-semibold">
              Exempt a check
            </h2>
            <p className="text-sm text-slate-700">An exempted check counts as passing until its expiry; its grantor and the project’s owner are told a week before and when it expires.</p>
            <ExemptionForm checks={card.checks.map((c) => ({ key: c.key, title: c.title }))} today={card.today} lastResult={actionData?.form === 'exempt' ? actionData.result : undefined} />
          </section>
        ) : null}
      </div>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
