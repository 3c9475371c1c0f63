import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { DueBadge, Progress } from '#app/components/training.tsx'
import { checkItem, completeAssignment, getAssignment, uncheckItem } from '#app/models/training/training-assignment.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { can } from '#app/utils/permissions.ts'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import { errorReply } from '#app/utils/forms.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.assignment.module.title ?? 'Training'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'org:read' })
  const assignment = await getAssignment(scope, params.assignmentId ?? '')
  if (!assignment) notFound('This training does not exist.')
  // Someone else's training: those who report on adoption may look (read-only); others go to their own.
  if (!assignment.mine && !can(scope.role, 'training:report')) {
    return redirectWithToast(`/o/${scope.orgSlug}/training`, { type: 'info', title: 'That training is a colleague’s: here is yours' })
  }
  return json({ assignment, now: new Date().toISOString() })
}

const ActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('check'), itemId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal('uncheck'), itemId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal('complete') }),
])

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'org:read' })
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return json({ error: 'Choose an item of the checklist.' }, { status: 400 })
  const id = params.assignmentId ?? ''
  try {
    if (parsed.data.intent === 'complete') {
      const done = await completeAssignment(scope, { assignmentId: id })
      if (!done) notFound('This training does not exist, or it is not yours.')
      return redirectWithToast(`/o/${scope.orgSlug}/training`, {
        type: 'success',
        title: 'Training completed',
        description: done.expiresAt ? `Valid until ${formatDateTime(done.expiresAt, scope.timeZone, { dateStyle: 'long' })}.` : undefined,
      })
    }
    const result = parsed.data.intent === 'check' ? await checkItem(scope, { assignmentId: id, itemId: parsed.data.itemId }) : await uncheckItem(scope, { assignmentId: id, itemId: parsed.data.itemId })
    if (!result) notFound('This item is not on your checklist.')
    return json({ error: null })
  } catch (e) {
    return errorReply(e)
  }
}

export default function AssignmentPage() {
  const { assignment: a, now } = useLoaderData<typeof loader>() as Extract<ReturnType<typeof useLoaderData<typeof loader>>, { assignment: unknown }>
  const data = useActionData<typeof action>()
  const { org } = useOrg()
  const navigation = useNavigation()
  const open = a.status === 'open' && a.mine
  const done = a.items.filter((i) => i.state === 'done').length
  const pending = a.items.filter((i) => i.state === 'pending').length
  return (
    <div className="mx-auto max-w-2xl space-y-5">
      <Link to={`/o/${org.slug}/training${a.mine ? '' : '/adoption'}`} className="link inline-block py-2 text-sm">
        {a.mine ? '← My training' : '← Adoption'}
      </Link>
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">{a.module.title}</h1>
        {a.mine ? null : <p className="rounded-md bg-slate-100 p-2 text-sm ring-1 ring-slate-300">The training of {a.learner}, read-only: only they tick it.</p>}
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
          {a.status === 'open' ? <DueBadge dueAt={a.dueAt} now={new Date(now)} timeZone={org.timeZone} /> : null}
          <span>about {a.module.estimatedMinutes} min</span>
          {a.module.requiredForGoLive ? <span className="font-semibold">Required before go-live</span> : null}
          {a.module.systems.length ? <span>{a.module.systems.map((s) => s.system.name).join(', ')}</span> : null}
        </p>
        {a.reasonDetail ? <p className="text-sm text-slate-700">Refresher: {a.reasonDetail}</p> : null}
        {a.module.description ? <p className="whitespace-pre-line text-slate-800">{a.module.description}</p> : null}
      </div>

      {a.module.contentUrl || a.module.sandboxUrl ? (
        <div className="grid gap-2 sm:grid-cols-2">
          {a.module.contentUrl ? (
            <a href={a.module.contentUrl} target="_blank" rel="noreferrer" className="btn-secondary min-h-12 text-base">
              Open the course <span className="sr-only">(opens in a new tab)</span>
            </a>
          ) : null}
          {a.module.sandboxUrl ? (
            <a href={a.module.sandboxUrl} target="_blank" rel="noreferrer" className="btn-secondary min-h-12 text-base">
              Practise in the sandbox <span className="sr-only">(opens in a new tab)</span>
            </a>
          ) : null}
        </div>
      ) : null}

      {data?.error ? <FormErrors errors={[data.error]} /> : null}

      {a.status === 'completed' ? (
        <p role="status" className="rounded-lg bg-green-50 p-4 text-green-900 ring-1 ring-green-300">
          <strong>Completed</strong> {a.completedAt ? formatDateTime(a.completedAt, org.timeZone, { dateStyle: 'long' }) : null}
          {a.expiresAt ? ` · valid until ${formatDateTime(a.expiresAt, org.timeZone, { dateStyle: 'long' })}` : ' · does not expire'}
        </p>
      ) : a.status === 'cancelled' ? (
        <p role="status" className="rounded-lg bg-slate-100 p-4 ring-1 ring-slate-300">
          This training is no longer assigned to you.
        </p>
      ) : null}

      <section aria-labelledby="checklist-heading" className="space-y-3">
        <div className="flex items-baseline justify-between gap-2">
          <h2 id="checklist-heading" className="text-lg font-semibold">
            Checklist
          </h2>
          <p className="text-sm text-slate-700">
            {done} of {a.items.length} done{pending ? `, ${pending} waiting` : ''}
          </p>
        </div>
        <Progress done={done} pending={pending} total={a.items.length} />
        {a.items.length ? (
          <ol className="space-y-2">
            {a.items.map((item, i) => (
              <ChecklistRow key={item.id} item={item} index={i + 1} open={open} />
            ))}
          </ol>
        ) : (
          <p className="text-sm text-slate-700">This module has no checklist: complete it once you have followed the course.</p>
        )}
      </section>

      {open ? (
        <Form method="post" className="space-y-2">
          <button
            type="submit"
            name="intent"
            value="complete"
            className="btn-primary min-h-12 w-full text-base"
            disabled={!a.canComplete || navigation.state !== 'idle'}
            aria-describedby="complete-hint"
          >
            Mark this training complete
          </button>
          <p id="complete-hint" className="text-center text-sm text-slate-700">
            {a.canComplete
              ? a.module.refresherMonths
                ? `It stays valid for ${a.module.refresherMonths} months; you will be asked to refresh it then.`
                : 'Well done: every item is done.'
              : pending && done + pending === a.items.length
                ? 'Every item is ticked; the ones marked “waiting” need a colleague to verify them first.'
                : 'Tick every item first.'}
          </p>
        </Form>
      ) : null}
    </div>
  )
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>['assignment']['items'][number]

function ChecklistRow({ item, index, open }: { item: Item; index: number; open: boolean }) {
  const fetcher = useFetcher<typeof action>()
  const { org } = useOrg()
  // Optimistic: the tick shows at once; the server's answer (revalidated) confirms it.
  const submitting = fetcher.formData?.get('intent')
  const state = submitting === 'check' ? (item.verifierRole ? 'pending' : 'done') : submitting === 'uncheck' ? 'todo' : item.state
  const ticked = state !== 'todo'
  const box =
    state === 'done'
      ? 'bg-green-600 text-white ring-green-700'
      : state === 'pending'
        ? 'bg-amber-300 text-amber-950 ring-amber-500'
        : 'bg-white ring-slate-400'
  const content = (
    <>
      <span aria-hidden="true" className={`mt-0.5 flex h-7 w-7 shrink-0 items-center justify-center rounded-md text-lg font-bold ring-2 ${box}`}>
        {state === 'done' ? '✓' : state === 'pending' ? '…' : ''}
      </span>
      <span className="min-w-0 flex-1 text-left">
        <span className="sr-only">Item {index}: </span>
        <span className="block break-words font-medium">{item.label}</span>
        {item.verifierRole ? (
          <span className="mt-0.5 block text-sm text-slate-700">
            {state === 'done' && item.verifiedBy
              ? `Verified by ${item.verifiedBy}${item.verifiedAt ? `, ${formatDateTime(item.verifiedAt, org.timeZone, { dateStyle: 'medium' })}` : ''}`
              : state === 'pending'
                ? `Pending verification by a ${ROLE_LABELS[item.verifierRole]}`
                : `A ${ROLE_LABELS[item.verifierRole]} verifies this one`}
          </span>
        ) : null}
      </span>
    </>
  )
  if (!open) return <li className="flex gap-3 rounded-lg bg-white p-4 ring-1 ring-slate-200">{content}</li>
  return (
    <li>
      <fetcher.Form method="post">
        <input type="hidden" name="itemId" value={item.id} />
        <button
          type="submit"
          name="intent"
          value={ticked ? 'uncheck' : 'check'}
          aria-pressed={ticked}
          className="flex min-h-14 w-full gap-3 rounded-lg bg-white p-4 text-slate-900 shadow-sm ring-1 ring-slate-200 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
        >
          {content}
        </button>
      </fetcher.Form>
    </li>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
