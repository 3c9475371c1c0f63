import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors, TextField } from '#app/components/forms.tsx'
import { recordSecurityEvent } from '#app/models/audit/audit.server.ts'
import { acceptInvitation, getInvitationByToken } from '#app/models/people/invitation.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { getRequestContext } from '#app/utils/request-context.server.ts'
import { NameSchema, PasswordSchema } from '#app/utils/schemas.ts'
import { createSession, getSession } from '#app/utils/session.server.ts'
import { notFound } from '#app/utils/errors.server.ts'

const NewAccountSchema = z
  .object({
    intent: z.literal('create-account'),
    name: NameSchema,
    password: PasswordSchema,
    confirmPassword: z.string({ required_error: 'Repeat the password' }),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: 'The passwords do not match' })
const AcceptSchema = z.object({ intent: z.literal('accept') })
const ActionSchema = z.union([AcceptSchema, NewAccountSchema])

export const meta: MetaFunction = () => [{ title: 'Invitation · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = await getInvitationByToken(params.token ?? '')
  if (!invitation) notFound()
  const session = await getSession(request)
  return json({
    invitation: {
      email: invitation.email,
      roleLabel: ROLE_LABELS[invitation.role],
      orgName: invitation.organization.name,
      state: invitation.state,
      accountExists: invitation.accountExists,
    },
    signedInAs: session?.user.email ?? null,
    path: new URL(request.url).pathname,
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? ''
  const submission = parseWithZod(await request.formData(), { schema: ActionSchema })
  const hideFields = ['password', 'confirmPassword']
  if (submission.status !== 'success') return json({ result: submission.reply({ hideFields }) }, { status: 400 })
  const session = await getSession(request)
  try {
    if (submission.value.intent === 'accept') {
      if (!session) throw redirect(`/login?redirectTo=${encodeURIComponent(`/invitations/${token}`)}`)
      const { organization } = await acceptInvitation(token, { userId: session.user.id })
      return redirect(`/o/${organization.slug}`)
    }
    const { user, organization } = await acceptInvitation(token, {
      newAccount: { name: submission.value.name, password: submission.value.password },
    })
    const { cookie } = await createSession(user.id, { ip: getRequestContext(request).ip, userAgent: request.headers.get('user-agent') })
    await recordSecurityEvent({ action: 'auth.login', userId: user.id, email: user.email, metadata: { via: 'invitation' } })
    return redirect(`/o/${organization.slug}`, { headers: { 'Set-Cookie': cookie } })
  } catch (e) {
    return replyWithError(submission, e, { hideFields })
  }
}

export default function InvitationPage() {
  const { invitation, signedInAs, path } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  const [form, fields] = useForm({
    id: 'accept-invitation',
    lastResult,
    constraint: getZodConstraint(NewAccountSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ActionSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <div className="flex min-h-full items-center justify-center px-4 py-12">
      <main className="card w-full max-w-md">
        <h1 className="text-xl font-bold">Join {invitation.orgName}</h1>
        <p className="mt-1 text-sm text-slate-700">
          Invitation for <strong>{invitation.email}</strong> as <strong>{invitation.roleLabel}</strong>.
        </p>
        <div className="mt-6">
          {invitation.state !== 'open' ? (
            <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-300">
              {invitation.state === 'accepted'
                ? 'This invitation was already used. Sign in to reach the organisation.'
                : invitation.state === 'expired'
                  ? 'This invitation has expired. Ask the person who invited you to send a new one.'
                  : 'This invitation was withdrawn.'}
            </p>
          ) : signedInAs && signedInAs !== invitation.email ? (
            <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-300">
              You are signed in as {signedInAs}, but this invitation is for {invitation.email}. Sign out, then open the
              link again.
            </p>
          ) : signedInAs ? (
            <Form method="post" {...getFormProps(form)} className="space-y-4">
              <FormErrors id={form.errorId} errors={form.errors} />
              <button type="submit" name="intent" value="accept" className="btn-primary w-full">
                Accept and join {invitation.orgName}
              </button>
            </Form>
          ) : invitation.accountExists ? (
            <Link to={`/login?redirectTo=${encodeURIComponent(path)}`} className="btn-primary w-full">
              Sign in as {invitation.email} to accept
            </Link>
          ) : (
            <Form method="post" {...getFormProps(form)} className="space-y-4">
              <FormErrors id={form.errorId} errors={form.errors} />
              <input type="hidden" name="intent" value="create-account" />
              <TextField field={fields.name} label="Your name" autoComplete="name" />
              <TextField field={fields.password} label="Choose a password" type="password" autoComplete="new-password" hint="At least 12 characters." />
              <TextField field={fields.confirmPassword} label="Repeat the password" type="password" autoComplete="new-password" />
              <button type="submit" className="btn-primary w-full">
                Create my account and join
              </button>
            </Form>
          )}
        </div>
      </main>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
