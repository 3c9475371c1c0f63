import { z } from 'zod'

/**
 * Reads a FHIR CapabilityStatement (R4, also STU3/R4B/R5 in the parts we use) into the summary
 * the inventory keeps: version, software, the implementation guides it claims, security (with
 * the SMART OAuth endpoints), what the whole server does (interactions such as transaction,
 * operations such as $export) and resources × interactions with their search parameters,
 * operations and supported profiles (e.g. US Core). Anything that is not a CapabilityStatement
 * is refused with one reason a person can act on.
 */

const Coding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() }).passthrough()
const CodeableConcept = z.object({ coding: z.array(Coding).optional(), text: z.string().optional() }).passthrough()
const Extension: z.ZodType<{ url?: string; extension?: unknown[]; valueUri?: string; valueUrl?: string }> = z
  .object({ url: z.string().optional(), extension: z.array(z.any()).optional(), valueUri: z.string().optional(), valueUrl: z.string().optional() })
  .passthrough()

const Interaction = z.object({ code: z.string() }).passthrough()
const SearchParam = z.object({ name: z.string(), type: z.string().optional(), definition: z.string().optional() }).passthrough()
const RestResource = z
  .object({
    type: z.string({ required_error: 'a rest.resource has no type' }),
    // R4: the base profile and the profiles supported (R5 keeps both; STU3 a Reference).
    profile: z.union([z.string(), z.object({ reference: z.string().optional() }).passthrough()]).optional(),
    supportedProfile: z.array(z.string()).optional(),
    interaction: z.array(Interaction).optional(),
    searchParam: z.array(SearchParam).optional(),
    operation: z.array(z.object({ name: z.string() }).passthrough()).optional(),
    versioning: z.string().optional(),
  })
  .passthrough()
const Rest = z
  .object({
    mode: z.enum(['server', 'client']),
    security: z
      .object({ cors: z.boolean().optional(), service: z.array(CodeableConcept).optional(), extension: z.array(Extension).optional(), description: z.string().optional() })
      .passthrough()
      .optional(),
    resource: z.array(RestResource).optional(),
    interaction: z.array(Interaction).optional(),
    operation: z.array(z.object({ name: z.string() }).passthrough()).optional(),
  })
  .passthrough()

const CapabilityStatementSchema = z
  .object({
    resourceType: z.literal('CapabilityStatement', {
      errorMap: (_i, ctx) => ({ message: `resourceType is ${JSON.stringify(ctx.data)}, not "CapabilityStatement"` }),
    }),
    status: z.string().optional(),
    date: z.string().optional(),
    publisher: z.string().optional(),
    kind: z.enum(['instance', 'capability', 'requirements']).optional(),
    software: z.object({ name: z.string(), version: z.string().optional(), releaseDate: z.string().optional() }).passthrough().optional(),
    implementation: z.object({ description: z.string().optional(), url: z.string().optional() }).passthrough().optional(),
    fhirVersion: z.string({ required_error: 'fhirVersion is missing' }),
    format: z.array(z.string()).optional(),
    implementationGuide: z.array(z.string()).optional(),
    instantiates: z.array(z.string()).optional(),
    rest: z.array(Rest).optional(),
  })
  .passthrough()

export const INTERACTIONS = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'] as const

export type CapabilitySummary = {
  fhirVersion: string
  software: string | null
  publisher: string | null
  date: string | null
  implementation: string | null
  formats: string[]
  /** Implementation guides it claims (e.g. US Core), and the statements it says it instantiates. */
  implementationGuides: string[]
  instantiates: string[]
  security: {
    /** One per service the statement names (its text, else its codes' displays). */
    services: string[]
    smartOnFhir: boolean
    cors: boolean | null
    description: string | null
    /** SMART's OAuth endpoints (the oauth-uris extension): authorize, token, register, manage, introspect, revoke. */
    oauth: { name: string; url: string }[]
  }
  resources: {
    type: string
    interactions: string[]
    searchParams: { name: string; type: string | null }[]
    operations: string[]
    profile: string | null
    supportedProfiles: string[]
  }[]
  /** Whole-server interactions (transaction, batch, search-system, history-system). */
  systemInteractions: string[]
  /** Whole-server operations, by name without the `$` (export, everything…). */
  operations: string[]
}

export type CapabilityParseResult = { ok: true; summary: CapabilitySummary } | { ok: false; errors: string[] }

/**
 * A summary as stored: those imported before a field existed lack it. The view reads every
 * summary through this, so an older import still shows (with what it has).
 */
export function readStoredSummary(stored: CapabilitySummary): CapabilitySummary {
  const s = stored as Partial<CapabilitySummary> & Pick<CapabilitySummary, 'fhirVersion'>
  return {
    fhirVersion: s.fhirVersion,
    software: s.software ?? null,
    publisher: s.publisher ?? null,
    date: s.date ?? null,
    implementation: s.implementation ?? null,
    formats: s.formats ?? [],
    implementationGuides: s.implementationGuides ?? [],
    instantiates: s.instantiates ?? [],
    security: {
      services: s.security?.services ?? [],
      smartOnFhir: s.security?.smartOnFhir ?? false,
      cors: s.security?.cors ?? null,
      description: s.security?.description ?? null,
      oauth: s.security?.oauth ?? [],
    },
    resources: (s.resources ?? []).map((r) => ({ ...r, operations: r.operations ?? [], profile: r.profile ?? null, supportedProfiles: r.supportedProfiles ?? [] })),
    systemInteractions: s.systemInteractions ?? [],
    operations: s.operations ?? [],
  }
}

const SMART_EXTENSION = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris'
/** The oauth-uris sub-extensions, in the order of a SMART flow. */
const OAUTH_ORDER = ['authorize', 'token', 'register', 'manage', 'introspect', 'revoke']
const WHERE_FROM = 'Upload what the server answers at [base]/metadata (in JSON), or fetch it by its address.'

export function parseCapabilityStatement(input: unknown): CapabilityParseResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    const what = Array.isArray(input) ? 'a list' : input === null ? 'null' : `a ${typeof input}`
    return { ok: false, errors: [`The JSON is ${what}, not a FHIR resource. ${WHERE_FROM}`] }
  }
  // What kind of document it is comes first, and alone: the fields a CapabilityStatement needs
  // are beside the point when it is not one.
  const resourceType = (input as { resourceType?: unknown }).resourceType
  if (resourceType === 'Bundle') return { ok: false, errors: [bundleMessage(input as { type?: unknown; entry?: unknown })] }
  if (resourceType === undefined) return { ok: false, errors: [`The JSON has no resourceType, so it is not a FHIR resource. ${WHERE_FROM}`] }
  if (resourceType !== 'CapabilityStatement') {
    return { ok: false, errors: [`resourceType is ${JSON.stringify(resourceType)}, not "CapabilityStatement". ${WHERE_FROM}`] }
  }
  const parsed = CapabilityStatementSchema.safeParse(input)
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.slice(0, 10).map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)),
    }
  }
  const cs = parsed.data
  const server = cs.rest?.find((r) => r.mode === 'server') ?? cs.rest?.[0]
  if (!server) return { ok: false, errors: ['The CapabilityStatement describes no REST server (rest[].mode = "server").'] }
  // One name per service: its text says it for people; else its codes' displays.
  const services = (server.security?.service ?? []).flatMap((s) => {
    const codes = [...new Set((s.coding ?? []).map((c) => c.display ?? c.code ?? '').filter(Boolean))]
    return s.text ? [s.text] : codes.length ? [codes.join(' / ')] : []
  })
  const codes = (server.security?.service ?? []).flatMap((s) => (s.coding ?? []).map((c) => c.code ?? ''))
  const oauthExtension = (server.security?.extension ?? []).find((e) => e.url === SMART_EXTENSION)
  const oauth = ((oauthExtension?.extension ?? []) as { url?: unknown; valueUri?: unknown; valueUrl?: unknown }[])
    .flatMap((e) => {
      const url = typeof e?.valueUri === 'string' ? e.valueUri : typeof e?.valueUrl === 'string' ? e.valueUrl : null
      return typeof e?.url === 'string' && url ? [{ name: e.url, url }] : []
    })
    .sort((a, b) => rank(OAUTH_ORDER, a.name) - rank(OAUTH_ORDER, b.name))
  const smartOnFhir = Boolean(oauthExtension) || [...services, ...codes].some((s) => /smart/i.test(s))
  const resources = (server.resource ?? [])
    .map((r) => ({
      type: r.type,
      interactions: [...new Set((r.interaction ?? []).map((i) => i.code))].sort(
        (a, b) => INTERACTIONS.indexOf(a as never) - INTERACTIONS.indexOf(b as never),
      ),
      searchParams: (r.searchParam ?? []).map((p) => ({ name: p.name, type: p.type ?? null })),
      operations: (r.operation ?? []).map((o) => o.name.replace(/^\$/, '')),
      profile: typeof r.profile === 'string' ? r.profile : (r.profile?.reference ?? null),
      supportedProfiles: [...new Set(r.supportedProfile ?? [])],
    }))
    .sort((a, b) => a.type.localeCompare(b.type))
  return {
    ok: true,
    summary: {
      fhirVersion: cs.fhirVersion,
      software: cs.software ? [cs.software.name, cs.software.version].filter(Boolean).join(' ') : null,
      publisher: cs.publisher ?? null,
      date: cs.date ?? null,
      implementation: cs.implementation?.description ?? cs.implementation?.url ?? null,
      formats: cs.format ?? [],
      implementationGuides: [...new Set(cs.implementationGuide ?? [])],
      instantiates: [...new Set(cs.instantiates ?? [])],
      security: {
        services: [...new Set(services)],
        smartOnFhir,
        cors: server.security?.cors ?? null,
        description: server.security?.description ?? null,
        oauth,
      },
      resources,
      systemInteractions: [...new Set((server.interaction ?? []).map((i) => i.code))],
      operations: [...new Set((server.operation ?? []).map((o) => o.name.replace(/^\$/, '')))],
    },
  }
}

/**
 * Parses the text of a file or a server's answer. What is wrong is said in terms of the file
 * (empty, XML, cut off, not JSON from a given line), never with the JSON parser's own words.
 */
export function parseCapabilityJson(text: string): CapabilityParseResult {
  const body = text.replace(/^\uFEFF/, '')
  if (!body.trim()) return { ok: false, errors: [`The file is empty. ${WHERE_FROM}`] }
  if (body.trimStart().startsWith('<')) {
    return { ok: false, errors: ['The file is XML (or HTML), not JSON. Ask the server for JSON ([base]/metadata?_format=json) and upload that.'] }
  }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return { ok: false, errors: [jsonErrorMessage(body)] }
  }
  return parseCapabilityStatement(json)
}

function jsonErrorMessage(text: string) {
  const offset = jsonStopsAt(text)
  if (offset < 0) return 'The file is not valid JSON.'
  if (offset >= text.trimEnd().length) {
    const { line } = lineAndColumn(text, text.trimEnd().length)
    return `The file ends in the middle of the JSON (after line ${line}): it looks cut off. Download or copy the whole CapabilityStatement again.`
  }
  const { line, column } = lineAndColumn(text, offset)
  const near = text.slice(Math.max(0, offset - 20), offset + 20).replace(/\s+/g, ' ').trim()
  return `The file is not valid JSON: it stops making sense at line ${line}, column ${column} (near “${near}”).`
}

/**
 * Where JSON stops being JSON: the offset of the first character that cannot continue it, the
 * text's length when it ends too soon, or -1 when nothing is wrong. Our own small scanner,
 * because JavaScript engines word (and sometimes leave out) the position in their errors.
 */
export function jsonStopsAt(text: string): number {
  let i = 0
  const stop = (at = i): never => {
    throw new JsonStop(at)
  }
  const space = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const string = () => {
    i++
    for (;;) {
      const c = text.charCodeAt(i)
      if (Number.isNaN(c) || c < 0x20) stop()
      i++
      if (c === 0x22) return
      if (c === 0x5c) {
        const e = text[i]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) stop(Math.min(text.length, i + 1 + (text.slice(i + 1, i + 5).match(/^[0-9a-fA-F]*/)?.[0].length ?? 0)))
          i += 5
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++
        else stop()
      }
    }
  }
  const scalar = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y
  const value = (): void => {
    space()
    const c = text[i]
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']'
      i++
      space()
      if (text[i] === close) {
        i++
        return
      }
      for (;;) {
        if (c === '{') {
          space()
          if (text[i] !== '"') stop()
          string()
          space()
          if (text[i] !== ':') stop()
          i++
        }
        value()
        space()
        if (text[i] === ',') i++
        else if (text[i] === close) {
          i++
          return
        } else stop()
      }
    }
    if (c === '"') return string()
    scalar.lastIndex = i
    const m = scalar.exec(text)
    if (!m) {
      // A word the text ends in the middle of ("tr") is a cut, not a mistake.
      const rest = text.slice(i)
      stop(rest && ['true', 'false', 'null'].some((w) => w.startsWith(rest)) ? text.length : i)
    }
    i += m![0].length
  }
  try {
    value()
    space()
    return i < text.length ? i : -1
  } catch (e) {
    if (e instanceof JsonStop) return e.at
    return -1 // nested too deep to scan: no position
  }
}
class JsonStop {
  constructor(readonly at: number) {}
}

function lineAndColumn(text: string, offset: number) {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}

function bundleMessage(bundle: { type?: unknown; entry?: unknown }) {
  const entries = Array.isArray(bundle.entry) ? (bundle.entry as { resource?: { resourceType?: unknown } }[]) : []
  const kind = typeof bundle.type === 'string' ? ` (${bundle.type}, ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'})` : ''
  const inside = entries.findIndex((e) => e?.resource?.resourceType === 'CapabilityStatement')
  return inside >= 0
    ? `This is a FHIR Bundle${kind}, not a CapabilityStatement; entry ${inside + 1} holds one. Upload that resource on its own, or the server's [base]/metadata answer.`
    : `This is a FHIR Bundle${kind}, not a CapabilityStatement. ${WHERE_FROM}`
}

const rank = (order: readonly string[], v: string) => {
  const i = order.indexOf(v)
  return i < 0 ? order.length : i
}

/** Maps the R4 numeric version to the checklist's value. */
export function fhirVersionKey(version: string) {
  if (version.startsWith('4.0')) return '4.0.1'
  if (version.startsWith('4.3')) return '4.3.0'
  if (version.startsWith('5.')) return '5.0.0'
  if (version.startsWith('3.0')) return '3.0.2'
  if (version.startsWith('1.0')) return '1.0.2'
  return undefined
}
