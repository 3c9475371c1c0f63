import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { FormErrors, TextField } from '#app/components/forms.tsx'
import { checkResetToken, resetPassword } from '#app/models/people/user.server.ts'
import { replyWithError } from '#app/utils/forms.server.ts'
import { PasswordSchema } from '#app/utils/schemas.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'
import { blankSessionCookie } from '#app/utils/session.server.ts'

const ResetSchema = z
  .object({ token: z.string().min(1), password: PasswordSchema, confirmPassword: z.string({ required_error: 'Repeat the password' }) })
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: 'The passwords do not match' })

export const meta: MetaFunction = () => [{ title: 'Choose a new password · Liaison' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? ''
  return json({ token, valid: token ? await checkResetToken(token) : false })
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ResetSchema })
  const hideFields = ['password', 'confirmPassword']
  if (submission.status !== 'success') return json({ result: submission.reply({ hideFields }) }, { status: 400 })
  try {
    await resetPassword(submission.value.token, submission.value.password)
  } catch (e) {
    return replyWithError(submission, e, { hideFields })
  }
  return redirectWithToast(
    '/login',
    { type: 'success', title: 'Password changed', description: 'Sign in with your new password.' },
    { headers: { 'Set-Cookie': blankSessionCookie() } },
  )
}

export default function ResetPasswordPage() {
  const { token, valid } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  const [form, fields] = useForm({
    id: 'reset',
    lastResult,
    constraint: getZodConstraint(ResetSchema),
    defaultValue: { token },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetSchema }),
    shouldRevalidate: 'onBlur',
  })
  if (!valid) {
    return (
      <>
        <h1 className="text-xl font-bold">This link can’t be used</h1>
        <p className="mt-2 text-sm text-slate-700">It has expired or was already used.</p>
        <Link to="/forgot-password" className="btn-primary mt-6">
          Ask for a new link
        </Link>
      </>
    )
  }
  return (
    <>
      <h1 className="text-xl font-bold">Choose a new password</h1>
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name={fields.token.name} value={token} />
        <TextField field={fields.password} label="New password" type="password" autoComplete="new-password" hint="At least 12 characters." />
        <TextField field={fields.confirmPassword} label="Repeat the new password" type="password" autoComplete="new-password" />
        <button type="submit" className="btn-primary w-full">
          Save the new password
        </button>
      </Form>
    </>
  )
}
