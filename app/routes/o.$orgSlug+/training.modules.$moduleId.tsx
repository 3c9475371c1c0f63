import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { ChecklistItemForm, ModuleForm, RuleForm } from '#app/components/training.tsx'
import { listSystemOptions } from '#app/models/inventory/system.server.ts'
import {
  addChecklistItem,
  addRule,
  getModule,
  moveChecklistItem,
  removeChecklistItem,
  removeRule,
  setModuleArchived,
  setRuleActive,
  updateModule,
} from '#app/models/training/training.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { FUNCTION_LABELS, ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import { ChecklistItemSchema, describeAudience, ModuleSchema, RuleSchema } from '#app/models/training/training.ts'
import { errorReply, replyWithError } from '#app/utils/forms.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.module.title ?? 'Training module'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'training:manage' })
  const [mod, systems] = await Promise.all([getModule(scope, params.moduleId ?? ''), listSystemOptions(scope)])
  if (!mod) notFound('This training module does not exist.')
  return json({ module: mod, systems })
}

const IdSchema = z.string().min(1).max(64)
const assigned = (r: { created: number; cancelled: number }) =>
  [r.created ? `${r.created} assigned` : null, r.cancelled ? `${r.cancelled} released` : null].filter(Boolean).join(', ') || 'Nobody’s assignments changed'

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'training:manage' })
  const formData = await request.formData()
  const intent = formData.get('intent')
  const moduleId = params.moduleId ?? ''
  const here = `/o/${scope.orgSlug}/training/modules/${moduleId}`
  const gone = () => notFound('This training module does not exist.')
  try {
    switch (intent) {
      case 'save': {
        const submission = parseWithZod(formData, { schema: ModuleSchema })
        if (submission.status !== 'success') return json({ intent, result: submission.reply() }, { status: 400 })
        try {
          if (!(await updateModule(scope, { moduleId, ...submission.value }))) gone()
        } catch (e) {
          return replyWithError(submission, e, { data: { intent } })
        }
        return redirectWithToast(here, { type: 'success', title: 'Module saved' })
      }
      case 'add-item': {
        const submission = parseWithZod(formData, { schema: ChecklistItemSchema })
        if (submission.status !== 'success') return json({ intent, result: submission.reply() }, { status: 400 })
        if (!(await addChecklistItem(scope, { moduleId, ...submission.value }))) gone()
        return redirectWithToast(here, { type: 'success', title: 'Item added' })
      }
      case 'add-rule': {
        const submission = parseWithZod(formData, { schema: RuleSchema })
        if (submission.status !== 'success') return json({ intent, result: submission.reply() }, { status: 400 })
        const result = await addRule(scope, { moduleId, ...submission.value })
        if (!result) gone()
        return redirectWithToast(here, { type: 'success', title: 'Rule added', description: assigned(result!) })
      }
      case 'move-up':
      case 'move-down':
      case 'remove-item': {
        const itemId = IdSchema.safeParse(formData.get('itemId'))
        if (!itemId.success) return json({ intent, error: 'Choose an item.' }, { status: 400 })
        const done =
          intent === 'remove-item'
            ? await removeChecklistItem(scope, { moduleId, itemId: itemId.data })
            : await moveChecklistItem(scope, { moduleId, itemId: itemId.data, direction: intent === 'move-up' ? -1 : 1 })
        if (!done) notFound('This item does not exist.')
        return redirectWithToast(here, { type: 'success', title: intent === 'remove-item' ? 'Item removed' : 'Checklist reordered' })
      }
      case 'activate-rule':
      case 'deactivate-rule':
      case 'remove-rule': {
        const ruleId = IdSchema.safeParse(formData.get('ruleId'))
        if (!ruleId.success) return json({ intent, error: 'Choose a rule.' }, { status: 400 })
        const result =
          intent === 'remove-rule'
            ? await removeRule(scope, { moduleId, ruleId: ruleId.data })
            : await setRuleActive(scope, { moduleId, ruleId: ruleId.data, active: intent === 'activate-rule' })
        if (!result) notFound('This rule does not exist.')
        const title = intent === 'remove-rule' ? 'Rule removed' : intent === 'activate-rule' ? 'Rule switched on' : 'Rule switched off'
        return redirectWithToast(here, { type: 'success', title, description: assigned(result!) })
      }
      case 'archive':
      case 'restore': {
        const result = await setModuleArchived(scope, { moduleId, archived: intent === 'archive' })
        if (!result) gone()
        return redirectWithToast(here, { type: 'success', title: intent === 'archive' ? 'Module archived' : 'Module restored', description: assigned(result!) })
      }
      default:
        return json({ intent: null, error: 'Unknown action.' }, { status: 400 })
    }
  } catch (e) {
    return errorReply(e, (error) => ({ intent, error }))
  }
}

export default function ModulePage() {
  const { module: m, systems } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>() as { intent?: string | null; result?: never; error?: string } | undefined
  const { org } = useOrg()
  const busy = useNavigation().state !== 'idle'
  const resultFor = (intent: string) => (data?.intent === intent ? data.result : undefined)
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <Link to={`/o/${org.slug}/training/modules`} className="link text-sm">
        ← Training modules
      </Link>
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-bold">{m.title}</h1>
        {m.archivedAt ? (
          <p className="rounded bg-slate-200 px-2 py-1 text-sm">Archived {formatDateTime(m.archivedAt, org.timeZone, { dateStyle: 'medium' })}</p>
        ) : null}
      </div>
      {data?.error ? <FormErrors errors={[data.error]} /> : null}

      <section aria-labelledby="checklist-heading" className="card space-y-4">
        <h2 id="checklist-heading" className="text-lg font-semibold">
          Checklist
        </h2>
        {m.items.length ? (
          <ol className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
            {m.items.map((item, i) => (
              <li key={item.id} className="flex flex-wrap items-center justify-between gap-2 p-3">
                <span>
                  <span className="mr-2 tabular-nums text-slate-600">{i + 1}.</span>
                  {item.label}
                  {item.verifierRole ? (
                    <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs text-amber-950">verified by a {ROLE_LABELS[item.verifierRole]}</span>
                  ) : null}
                </span>
                <Form method="post" className="flex gap-1">
                  <input type="hidden" name="itemId" value={item.id} />
                  <button type="submit" name="intent" value="move-up" className="btn-secondary" disabled={busy || i === 0} aria-label={`Move “${item.label}” up`}>
                    ↑
                  </button>
                  <button
                    type="submit"
                    name="intent"
                    value="move-down"
                    className="btn-secondary"
                    disabled={busy || i === m.items.length - 1}
                    aria-label={`Move “${item.label}” down`}
                  >
                    ↓
                  </button>
                  <button type="submit" name="intent" value="remove-item" className="btn-secondary" disabled={busy} aria-label={`Remove “${item.label}”`}>
                    Remove
                  </button>
                </Form>
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-sm text-slate-700">No items yet: learners will complete the module once they have followed the course.</p>
        )}
        <ChecklistItemForm key={m.items.length} lastResult={resultFor('add-item')} />
      </section>

      <section aria-labelledby="rules-heading" className="card space-y-4">
        <h2 id="rules-heading" className="text-lg font-semibold">
          Who takes it
        </h2>
        {m.rules.length ? (
          <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
            {m.rules.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 p-3">
                <span className={r.active ? '' : 'text-slate-600'}>
                  <strong>{describeAudience(r, { role: ROLE_LABELS, fn: FUNCTION_LABELS })}</strong> · due {r.dueInDays} days after assignment
                  {r.active ? null : ' · switched off'}
                </span>
                <Form method="post" className="flex gap-1">
                  <input type="hidden" name="ruleId" value={r.id} />
                  <button type="submit" name="intent" value={r.active ? 'deactivate-rule' : 'activate-rule'} className="btn-secondary" disabled={busy}>
                    {r.active ? 'Switch off' : 'Switch on'}
                  </button>
                  <button type="submit" name="intent" value="remove-rule" className="btn-secondary" disabled={busy}>
                    Remove
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-amber-900">No rule yet: nobody is assigned this module.</p>
        )}
        <p className="text-sm text-slate-700">Switching a rule off or removing it releases open assignments nobody else’s rule covers; completions are kept.</p>
        <RuleForm key={m.rules.length} lastResult={resultFor('add-rule')} />
      </section>

      <section aria-labelledby="details-heading" className="space-y-2">
        <h2 id="details-heading" className="text-lg font-semibold">
          Details
        </h2>
        <ModuleForm
          intent="save"
          lastResult={resultFor('save')}
          systems={systems}
          submitLabel="Save module"
          defaults={{
            title: m.title,
            description: m.description,
            contentUrl: m.contentUrl,
            sandboxUrl: m.sandboxUrl,
            estimatedMinutes: m.estimatedMinutes,
            refresherMonths: m.refresherMonths,
            requiredForGoLive: m.requiredForGoLive,
            systemIds: m.systems.map((s) => s.systemId),
          }}
        />
      </section>

      <Form method="post" className="card flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700">
          {m.archivedAt
            ? 'Restoring the module assigns it again to the members its rules match.'
            : 'Archiving stops assigning the module and releases its open assignments; completions stay in the records.'}
        </p>
        <button type="submit" name="intent" value={m.archivedAt ? 'restore' : 'archive'} className={m.archivedAt ? 'btn-primary' : 'btn-danger'} disabled={busy}>
          {m.archivedAt ? 'Restore module' : 'Archive module'}
        </button>
      </Form>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
