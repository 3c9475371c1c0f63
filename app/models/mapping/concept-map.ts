import { z, type ZodIssue } from 'zod'
import type { CodeRecord, ImportIssue } from './mapping-csv.ts'
import { checkCodeMap, codeKey } from './mapping-csv.ts'
import type { Equivalence } from './vocabulary.ts'

/**
 * Code maps as a FHIR R4 ConceptMap (JSON), both ways, without the database
 * (docs/decisions/012-mapping-round-trip.md).
 *
 * Export: one group per (local code system, standard code system), one element per local code,
 * with exactly one target (Liaison holds one standard code per local code and code system); an
 * unmatched code is a target with equivalence "unmatched" and no code.
 * Import: the R4 structure is checked with zod (unknown elements too: an R5 or a misspelt file is
 * named as such), then each target by the matrix's own CodeMapSchema; problems come back by JSON
 * path (group[2].element[14].target[0].equivalence). R4 equivalences Liaison does not hold are
 * mapped to the nearest (equivalent → equal, subsumes → wider, specializes → narrower) or, when
 * there is no nearest (relatedto, inexact, disjoint), refused.
 */

export const R4_EQUIVALENCES = ['relatedto', 'equivalent', 'equal', 'wider', 'subsumes', 'narrower', 'specializes', 'inexact', 'unmatched', 'disjoint'] as const
export type R4Equivalence = (typeof R4_EQUIVALENCES)[number]

/** R4 equivalence → ours: the same, the nearest, or null (refused). */
export const FROM_R4: Record<R4Equivalence, Equivalence | null> = {
  equal: 'equal',
  equivalent: 'equal',
  wider: 'wider',
  subsumes: 'wider',
  narrower: 'narrower',
  specializes: 'narrower',
  unmatched: 'unmatched',
  relatedto: null,
  inexact: null,
  disjoint: null,
}

// ─── the R4 structure ────────────────────────────────────────────────────────────────────

// FHIR JSON has no empty strings, no nulls and no empty arrays.
const str = z.string({ invalid_type_error: 'must be a string' }).min(1, 'must not be empty (leave the element out instead)')
const uri = str.refine((v) => !/\s/.test(v), 'a URI has no spaces')
const code = str.refine((v) => v === '' || /^[^\s]+( [^\s]+)*$/.test(v), 'a code has no leading, trailing or double spaces')
const dateTime = str.regex(
  /^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/,
  'must be a FHIR dateTime (e.g. 2026-11-22T10:00:00Z)',
)
const list = <T extends z.ZodTypeAny>(item: T) => z.array(item, { invalid_type_error: 'must be an array' }).min(1, 'must not be an empty array (leave it out instead)')
/** Elements any FHIR element may carry; not interpreted here. */
const anyList = list(z.unknown())
const base = { id: str.optional(), extension: anyList.optional(), modifierExtension: anyList.optional() }

const TargetSchema = z
  .object({
    ...base,
    code: code.optional(),
    display: str.optional(),
    equivalence: z.enum(R4_EQUIVALENCES, {
      errorMap: (i, ctx) => {
        if (i.code === 'invalid_enum_value') return { message: `"${String(i.received)}" is not an R4 equivalence (${R4_EQUIVALENCES.join(', ')})` }
        if (i.code === 'invalid_type') return { message: i.received === 'undefined' ? 'is required in R4' : 'must be a string' }
        return { message: ctx.defaultError }
      },
    }),
    comment: str.optional(),
    dependsOn: anyList.optional(),
    product: anyList.optional(),
  })
  .strict()

const ElementSchema = z
  .object({ ...base, code: code.optional(), display: str.optional(), target: list(TargetSchema).optional() })
  .strict()

const GroupSchema = z
  .object({
    ...base,
    source: uri.optional(),
    sourceVersion: str.optional(),
    target: uri.optional(),
    targetVersion: str.optional(),
    element: list(ElementSchema),
    unmapped: z.record(z.unknown()).optional(),
  })
  .strict()

/** An R4 ConceptMap: every element of the resource (those Liaison ignores are only type-checked loosely). */
export const ConceptMapR4Schema = z
  .object({
    resourceType: z.literal('ConceptMap', { errorMap: () => ({ message: 'must be "ConceptMap"' }) }),
    id: str.optional(),
    meta: z.record(z.unknown()).optional(),
    implicitRules: uri.optional(),
    language: code.optional(),
    text: z.record(z.unknown()).optional(),
    contained: anyList.optional(),
    extension: anyList.optional(),
    modifierExtension: anyList.optional(),
    url: uri.optional(),
    // 0..1 in R4 (an array is R5).
    identifier: z.object({ use: code.optional(), system: uri.optional(), value: str.optional() }).passthrough().optional(),
    version: str.optional(),
    name: str.optional(),
    title: str.optional(),
    status: z.enum(['draft', 'active', 'retired', 'unknown'], { required_error: 'is required (draft, active, retired or unknown)' }),
    experimental: z.boolean().optional(),
    date: dateTime.optional(),
    publisher: str.optional(),
    contact: anyList.optional(),
    description: str.optional(),
    useContext: anyList.optional(),
    jurisdiction: anyList.optional(),
    purpose: str.optional(),
    copyright: str.optional(),
    sourceUri: uri.optional(),
    sourceCanonical: uri.optional(),
    targetUri: uri.optional(),
    targetCanonical: uri.optional(),
    group: list(GroupSchema).optional(),
  })
  .strict()
export type ConceptMapR4 = z.infer<typeof ConceptMapR4Schema>

/** ['group', 2, 'element', 14, 'code'] → group[2].element[14].code */
export function jsonPath(path: (string | number)[]) {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p), '')
}

const pathIssue = (path: string, message: string, value = ''): ImportIssue => ({ line: null, column: path || '(the file)', columnNumber: null, value, message, path: path || '(the file)' })

function structureIssues(issues: ZodIssue[]): ImportIssue[] {
  const out: ImportIssue[] = []
  for (const i of issues) {
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) {
        const where = jsonPath([...i.path, key])
        if (key === 'relationship') out.push(pathIssue(where, 'is R5 (relationship): Liaison reads R4 ConceptMaps, whose targets have an equivalence'))
        else out.push(pathIssue(where, 'is not an element of an R4 ConceptMap here'))
      }
    } else if (i.code === 'invalid_type' && i.received === 'undefined') {
      out.push(pathIssue(jsonPath(i.path), i.message === 'Required' ? 'is required' : i.message))
    } else if (i.code === 'invalid_type' && i.path.at(-1) === 'identifier' && i.path.length === 1) {
      out.push(pathIssue('identifier', 'must be one Identifier in R4 (an array is R5)'))
    } else {
      out.push(pathIssue(jsonPath(i.path), i.message))
    }
  }
  return out
}

/** Checks a value against the R4 structure and the invariants Liaison's exports must meet (cmd-0, cmd-1). */
export function validateConceptMapR4(value: unknown): ImportIssue[] {
  const parsed = ConceptMapR4Schema.safeParse(value)
  if (!parsed.success) return structureIssues(parsed.error.issues)
  const issues: ImportIssue[] = []
  const cm = parsed.data
  if (cm.name && !/^[A-Z]([A-Za-z0-9_]){0,254}$/.test(cm.name)) issues.push(pathIssue('name', 'should be usable as an identifier (cmd-0)'))
  cm.group?.forEach((g, gi) =>
    g.element.forEach((e, ei) =>
      e.target?.forEach((t, ti) => {
        if (!t.comment && (t.equivalence === 'narrower' || t.equivalence === 'inexact')) {
          issues.push(pathIssue(`group[${gi}].element[${ei}].target[${ti}].comment`, 'is required when the map is narrower or inexact (cmd-1)'))
        }
      }),
    ),
  )
  return issues
}

// ─── export ──────────────────────────────────────────────────────────────────────────────

export type ConceptMapMeta = {
  /** The interface: the map's canonical URL and identifier are the interface's, stable across versions. */
  interfaceId: string
  interfaceName: string
  versionNumber: number
  approved: boolean
  /** Approval time of an approved version, else the last change. */
  date: Date
  publisher: string
}

export type ExportCode = {
  sourceSystem: string
  localCode: string
  localDisplay: string | null
  targetSystem: string
  targetCode: string | null
  targetDisplay: string | null
  equivalence: Equivalence
  comment: string | null
}

/** "ADT feed to lab (v2)" → "ADTFeedToLabV2": a computable name (cmd-0). */
export function computableName(name: string) {
  const words = name.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter(Boolean)
  const pascal = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')
  const safe = /^[A-Z]/.test(pascal) ? pascal : `Map${pascal}`
  return `${safe}CodeMaps`.slice(0, 255)
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const omitEmpty = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v != null && v !== '')) as T

/** The version's code maps as an R4 ConceptMap (groups and elements in a stable order). */
export function toConceptMap(meta: ConceptMapMeta, codes: ExportCode[]): ConceptMapR4 {
  const groups = new Map<string, ExportCode[]>()
  for (const c of codes) {
    const k = `${c.sourceSystem}\u0000${c.targetSystem}`
    groups.set(k, [...(groups.get(k) ?? []), c])
  }
  const group = [...groups.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([, items]) => ({
      source: items[0]!.sourceSystem,
      target: items[0]!.targetSystem,
      element: [...items]
        .sort((a, b) => cmp(a.localCode, b.localCode))
        .map((c) =>
          omitEmpty({
            code: c.localCode,
            display: c.localDisplay,
            target: [omitEmpty({ code: c.equivalence === 'unmatched' ? null : c.targetCode, display: c.equivalence === 'unmatched' ? null : c.targetDisplay, equivalence: c.equivalence, comment: c.comment })],
          }),
        ),
    }))
  const url = `urn:liaison:mapping:${meta.interfaceId}`
  return omitEmpty({
    resourceType: 'ConceptMap' as const,
    url,
    identifier: { system: 'urn:ietf:rfc:3986', value: url },
    version: String(meta.versionNumber),
    name: computableName(meta.interfaceName),
    title: `${meta.interfaceName}: code maps`,
    status: meta.approved ? ('active' as const) : ('draft' as const),
    experimental: false,
    date: meta.date.toISOString(),
    publisher: meta.publisher,
    description: `Local codes of the interface "${meta.interfaceName}" mapped to standard code systems, from its mapping specification in Liaison.`,
    group: group.length ? group : undefined,
  }) as ConceptMapR4
}

export function conceptMapJson(cm: ConceptMapR4) {
  return `${JSON.stringify(cm, null, 2)}\n`
}

// ─── import ──────────────────────────────────────────────────────────────────────────────

export type ConceptMapItem = {
  /** JSON path of the element, e.g. group[0].element[3]. */
  path: string
  record: CodeRecord
}

export type ConceptMapReadResult = {
  items: ConceptMapItem[]
  /** Targets read, valid or not (an element without target counts as one). */
  total: number
  errors: ImportIssue[]
}

/** JSON.parse's complaint, with the line and column it happened at. */
function jsonError(text: string, e: Error): ImportIssue {
  const pos = /position (\d+)/.exec(e.message)
  let where = ''
  if (pos) {
    const before = text.slice(0, Number(pos[1]))
    const line = before.split('\n').length
    const column = before.length - before.lastIndexOf('\n')
    where = ` at line ${line}, column ${column}`
  }
  const reason = e.message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')
  return pathIssue('', `This is not valid JSON${where} (${reason}). Export the ConceptMap as JSON (not XML) and upload it again.`)
}

const FIELD_PATH: Record<string, (g: string, e: string, t: string) => string> = {
  sourceSystem: (g) => `${g}.source`,
  targetSystem: (g) => `${g}.target`,
  localCode: (_, e) => `${e}.code`,
  localDisplay: (_, e) => `${e}.display`,
  targetCode: (_, __, t) => `${t}.code`,
  targetDisplay: (_, __, t) => `${t}.display`,
  equivalence: (_, __, t) => `${t}.equivalence`,
  comment: (_, __, t) => `${t}.comment`,
}

/**
 * Reads an R4 ConceptMap (text, without BOM) into code-map records. Never throws: every problem
 * comes back with its JSON path.
 */
export function readConceptMap(text: string): ConceptMapReadResult {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return { items: [], total: 0, errors: [jsonError(text, e as Error)] }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { items: [], total: 0, errors: [pathIssue('', 'The file must hold one ConceptMap resource (a JSON object with "resourceType": "ConceptMap").')] }
  }
  if ((value as { resourceType?: unknown }).resourceType === 'Bundle') {
    return { items: [], total: 0, errors: [pathIssue('resourceType', 'This is a Bundle: upload the ConceptMap resource itself.')] }
  }
  const parsed = ConceptMapR4Schema.safeParse(value)
  if (!parsed.success) return { items: [], total: 0, errors: structureIssues(parsed.error.issues) }
  const errors: ImportIssue[] = []
  const items: ConceptMapItem[] = []
  const seen = new Map<string, string>()
  let total = 0
  // A group's problem (an unknown code system) is named once, not once per element.
  const reported = new Set<string>()
  parsed.data.group?.forEach((g, gi) => {
    const gp = `group[${gi}]`
    if (g.unmapped) {
      errors.push(pathIssue(`${gp}.unmapped`, 'Liaison has no fallback for codes a map does not list (it lists unmapped codes as "unmatched"): remove group.unmapped, or list those codes.'))
    }
    g.element.forEach((e, ei) => {
      const ep = `${gp}.element[${ei}]`
      const targets = e.target ?? [undefined]
      if (targets.length > 1) {
        errors.push(pathIssue(`${ep}.target[1]`, 'Liaison holds one standard code per local code and code system: split the targets into separate groups by code system, or keep one.'))
      }
      const t = targets[0]
      const tp = `${ep}.target[0]`
      total++
      let ok = true
      const fail = (path: string, message: string, v = '') => {
        ok = false
        if (reported.has(`${path}\u0000${message}`)) return
        reported.add(`${path}\u0000${message}`)
        errors.push(pathIssue(path, message, v))
      }
      if (t?.dependsOn) fail(`${tp}.dependsOn`, 'Conditional maps (dependsOn) are not held by Liaison: each local code maps on its own.')
      if (t?.product) fail(`${tp}.product`, 'Maps that produce other elements (product) are not held by Liaison.')
      let equivalence: Equivalence = 'unmatched'
      if (t) {
        const ours = FROM_R4[t.equivalence]
        if (!ours) {
          fail(
            `${tp}.equivalence`,
            `"${t.equivalence}" has no counterpart in Liaison, which holds equal, wider, narrower and unmatched: choose the nearest of these in the file.`,
            t.equivalence,
          )
        } else equivalence = ours
      }
      if (!g.source) fail(`${gp}.source`, 'is required by Liaison: the local code system of the codes in this group (e.g. urn:riverside:lab)')
      if (!g.target) fail(`${gp}.target`, 'is required by Liaison: the standard code system (e.g. http://loinc.org)')
      if (!e.code) fail(`${ep}.code`, 'is required by Liaison: the local code')
      if (!ok) return
      const checked = checkCodeMap({
        sourceSystem: g.source ?? '',
        localCode: e.code ?? '',
        localDisplay: e.display,
        targetSystem: g.target ?? '',
        targetCode: t?.code,
        targetDisplay: t?.display,
        equivalence,
        comment: t?.comment,
      })
      if (!checked.ok) {
        for (const i of checked.issues) {
          const field = String(i.path[0] ?? '')
          fail(FIELD_PATH[field]?.(gp, ep, tp) ?? ep, i.message)
        }
        return
      }
      if (!ok) return
      const k = codeKey(checked.data.sourceSystem, checked.data.localCode, checked.data.targetSystem)
      const first = seen.get(k)
      if (first) {
        fail(`${ep}.code`, `Duplicate: ${first} maps the same local code of the same system to the same code system.`, e.code ?? '')
        return
      }
      seen.set(k, ep)
      items.push({ path: ep, record: checked.data })
    })
  })
  return { items, total, errors }
}
