import { z } from 'zod'

/**
 * Reads a FHIR CapabilityStatement (R4, also STU3/R4B/R5 in the parts we use) into the summary
 * the inventory keeps: version, software, security, and resources × interactions with their
 * search parameters. Anything that is not a CapabilityStatement is refused with reasons.
 */

const Coding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() }).passthrough()
const CodeableConcept = z.object({ coding: z.array(Coding).optional(), text: z.string().optional() }).passthrough()
const Extension: z.ZodType<{ url?: string; extension?: unknown[] }> = z.object({ url: z.string().optional(), extension: z.array(z.any()).optional() }).passthrough()

const Interaction = z.object({ code: z.string() }).passthrough()
const SearchParam = z.object({ name: z.string(), type: z.string().optional(), definition: z.string().optional() }).passthrough()
const RestResource = z
  .object({
    type: z.string({ required_error: 'a rest.resource has no type' }),
    profile: z.string().optional(),
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
  security: { services: string[]; smartOnFhir: boolean; cors: boolean | null; description: string | null }
  resources: { type: string; interactions: string[]; searchParams: { name: string; type: string | null }[]; operations: string[]; profile: string | null }[]
  systemInteractions: string[]
  operations: string[]
}

export type CapabilityParseResult = { ok: true; summary: CapabilitySummary } | { ok: false; errors: string[] }

const SMART_EXTENSION = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris'

export function parseCapabilityStatement(input: unknown): CapabilityParseResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: ['The document is not a JSON object.'] }
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
  const services = (server.security?.service ?? []).flatMap((s) => [
    ...(s.coding ?? []).map((c) => c.display ?? c.code ?? '').filter(Boolean),
    ...(s.text ? [s.text] : []),
  ])
  const smartOnFhir =
    services.some((s) => /smart/i.test(s)) || (server.security?.extension ?? []).some((e) => e.url === SMART_EXTENSION)
  const resources = (server.resource ?? [])
    .map((r) => ({
      type: r.type,
      interactions: [...new Set((r.interaction ?? []).map((i) => i.code))].sort(
        (a, b) => INTERACTIONS.indexOf(a as never) - INTERACTIONS.indexOf(b as never),
      ),
      searchParams: (r.searchParam ?? []).map((p) => ({ name: p.name, type: p.type ?? null })),
      operations: (r.operation ?? []).map((o) => o.name),
      profile: r.profile ?? null,
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
      security: {
        services: [...new Set(services)],
        smartOnFhir,
        cors: server.security?.cors ?? null,
        description: server.security?.description ?? null,
      },
      resources,
      systemInteractions: (server.interaction ?? []).map((i) => i.code),
      operations: (server.operation ?? []).map((o) => o.name),
    },
  }
}

/** Parses JSON text first; a syntax error is reported with its position. */
export function parseCapabilityJson(text: string): CapabilityParseResult {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return { ok: false, errors: [`The file is not valid JSON: ${(e as Error).message}`] }
  }
  return parseCapabilityStatement(json)
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
