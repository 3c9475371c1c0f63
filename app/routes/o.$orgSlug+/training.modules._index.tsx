import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { countAssignmentsByModule, listModules } from '#app/models/training/training.server.ts'
import { useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction = () => [{ title: 'Training modules · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'training:manage' })
  const archived = new URL(request.url).searchParams.get('archived') === '1'
  const [modules, counts] = await Promise.all([listModules(scope, { archived }), countAssignmentsByModule(scope)])
  return json({ modules: modules.map((m) => ({ ...m, assignments: counts[m.id] ?? { open: 0, completed: 0 } })), archived })
}

export default function ModulesPage() {
  const { modules, archived } = useLoaderData<typeof loader>()
  const [sp] = useSearchParams()
  const base = `/o/${useOrg().org.slug}/training`
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <Link to={base} className="link text-sm">
            ← My training
          </Link>
          <h1 className="mt-2 text-2xl font-bold">{archived ? 'Archived training modules' : 'Training modules'}</h1>
          <p className="max-w-3xl text-slate-700">
            Each module has a checklist and an audience: its rules assign it to the members of the roles, functions and units they name.
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link to={sp.get('archived') ? '.' : '?archived=1'} className="btn-secondary">
            {archived ? 'Current modules' : 'Archived modules'}
          </Link>
          <Link to={`${base}/modules/new`} className="btn-primary">
            Add a module
          </Link>
        </div>
      </div>
      {modules.length ? (
        <div className="card overflow-x-auto p-0">
          <table className="table">
            <caption className="sr-only">Training modules</caption>
            <thead className="bg-slate-50">
              <tr>
                <th scope="col">Module</th>
                <th scope="col">Checklist</th>
                <th scope="col">Active rules</th>
                <th scope="col">Open</th>
                <th scope="col">Completed</th>
                <th scope="col">Refresher</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {modules.map((m) => (
                <tr key={m.id}>
                  <td>
                    <Link to={`${base}/modules/${m.id}`} className="link">
                      {m.title}
                    </Link>
                    {m.requiredForGoLive ? <span className="ml-2 rounded bg-brand-100 px-1.5 text-xs text-brand-900">go-live</span> : null}
                    <span className="block text-xs text-slate-600">about {m.estimatedMinutes} min</span>
                  </td>
                  <td className="tabular-nums">{m._count.items} items</td>
                  <td className="tabular-nums">{m._count.rules || <span className="text-amber-800">none: nobody is assigned</span>}</td>
                  <td className="tabular-nums">{m.assignments.open}</td>
                  <td className="tabular-nums">{m.assignments.completed}</td>
                  <td>{m.refresherMonths ? `every ${m.refresherMonths} months` : 'never'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState
          title={archived ? 'No archived module' : 'No training module yet'}
          action={
            archived ? null : (
              <Link to={`${base}/modules/new`} className="btn-primary">
                Add the first module
              </Link>
            )
          }
        >
          {archived ? null : 'Start with what staff need on day one of the new system, e.g. “Lab results in the new EHR inbox”.'}
        </EmptyState>
      )}
    </div>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
