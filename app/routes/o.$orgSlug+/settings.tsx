import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { FormErrors, SelectField, TextField } from '#app/components/forms.tsx'
import { getOrganization, listTimeZones, updateOrganization } from '#app/models/people/organization.server.ts'
import { getHighRiskRoles, setHighRiskRoles } from '#app/models/training/training.server.ts'
import { ROLE_LABELS, ROLES } from '#app/models/people/vocabulary.ts'
import { HighRiskRolesSchema } from '#app/models/training/training.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { redirectWithToast } from '#app/utils/toast.server.ts'

const SettingsSchema = z.object({
  name: z.string({ required_error: 'Name the organisation' }).trim().min(2, 'Name the organisation').max(120),
  timeZone: z
    .string({ required_error: 'Choose a time zone' })
    .refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true } catch { return false } }, 'Choose a time zone from the list'),
})

export const meta: MetaFunction = () => [{ title: 'Settings · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'org:settings' })
  const org = await getOrganization(scope)
  if (!org) notFound()
  return json({ org, timeZones: listTimeZones(), highRiskRoles: await getHighRiskRoles(scope) })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'org:settings' })
  const formData = await request.formData()
  if (formData.get('intent') === 'high-risk-roles') {
    const parsed = HighRiskRolesSchema.safeParse({ highRiskRoles: formData.getAll('highRiskRoles') })
    if (!parsed.success) return json({ highRiskError: 'Choose roles from the list.' }, { status: 400 })
    await setHighRiskRoles(scope, parsed.data.highRiskRoles)
    return redirectWithToast(`/o/${scope.orgSlug}/settings`, { type: 'success', title: 'High-risk roles saved' })
  }
  const submission = parseWithZod(formData, { schema: SettingsSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  await updateOrganization(scope, submission.value)
  return redirectWithToast(`/o/${scope.orgSlug}/settings`, { type: 'success', title: 'Settings saved' })
}

export default function SettingsPage() {
  const { org, timeZones, highRiskRoles } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const lastResult = actionData && 'result' in actionData ? actionData.result : undefined
  const [form, fields] = useForm({
    id: 'settings',
    lastResult,
    constraint: getZodConstraint(SettingsSchema),
    defaultValue: { name: org.name, timeZone: org.timeZone },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SettingsSchema }),
  })
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-bold">Organisation settings</h1>
      <Form method="post" {...getFormProps(form)} className="card mt-6 space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField field={fields.name} label="Name" />
        <SelectField
          field={fields.timeZone}
          label="Time zone (dates and times are shown in it)"
          options={timeZones.map((tz) => ({ value: tz, label: tz.replace(/_/g, ' ') }))}
        />
        <p className="text-sm text-slate-600">
          The address of this organisation is <code>/o/{org.slug}</code>; it does not change when the name does.
        </p>
        <button type="submit" className="btn-primary">
          Save settings
        </button>
      </Form>
      <Form method="post" className="card mt-6 space-y-3">
        <input type="hidden" name="intent" value="high-risk-roles" />
        <fieldset>
          <legend className="text-lg font-semibold">High-risk roles</legend>
          <p className="text-sm text-slate-600">
            Everyone in these roles must have completed the training required for go-live (the readiness check asks 100 % of them, 90 % of the others).
          </p>
          {actionData && 'highRiskError' in actionData ? <p className="field-error">{actionData.highRiskError}</p> : null}
          <div className="mt-2 grid grid-cols-2 gap-2">
            {ROLES.map((r) => (
              <label key={r} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="highRiskRoles" value={r} defaultChecked={highRiskRoles.includes(r)} className="h-4 w-4" /> {ROLE_LABELS[r]}
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" className="btn-primary">
          Save high-risk roles
        </button>
      </Form>
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
