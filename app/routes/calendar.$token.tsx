import type { LoaderFunctionArgs } from '@remix-run/node'
import { calendarForToken } from '#app/models/projects/calendar.server.ts'
import { notFound } from '#app/utils/errors.server.ts'

/**
 * A person's iCal feed of the organisation's project milestones, outside the session: calendar
 * apps fetch without cookies, so the secret token in the URL is the credential (only its hash
 * is stored). Unknown, revoked, or of a deactivated member: 404. `/calendar/<token>.ics` and
 * `/calendar/<token>` answer the same.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const token = (params.token ?? '').replace(/\.ics$/, '')
  const body = await calendarForToken(token)
  if (body === null) notFound('No such calendar feed.')
  return new Response(body, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'inline; filename="liaison-milestones.ics"',
      'Cache-Control': 'private, no-store',
      'X-Robots-Tag': 'noindex',
    },
  })
}
