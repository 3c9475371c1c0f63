import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors, TextField } from '#app/components/forms.tsx'
import { listMyOrganizations } from '#app/models/people/organization.server.ts'
import { changePassword, updateProfile } from '#app/models/people/user.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { NameSchema, PasswordSchema } from '#app/utils/schemas.ts'
import { getSession } from '#app/utils/session.server.ts'
import { requireUser } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

const ProfileSchema = z.object({ intent: z.literal('profile'), name: NameSchema })
const PasswordChangeSchema = z
  .object({
    intent: z.literal('password'),
    currentPassword: z.string({ required_error: 'Enter your current password' }).max(1024),
    newPassword: PasswordSchema,
    confirmPassword: z.string({ required_error: 'Repeat the new password' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'The passwords do not match' })

export const meta: MetaFunction = () => [{ title: 'Your account · Liaison' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json({ user, orgs: await listMyOrganizations(user.id) })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await request.formData()
  if (formData.get('intent') === 'profile') {
    const submission = parseWithZod(formData, { schema: ProfileSchema })
    if (submission.status !== 'success') return json({ intent: 'profile', result: submission.reply() }, { status: 400 })
    await updateProfile(user.id, submission.value)
    return redirectWithToast('/account', { type: 'success', title: 'Name saved' })
  }
  const submission = parseWithZod(formData, { schema: PasswordChangeSchema })
  const hideFields = ['currentPassword', 'newPassword', 'confirmPassword']
  if (submission.status !== 'success') return json({ intent: 'password', result: submission.reply({ hideFields }) }, { status: 400 })
  const session = await getSession(request)
  try {
    await changePassword(user, session!.sessionId, submission.value)
  } catch (e) {
    const response = replyWithError(submission, e, { hideFields })
    return json({ intent: 'password', result: (await response.json()).result }, { status: response.status })
  }
  return redirectWithToast('/account', {
    type: 'success',
    title: 'Password changed',
    description: 'Your other sessions were signed out.',
  })
}

export default function AccountPage() {
  const { user, orgs } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const [profileForm, profileFields] = useForm({
    id: 'profile',
    lastResult: data?.intent === 'profile' ? data.result : undefined,
    defaultValue: { name: user.name },
    constraint: getZodConstraint(ProfileSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
  })
  const [pwForm, pwFields] = useForm({
    id: 'password',
    lastResult: data?.intent === 'password' ? data.result : undefined,
    constraint: getZodConstraint(PasswordChangeSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PasswordChangeSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <main className="mx-auto max-w-2xl space-y-8 px-4 py-12">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold">Your account</h1>
        <Link to="/orgs" className="link text-sm">
          Your organisations
        </Link>
      </div>
      <section aria-labelledby="profile-h" className="card">
        <h2 id="profile-h" className="font-semibold">
          Profile
        </h2>
        <p className="text-sm text-slate-600">Signed in as {user.email}</p>
        <Form method="post" {...getFormProps(profileForm)} className="mt-4 space-y-4">
          <input type="hidden" name="intent" value="profile" />
          <TextField field={profileFields.name} label="Name" autoComplete="name" />
          <button type="submit" className="btn-primary">
            Save name
          </button>
        </Form>
      </section>
      <section aria-labelledby="pw-h" className="card">
        <h2 id="pw-h" className="font-semibold">
          Change password
        </h2>
        <p className="text-sm text-slate-600">Changing it signs you out everywhere else.</p>
        <Form method="post" {...getFormProps(pwForm)} className="mt-4 space-y-4">
          <FormErrors id={pwForm.errorId} errors={pwForm.errors} />
          <input type="hidden" name="intent" value="password" />
          <TextField field={pwFields.currentPassword} label="Current password" type="password" autoComplete="current-password" />
          <TextField field={pwFields.newPassword} label="New password" type="password" autoComplete="new-password" hint="At least 12 characters." />
          <TextField field={pwFields.confirmPassword} label="Repeat the new password" type="password" autoComplete="new-password" />
          <button type="submit" className="btn-primary">
            Change password
          </button>
        </Form>
      </section>
      <section aria-labelledby="orgs-h" className="card">
        <h2 id="orgs-h" className="font-semibold">
          Memberships
        </h2>
        <ul className="mt-2 text-sm">
          {orgs.map((o) => (
            <li key={o.id}>
              <Link to={`/o/${o.slug}`} className="link">
                {o.name}
              </Link>{' '}
              · {ROLE_LABELS[o.role]}
            </li>
          ))}
        </ul>
      </section>
    </main>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
