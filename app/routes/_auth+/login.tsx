import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { FormErrors, TextField } from '#app/components/forms.tsx'
import { logIn } from '#app/models/people/user.server.ts'
import { safeRedirect } from '#app/utils/forms.server.ts'
import { getRequestContext } from '#app/utils/request-context.server.ts'
import { EmailSchema } from '#app/utils/schemas.ts'
import { destroySession, getSession } from '#app/utils/session.server.ts'

const LoginSchema = z.object({
  email: EmailSchema,
  password: z.string({ required_error: 'Enter your password' }).max(1024),
  redirectTo: z.string().optional(),
})

export const meta: MetaFunction = () => [{ title: 'Sign in · Liaison' }]

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSession(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')))
  return json({})
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: LoginSchema })
  if (submission.status !== 'success') return json({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  const result = await logIn({
    ...submission.value,
    ip: getRequestContext(request).ip,
    userAgent: request.headers.get('user-agent'),
  })
  if (!result.ok) {
    // The same words for a known and an unknown email: only the address's own history shows.
    const minutes = result.reason === 'invalid' ? 0 : Math.max(1, Math.ceil(result.retryAfterMs / 60_000))
    const message =
      result.reason === 'locked'
        ? `Too many failed attempts for this email address: signing in with it is paused for ${minutes} minute(s). Try again later or reset your password.`
        : result.reason === 'throttled'
          ? `Too many failed sign-ins from your network: try again in ${minutes} minute(s).`
          : 'Email or password is incorrect.'
    return json(
      { result: submission.reply({ formErrors: [message], hideFields: ['password'] }) },
      result.reason === 'invalid' ? { status: 401 } : { status: 429, headers: { 'Retry-After': String(Math.ceil(result.retryAfterMs / 1000)) } },
    )
  }
  // A new session at every login: end whatever session the browser carried before.
  const headers = new Headers()
  if (await getSession(request)) await destroySession(request)
  headers.append('Set-Cookie', result.cookie)
  return redirect(safeRedirect(submission.value.redirectTo), { headers })
}

export default function LoginPage() {
  const lastResult = useActionData<typeof action>()?.result
  const [searchParams] = useSearchParams()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'login',
    lastResult,
    constraint: getZodConstraint(LoginSchema),
    defaultValue: { redirectTo: searchParams.get('redirectTo') ?? '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <>
      <h1 className="text-xl font-bold">Sign in</h1>
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name={fields.redirectTo.name} value={fields.redirectTo.initialValue ?? ''} />
        <TextField field={fields.email} label="Email" type="email" autoComplete="username" />
        <TextField field={fields.password} label="Password" type="password" autoComplete="current-password" />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          {navigation.state === 'submitting' ? 'Signing in…' : 'Sign in'}
        </button>
      </Form>
      <div className="mt-6 flex justify-between text-sm">
        <Link to="/forgot-password" className="link">
          Forgot your password?
        </Link>
        <Link to="/signup" className="link">
          Create an organisation
        </Link>
      </div>
    </>
  )
}
