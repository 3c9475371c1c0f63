/**
 * What a domain tells the isolation sweep about its routes (tests/isolation/<domain>.spec.ts).
 * The sweep (tests/tenant-isolation.test.ts) does the rest for every route × method × intent:
 * another organisation's member gets 404, a role without the capability 403, a role with it
 * gets through (a success, not a 4xx/5xx), another organisation's objects named in the URL or
 * the form are refused, and — for per-person objects — a colleague's object answers 404.
 *
 * A spec says only what is particular to its routes: the objects a call needs (made fresh for
 * every call, since an action may change or delete them), the params, the query, and per
 * intent the form that makes a valid request. See docs/decisions/020-isolation-sweep.md.
 */
import type { Role } from '#app/models/people/vocabulary.ts'
import type { Capability } from '#app/utils/permissions.ts'

/** One member of an organisation, as a spec's objects need them. */
export type Member = { userId: string; membershipId: string; role: Role; email: string; name: string }

/** What a spec's `objects` gets to make one call's objects with. */
export type Fixture = {
  org: { id: string; slug: string }
  /** The organisation's owner (the inviter, the one who set things up). */
  owner: Member
  /** The member who will make the call. Per-person objects (a notice, an assignment) are theirs. */
  actor: Member
  /**
   * Another member of the same organisation (staff), never a caller: the author of rows the
   * actor reviews, the learner whose ticks the actor verifies. In the "other person" check the
   * objects are made with the colleague as `actor`.
   */
  colleague: Member
  /** Goes into every name and text: in the other organisation it carries the secret marker. */
  tag: string
  /** The intent about to be sent (undefined for the loader): objects may need a state for it. */
  intent: string | undefined
}

/** The ids of one call's objects, by kind (`systemId`, `notificationId`…). */
export type Objects = Record<string, string>

/** A form: strings, repeated fields, and files (then it is sent as multipart/form-data). */
export type Fields = Record<string, string | string[] | File>

/** The key of the form an action takes without any `intent` field (a plain "save" form, an upload). */
export const NO_INTENT = '(no intent)'

export type IntentSpec = {
  /** The fields of a valid submission, besides `intent` (the sweep adds it). `unique` keeps creations apart. */
  form: (o: Objects, unique: string) => Fields
  /** When this intent needs another capability than the action's `can`. */
  can?: Capability
  /**
   * Only where a role with the capability cannot succeed inside a test (the intent needs the
   * internet…): the status it gets instead, and why. The 404/403 checks hold all the same.
   */
  answers?: { status: number; why: string }
  /**
   * Where another organisation's id in the form is ignored rather than refused (unticking an
   * item that is not ticked does nothing, whoever's id it is): why. The answer must still be
   * the same as for any unknown id — not a guard 403/404, not a 5xx, nothing of theirs shown.
   */
  ignoresForeignInForm?: string
}

export type TenantRouteSpec = {
  /** Remix's route id, e.g. `routes/o.$orgSlug+/inbox`. */
  route: string
  /** Makes the objects one call needs, in `f.org`. */
  objects?: (f: Fixture) => Promise<Objects>
  /** Params besides `orgSlug`. */
  params?: (o: Objects) => Record<string, string>
  loader?: {
    can: Capability
    /**
     * The query string. `needle` is a piece of the other organisation's data: where the route
     * searches, send it (a query that lost its organisation filter would find their rows).
     */
    search?: (o: Objects, needle: string) => string
  }
  action?: { can: Capability; intents: Record<string, IntentSpec> }
  /**
   * The objects belong to one person (`f.actor`): a colleague in the same organisation calling
   * with them gets 404, as an outsider would. `expect` names the calls that answer otherwise
   * (by 'loader' or intent), with the status per role and why.
   */
  perPerson?: {
    why: string
    /** `shows`: the roles to whom the route shows the colleague's object (else its names must not appear). */
    expect?: Record<string, { status: (role: Role) => number; why: string; shows?: (role: Role) => boolean }>
  }
  /** More foreign objects to try besides the other organisation's (e.g. an email of no organisation). */
  foreign?: () => Promise<{ whose: string; objects: Objects }[]>
}

export type PublicRouteSpec = {
  route: string
  /** Why this route needs no organisation guard. */
  public: string
  /** The intents its action handles (the sweep checks them against the action, as for tenant routes). */
  intents?: string[]
  params?: () => Record<string, string>
  /** Statuses the probes must get, where they are fixed (the action probe is sent signed in). */
  expect?: { loader?: number; action?: { form: Record<string, string>; status: number } }
}

export type RouteSpec = TenantRouteSpec | PublicRouteSpec

export const isPublic = (s: RouteSpec): s is PublicRouteSpec => 'public' in s

/** A domain's specs: `export default defineSpecs('inventory', [...])`. */
export type DomainSpecs = { domain: string; routes: RouteSpec[] }

export function defineSpecs(domain: string, routes: RouteSpec[]): DomainSpecs {
  return { domain, routes }
}
