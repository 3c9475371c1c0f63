import { Link, useLocation } from '@remix-run/react'

/** A sortable column header: links toggle ?sort=&dir= and keep the other query parameters. */
export function SortHeader({ field, label }: { field: string; label: string }) {
  const location = useLocation()
  const sp = new URLSearchParams(location.search)
  const active = sp.get('sort') === field || (!sp.get('sort') && field === 'name')
  const dir = active ? (sp.get('dir') ?? 'asc') : null
  const next = new URLSearchParams(sp)
  next.set('sort', field)
  next.set('dir', dir === 'asc' ? 'desc' : 'asc')
  next.delete('page')
  return (
    <th scope="col" aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}>
      <Link to={`${location.pathname}?${next}`} className="inline-flex items-center gap-1 hover:underline">
        {label}
        <span aria-hidden="true">{dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}</span>
      </Link>
    </th>
  )
}
