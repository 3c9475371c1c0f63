import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { z } from 'zod'
import { FormErrors, TextField } from '#app/components/forms.tsx'
import { RESETS_PER_EMAIL, requestPasswordReset } from '#app/models/people/user.server.ts'
import { getRequestContext } from '#app/utils/request-context.server.ts'
import { EmailSchema } from '#app/utils/schemas.ts'

const ForgotSchema = z.object({ email: EmailSchema })

export const meta: MetaFunction = () => [{ title: 'Reset your password · Liaison' }]

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ForgotSchema })
  if (submission.status !== 'success') return json({ result: submission.reply(), sent: false }, { status: 400 })
  // The same answer, in the same time, whether or not the address has an account.
  const outcome = await requestPasswordReset(submission.value.email, { ip: getRequestContext(request).ip })
  if (!outcome.ok) {
    const minutes = Math.max(1, Math.ceil(outcome.retryAfterMs / 60_000))
    const message =
      outcome.per === 'email'
        ? `This address has been sent ${RESETS_PER_EMAIL} reset links in the last hour: use the newest one, or ask again in ${minutes} minute(s).`
        : `Too many reset requests from your network: try again in ${minutes} minute(s).`
    return json(
      { result: submission.reply({ formErrors: [message] }), sent: false },
      { status: 429, headers: { 'Retry-After': String(Math.ceil(outcome.retryAfterMs / 1000)) } },
    )
  }
  return json({ result: submission.reply(), sent: true })
}

export default function ForgotPasswordPage() {
  const data = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'forgot',
    lastResult: data?.result,
    constraint: getZodConstraint(ForgotSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotSchema }),
  })
  return (
    <>
      <h1 className="text-xl font-bold">Reset your password</h1>
      {data?.sent ? (
        <p role="status" className="mt-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 ring-1 ring-emerald-300">
          If an account uses this address, we have sent it a link to choose a new password. The link works once, for an
          hour.
        </p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextField field={fields.email} label="Email" type="email" autoComplete="username" />
          <button type="submit" className="btn-primary w-full">
            Send me a reset link
          </button>
        </Form>
      )}
      <p className="mt-6 text-sm">
        <Link to="/login" className="link">
          Back to sign in
        </Link>
      </p>
    </>
  )
}
