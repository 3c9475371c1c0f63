import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { Form, Link, useLocation } from '@remix-run/react'
import { currentEntry, hrefOf, isOutsideRemix, navFor, type NavEntry } from '#app/utils/navigation.ts'
import type { OrgContext } from '#app/utils/org.ts'
import { ROLE_LABELS, type Role } from '#app/models/people/vocabulary.ts'

type Props = OrgContext & {
  orgs: { id: string; slug: string; name: string; role: Role }[]
  unread: number
  children: ReactNode
}

/**
 * The frame of every organisation page: a top bar (brand, organisation switcher, account), the
 * grouped navigation of app/utils/navigation.ts, and the page in <main>.
 * - Wide screens (lg, ≥ 1024 px): the navigation is a side column, always open.
 * - Narrower: it collapses behind a "Menu" bar that names the current place. The bar is a
 *   <details> and the navigation its next sibling (`peer-open:`), so the menu opens without
 *   JavaScript, by keyboard, and is announced as expanded or collapsed. With JavaScript it also
 *   closes on navigation and with Escape.
 * NOTE: the navigation must stay a later sibling of the <details> for `peer-open:` to reach it.
 */
export function OrgShell({ org, orgs, role, user, unread, children }: Props) {
  const location = useLocation()
  const groups = navFor({ role, isOperator: user.isOperator })
  const here = currentEntry(location.pathname, groups)
  const menu = useRef<HTMLDetailsElement>(null)

  // A client-side navigation keeps the DOM, so an opened menu would stay open over the new page.
  useEffect(() => {
    if (menu.current) menu.current.open = false
  }, [location.key])

  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !menu.current?.open) return
    menu.current.open = false
    menu.current.querySelector('summary')?.focus()
  }

  return (
    <div className="min-h-full lg:grid lg:grid-cols-[14rem_minmax(0,1fr)] lg:grid-rows-[auto_1fr]" onKeyDown={closeOnEscape}>
      <a
        href="#main"
        className="absolute left-2 top-2 z-50 -translate-y-[200%] rounded-md bg-white px-3 py-2 text-sm font-semibold text-brand-900 shadow ring-2 ring-brand-600 focus:translate-y-0"
      >
        Skip to main content
      </a>
      <header className="bg-brand-900 text-white lg:col-span-2">
        <div className="flex items-center gap-x-4 px-4 py-3">
          <Link to={`/o/${org.slug}`} className="flex shrink-0 items-center gap-2 font-bold">
            <img src="/favicon.svg" alt="" className="h-6 w-6 rounded bg-white" /> Liaison
          </Link>
          <OrgSwitcher current={org} orgs={orgs} />
          <div className="ml-auto hidden items-center gap-3 text-sm lg:flex">
            <AccountLinks name={user.name} role={role} />
          </div>
        </div>
      </header>

      <details ref={menu} className="group peer border-b border-slate-200 bg-white lg:hidden">
        <summary className="flex cursor-pointer list-none items-center gap-3 px-4 py-2.5 text-sm [&::-webkit-details-marker]:hidden">
          <span className="flex items-center gap-1.5 rounded-md px-2.5 py-1.5 font-medium ring-1 ring-slate-300 group-open:bg-slate-100">
            <span aria-hidden="true" className="group-open:hidden">
              ☰
            </span>
            <span aria-hidden="true" className="hidden group-open:inline">
              ✕
            </span>
            Menu
          </span>
          {here ? (
            <span className="min-w-0 truncate">
              <span className="sr-only">: you are at </span>
              <span aria-hidden="true" className="text-slate-600">
                {here.group.label} ›{' '}
              </span>
              <span className="font-semibold">{here.entry.label}</span>
            </span>
          ) : null}
          {unread ? (
            <span className="ml-auto flex shrink-0 items-center gap-1.5 text-slate-600">
              Inbox <UnreadBadge unread={unread} />
              <span className="sr-only"> unread</span>
            </span>
          ) : null}
        </summary>
      </details>

      <nav aria-label="Main" className="hidden border-b border-slate-200 bg-white peer-open:block lg:col-start-1 lg:row-start-2 lg:block lg:border-b-0 lg:border-r">
        {/* The column reaches the foot of the page; its links stay in view while the page scrolls. */}
        <div className="px-2 pb-3 lg:sticky lg:top-0 lg:max-h-screen lg:overflow-y-auto lg:py-4">
          {groups.map((group) => (
            <div key={group.id} className="mt-3 first:mt-1">
              <p id={`nav-${group.id}`} className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">
                {group.label}
              </p>
              <ul aria-labelledby={`nav-${group.id}`} className="space-y-0.5">
                {group.entries.map((entry) => (
                  <li key={entry.id}>
                    <NavItem entry={entry} orgSlug={org.slug} current={here?.entry.id === entry.id} unread={entry.id === 'inbox' ? unread : 0} />
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </nav>
      {/* On a phone the account sits in the opened menu: the top bar has no room for it. */}
      <div className="hidden items-center justify-between gap-3 border-b border-slate-200 bg-white px-5 py-3 text-sm peer-open:flex lg:!hidden">
        <AccountLinks name={user.name} role={role} light />
      </div>

      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl px-4 py-8 focus:outline-none lg:col-start-2 lg:row-start-2 lg:px-8">
        {children}
      </main>
    </div>
  )
}

function NavItem({ entry, orgSlug, current, unread }: { entry: NavEntry; orgSlug: string; current: boolean; unread: number }) {
  // The current place is marked by more than colour: a bar at its start and bold text.
  const className = `flex items-center justify-between gap-2 rounded-md px-3 py-2 text-sm lg:py-1.5 ${
    current ? 'bg-brand-50 font-semibold text-brand-900 shadow-[inset_3px_0_0_theme(colors.brand.600)]' : 'font-medium text-slate-700 hover:bg-slate-100'
  }`
  const content = (
    <>
      <span>{entry.label}</span>
      {unread ? (
        // The visible count is part of the link's name ("Inbox 3 unread"): no aria-label that
        // could drift from what is seen (WCAG 2.5.3, label in name).
        <span>
          <UnreadBadge unread={unread} />
          <span className="sr-only"> unread</span>
        </span>
      ) : null}
    </>
  )
  if (isOutsideRemix(entry)) {
    return (
      <a href={hrefOf(entry, orgSlug)} className={className}>
        {content}
      </a>
    )
  }
  return (
    <Link to={hrefOf(entry, orgSlug)} className={className} aria-current={current ? 'page' : undefined} prefetch="intent">
      {content}
    </Link>
  )
}

function UnreadBadge({ unread }: { unread: number }) {
  return <span className="rounded-full bg-amber-300 px-1.5 text-xs font-bold text-slate-900">{unread > 99 ? '99+' : unread}</span>
}

function AccountLinks({ name, role, light = false }: { name: string; role: Role; light?: boolean }) {
  return (
    <>
      <Link to="/account" className="hover:underline" title={`${name}, ${ROLE_LABELS[role]}: your account`}>
        {name} <span className={light ? 'text-slate-600' : 'sr-only text-brand-100 2xl:not-sr-only'}>({ROLE_LABELS[role]})</span>
      </Link>
      <Form method="post" action="/logout">
        <button type="submit" className={`rounded-md px-2 py-1 ring-1 ${light ? 'ring-slate-300 hover:bg-slate-100' : 'ring-brand-100 hover:bg-brand-800'}`}>
          Sign out
        </button>
      </Form>
    </>
  )
}

function OrgSwitcher({ current, orgs }: { current: OrgContext['org']; orgs: Props['orgs'] }) {
  return (
    <details className="relative min-w-0">
      <summary className="cursor-pointer list-none truncate rounded-md bg-brand-800 px-3 py-1.5 text-sm font-medium ring-1 ring-brand-600">
        <span className="sr-only">Organisation: </span>
        {current.name} <span aria-hidden="true">▾</span>
      </summary>
      <div className="absolute z-20 mt-2 w-72 max-w-[calc(100vw-2rem)] rounded-md bg-white p-2 text-slate-900 shadow-lg ring-1 ring-slate-200">
        <p className="px-2 py-1 text-xs font-semibold uppercase text-slate-600">Switch organisation</p>
        <ul>
          {orgs.map((o) => (
            <li key={o.id}>
              <Link
                to={`/o/${o.slug}`}
                className={`block rounded px-2 py-1.5 text-sm hover:bg-slate-100 ${o.slug === current.slug ? 'font-semibold' : ''}`}
                aria-current={o.slug === current.slug ? 'true' : undefined}
              >
                {o.name} <span className="text-slate-600">· {ROLE_LABELS[o.role]}</span>
              </Link>
            </li>
          ))}
        </ul>
        <Link to="/orgs" className="mt-1 block border-t border-slate-200 px-2 pt-2 text-sm link">
          All organisations…
        </Link>
      </div>
    </details>
  )
}
