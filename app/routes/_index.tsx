import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { listMyOrganizations } from '#app/models/people/organization.server.ts'
import { getSession } from '#app/utils/session.server.ts'

export const meta: MetaFunction = () => [
  { title: 'Liaison · integration projects that go live and stay live' },
  { name: 'description', content: 'Inventory, mapping, ownership, clinical sign-off, training and outcomes for health-IT integration projects.' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getSession(request)
  if (session) {
    const orgs = await listMyOrganizations(session.user.id)
    throw redirect(orgs.length === 1 ? `/o/${orgs[0]!.slug}` : '/orgs')
  }
  return json({})
}

const PILLARS = [
  ['Standards, not sprawl', 'An inventory of every system and interface, the standards each speaks, and warnings before point-to-point sprawl sets in.'],
  ['Mapping proven, not assumed', 'A versioned mapping matrix with code maps to LOINC, SNOMED CT and ICD-10, reviewed and approved by the people who know the data.'],
  ['Clinicians signed off', 'UAT scenarios and runs, and a signed, tamper-evident clinical sign-off that goes stale when the tests change.'],
  ['Everyone trained', 'Role-based training with checklists, refreshers and reminders people act on.'],
  ['Someone accountable', 'One RACI per activity, checked: exactly one Accountable, a clinician consulted.'],
  ['Success measured', 'Outcome KPIs with baselines captured before go-live, and engine health from Mirth Connect / OIE.'],
] as const

export default function Landing() {
  return (
    <div className="min-h-full bg-white">
      <header className="mx-auto flex max-w-5xl items-center justify-between p-6">
        <span className="flex items-center gap-2 text-xl font-bold text-brand-800">
          <img src="/favicon.svg" alt="" className="h-7 w-7" /> Liaison
        </span>
        <nav className="flex gap-3">
          <Link to="/login" className="btn-secondary">
            Sign in
          </Link>
          <Link to="/signup" className="btn-primary">
            Create an organisation
          </Link>
        </nav>
      </header>
      <main className="mx-auto max-w-5xl px-6 pb-16">
        <h1 className="mt-10 max-w-3xl text-4xl font-bold tracking-tight text-slate-900">
          Health-IT integration projects that go live — and stay live.
        </h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-700">
          Liaison makes the known reasons integration projects fail visible and hard to skip: ignored standards,
          underestimated mapping, untrained clinicians, nobody accountable, no monitoring, success never measured.
        </p>
        <ul className="mt-10 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {PILLARS.map(([title, body]) => (
            <li key={title} className="card">
              <h2 className="font-semibold text-brand-800">{title}</h2>
              <p className="mt-1 text-sm text-slate-700">{body}</p>
            </li>
          ))}
        </ul>
      </main>
    </div>
  )
}
