import type { LoaderFunctionArgs } from '@remix-run/node'
import { getOutboxEmail } from '#app/models/messages/email-outbox.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

/** The rendered email, for the sandboxed preview frame: no scripts, same-origin framing only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'outbox:read' })
  const email = await getOutboxEmail(scope, params.emailId ?? '')
  if (!email) notFound()
  return new Response(email.html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; sandbox",
      'X-Frame-Options': 'SAMEORIGIN',
      'Cache-Control': 'no-store',
    },
  })
}
