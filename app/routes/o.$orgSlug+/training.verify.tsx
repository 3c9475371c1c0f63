import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState, FormErrors } from '#app/components/forms.tsx'
import { isVerifier, listVerificationQueue, returnCheck, verifyCheck } from '#app/models/training/training-assignment.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import { errorReply } from '#app/utils/forms.server.ts'

export const meta: MetaFunction = () => [{ title: 'Verify training · Liaison' }]

// Every member may open the queue; it lists only the ticks their own role verifies (none for
// most roles), never their own.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'org:read' })
  const [queue, verifier] = await Promise.all([listVerificationQueue(scope), isVerifier(scope)])
  return json({ queue, verifier, role: scope.role })
}

const ActionSchema = z.object({ intent: z.enum(['verify', 'return']), checkId: z.string().min(1).max(64) })

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'org:read' })
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return json({ error: 'Choose an item to verify.' }, { status: 400 })
  try {
    const check = parsed.data.intent === 'verify' ? await verifyCheck(scope, parsed.data.checkId) : await returnCheck(scope, parsed.data.checkId)
    if (!check) notFound('This item does not exist.')
    return redirectWithToast(`/o/${scope.orgSlug}/training/verify`, {
      type: 'success',
      title: parsed.data.intent === 'verify' ? 'Verified' : 'Sent back',
      description: `${check.item.label} · ${check.assignment.module.title}`,
    })
  } catch (e) {
    return errorReply(e)
  }
}

export default function VerifyPage() {
  const { queue, verifier, role } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const { org } = useOrg()
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <Link to={`/o/${org.slug}/training`} className="link inline-block py-2 text-sm">
        ← My training
      </Link>
      <div>
        <h1 className="text-2xl font-bold">Verify colleagues’ training</h1>
        <p className="text-slate-700">
          Items a {ROLE_LABELS[role]} confirms — for example that an at-the-elbow session took place. Verify what you saw; send back what still
          needs doing (the learner ticks it again afterwards). You never verify your own training.
        </p>
      </div>
      {data?.error ? <FormErrors errors={[data.error]} /> : null}
      {queue.length ? (
        <ul className="space-y-3">
          {queue.map((c) => (
            <li key={c.id} className="card space-y-3 p-4">
              <div>
                <p className="font-semibold">{c.label}</p>
                <p className="text-sm text-slate-700">
                  {c.member.name} · {c.member.unit ?? ROLE_LABELS[c.member.role]} · {c.module}
                </p>
                <p className="text-xs text-slate-600">Ticked {formatDateTime(c.checkedAt, org.timeZone)}</p>
              </div>
              <Form method="post" className="grid grid-cols-2 gap-2">
                <input type="hidden" name="checkId" value={c.id} />
                <button type="submit" name="intent" value="verify" className="btn-primary min-h-12" disabled={busy}>
                  Verify <span className="sr-only">{`${c.label} for ${c.member.name}`}</span>
                </button>
                <button type="submit" name="intent" value="return" className="btn-secondary min-h-12" disabled={busy}>
                  Not yet <span className="sr-only">{`(${c.label} for ${c.member.name})`}</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title={verifier ? 'Nothing waits for you' : 'Your role verifies no training item'}>
          {verifier
            ? 'When a colleague ticks an item that your role confirms, it appears here.'
            : 'Training managers decide which items need a verifier, and which role that is.'}
        </EmptyState>
      )}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
