import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from '@remix-run/react'
import { useEffect, type ReactNode } from 'react'
import { GeneralErrorBoundary } from './components/error-boundary.tsx'
import { Toaster } from './components/toaster.tsx'
import tailwind from './styles/tailwind.css'
import { getSession } from './utils/session.server.ts'
import { getToast } from './utils/toast.server.ts'
import { getPublicEnv } from './utils/env.server.ts'
import { useNonce } from './utils/nonce.tsx'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: tailwind },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [{ title: 'Liaison' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const [session, { toast, setCookie }] = await Promise.all([getSession(request), getToast(request)])
  return json(
    { user: session?.user ?? null, toast, env: getPublicEnv() },
    { headers: setCookie ? { 'Set-Cookie': setCookie } : undefined },
  )
}

export function useOptionalUser() {
  return useRouteLoaderData<typeof loader>('root')?.user ?? null
}

function Document({ children }: { children: ReactNode }) {
  const nonce = useNonce()
  // Set once the first commit's effects have run (a parent's effects run after its children's):
  // from then on every form and link of the page is live. Browser tests wait for it.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true'
  }, [])
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="h-full">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  const data = useLoaderData<typeof loader>()
  return (
    <Document>
      <Outlet />
      <Toaster toast={data.toast} />
    </Document>
  )
}

export function ErrorBoundary() {
  return (
    <Document>
      <main className="mx-auto max-w-2xl p-8">
        <GeneralErrorBoundary />
      </main>
    </Document>
  )
}
