import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors, SelectField, TextField } from '#app/components/forms.tsx'
import { createInvitation } from '#app/models/people/invitation.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { useOrg } from '#app/utils/org.ts'
import { assignableRoles } from '#app/utils/permissions.ts'
import { FUNCTION_LABELS, FUNCTIONS, ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { EmailSchema, FunctionSchema, RoleSchema, UnitSchema } from '#app/utils/schemas.ts'
import { requireTenant, requireUser } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

const InviteSchema = z.object({ email: EmailSchema, role: RoleSchema, function: FunctionSchema, unit: UnitSchema })

export const meta: MetaFunction = () => [{ title: 'Invite someone · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireTenant(request, params, { can: 'members:invite' })
  return json({})
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'members:invite' })
  const submission = parseWithZod(await request.formData(), { schema: InviteSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  const user = await requireUser(request)
  try {
    await createInvitation(scope, submission.value, { inviterName: user.name })
  } catch (e) {
    return replyWithError(submission, e)
  }
  return redirectWithToast(`/o/${scope.orgSlug}/members`, {
    type: 'success',
    title: `Invitation sent to ${submission.value.email}`,
    description: 'The link works once and expires in 7 days.',
  })
}

export default function InvitePage() {
  const lastResult = useActionData<typeof action>()?.result
  const { role } = useOrg()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'invite',
    lastResult,
    constraint: getZodConstraint(InviteSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <div className="mx-auto max-w-xl">
      <Link to=".." relative="path" className="link text-sm">
        ← People
      </Link>
      <h1 className="mt-2 text-2xl font-bold">Invite someone</h1>
      <p className="text-slate-700">They receive an email with a one-time link, valid for 7 days.</p>
      <Form method="post" {...getFormProps(form)} className="card mt-6 space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField field={fields.email} label="Email" type="email" autoComplete="off" />
        <SelectField
          field={fields.role}
          label="Role"
          placeholder="Choose a role"
          options={assignableRoles(role).map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        />
        <SelectField
          field={fields.function}
          label="Function"
          placeholder="Choose a function"
          options={FUNCTIONS.map((f) => ({ value: f, label: FUNCTION_LABELS[f] }))}
        />
        <TextField field={fields.unit} label="Department or unit (optional)" placeholder="e.g. Emergency Department" />
        <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
          Send invitation
        </button>
      </Form>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
