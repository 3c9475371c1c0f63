import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { FormErrors, TextField } from '#app/components/forms.tsx'
import { signUp } from '#app/models/people/user.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { getRequestContext } from '#app/utils/request-context.server.ts'
import { EmailSchema, NameSchema, PasswordSchema } from '#app/utils/schemas.ts'
import { createSession, getSession } from '#app/utils/session.server.ts'
import { recordSecurityEvent } from '#app/models/audit/audit.server.ts'

const SignupSchema = z
  .object({
    name: NameSchema,
    email: EmailSchema,
    orgName: z.string({ required_error: 'Name your organisation' }).trim().min(2, 'Name your organisation').max(120),
    password: PasswordSchema,
    confirmPassword: z.string({ required_error: 'Repeat the password' }),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: 'The passwords do not match' })

export const meta: MetaFunction = () => [{ title: 'Create an organisation · Liaison' }]

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSession(request)) throw redirect('/')
  return json({})
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: SignupSchema })
  const hideFields = ['password', 'confirmPassword']
  if (submission.status !== 'success') return json({ result: submission.reply({ hideFields }) }, { status: 400 })
  try {
    const { user, org } = await signUp(submission.value)
    const { cookie } = await createSession(user.id, {
      ip: getRequestContext(request).ip,
      userAgent: request.headers.get('user-agent'),
    })
    await recordSecurityEvent({ action: 'auth.login', userId: user.id, email: user.email, metadata: { via: 'signup' } })
    return redirect(`/o/${org.slug}`, { headers: { 'Set-Cookie': cookie } })
  } catch (e) {
    return replyWithError(submission, e, { hideFields })
  }
}

export default function SignupPage() {
  const lastResult = useActionData<typeof action>()?.result
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'signup',
    lastResult,
    constraint: getZodConstraint(SignupSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignupSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <>
      <h1 className="text-xl font-bold">Create your organisation</h1>
      <p className="mt-1 text-sm text-slate-600">You become its owner and can invite your team next.</p>
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField field={fields.name} label="Your name" autoComplete="name" />
        <TextField field={fields.email} label="Work email" type="email" autoComplete="email" />
        <TextField field={fields.orgName} label="Organisation" placeholder="e.g. Riverside Health" autoComplete="organization" />
        <TextField
          field={fields.password}
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters. A passphrase of several words is easiest to remember."
        />
        <TextField field={fields.confirmPassword} label="Repeat the password" type="password" autoComplete="new-password" />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          Create organisation
        </button>
      </Form>
      <p className="mt-6 text-sm">
        Already have an account?{' '}
        <Link to="/login" className="link">
          Sign in
        </Link>
      </p>
    </>
  )
}
