import { Link, useLocation } from '@remix-run/react'

function counted(total: number, noun: string) {
  if (total !== 1) return `${total} ${noun}`
  return `1 ${noun === 'people' ? 'person' : noun.replace(/s$/, '')}`
}

export function Pagination({ page, pageCount, total, noun }: { page: number; pageCount: number; total: number; noun: string }) {
  const location = useLocation()
  if (pageCount <= 1) return <p className="text-sm text-slate-600">{counted(total, noun)}</p>
  const href = (p: number) => {
    const sp = new URLSearchParams(location.search)
    sp.set('page', String(p))
    return `${location.pathname}?${sp}`
  }
  return (
    <nav aria-label="Pages" className="flex items-center justify-between text-sm">
      <p className="text-slate-600">
        {counted(total, noun)} · page {page} of {pageCount}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link to={href(page - 1)} className="btn-secondary" rel="prev">
            Previous
          </Link>
        ) : null}
        {page < pageCount ? (
          <Link to={href(page + 1)} className="btn-secondary" rel="next">
            Next
          </Link>
        ) : null}
      </div>
    </nav>
  )
}
