import { Form, Link, useSearchParams } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useCan, useOrg } from '#app/utils/org.ts'

/** The head of an inventory list: title, what it is, and CSV export / import / add. */
export function InventoryListHeader({
  title,
  description,
  kind,
  addLabel,
}: {
  title: string
  description: string
  kind: 'systems' | 'interfaces'
  addLabel: string
}) {
  const canWrite = useCan('inventory:write')
  const base = `/o/${useOrg().org.slug}`
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-bold">{title}</h1>
        <p className="text-slate-700">{description}</p>
      </div>
      <div className="flex flex-wrap gap-2">
        <a href={`${base}/inventory/export?kind=${kind}`} className="btn-secondary" download>
          Export CSV
        </a>
        {canWrite ? (
          <>
            <Link to={`${base}/inventory/import`} className="btn-secondary">
              Import CSV
            </Link>
            <Link to="new" className="btn-primary">
              {addLabel}
            </Link>
          </>
        ) : null}
      </div>
    </div>
  )
}

/**
 * A list's search and filters as a GET form: keeps the current sort, offers "Clear" when any
 * of `filterKeys` is set. The filter selects are its children.
 */
export function ListFilterForm({
  label,
  searchPlaceholder,
  filterKeys,
  children,
}: {
  label: string
  searchPlaceholder: string
  filterKeys: string[]
  children: ReactNode
}) {
  const [sp] = useSearchParams()
  const filtered = ['q', ...filterKeys].some((k) => sp.get(k))
  return (
    <Form method="get" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-5" role="search" aria-label={label}>
      <div className="lg:col-span-2">
        <label htmlFor="q" className="label">
          Search
        </label>
        <input id="q" name="q" type="search" defaultValue={sp.get('q') ?? ''} className="input mt-1" placeholder={searchPlaceholder} />
      </div>
      {children}
      {sp.get('sort') ? <input type="hidden" name="sort" value={sp.get('sort')!} /> : null}
      {sp.get('dir') ? <input type="hidden" name="dir" value={sp.get('dir')!} /> : null}
      <div className="flex items-end gap-2">
        <button type="submit" className="btn-secondary">
          Filter
        </button>
        {filtered ? (
          <Link to="." className="link text-sm">
            Clear
          </Link>
        ) : null}
      </div>
    </Form>
  )
}
