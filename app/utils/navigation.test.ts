import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { loadAppRoutes } from '#tests/route-manifest.ts'
import { currentEntry, hrefOf, isOutsideRemix, mayOpen, NAVIGATION, navFor } from './navigation.ts'
import { can } from './permissions.ts'
import { ROLES, type Role } from '#app/models/people/vocabulary.ts'

const entries = NAVIGATION.flatMap((g) => g.entries)
const routes = await loadAppRoutes()
// Pages (routes with a component) by their URL pattern; resource routes (CSV, exports) are no place to go.
const pages = new Set(routes.filter((r) => r.module.default).map((r) => r.urlPattern.replace(/\/$/, '')))

describe('every entry leads somewhere', () => {
  test.each(entries.filter((e) => !isOutsideRemix(e)).map((e) => [e.label, e] as const))('%s is a page route under /o/:orgSlug', (_label, entry) => {
    expect(pages, `no route file in app/routes/o.$orgSlug+/ serves ${hrefOf(entry, ':orgSlug')}`).toContain(hrefOf(entry, ':orgSlug'))
  })

  test('the paths an entry also claims are where routes are', () => {
    for (const entry of entries) {
      for (const also of entry.also ?? []) {
        expect([...pages, ...routes.map((r) => r.urlPattern)].some((p) => p.startsWith(`/o/:orgSlug/${also}/`)), `${entry.label} claims ${also}/`).toBe(true)
      }
    }
  })

  test('an entry outside Remix is mounted by app/server.ts and no Remix route shadows it', () => {
    const server = readFileSync('app/server.ts', 'utf8')
    const outside = entries.filter(isOutsideRemix)
    expect(outside.map((e) => e.id)).toEqual(['jobs'])
    for (const entry of outside) {
      expect(server).toContain(`'${entry.path}')`)
      expect(routes.some((r) => r.urlPattern === entry.path)).toBe(false)
    }
  })

  test('ids and places are unique', () => {
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length)
    expect(new Set(entries.map((e) => e.path)).size).toBe(entries.length)
    expect(new Set(NAVIGATION.map((g) => g.id)).size).toBe(NAVIGATION.length)
  })
})

describe('navFor: each persona sees what it may open', () => {
  // Written out, not derived: a change to the permission map that moves a link shows up here.
  const EXPECTED: Record<Role, string[]> = {
    owner: ['home', 'inbox', 'projects', 'training', 'picture', 'systems', 'interfaces', 'mapping', 'adoption', 'people', 'audit', 'outbox', 'settings'],
    admin: ['home', 'inbox', 'projects', 'training', 'picture', 'systems', 'interfaces', 'mapping', 'adoption', 'people', 'audit', 'outbox', 'settings'],
    manager: ['home', 'inbox', 'projects', 'training', 'picture', 'systems', 'interfaces', 'mapping', 'adoption', 'people'],
    analyst: ['home', 'inbox', 'projects', 'training', 'picture', 'systems', 'interfaces', 'mapping', 'people'],
    clinical_lead: ['home', 'inbox', 'projects', 'training', 'picture', 'systems', 'interfaces', 'mapping', 'adoption', 'people'],
    executive: ['home', 'inbox', 'projects', 'training', 'picture', 'systems', 'interfaces', 'mapping', 'adoption', 'people'],
    compliance: ['home', 'inbox', 'projects', 'training', 'picture', 'systems', 'interfaces', 'mapping', 'adoption', 'people', 'audit'],
    staff: ['home', 'inbox', 'projects', 'training', 'picture', 'systems', 'interfaces'],
  }

  test.each(ROLES)('%s', (role) => {
    const ids = navFor({ role }).flatMap((g) => g.entries.map((e) => e.id))
    expect(ids).toEqual(EXPECTED[role])
    // …and exactly what the role's capabilities allow, from the one permission map.
    expect(ids).toEqual(entries.filter((e) => e.can !== 'platform:operator' && can(role, e.can)).map((e) => e.id))
  })

  test('groups in order, empty groups dropped', () => {
    expect(navFor({ role: 'owner' }).map((g) => g.label)).toEqual(['Work', 'Estate', 'Mapping', 'Outcomes', 'Administration'])
    expect(navFor({ role: 'staff' }).map((g) => g.label)).toEqual(['Work', 'Estate'])
  })

  test('the job queues are for platform operators, whatever their role', () => {
    const jobs = entries.find((e) => e.id === 'jobs')!
    for (const role of ROLES) {
      expect(mayOpen({ role }, jobs)).toBe(false)
      expect(mayOpen({ role, isOperator: true }, jobs)).toBe(true)
    }
    expect(navFor({ role: 'staff', isOperator: true }).map((g) => g.label)).toEqual(['Work', 'Estate', 'Administration'])
    expect(hrefOf(jobs, 'riverside')).toBe('/admin/jobs')
  })
})

describe('currentEntry', () => {
  const at = (pathname: string) => currentEntry(pathname)?.entry.id
  test.each([
    ['/o/riverside', 'home'],
    ['/o/riverside/', 'home'],
    ['/o/riverside/inbox', 'inbox'],
    ['/o/riverside/systems', 'systems'],
    ['/o/riverside/systems/abc123/edit', 'systems'],
    ['/o/riverside/inventory/import', 'systems'],
    ['/o/riverside/interfaces/new', 'interfaces'],
    ['/o/riverside/estate', 'picture'],
    ['/o/riverside/mapping/v/xyz/rows/new', 'mapping'],
    ['/o/riverside/training', 'training'],
    ['/o/riverside/training/modules/new', 'training'],
    // The longer path wins over its parent.
    ['/o/riverside/training/adoption', 'adoption'],
    ['/o/riverside/members/invite', 'people'],
    ['/o/riverside/outbox/e1', 'outbox'],
  ])('%s → %s', (pathname, id) => {
    expect(at(pathname)).toBe(id)
  })

  test('whole segments only, and nothing outside an organisation', () => {
    expect(at('/o/riverside/systemsx')).toBeUndefined()
    expect(at('/o/riverside/auditing')).toBeUndefined()
    expect(at('/account')).toBeUndefined()
    expect(at('/admin/jobs')).toBeUndefined()
    expect(at('/orgs')).toBeUndefined()
  })

  test('names the group of the place', () => {
    expect(currentEntry('/o/riverside/audit')?.group.label).toBe('Administration')
  })

  test('among the entries a persona sees, a place it cannot open is no current place', () => {
    expect(currentEntry('/o/riverside/audit', navFor({ role: 'staff' }))).toBeUndefined()
  })
})
