import { isRouteErrorResponse, Link, useParams, useRouteError } from '@remix-run/react'

const MESSAGES: Record<number, { title: string; body: string }> = {
  400: { title: 'Bad request', body: 'Liaison could not read what was sent. Go back, check the form or the address, and try again.' },
  403: { title: 'Not allowed', body: 'Your role in this organisation cannot open this page or do this. Ask an owner or admin if you need it.' },
  404: { title: 'Not found', body: 'This page does not exist, or it belongs to an organisation you are not a member of.' },
  409: { title: 'Conflict', body: 'Someone or something changed this in the meantime. Reload the page and try again.' },
  415: { title: 'Unsupported request', body: 'This page accepts forms only.' },
  422: { title: 'Not possible', body: 'This would break one of the rules Liaison keeps.' },
  429: { title: 'Too many attempts', body: 'Wait a little and try again.' },
  503: { title: 'Temporarily unavailable', body: 'A service Liaison needs is not answering. Try again in a minute.' },
}

/** The answer's own words, when it has any beyond its status (Remix's defaults say nothing). */
function detailOf(error: unknown, status: number) {
  if (!isRouteErrorResponse(error) || typeof error.data !== 'string') return null
  const text = error.data.trim()
  if (!text || text.toLowerCase() === (error.statusText || '').toLowerCase() || /^not found$/i.test(text)) return null
  return status < 500 || status === 503 ? text.slice(0, 500) : null
}

/** Every route with params exports this (via `ErrorBoundary = GeneralErrorBoundary`). */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  const params = useParams()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const known = MESSAGES[status]
  const detail = detailOf(error, status)
  const home = params.orgSlug ? `/o/${params.orgSlug}` : '/'
  return (
    <section className="card mx-auto my-8 max-w-xl" aria-labelledby="error-title">
      <p className="text-sm font-semibold text-brand-700">Error {status}</p>
      <h1 id="error-title" className="mt-1 text-2xl font-bold">
        {known?.title ?? 'Something went wrong'}
      </h1>
      <p className="mt-2 text-slate-700">{known?.body ?? 'An unexpected error happened. It was logged; try again, and tell your admin if it keeps happening.'}</p>
      {detail ? <p className="mt-2 text-sm text-slate-600">{detail}</p> : null}
      <Link to={home} className="btn-primary mt-6">
        Back to {params.orgSlug ? 'the organisation' : 'the start'}
      </Link>
    </section>
  )
}
