/**
 * The organisation's information architecture: every place a member can go, in groups, with
 * the capability it needs (from the one permission map, app/utils/permissions.ts). The shell
 * (app/components/org-shell.tsx) draws it; nothing else keeps a list of links.
 * Browser-safe: no `.server` suffix.
 *
 * Adding a place is one line in its group, once its route exists — an entry without a route
 * fails app/utils/navigation.test.ts (no dead links). Waiting for their routes (and, where
 * named, their capability in permissions.ts):
 *   Estate:   { id: 'engines', path: 'engines', label: 'Engines', can: 'inventory:read' },
 *             { id: 'alerts', path: 'alerts', label: 'Alerts', can: 'alerts:read' }
 *   Outcomes: { id: 'dashboard', path: 'dashboard', label: 'Dashboard', can: 'kpis:read' }
 * See docs/decisions/019-navigation.md.
 */
import { can, type Capability } from './permissions.ts'
import { type Role } from '#app/models/people/vocabulary.ts'

/** What opening an entry needs: a capability of the member's role, or being a platform operator. */
export type NavNeed = Capability | 'platform:operator'

export type NavEntry = {
  /** Stable key (React key, tests). */
  id: string
  /**
   * Under /o/:orgSlug ('' is the organisation's home), without leading slash: the entry is the
   * current place for its path and every path below it. With a leading slash: an absolute path
   * served outside Remix (the job dashboard app/server.ts mounts), opened with a full page load.
   */
  path: string
  label: string
  can: NavNeed
  /** Further paths (under /o/:orgSlug) that belong to this place, e.g. the CSV import of the inventory. */
  also?: string[]
}

export type NavGroup = { id: string; label: string; entries: NavEntry[] }

export const NAVIGATION: readonly NavGroup[] = [
  {
    id: 'work',
    label: 'Work',
    entries: [
      { id: 'home', path: '', label: 'Home', can: 'org:read' },
      { id: 'inbox', path: 'inbox', label: 'Inbox', can: 'org:read' },
      { id: 'projects', path: 'projects', label: 'Projects', can: 'projects:read' },
      // Everyone has "My training"; managers reach modules, rules and the roster from it.
      { id: 'training', path: 'training', label: 'Training', can: 'org:read' },
    ],
  },
  {
    id: 'estate',
    label: 'Estate',
    entries: [
      { id: 'picture', path: 'estate', label: 'Estate picture', can: 'inventory:read' },
      // The spreadsheet round trip (template, import, export) is the systems' and interfaces' CSV.
      { id: 'systems', path: 'systems', label: 'Systems', can: 'inventory:read', also: ['inventory'] },
      { id: 'interfaces', path: 'interfaces', label: 'Interfaces', can: 'inventory:read' },
    ],
  },
  {
    id: 'mapping',
    label: 'Mapping',
    entries: [{ id: 'mapping', path: 'mapping', label: 'Data mapping', can: 'mapping:read' }],
  },
  {
    id: 'outcomes',
    label: 'Outcomes',
    entries: [{ id: 'adoption', path: 'training/adoption', label: 'Training adoption', can: 'training:report' }],
  },
  {
    id: 'admin',
    label: 'Administration',
    entries: [
      { id: 'people', path: 'members', label: 'People', can: 'members:read' },
      { id: 'audit', path: 'audit', label: 'Audit trail', can: 'audit:read' },
      { id: 'outbox', path: 'outbox', label: 'Email outbox', can: 'outbox:read' },
      { id: 'settings', path: 'settings', label: 'Settings', can: 'org:settings' },
      // Platform-wide (every organisation's queues), so not a capability of any role.
      { id: 'jobs', path: '/admin/jobs', label: 'Job queues', can: 'platform:operator' },
    ],
  },
]

export type Viewer = { role: Role; isOperator?: boolean }

export function mayOpen(viewer: Viewer, entry: NavEntry) {
  return entry.can === 'platform:operator' ? Boolean(viewer.isOperator) : can(viewer.role, entry.can)
}

/** The navigation a member sees: only the entries their role (or operator status) may open; empty groups dropped. */
export function navFor(viewer: Viewer): NavGroup[] {
  return NAVIGATION.map((g) => ({ ...g, entries: g.entries.filter((e) => mayOpen(viewer, e)) })).filter((g) => g.entries.length > 0)
}

/** Where an entry links to, for the organisation `orgSlug`. */
export function hrefOf(entry: NavEntry, orgSlug: string) {
  if (isOutsideRemix(entry)) return entry.path
  return entry.path ? `/o/${orgSlug}/${entry.path}` : `/o/${orgSlug}`
}

/** An entry served by Express beside Remix: a link to it must load a new document. */
export function isOutsideRemix(entry: NavEntry) {
  return entry.path.startsWith('/')
}

/**
 * The place a pathname belongs to: the entry whose path (or `also` path) is the longest
 * whole-segment prefix of it, so /o/x/training/adoption is "Training adoption" and
 * /o/x/training/modules/new is "Training". Home is only the home page itself.
 * Undefined outside an organisation or for a path no entry claims.
 */
export function currentEntry(pathname: string, groups: readonly NavGroup[] = NAVIGATION): { group: NavGroup; entry: NavEntry } | undefined {
  const match = /^\/o\/[^/]+(?:\/(.*?))?\/?$/.exec(pathname)
  if (!match) return undefined
  const rest = (match[1] ?? '').split('/').filter(Boolean)
  let best: { group: NavGroup; entry: NavEntry; length: number } | undefined
  for (const group of groups) {
    for (const entry of group.entries) {
      if (isOutsideRemix(entry)) continue
      for (const p of [entry.path, ...(entry.also ?? [])]) {
        const segments = p.split('/').filter(Boolean)
        const claims = segments.length === 0 ? rest.length === 0 : segments.every((s, i) => rest[i] === s)
        if (claims && (!best || segments.length > best.length)) best = { group, entry, length: segments.length }
      }
    }
  }
  return best && { group: best.group, entry: best.entry }
}
