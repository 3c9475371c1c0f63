import { Link } from '@remix-run/react'
import { RACI_LETTERS, type RaciLetter } from '#app/models/projects/vocabulary.ts'

type Item = { projectId: string; projectName: string; activityId: string; title: string; letter: RaciLetter; due: string | null; text: string; overdue: boolean }

/** Home's "My responsibilities": what the member is R or A for, earliest due first, overdue said in words. */
export function MyResponsibilities({ data, base }: { data: { items: Item[]; total: number; overdue: number }; base: string }) {
  return (
    <section aria-labelledby="my-responsibilities-heading" className="card space-y-2">
      <h2 id="my-responsibilities-heading" className="text-lg font-semibold">
        My responsibilities: {data.total}
        {data.overdue ? `, ${data.overdue} overdue` : ''}
      </h2>
      <ul className="divide-y divide-slate-100 text-sm">
        {data.items.map((i) => (
          <li key={`${i.activityId}`} className="flex flex-wrap items-baseline justify-between gap-2 py-1.5">
            <span>
              <span className="mr-2 inline-block w-6 rounded bg-slate-100 text-center font-bold" title={RACI_LETTERS[i.letter]}>
                {i.letter}
              </span>
              <span className="sr-only">{i.letter === 'A' ? 'Accountable for' : 'Responsible for'} </span>
              <strong>{i.title}</strong> ·{' '}
              <Link to={`${base}/projects/${i.projectId}/raci#row-${i.activityId}`} className="link">
                {i.projectName}
              </Link>
            </span>
            <span className={i.overdue ? 'font-semibold text-red-800' : 'text-slate-700'}>{i.overdue ? `Overdue: ${i.text.replace(/^overdue /, '')}` : i.text}</span>
          </li>
        ))}
      </ul>
      {data.total > data.items.length ? <p className="text-xs text-slate-600">The first {data.items.length} of {data.total}, earliest due first.</p> : null}
    </section>
  )
}
