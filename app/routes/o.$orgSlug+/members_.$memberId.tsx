import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors, SelectField, TextField } from '#app/components/forms.tsx'
import {
  changeMemberRole,
  deactivateMember,
  getMember,
  reactivateMember,
  removeMember,
  updateMemberDetails,
} from '#app/models/people/membership.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { formatDateTime, useOrg } from '#app/utils/org.ts'
import { assignableRoles } from '#app/utils/permissions.ts'
import { FUNCTION_LABELS, FUNCTIONS, ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { FunctionSchema, RoleSchema, UnitSchema } from '#app/utils/schemas.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

const DetailsSchema = z.object({ intent: z.literal('details'), role: RoleSchema, function: FunctionSchema, unit: UnitSchema })
const StatusSchema = z.object({ intent: z.enum(['deactivate', 'reactivate', 'remove']) })
const ActionSchema = z.union([DetailsSchema, StatusSchema])

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.member.user.name ?? 'Member'} · Liaison` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'members:manage' })
  const member = await getMember(scope, params.memberId ?? '')
  if (!member) notFound()
  return json({ member, isSelf: member.id === scope.membershipId })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'members:manage' })
  const id = params.memberId ?? ''
  const submission = parseWithZod(await request.formData(), { schema: ActionSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  const v = submission.value
  const here = `/o/${scope.orgSlug}/members/${id}`
  try {
    if (v.intent === 'details') {
      const member = await getMember(scope, id)
      if (!member) notFound()
      if (v.role !== member.role && !(await changeMemberRole(scope, { membershipId: id, role: v.role }))) notFound()
      if (!(await updateMemberDetails(scope, id, { function: v.function, unit: v.unit }))) notFound()
      return redirectWithToast(here, { type: 'success', title: 'Changes saved' })
    }
    const op = { deactivate: deactivateMember, reactivate: reactivateMember, remove: removeMember }[v.intent]
    if (!(await op(scope, id))) notFound()
  } catch (e) {
    return replyWithError(submission, e)
  }
  if (v.intent === 'remove') return redirectWithToast(`/o/${scope.orgSlug}/members`, { type: 'success', title: 'Member removed' })
  return redirectWithToast(here, {
    type: 'success',
    title: v.intent === 'deactivate' ? 'Member deactivated' : 'Member reactivated',
    description: v.intent === 'deactivate' ? 'Their sessions were ended; they can no longer open this organisation.' : undefined,
  })
}

export default function MemberPage() {
  const { member, isSelf } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  const { org, role } = useOrg()
  const [form, fields] = useForm({
    id: 'member-details',
    lastResult,
    constraint: getZodConstraint(DetailsSchema),
    defaultValue: { role: member.role, function: member.function, unit: member.unit ?? '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ActionSchema }),
  })
  const roles = assignableRoles(role)
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <Link to=".." relative="path" className="link text-sm">
        ← People
      </Link>
      <div>
        <h1 className="text-2xl font-bold">{member.user.name}</h1>
        <p className="text-slate-700">
          {member.user.email} · member since {formatDateTime(member.createdAt, org.timeZone, { dateStyle: 'medium' })} ·{' '}
          {member.status === 'active' ? 'active' : 'deactivated'}
          {member.lastSeenAt ? ` · last seen ${formatDateTime(member.lastSeenAt, org.timeZone)}` : ''}
        </p>
      </div>
      <Form method="post" {...getFormProps(form)} className="card space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="details" />
        <SelectField field={fields.role} label="Role" options={roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
        <SelectField field={fields.function} label="Function" options={FUNCTIONS.map((f) => ({ value: f, label: FUNCTION_LABELS[f] }))} />
        <TextField field={fields.unit} label="Department or unit" />
        <button type="submit" className="btn-primary">
          Save changes
        </button>
      </Form>
      {!isSelf ? (
        <section aria-labelledby="access-h" className="card space-y-3">
          <h2 id="access-h" className="font-semibold">
            Access
          </h2>
          <p className="text-sm text-slate-700">
            Deactivating ends their sessions at once and keeps their history; removing takes them out of {org.name}.
          </p>
          <div className="flex gap-3">
            <Form method="post">
              <button type="submit" name="intent" value={member.status === 'active' ? 'deactivate' : 'reactivate'} className="btn-secondary">
                {member.status === 'active' ? 'Deactivate' : 'Reactivate'}
              </button>
            </Form>
            <Form
              method="post"
              onSubmit={(e) => {
                if (!confirm(`Remove ${member.user.name} from ${org.name}?`)) e.preventDefault()
              }}
            >
              <button type="submit" name="intent" value="remove" className="btn-danger">
                Remove from {org.name}
              </button>
            </Form>
          </div>
        </section>
      ) : null}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
