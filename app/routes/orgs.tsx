import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState, FormErrors, TextField } from '#app/components/forms.tsx'
import { createOrganization, listMyOrganizations } from '#app/models/people/organization.server.ts'
import { ROLE_LABELS } from '#app/models/people/vocabulary.ts'
import { requireUser } from '#app/utils/tenant.server.ts'

const CreateOrgSchema = z.object({ name: z.string({ required_error: 'Name the organisation' }).trim().min(2, 'Name the organisation').max(120) })

export const meta: MetaFunction = () => [{ title: 'Your organisations · Liaison' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json({ user, orgs: await listMyOrganizations(user.id) })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const submission = parseWithZod(await request.formData(), { schema: CreateOrgSchema })
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 })
  const org = await createOrganization(user, { name: submission.value.name })
  return redirect(`/o/${org.slug}`)
}

export default function OrgsPage() {
  const { user, orgs } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()?.result
  const [form, fields] = useForm({
    id: 'create-org',
    lastResult,
    constraint: getZodConstraint(CreateOrgSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateOrgSchema }),
  })
  return (
    <main className="mx-auto max-w-2xl space-y-8 px-4 py-12">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold">Your organisations</h1>
        <div className="flex items-center gap-3 text-sm">
          <Link to="/account" className="link">
            {user.name}
          </Link>
          <Form method="post" action="/logout">
            <button type="submit" className="btn-secondary">
              Sign out
            </button>
          </Form>
        </div>
      </div>
      {orgs.length ? (
        <ul className="grid gap-3">
          {orgs.map((o) => (
            <li key={o.id}>
              <Link to={`/o/${o.slug}`} className="card flex items-center justify-between hover:ring-brand-600">
                <span className="font-semibold">{o.name}</span>
                <span className="text-sm text-slate-600">{ROLE_LABELS[o.role]}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title="You are not a member of any organisation">
          Accept an invitation from your organisation’s Liaison admin, or create a new organisation below.
        </EmptyState>
      )}
      <section aria-labelledby="new-org" className="card">
        <h2 id="new-org" className="font-semibold">
          Create another organisation
        </h2>
        <Form method="post" {...getFormProps(form)} className="mt-4 flex flex-wrap items-end gap-3">
          <FormErrors id={form.errorId} errors={form.errors} />
          <div className="flex-1">
            <TextField field={fields.name} label="Name" placeholder="e.g. Lakeside Clinic" />
          </div>
          <button type="submit" className="btn-primary">
            Create
          </button>
        </Form>
      </section>
    </main>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
