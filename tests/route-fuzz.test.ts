/**
 * No input is a 500. A property test (fast-check) over every route of the route manifest
 * (tests/route-manifest.ts: what the Remix compiler sees, wrapped in the one error path as
 * app/server.ts serves it): each loader gets GETs and each action POSTs built from malformed
 * pieces — NUL bytes, huge strings, arrays where one value is expected, numbers like `1e20`
 * and `-1`, impossible dates, unknown intents, ids of this organisation and garbage ids,
 * uploads that are not CSV — sent as urlencoded forms, multipart, JSON, plain text, a broken
 * multipart body or no content type, by the organisation's owner (who may do everything, so
 * requests reach the deepest code) and now and then by a staff member or nobody.
 *
 * Every answer must be a Response below 500 (or data). A thrown error that is not a Response
 * is what Remix would answer with a 500 and fails the test, shrunk to the smallest request
 * that shows it.
 *
 * The vocabulary of each route — its field names and intent values — is read from the route
 * file's own string literals, so a new route or field is fuzzed without a change here. A
 * route whose URL names a new kind of id needs a line in ID_SOURCES (the test says so).
 *
 * FUZZ_RUNS (default 30 per loader or action) and FUZZ_SEED (default fixed, so CI is
 * repeatable; set it to explore) tune it.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { runWithRequestContext } from '#app/utils/request-context.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor, sessionCookieFor } from '#tests/factories.ts'
import { loadAppRoutes, urlFor, type AppRoute } from '#tests/route-manifest.ts'
import { seedInventory } from '../prisma/seed-inventory.ts'
import { seedMapping } from '../prisma/seed-mapping.ts'
import { seedDecisionsSecurity } from '../prisma/seed-decisions-security.ts'
import { seedProjects } from '../prisma/seed-projects.ts'
import { seedTraining } from '../prisma/seed-training.ts'
import { seedWaves } from '../prisma/seed-waves.ts'
import { seedUat } from '../prisma/seed-uat.ts'

const RUNS = Number(process.env.FUZZ_RUNS ?? 30)
const SEED = Number(process.env.FUZZ_SEED ?? 20261203)

type Org = { id: string }

/** Where the real ids of a URL param come from (this organisation's rows). */
const ID_SOURCES: Record<string, (org: Org, ownerMembershipId: string) => Promise<string[]>> = {
  interfaceId: (o) => ids(prisma.interface.findMany({ where: { organizationId: o.id }, select: { id: true } })),
  systemId: (o) => ids(prisma.system.findMany({ where: { organizationId: o.id }, select: { id: true } })),
  versionId: (o) => ids(prisma.mappingVersion.findMany({ where: { organizationId: o.id }, select: { id: true } })),
  rowId: (o) => ids(prisma.mappingRow.findMany({ where: { organizationId: o.id }, select: { id: true }, take: 20 })),
  // Never the caller's own membership: an action that deactivates it would end the run's reach.
  memberId: (o, own) => ids(prisma.membership.findMany({ where: { organizationId: o.id, id: { not: own } }, select: { id: true } })),
  emailId: (o) => ids(prisma.emailOutbox.findMany({ where: { organizationId: o.id }, select: { id: true }, take: 20 })),
  assignmentId: (o) => ids(prisma.trainingAssignment.findMany({ where: { organizationId: o.id }, select: { id: true }, take: 20 })),
  projectId: (o) => ids(prisma.project.findMany({ where: { organizationId: o.id }, select: { id: true } })),
  decisionId: (o) => ids(prisma.projectDecision.findMany({ where: { organizationId: o.id }, select: { id: true } })),
  scenarioId: (o) => ids(prisma.uatScenario.findMany({ where: { organizationId: o.id }, select: { id: true } })),
  meetingId: (o) => ids(prisma.goNoGoMeeting.findMany({ where: { organizationId: o.id }, select: { id: true } })),
  moduleId: (o) => ids(prisma.trainingModule.findMany({ where: { organizationId: o.id }, select: { id: true } })),
  signoffId: (o) => ids(prisma.uatSignoff.findMany({ where: { organizationId: o.id }, select: { id: true }, take: 20 })),
  // Invitation tokens are stored hashed: only garbage (and a well-formed unknown token) can be sent.
  token: async () => ['0'.repeat(43)],
}

async function ids(rows: Promise<{ id: string }[]>) {
  return (await rows).map((r) => r.id)
}

let org: { id: string; slug: string }
let ownerId: string
let staffId: string
let ownerMembershipId: string
let realIds: Record<string, string[]>
/** Ids of any of the organisation's rows, for form fields that name an object. */
let anyIds: string[]
let routes: AppRoute[]

beforeAll(async () => {
  const created = await createOrgWithOwner({ orgName: 'Riverside Health (fuzz)' })
  org = created.org
  ownerId = created.owner.id
  const as = async (role: 'analyst' | 'clinical_lead' | 'manager' | 'staff') => {
    const user = await createTestUser()
    await addMember(org, user, role)
    return scopeFor(org, user)
  }
  const analyst = await as('analyst')
  const ownerMembership = await prisma.membership.findFirstOrThrow({ where: { organizationId: org.id, userId: ownerId } })
  ownerMembershipId = ownerMembership.id
  await seedInventory(created.scope, { business: ownerMembership.id, technical: analyst.membershipId })
  await seedMapping({ analyst, clinician: await as('clinical_lead'), consultant: await as('analyst') })
  const manager = await as('manager')
  await seedTraining(manager)
  await seedProjects(manager)
  await seedDecisionsSecurity(org)
  await seedWaves(manager)
  await seedUat(org)
  staffId = (await as('staff')).userId

  routes = (await loadAppRoutes()).filter((r) => r.module.loader || r.module.action)
  const names = new Set(routes.flatMap((r) => r.paramNames).filter((n) => n !== 'orgSlug'))
  realIds = {}
  for (const name of names) {
    const source = ID_SOURCES[name]
    if (!source) throw new Error(`a route names the param "${name}": add where its ids come from to ID_SOURCES in tests/route-fuzz.test.ts`)
    realIds[name] = await source(org, ownerMembershipId)
  }
  anyIds = [...new Set(Object.values(realIds).flat())]
  anyIds.push(...(await ids(prisma.trainingChecklistItem.findMany({ where: { organizationId: org.id }, select: { id: true }, take: 10 }))))
  anyIds.push(...(await ids(prisma.codeMap.findMany({ where: { organizationId: org.id }, select: { id: true }, take: 10 }))))
  anyIds.push(...(await ids(prisma.notification.findMany({ where: { organizationId: org.id }, select: { id: true }, take: 10 }))))
}, 120_000)

// ───────────────────────────── the pieces of a malformed request ─────────────────────────────

/** Values no field expects, and some it does. */
function nastyValue(words: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '1e20', '-1', '0', 'NaN', 'Infinity', '9'.repeat(400), '2026-13-45', '2026-02-30', '0000-00-00', 'true', 'null', 'undefined', '[]', '{}', '__proto__', 'constructor', '../../etc/passwd', '<script>alert(1)</script>', "' OR 1=1 --", '%00', '\uFFFF\uD800', '🏥'.repeat(50), 'a'.repeat(100_000)),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.integer().map(String),
    fc.double().map(String),
    fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
    fc.constantFrom(...(anyIds.length ? anyIds : ['none'])),
    words.length ? fc.constantFrom(...words) : fc.constant('x'),
  )
}

/** Field names: the route's own words (its fields and intents), `intent`, and random ones. */
function fieldName(words: string[]) {
  return fc.oneof({ weight: 3, arbitrary: words.length ? fc.constantFrom('intent', ...words) : fc.constant('intent') }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) })
}

/** Pairs, so a name may repeat: an array where the route expects one value. */
function fields(words: string[]) {
  return fc.array(fc.tuple(fieldName(words), nastyValue(words)), { maxLength: 8 })
}

type BodyKind = 'urlencoded' | 'multipart' | 'multipart-file' | 'json' | 'text' | 'broken-multipart' | 'no-type'

type Probe = {
  who: 'owner' | 'staff' | 'nobody'
  params: Record<string, string>
  query: [string, string][]
  body: { kind: BodyKind; fields: [string, string][]; file: string }
}

function paramsFor(route: AppRoute): fc.Arbitrary<Record<string, string>> {
  const entries = route.paramNames.map((name) => {
    if (name === 'orgSlug') return fc.constant([name, '<org>'] as const)
    const real = realIds[name] ?? []
    const value = fc.oneof({ weight: 3, arbitrary: real.length ? fc.constantFrom(...real) : fc.constant('cl0000000000000000000000') }, { weight: 1, arbitrary: nastyValue([]) })
    return value.map((v) => [name, v] as const)
  })
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs))
}

function probeFor(route: AppRoute, words: string[]): fc.Arbitrary<Probe> {
  return fc.record({
    who: fc.constantFrom<Probe['who']>('owner', 'owner', 'owner', 'owner', 'staff', 'nobody'),
    params: paramsFor(route),
    query: fields(words),
    body: fc.record({
      kind: fc.constantFrom<BodyKind>('urlencoded', 'urlencoded', 'multipart', 'multipart-file', 'json', 'text', 'broken-multipart', 'no-type'),
      fields: fields(words),
      file: fc.oneof(fc.constantFrom('', '\uFEFFname,kind\n"unterminated', 'a,b\n1,2,3\n', '\u0000\u0001\u0002', '{"resourceType": "Bundle"', 'x'.repeat(50_000)), fc.string({ maxLength: 200 })),
    }),
  })
}

/** The words a route can mean: its string literals that look like field names or intents. */
function wordsOf(route: AppRoute) {
  const source = readFileSync(path.join('app', route.file), 'utf8')
  const words = new Set<string>()
  for (const m of source.matchAll(/['"`]([A-Za-z][\w.-]{0,40})['"`]/g)) words.add(m[1]!)
  return [...words].slice(0, 300)
}

// ───────────────────────────── sending one ─────────────────────────────

async function send(route: AppRoute, kind: 'loader' | 'action', probe: Probe) {
  const params = { ...probe.params, ...(probe.params.orgSlug ? { orgSlug: org.slug } : {}) }
  const search = new URLSearchParams(probe.query).toString()
  const url = new URL(urlFor(route, params, search ? `?${search}` : ''), process.env.APP_URL)
  const headers = new Headers()
  if (probe.who !== 'nobody') headers.set('cookie', await sessionCookieFor(probe.who === 'owner' ? ownerId : staffId))
  let body: BodyInit | undefined
  if (kind === 'action') {
    const { kind: bodyKind, fields: pairs, file } = probe.body
    switch (bodyKind) {
      case 'urlencoded':
        headers.set('content-type', 'application/x-www-form-urlencoded')
        body = new URLSearchParams(pairs).toString()
        break
      case 'multipart':
      case 'multipart-file': {
        const form = new FormData()
        for (const [k, v] of pairs) form.append(k, v)
        if (bodyKind === 'multipart-file') for (const name of ['file', 'csv', 'upload', 'capabilityStatement']) form.append(name, new Blob([file], { type: 'text/csv' }), 'upload.csv')
        body = form // the Request sets the multipart content type with its boundary
        break
      }
      case 'json':
        headers.set('content-type', 'application/json')
        body = JSON.stringify(Object.fromEntries(pairs))
        break
      case 'text':
        headers.set('content-type', 'text/plain')
        body = pairs.map(([k, v]) => `${k}=${v}`).join('\n')
        break
      case 'broken-multipart':
        headers.set('content-type', 'multipart/form-data; boundary=----liaison')
        body = `------liaison\r\nContent-Disposition: form-data; name="${pairs[0]?.[0] ?? 'intent'}"\r\n\r\n${file}`
        break
      case 'no-type':
        body = new TextEncoder().encode(new URLSearchParams(pairs).toString() || 'x')
        break
    }
  }
  const request = new Request(url, { method: kind === 'action' ? 'POST' : 'GET', headers, body })
  const fn = route.module[kind]!
  try {
    const value = await runWithRequestContext({ requestId: `fuzz-${Math.random().toString(36).slice(2)}`, ip: '127.0.0.1', memo: new Map() }, () =>
      fn({ request, params, context: {} }),
    )
    return value instanceof Response ? value.status : 200
  } catch (e) {
    if (e instanceof Response) return e.status
    // What Remix would answer with a 500: fail, with the request in the message.
    throw new Error(`${kind} of ${route.id} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e })
  }
}

// ───────────────────────────── the properties ─────────────────────────────

describe('no request is a 500', async () => {
  // Loaded at collection time, so each route is its own test with its own name.
  const collected = (await loadAppRoutes()).filter((r) => r.module.loader || r.module.action)

  it('covers every route with a loader or an action', () => {
    expect(collected.length).toBeGreaterThan(30)
  })

  for (const collectedRoute of collected) {
    for (const kind of ['loader', 'action'] as const) {
      if (!collectedRoute.module[kind]) continue
      it(`${kind} of ${collectedRoute.id}`, async () => {
        // The manifest loaded in beforeAll (the same routes), whose params have real ids.
        const route = routes.find((r) => r.id === collectedRoute.id)!
        const words = wordsOf(route)
        await fc.assert(
          fc.asyncProperty(probeFor(route, words), async (probe) => {
            const status = await send(route, kind, probe)
            expect(status, `${kind} of ${route.id} answered ${status}`).toBeLessThan(500)
          }),
          { numRuns: RUNS, seed: SEED, endOnFailure: false, interruptAfterTimeLimit: 60_000 },
        )
      }, 180_000)
    }
  }
})
