/**
 * The project filter of the adoption and mapping pages, and the calendar feed route, through
 * their loaders: another organisation's project (or a wave of another project) is 404, not a
 * leak; the feed answers text/calendar until revoked, then 404.
 */
import type { LoaderFunctionArgs } from '@remix-run/node'
import { describe, expect, test } from 'vitest'
import { createFeed, revokeFeed } from '#app/models/projects/calendar.server.ts'
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema, WaveSchema } from '#app/models/projects/schemas.ts'
import { createWave } from '#app/models/projects/waves.server.ts'
import { loader as feedLoader } from '#app/routes/calendar.$token.tsx'
import { loader as mappingLoader } from '#app/routes/o.$orgSlug+/mapping._index.tsx'
import { loader as adoptionLoader } from '#app/routes/o.$orgSlug+/training.adoption.tsx'
import { createOrgWithOwner, requestAs, uniqueSuffix } from '#tests/factories.ts'

async function status(fn: () => Promise<unknown>) {
  try {
    const r = await fn()
    return r instanceof Response ? r.status : 200
  } catch (e) {
    if (e instanceof Response) return e.status
    throw e
  }
}

async function projectWithPilot(scope: Awaited<ReturnType<typeof createOrgWithOwner>>['scope'], name: string) {
  const p = await createProject(scope, ProjectSchema.parse({ name, goal: 'x', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30' }))
  const w = (await createWave(scope, { projectId: p.id, ...WaveSchema.parse({ kind: 'pilot', name: `${name} pilot`, units: ['Ward 7'], goLive: '2027-06-30' }) }))!
  return { p, w }
}

describe('project filter and calendar feed routes', () => {
  test('adoption and mapping: a project of this organisation narrows the page; another’s, or a wave not of the project, is 404', async () => {
    const { org, owner, scope } = await createOrgWithOwner()
    const other = await createOrgWithOwner()
    const mine = await projectWithPilot(scope, `Mine ${uniqueSuffix()}`)
    const theirs = await projectWithPilot(other.scope, `Theirs ${uniqueSuffix()}`)
    const call = (loader: (args: LoaderFunctionArgs) => Promise<unknown>, page: string, query: string) => async () =>
      loader({ request: await requestAs(owner.id, `/o/${org.slug}/${page}${query}`), params: { orgSlug: org.slug }, context: {} })
    for (const [loader, page] of [[adoptionLoader, 'training/adoption'], [mappingLoader, 'mapping']] as const) {
      expect(await status(call(loader, page, `?project=${mine.p.id}`))).toBe(200)
      expect(await status(call(loader, page, `?project=${mine.p.id}&wave=${mine.w.id}`))).toBe(200)
      expect(await status(call(loader, page, `?project=${theirs.p.id}`))).toBe(404)
      expect(await status(call(loader, page, `?project=${mine.p.id}&wave=${theirs.w.id}`))).toBe(404)
    }
    const res = (await call(adoptionLoader, 'training/adoption', `?project=${mine.p.id}`)()) as Response
    const data = (await res.json()) as { group: { project: { name: string }; units: string[] } }
    expect(data.group).toMatchObject({ project: { name: mine.p.name }, units: ['Ward 7'] })
  })

  test('the feed route answers text/calendar with the wave’s go-live, and 404 once revoked', async () => {
    const { scope } = await createOrgWithOwner()
    const { w } = await projectWithPilot(scope, `Feed ${uniqueSuffix()}`)
    const { token } = await createFeed(scope)
    const get = (t: string) => feedLoader({ request: new Request(`http://localhost/calendar/${t}`), params: { token: t }, context: {} })
    const res = (await get(`${token}.ics`)) as Response
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/)
    const body = await res.text()
    expect(body).toContain(`UID:wave-${w.id}@liaison`)
    expect(body).toContain('DTSTART;VALUE=DATE:20270630')
    await revokeFeed(scope)
    expect(await status(() => get(`${token}.ics`))).toBe(404)
    expect(await status(() => get('nonsense'))).toBe(404)
  })
})
