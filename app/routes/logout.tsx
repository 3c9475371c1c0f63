import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { logOut } from '#app/models/people/user.server.ts'
import { blankSessionCookie, destroySession, getSession } from '#app/utils/session.server.ts'

export async function loader() {
  // Logging out changes state: only by POST (a link or image can't log anyone out).
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await getSession(request)
  if (!session) return redirect('/login', { headers: { 'Set-Cookie': blankSessionCookie() } })
  await logOut(session.user)
  return redirect('/login', { headers: { 'Set-Cookie': await destroySession(request) } })
}
