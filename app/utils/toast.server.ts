import { createCookieSessionStorage, redirect } from '@remix-run/node'
import { getEnv, isSecureOrigin } from './env.server.ts'

export type Toast = { type: 'success' | 'error' | 'info'; title: string; description?: string }

let storage: ReturnType<typeof createCookieSessionStorage<{ toast: Toast }>> | undefined
function getStorage() {
  return (storage ??= createCookieSessionStorage<{ toast: Toast }>({
    cookie: {
      name: 'liaison_toast',
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: isSecureOrigin(),
      secrets: [getEnv().SESSION_SECRET],
    },
  }))
}

/** Reads (and clears) the one-time toast. Returns the Set-Cookie to send when there was one. */
export async function getToast(request: Request): Promise<{ toast: Toast | null; setCookie: string | null }> {
  const session = await getStorage().getSession(request.headers.get('cookie'))
  const toast = (session.get('toast') as Toast | undefined) ?? null
  if (!toast) return { toast: null, setCookie: null }
  session.unset('toast')
  return { toast, setCookie: await getStorage().commitSession(session) }
}

export async function toastCookie(toast: Toast) {
  const session = await getStorage().getSession()
  session.flash('toast', toast)
  return getStorage().commitSession(session)
}

export async function redirectWithToast(url: string, toast: Toast, init: ResponseInit = {}) {
  const headers = new Headers(init.headers)
  headers.append('Set-Cookie', await toastCookie(toast))
  return redirect(url, { ...init, headers })
}
