/**
 * THE tenant-isolation test. For every route of the app (tests/route-manifest.ts reads them the
 * way the Remix compiler does, guarded as in production) × its loader and every intent of its
 * action, with the spec its domain keeps in tests/isolation/<domain>.spec.ts:
 *
 * - a member of another organisation gets 404 (existence does not leak);
 * - a role without the capability gets 403, and the role with it gets through (a success);
 * - another organisation's object named in the URL is 404, in the form refused;
 * - a per-person object of a colleague (another member's notice) is 404;
 * - signed out, or with a forged session: a redirect to /login;
 * - no response contains anything of the other organisation, none of its rows changed, and
 *   every 403 is audited in the caller's organisation.
 *
 * It fails when a route has no spec, or when an action handles an intent its spec does not
 * know (tests/isolation/intents.ts reads them from the action). The machinery is in
 * tests/isolation/sweep.ts; docs/decisions/020-isolation-sweep.md says why it is built so.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { ROLES } from '#app/models/people/vocabulary.ts'
import { loadSpecs } from '#tests/isolation/load-specs.ts'
import { isPublic, type Objects, type PublicRouteSpec, type TenantRouteSpec } from '#tests/isolation/spec.ts'
import {
  coverageProblems,
  createWorld,
  hasData,
  objectsOfBFor,
  snapshot,
  snapshotChanges,
  stats,
  sweepPublicRoute,
  sweepSignedOut,
  sweepTenantRoute,
  type World,
} from '#tests/isolation/sweep.ts'
import { loadAppRoutes, type AppRoute } from '#tests/route-manifest.ts'

const routes = await loadAppRoutes()
const specs = await loadSpecs()
const specOf = new Map(specs.map((s) => [s.spec.route, s.spec]))
const tenantRoutes = routes.flatMap((route) => {
  const spec = specOf.get(route.id)
  return hasData(route) && spec && !isPublic(spec) ? [{ route, spec }] : []
}) as { route: AppRoute; spec: TenantRouteSpec }[]
const publicRoutes = routes.flatMap((route) => {
  const spec = specOf.get(route.id)
  return hasData(route) && spec && isPublic(spec) ? [{ route, spec }] : []
}) as { route: AppRoute; spec: PublicRouteSpec }[]

let world: World
const objectsOfB = new Map<string, Map<string, Objects>>()
const foreign = new Map<string, { whose: string; objects: Objects }[]>()
let secrets: string[]
let beforeB: Awaited<ReturnType<typeof snapshot>>
let deniedBefore: number
const startedAt = Date.now()
const deniedCountInA = () => prisma.auditEvent.count({ where: { organizationId: world.A.org.id, action: 'security.permission_denied' } })

beforeAll(async () => {
  world = await createWorld()
  // Every object of B any call will name, before B's rows are read: the sweep must change none.
  for (const { route, spec } of tenantRoutes) {
    objectsOfB.set(route.id, await objectsOfBFor(world, spec))
    foreign.set(route.id, (await spec.foreign?.()) ?? [])
  }
  beforeB = await snapshot(world.B.org.id)
  // B's marker, slug and the id of every row of B (and of the foreign objects) are never to be shown.
  const foreignIds = [...foreign.values()].flatMap((list) => list.flatMap((f) => Object.values(f.objects)))
  secrets = [world.marker, 'p-secret-', world.B.org.slug, ...foreignIds, ...Object.values(beforeB).flatMap((rows) => rows.map((r) => String(r.id)))].map((s) => s.toLowerCase())
  deniedBefore = await deniedCountInA()
}, 180_000)

describe('tenant isolation: every route × method × intent, as outsiders, as every role and as a colleague', () => {
  it('has a spec for every route with a loader or an action, knowing every intent its action handles', () => {
    expect(routes.length, 'no routes were found: is remix.config.js still using remix-flat-routes?').toBeGreaterThan(10)
    const problems = coverageProblems(routes, specs)
    if (problems.length) expect.fail(`The isolation specs are out of date:\n  • ${problems.join('\n  • ')}`)
  })

  for (const { route, spec } of tenantRoutes) {
    it(`${route.id} (${route.urlPattern})`, { timeout: 180_000 }, async () => {
      const problems = await sweepTenantRoute({ world, route, spec, objectsOfB: objectsOfB.get(route.id)!, foreign: foreign.get(route.id)!, secrets })
      problems.push(...(await sweepSignedOut(world, route, spec, objectsOfB.get(route.id)!, secrets)))
      if (problems.length) expect.fail(`${problems.length} problem(s) on ${route.id}:\n  • ${problems.join('\n  • ')}`)
    })
  }

  it("public and user-level routes show nothing of B to A's owner or to a signed-out caller", async () => {
    const problems: string[] = []
    for (const { route, spec } of publicRoutes) problems.push(...(await sweepPublicRoute(world, route, spec, secrets)))
    if (problems.length) expect.fail(`${problems.length} problem(s):\n  • ${problems.join('\n  • ')}`)
  })

  it('changed no row of organisation B, and audited every denial in A only', async () => {
    expect(stats.outsider, 'the sweep did not run (filtered out with -t?)').toBeGreaterThan(0)
    const changes = snapshotChanges(beforeB, await snapshot(world.B.org.id))
    if (changes.length) expect.fail(`Rows of organisation B changed during the sweep:\n  • ${changes.join('\n  • ')}`)
    expect(await deniedCountInA(), 'every 403 writes one security.permission_denied event in A').toBe(deniedBefore + stats.deniedInA)
    console.info(
      `tenant isolation: ${routes.length} routes (${tenantRoutes.length} tenant, ${publicRoutes.length} public, from ${new Set(specs.map((s) => s.file)).size} spec files), ` +
        `${ROLES.length} roles; ${stats.calls} calls = ${stats.outsider} as outsiders + ${stats.roles} role checks + ${stats.foreignObjects} with foreign objects + ` +
        `${stats.otherPerson} on a colleague's objects + ${stats.signedOut} signed out + ${stats.public} public probes; ${stats.deniedInA} denials audited in A; ` +
        `${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    )
  })
})
