/**
 * The machinery of the isolation sweep (tests/tenant-isolation.test.ts): two organisations and
 * their people, calling a loader or action as Remix would, reading every tenant row of an
 * organisation, and the checks each call must pass. The domains' specs
 * (tests/isolation/<domain>.spec.ts) say what their routes need; nothing here names a route.
 */
import { randomBytes } from 'node:crypto'
import { Prisma } from '#app/generated/prisma/client.ts'
import { recordAudit } from '#app/models/audit/audit.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { can, type Capability } from '#app/utils/permissions.ts'
import { ROLES, type Role } from '#app/models/people/vocabulary.ts'
import { runWithRequestContext } from '#app/utils/request-context.server.ts'
import { addMember, createTestOrg, createTestUser, sessionCookieFor, uniqueSuffix } from '#tests/factories.ts'
import { urlFor, type AppRoute } from '#tests/route-manifest.ts'
import { discoverIntents } from './intents.ts'
import type { LoadedSpec } from './load-specs.ts'
import { isPublic, NO_INTENT, type Fields, type Fixture, type IntentSpec, type Member, type Objects, type PublicRouteSpec, type TenantRouteSpec } from './spec.ts'

// ───────────────────────────── the two organisations ─────────────────────────────

export type Persona = Member & { label: string; cookie: string }
export type Tenant = { org: { id: string; slug: string }; owner: Persona; colleague: Persona }

export type World = {
  /** One member of every role, and a colleague (staff) who never calls. */
  A: Tenant & { roles: Record<Role, Persona> }
  /** Carries the marker in every name; also has a deactivated admin (an outsider all the same). */
  B: Tenant & { former: Persona }
  marker: string
}

async function persona(org: { id: string }, role: Role, label: string, name: string): Promise<Persona> {
  const user = await createTestUser({ name, email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@example.test` })
  const m = await addMember(org, user, role, undefined, `${name} ward`)
  return { userId: user.id, membershipId: m.id, role, email: user.email, name: user.name, label, cookie: await sessionCookieFor(user.id) }
}

export async function createWorld(): Promise<World> {
  const hex = randomBytes(6).toString('hex')
  const marker = `b-secret-${hex}`
  const orgA = await createTestOrg({ name: `A Hospital ${hex}` })
  const roles = {} as Record<Role, Persona>
  for (const role of ROLES) roles[role] = await persona(orgA, role, `A's ${role}`, `A ${role} ${hex}`)
  const A = { org: orgA, owner: roles.owner, colleague: await persona(orgA, 'staff', "A's colleague", `A colleague ${hex}`), roles }

  const orgB = await createTestOrg({ name: `${marker} Hospital` })
  const owner = await persona(orgB, 'owner', "B's owner", `${marker} Owner`)
  const colleague = await persona(orgB, 'staff', "B's colleague", `${marker} Colleague`)
  const former = await persona(orgB, 'admin', "B's deactivated admin", `${marker} Former`)
  await prisma.membership.update({ where: { id: former.membershipId }, data: { status: 'deactivated' } })
  await recordAudit({
    organizationId: orgB.id,
    actorUserId: owner.userId,
    actorEmail: owner.email,
    action: 'member.invited',
    targetType: 'invitation',
    targetId: owner.membershipId,
    targetLabel: `${marker}-invitee@example.test`,
  })
  return { A, B: { org: orgB, owner, colleague, former }, marker }
}

export const fixtureOf = (t: Tenant, actor: Member, tag: string, intent: string | undefined, colleague: Member = t.colleague): Fixture => ({
  org: t.org,
  owner: t.owner,
  actor,
  colleague,
  tag,
  intent,
})

// ───────────────────────────── calls ─────────────────────────────

export type Call = { key: string; label: string; kind: 'loader' | 'action'; can: Capability; intent?: IntentSpec }

export function callsOf(spec: TenantRouteSpec): Call[] {
  const calls: Call[] = []
  if (spec.loader) calls.push({ key: 'loader', label: 'loader', kind: 'loader', can: spec.loader.can })
  for (const [key, intent] of Object.entries(spec.action?.intents ?? {})) {
    calls.push({ key, label: key === NO_INTENT ? 'action (no intent)' : `action "${key}"`, kind: 'action', can: intent.can ?? spec.action!.can, intent })
  }
  return calls
}

export type Outcome =
  | { how: 'returned' | 'thrown'; status: number; location: string | null; text: string }
  | { how: 'error'; error: unknown; text: string }

export function describeOutcome(o: Outcome) {
  if (o.how === 'error') return `threw ${o.error instanceof Error ? `${o.error.name}: ${o.error.message}` : String(o.error)}`
  const body = o.text.length > 160 ? `${o.text.slice(0, 160)}…` : o.text
  return `${o.how} ${o.status}${o.location ? ` → ${o.location}` : ''} ${JSON.stringify(body)}`
}

export const isGuard404 = (o: Outcome) => o.how === 'thrown' && o.status === 404
export const isGuard403 = (o: Outcome) => o.how === 'thrown' && o.status === 403
export const isStatus = (o: Outcome, status: number) => o.how !== 'error' && o.status === status
export const succeeded = (o: Outcome) => o.how !== 'error' && o.status < 400

export type Request_ = { params: Record<string, string>; search: string; form?: Fields }

/** The params, query and form of `call` on one organisation's objects. */
export function requestFor(spec: TenantRouteSpec, call: Call, orgSlug: string, objects: Objects, needle: string, unique = 'fixed'): Request_ {
  return {
    params: { orgSlug, ...(spec.params?.(objects) ?? {}) },
    search: call.kind === 'loader' ? (spec.loader?.search?.(objects, needle) ?? '') : '',
    form: call.intent ? { ...(call.key === NO_INTENT ? {} : { intent: call.key }), ...call.intent.form(objects, unique) } : undefined,
  }
}

export const stats = { calls: 0, outsider: 0, foreignObjects: 0, roles: 0, otherPerson: 0, signedOut: 0, public: 0, deniedInA: 0 }

/** Calls a loader or action as Remix would (the module is guarded as in production), in a request context of its own. */
export async function invoke(route: AppRoute, kind: 'loader' | 'action', r: Request_, cookie: string | null): Promise<{ outcome: Outcome; sent: string }> {
  const url = new URL(urlFor(route, r.params, r.search), process.env.APP_URL)
  const headers = new Headers()
  if (cookie) headers.set('cookie', cookie)
  let body: string | FormData | undefined
  let sentBody = ''
  if (kind === 'action') {
    const fields = Object.entries(r.form ?? {})
    if (fields.some(([, v]) => v instanceof File)) {
      const fd = new FormData()
      for (const [k, v] of fields) for (const one of Array.isArray(v) ? v : [v]) fd.append(k, one)
      body = fd
      sentBody = fields.map(([k, v]) => `${k}=${v instanceof File ? v.name : String(v)}`).join('&')
    } else {
      headers.set('content-type', 'application/x-www-form-urlencoded')
      body = new URLSearchParams(fields.flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one) => [k, String(one)]))).toString()
      sentBody = body
    }
  }
  const request = new Request(url, { method: kind === 'action' ? 'POST' : 'GET', headers, body })
  const fn = route.module[kind]
  if (!fn) throw new Error(`${route.id} has no ${kind}`)
  stats.calls++
  let value: unknown
  let thrown = false
  try {
    value = await runWithRequestContext({ requestId: `isolation-${stats.calls}`, ip: '127.0.0.1', memo: new Map() }, () => fn({ request, params: r.params, context: {} }))
  } catch (e) {
    value = e
    thrown = true
  }
  // What the caller sent may come back (a form echoes its input); that is not a leak.
  const sent = `${url.pathname}${url.search} ${sentBody} ${JSON.stringify(r.params)}`.toLowerCase()
  if (value instanceof Response) {
    const text = await value.text()
    return { outcome: { how: thrown ? 'thrown' : 'returned', status: value.status, location: value.headers.get('location'), text }, sent }
  }
  if (thrown) return { outcome: { how: 'error', error: value, text: value instanceof Error ? `${value.message}\n${value.stack}` : String(value) }, sent }
  return { outcome: { how: 'returned', status: 200, location: null, text: JSON.stringify(value) ?? '' }, sent }
}

/** The other organisation's strings in a response, except those the caller put in its own request. */
export function leaksIn(secrets: string[], outcome: Outcome, sent: string) {
  const seen = `${outcome.text}\n${outcome.how === 'error' ? '' : (outcome.location ?? '')}`.toLowerCase()
  return secrets.filter((s) => seen.includes(s) && !sent.includes(s) && !sent.includes(encodeURIComponent(s).toLowerCase()))
}

// ───────────────────────────── one tenant route ─────────────────────────────

export type SweepContext = {
  world: World
  route: AppRoute
  spec: TenantRouteSpec
  /** The other organisation's objects for each call (made before the snapshot of its rows). */
  objectsOfB: Map<string, Objects>
  /** Extra foreign objects (e.g. of no organisation), per call. */
  foreign: { whose: string; objects: Objects }[]
  secrets: string[]
}

const needleOf = (w: World) => w.marker.slice(2) // "secret-…": matches B's rows; an echo of it is not the marker

/**
 * Every check of one route, as sentences for what failed:
 * 1. every role of A, and B's deactivated admin, calling B's URL with B's objects → 404;
 * 2. every role of A on fresh objects of A → 403 exactly for the roles that lack the
 *    capability, a success (not 4xx/5xx) for the others;
 * 3. a role with the capability naming one of B's objects (or another foreign one) among A's
 *    own → 404 in the URL, a refusal (4xx) in the form, ignored or refused in the query;
 * 4. per-person objects: every role with the capability, on objects of A's colleague → 404.
 * No response may contain anything of B the caller did not send itself.
 */
export async function sweepTenantRoute(cx: SweepContext): Promise<string[]> {
  const { world, route, spec } = cx
  const { A, B } = world
  const problems: string[] = []
  const check = (who: string, call: Call, what: string, o: { outcome: Outcome; sent: string }, ok: boolean, expected: string, secrets = cx.secrets) => {
    if (!ok) problems.push(`${call.label} ${what} as ${who}: expected ${expected}, got ${describeOutcome(o.outcome)}`)
    const leaked = leaksIn(secrets, o.outcome, o.sent)
    if (leaked.length) problems.push(`${call.label} ${what} as ${who}: the response contains ${leaked.map((s) => `"${s}"`).join(', ')}: ${describeOutcome(o.outcome)}`)
  }
  const freshA = (actor: Member, call: Call, colleague?: Member, tag = `a-${uniqueSuffix()}`) =>
    spec.objects?.(fixtureOf(A, actor, tag, callIntent(call), colleague)) ?? Promise.resolve({})

  for (const call of callsOf(spec)) {
    const objectsOfB = cx.objectsOfB.get(call.key)!
    // 1. Outsiders.
    for (const who of [...ROLES.map((r) => A.roles[r]), B.former]) {
      const o = await invoke(route, call.kind, requestFor(spec, call, B.org.slug, objectsOfB, needleOf(world)), who.cookie)
      stats.outsider++
      check(who.label, call, 'in organisation B', o, isGuard404(o.outcome), '404 from the guard (not a member)')
    }

    // 2. Each role of A on A's own objects.
    for (const role of ROLES) {
      const who = A.roles[role]
      const objects = await freshA(who, call)
      const o = await invoke(route, call.kind, requestFor(spec, call, A.org.slug, objects, needleOf(world), uniqueSuffix()), who.cookie)
      stats.roles++
      if (isGuard403(o.outcome)) stats.deniedInA++
      if (!can(role, call.can)) {
        check(who.label, call, 'in A', o, isGuard403(o.outcome), `403 exactly (${role} lacks ${call.can})`)
      } else if (call.intent?.answers) {
        const { status, why } = call.intent.answers
        check(who.label, call, 'in A', o, isStatus(o.outcome, status), `${status} (${why})`)
      } else {
        check(who.label, call, 'in A', o, succeeded(o.outcome), `a success (${role} has ${call.can})`)
      }
    }

    // 3. Foreign objects among A's own, for the first role that may make the call.
    const allowed = ROLES.find((r) => can(r, call.can))
    if (allowed) {
      const who = A.roles[allowed]
      const variants = [{ whose: "B's", objects: objectsOfB }, ...cx.foreign]
      for (const v of variants) {
        for (const kind of Object.keys(v.objects)) {
          const own = await freshA(who, call)
          if (!(kind in own)) continue
          const mixed = { ...own, [kind]: v.objects[kind]! }
          const unique = uniqueSuffix()
          const a = requestFor(spec, call, A.org.slug, own, needleOf(world), unique)
          const b = requestFor(spec, call, A.org.slug, mixed, needleOf(world), unique)
          const place = JSON.stringify(a.params) !== JSON.stringify(b.params) ? 'URL' : JSON.stringify(a.form) !== JSON.stringify(b.form) ? 'form' : a.search !== b.search ? 'query' : null
          if (!place) continue // this call does not name that kind of object
          const o = await invoke(route, call.kind, b, who.cookie)
          stats.foreignObjects++
          const status = o.outcome.how === 'error' ? 500 : o.outcome.status
          const answered = status < 500
          const ok =
            place === 'URL'
              ? isStatus(o.outcome, 404)
              : place === 'form' && !call.intent?.ignoresForeignInForm
                ? answered && status >= 400
                : answered && !isGuard403(o.outcome) && !isGuard404(o.outcome)
          const expected =
            place === 'URL' ? '404 (not this organisation’s object)' : place === 'form' && !call.intent?.ignoresForeignInForm ? 'a refusal (4xx)' : 'an answer that ignores or refuses it'
          check(who.label, call, `in A with ${v.whose} ${kind} in the ${place}`, o, ok, expected)
        }
      }
    }

    // 4. Per-person objects: a colleague's, called by every role that may make the call.
    if (spec.perPerson) {
      const exception = spec.perPerson.expect?.[call.key]
      for (const role of ROLES.filter((r) => can(r, call.can))) {
        const who = A.roles[role]
        // The colleague's objects carry a tag of their own: the caller must not see it, unless the route shows them.
        const tag = `c-${uniqueSuffix()}`
        const objects = await freshA(A.colleague, call, A.colleague, tag)
        const o = await invoke(route, call.kind, requestFor(spec, call, A.org.slug, objects, needleOf(world), uniqueSuffix()), who.cookie)
        stats.otherPerson++
        const status = exception ? exception.status(role) : 404
        const secrets = exception?.shows?.(role) ? cx.secrets : [...cx.secrets, tag]
        check(who.label, call, "on A's colleague's objects", o, isStatus(o.outcome, status), exception ? `${status} (${exception.why})` : `404 (${spec.perPerson.why})`, secrets)
      }
    }
  }
  return problems
}

const callIntent = (call: Call) => (call.kind === 'loader' || call.key === NO_INTENT ? undefined : call.key)

/** B's objects for every call of a route: made before B's rows are snapshotted. */
export async function objectsOfBFor(world: World, spec: TenantRouteSpec) {
  const out = new Map<string, Objects>()
  for (const call of callsOf(spec)) out.set(call.key, (await spec.objects?.(fixtureOf(world.B, world.B.owner, world.marker, callIntent(call)))) ?? {})
  return out
}

/** Signed out, or with a forged session cookie: a redirect to /login from every call. */
export async function sweepSignedOut(world: World, route: AppRoute, spec: TenantRouteSpec, objectsOfB: Map<string, Objects>, secrets: string[]) {
  const problems: string[] = []
  const cookieName = world.A.owner.cookie.split('=')[0]!
  for (const call of callsOf(spec)) {
    for (const [who, cookie] of [
      ['signed out', null],
      ['a forged session cookie', `${cookieName}=${randomBytes(20).toString('hex')}`],
    ] as const) {
      const o = await invoke(route, call.kind, requestFor(spec, call, world.B.org.slug, objectsOfB.get(call.key)!, needleOf(world)), cookie)
      stats.signedOut++
      const ok = o.outcome.how === 'thrown' && o.outcome.status === 302 && (o.outcome.location ?? '').startsWith('/login')
      if (!ok) problems.push(`${route.id} ${call.label}, ${who}: expected a redirect to /login, got ${describeOutcome(o.outcome)}`)
      const leaked = leaksIn(secrets, o.outcome, o.sent)
      if (leaked.length) problems.push(`${route.id} ${call.label}, ${who}: the response contains ${leaked.join(', ')}`)
    }
  }
  return problems
}

/** Public and user-level routes: nothing of B to A's owner or to a signed-out caller, and the fixed probes. */
export async function sweepPublicRoute(world: World, route: AppRoute, spec: PublicRouteSpec, secrets: string[]) {
  const problems: string[] = []
  for (const [who, cookie] of [
    ["A's owner", world.A.owner.cookie],
    ['signed out', null],
  ] as const) {
    const params = spec.params?.() ?? {}
    if (route.module.loader) {
      const o = await invoke(route, 'loader', { params, search: '' }, cookie)
      stats.public++
      // Any status is the route's business (healthz may say 503); an exception is not.
      if (o.outcome.how === 'error') problems.push(`${route.id} loader as ${who}: ${describeOutcome(o.outcome)}`)
      if (spec.expect?.loader && !isStatus(o.outcome, spec.expect.loader)) problems.push(`${route.id} loader as ${who}: expected ${spec.expect.loader}, got ${describeOutcome(o.outcome)}`)
      const leaked = leaksIn(secrets, o.outcome, o.sent)
      if (leaked.length) problems.push(`${route.id} loader as ${who}: the response contains B's ${leaked.join(', ')}`)
    }
    // Actions of public routes log in, sign up, log out…: only the fixed probe is sent, signed in.
    if (route.module.action && spec.expect?.action && cookie) {
      const o = await invoke(route, 'action', { params, search: '', form: spec.expect.action.form }, cookie)
      stats.public++
      if (!isStatus(o.outcome, spec.expect.action.status)) problems.push(`${route.id} action as ${who}: expected ${spec.expect.action.status}, got ${describeOutcome(o.outcome)}`)
      const leaked = leaksIn(secrets, o.outcome, o.sent)
      if (leaked.length) problems.push(`${route.id} action as ${who}: the response contains B's ${leaked.join(', ')}`)
    }
  }
  return problems
}

// ───────────────────────────── routes vs. specs ─────────────────────────────

export const hasData = (r: AppRoute) => Boolean(r.module.loader || r.module.action)

function suggestedSpec(r: AppRoute, intents: string[]) {
  const params = r.paramNames.filter((p) => p !== 'orgSlug')
  if (!r.paramNames.includes('orgSlug')) return `{ route: '${r.id}', public: '<why no organisation guard>'${intents.length ? `, intents: ${JSON.stringify(intents)}` : ''} }`
  const parts = [
    `route: '${r.id}'`,
    `objects: async (f) => ({ … })`,
    ...(params.length ? [`params: (o) => ({ ${params.map((p) => `${p}: o.<id>`).join(', ')} })`] : []),
    ...(r.module.loader ? [`loader: { can: '<capability>' }`] : []),
    ...(r.module.action
      ? [`action: { can: '<capability>', intents: { ${(intents.length ? intents : [NO_INTENT]).map((i) => `'${i}': { form: (o, unique) => ({ … }) }`).join(', ')} } }`]
      : []),
  ]
  return `{ ${parts.join(', ')} }`
}

/** Every way the specs and the app disagree, as sentences with what to do. */
export function coverageProblems(routes: AppRoute[], specs: LoadedSpec[]): string[] {
  const problems: string[] = []
  const byRoute = new Map<string, LoadedSpec[]>()
  for (const s of specs) byRoute.set(s.spec.route, [...(byRoute.get(s.spec.route) ?? []), s])
  const routeIds = new Set(routes.map((r) => r.id))
  for (const [id, list] of byRoute) {
    if (list.length > 1) problems.push(`${id} has ${list.length} specs (${list.map((s) => s.file).join(', ')}): keep one`)
    if (!routeIds.has(id)) problems.push(`${list[0]!.file} has a spec for ${id}, which is no longer a route of the app: remove or rename it`)
  }
  for (const r of routes) {
    const found = byRoute.get(r.id)?.[0]
    const discovered = r.module.action ? discoverIntents(`app/${r.file}`) : { hasAction: false, intents: [], unresolved: [] }
    if (!found) {
      if (hasData(r)) {
        problems.push(
          `route ${r.id} (${r.file}, ${r.urlPattern}) has a ${[r.module.loader && 'loader', r.module.action && 'action'].filter(Boolean).join(' and ')} ` +
            `but no isolation spec. Add to tests/isolation/<its domain>.spec.ts:\n      ${suggestedSpec(r, discovered.intents)}`,
        )
      }
      continue
    }
    const { spec, file } = found
    const where = `${r.id} (${file})`
    if (!hasData(r)) problems.push(`${where}: the route exports neither a loader nor an action: remove its spec`)
    for (const u of discovered.unresolved) problems.push(`${where}: cannot tell which intents the action handles: ${u}. Use literals the sweep can read (see tests/isolation/intents.ts)`)
    const inOrg = r.paramNames.includes('orgSlug')
    if (isPublic(spec)) {
      if (inOrg) problems.push(`${where} is under /o/:orgSlug but its spec is public: every route of an organisation is a tenant route`)
      const given = Object.keys(spec.params?.() ?? {}).sort()
      if (given.join() !== [...r.paramNames].sort().join()) problems.push(`${where}: its spec's params give [${given}] but ${r.urlPattern} has [${r.paramNames}]`)
      const known = [...(spec.intents ?? [])].sort()
      if (known.join() !== discovered.intents.join()) problems.push(`${where}: the action handles the intents [${discovered.intents}] but its spec lists [${known}]`)
      continue
    }
    if (!inOrg) problems.push(`${where} has a tenant spec but no :orgSlug`)
    if (Boolean(r.module.loader) !== Boolean(spec.loader)) {
      problems.push(r.module.loader ? `${where} exports a loader: add \`loader: { can }\` to its spec` : `${where} has no loader: remove \`loader\` from its spec`)
    }
    if (Boolean(r.module.action) !== Boolean(spec.action)) {
      problems.push(r.module.action ? `${where} exports an action: add \`action: { can, intents }\` to its spec` : `${where} has no action: remove \`action\` from its spec`)
    }
    const proxy = new Proxy({}, { get: (_, k) => String(k) }) as Objects
    const given = ['orgSlug', ...Object.keys(spec.params?.(proxy) ?? {})].sort()
    if (given.join() !== [...r.paramNames].sort().join()) problems.push(`${where}: ${r.urlPattern} has params [${r.paramNames}] but its spec gives [${given}]`)
    if (spec.action) {
      const known = Object.keys(spec.action.intents)
      if (!known.length) problems.push(`${where}: action.intents is empty; give one valid form per intent`)
      for (const i of discovered.intents) {
        if (!known.includes(i)) problems.push(`${where}: the action handles the intent "${i}", which its spec does not know: add \`'${i}': { form: (o, unique) => ({ … }) }\` to action.intents`)
      }
      for (const i of known) {
        if (i !== NO_INTENT && !discovered.intents.includes(i)) problems.push(`${where}: its spec has the intent "${i}", which the action does not handle: remove it`)
      }
    }
  }
  return problems
}

// ───────────────────────────── the rows of an organisation ─────────────────────────────

type Row = Record<string, unknown>
type Delegate = { findMany(args: { where: Row }): Promise<Row[]> }
const delegate = (model: string) => (prisma as unknown as Record<string, Delegate>)[model.charAt(0).toLowerCase() + model.slice(1)]!
const fieldsOf = (model: string) => Object.values((Prisma as unknown as Record<string, Record<string, string> | undefined>)[`${model}ScalarFieldEnum`] ?? {})
const byId = (rows: Row[]) => [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)))

/** The models (Prisma's names) with an `organizationId` column: every tenant table, found from the client. */
export const tenantModels = () => Object.values(Prisma.ModelName).filter((m) => fieldsOf(m).includes('organizationId'))

/**
 * Every row of an organisation a route or a job could change: the organisation, each table with
 * an `organizationId`, and each table with a `userId` (sessions, password resets) for its people.
 * Found from the Prisma client, so a new tenant table is included without a change here.
 */
export async function snapshot(orgId: string) {
  const snap: Record<string, Row[]> = {}
  snap.Organization = await delegate('Organization').findMany({ where: { id: orgId } })
  for (const model of tenantModels()) snap[model] = byId(await delegate(model).findMany({ where: { organizationId: orgId } }))
  const userIds = (snap.Membership ?? []).map((m) => String(m.userId))
  snap.User = byId(await delegate('User').findMany({ where: { id: { in: userIds } } }))
  for (const model of Object.values(Prisma.ModelName)) {
    if (!snap[model] && fieldsOf(model).includes('userId')) snap[model] = byId(await delegate(model).findMany({ where: { userId: { in: userIds } } }))
  }
  // NOTE: a session's idle expiry slides whenever it is used, and the sweep itself signs in as
  // B's deactivated member: that a session exists (was not ended) is what counts.
  if (snap.Session) snap.Session = snap.Session.map((r) => ({ id: r.id, userId: r.userId, absoluteExpiresAt: r.absoluteExpiresAt }))
  return snap
}

/** What differs between two snapshots, as sentences naming the table, the row and the fields. */
export function snapshotChanges(before: Record<string, Row[]>, after: Record<string, Row[]>) {
  const changes: string[] = []
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = new Map((before[table] ?? []).map((r) => [String(r.id), r]))
    const now = new Map((after[table] ?? []).map((r) => [String(r.id), r]))
    for (const [id, row] of now) {
      const old = was.get(id)
      if (!old) {
        changes.push(`${table} ${id} was added: ${JSON.stringify(row).slice(0, 200)}`)
        continue
      }
      const fields = Object.keys(row).filter((k) => JSON.stringify(row[k]) !== JSON.stringify(old[k]))
      if (fields.length) changes.push(`${table} ${id} changed: ${fields.map((k) => `${k} ${JSON.stringify(old[k])} → ${JSON.stringify(row[k])}`).join(', ')}`)
    }
    for (const id of was.keys()) if (!now.has(id)) changes.push(`${table} ${id} was deleted`)
  }
  return changes
}
