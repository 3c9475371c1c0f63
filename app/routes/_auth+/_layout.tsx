import { Link, Outlet } from '@remix-run/react'

export default function AuthLayout() {
  return (
    <div className="flex min-h-full flex-col items-center justify-center px-4 py-12">
      <header>
        <Link to="/" className="mb-8 flex items-center gap-2 text-2xl font-bold text-brand-800">
          <img src="/favicon.svg" alt="" className="h-8 w-8" />
          Liaison
        </Link>
      </header>
      <main className="card w-full max-w-md">
        <Outlet />
      </main>
    </div>
  )
}
