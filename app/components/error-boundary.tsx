import { isRouteErrorResponse, Link, useParams, useRouteError } from '@remix-run/react'

const MESSAGES: Record<number, { title: string; body: string }> = {
  403: { title: 'Not allowed', body: 'Your role in this organisation cannot open this page or do this. Ask an owner or admin if you need it.' },
  404: { title: 'Not found', body: 'This page does not exist, or it belongs to an organisation you are not a member of.' },
  503: { title: 'Temporarily unavailable', body: 'A service Liaison needs is not answering. Try again in a minute.' },
}

/** Every route with params exports this (via `ErrorBoundary = GeneralErrorBoundary`). */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  const params = useParams()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const known = MESSAGES[status]
  const detail = isRouteErrorResponse(error) && typeof error.data === 'string' && status === 403 ? error.data : null
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
