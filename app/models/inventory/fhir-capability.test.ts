import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  fhirVersionKey,
  INTERACTIONS,
  jsonStopsAt,
  parseCapabilityJson,
  parseCapabilityStatement,
  readStoredSummary,
  type CapabilityParseResult,
  type CapabilitySummary,
} from './fhir-capability.ts'

const fixtureText = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', '..', 'tests', 'fixtures', name), 'utf8')
const FIXTURE_TEXT = fixtureText('capability-statement-r4.json')
/** A US certified EHR's statement: US Core profiles, every SMART endpoint, Bulk Data $export. */
const US_CORE_TEXT = fixtureText('capability-statement-us-core.json')
/** What some servers answer at [base]/CapabilityStatement: a searchset Bundle holding one. */
const BUNDLE_TEXT = fixtureText('capability-bundle-searchset.json')
type Statement = { [key: string]: unknown; rest?: { [key: string]: unknown }[] }
const fixture = () => JSON.parse(FIXTURE_TEXT) as Statement

function summaryOf(result: CapabilityParseResult): CapabilitySummary {
  if (!result.ok) throw new Error(`expected a summary, got errors: ${result.errors.join('; ')}`)
  return result.summary
}
function errorsOf(result: CapabilityParseResult): string[] {
  if (result.ok) throw new Error('expected errors, got a summary')
  return result.errors
}

describe('the R4 fixture (a production-style /metadata answer)', () => {
  const summary = summaryOf(parseCapabilityJson(FIXTURE_TEXT))

  test('reads the version, software, publisher, implementation and formats', () => {
    expect(summary.fhirVersion).toBe('4.0.1')
    expect(fhirVersionKey(summary.fhirVersion)).toBe('4.0.1')
    expect(summary.software).toBe('Example EHR FHIR Server 2026.2.1')
    expect(summary.publisher).toBe('Example EHR Vendor, Inc. (fictional)')
    expect(summary.date).toBe('2026-09-14T08:30:00Z')
    expect(summary.implementation).toBe('Riverside EHR production FHIR endpoint')
    expect(summary.formats).toEqual(['application/fhir+json', 'application/fhir+xml'])
  })

  test('reads the security section: the service once (its text), SMART on FHIR, CORS, the OAuth endpoints', () => {
    expect(summary.security).toEqual({
      services: ['OAuth2 using SMART-on-FHIR profile'],
      smartOnFhir: true,
      cors: true,
      description: 'SMART App Launch 2.0; backend services for system-to-system access.',
      oauth: [
        { name: 'authorize', url: 'https://auth.riverside-ehr.example/oauth2/authorize' },
        { name: 'token', url: 'https://auth.riverside-ehr.example/oauth2/token' },
      ],
    })
  })

  test('detects SMART on FHIR from the security service alone', () => {
    const cs = fixture()
    const security = cs.rest![0]!.security as Record<string, unknown>
    delete security.extension
    expect(summaryOf(parseCapabilityStatement(cs)).security.smartOnFhir).toBe(true)
  })

  test('detects SMART on FHIR from the oauth-uris extension alone', () => {
    const cs = fixture()
    const security = cs.rest![0]!.security as Record<string, unknown>
    delete security.service
    const s = summaryOf(parseCapabilityStatement(cs))
    expect(s.security.services).toEqual([])
    expect(s.security.smartOnFhir).toBe(true)
    expect(s.security.oauth.map((o) => o.name)).toEqual(['authorize', 'token'])
  })

  test('does not claim SMART on FHIR when neither is there', () => {
    const cs = fixture()
    cs.rest![0]!.security = { cors: false, service: [{ coding: [{ code: 'Basic' }] }] }
    const s = summaryOf(parseCapabilityStatement(cs))
    expect(s.security).toMatchObject({ services: ['Basic'], smartOnFhir: false, cors: false, description: null, oauth: [] })
  })

  test('lists every resource, sorted by type', () => {
    const types = summary.resources.map((r) => r.type)
    expect(types).toHaveLength(18)
    expect(types).toEqual([...types].sort((a, b) => a.localeCompare(b)))
    expect(types).toEqual(expect.arrayContaining(['Patient', 'Observation', 'Appointment', 'DiagnosticReport', 'Specimen']))
    expect(types).not.toContain('QuestionnaireResponse')
  })

  test('Patient has all its interactions in canonical order, its search parameters with types, and its profile', () => {
    const patient = summary.resources.find((r) => r.type === 'Patient')!
    expect(patient.interactions).toEqual([...INTERACTIONS])
    expect(patient.searchParams).toEqual([
      { name: '_id', type: 'token' },
      { name: '_lastUpdated', type: 'date' },
      { name: 'identifier', type: 'token' },
      { name: 'family', type: 'string' },
      { name: 'given', type: 'string' },
      { name: 'birthdate', type: 'date' },
      { name: 'gender', type: 'token' },
    ])
    expect(patient.profile).toBe('http://hl7.org/fhir/StructureDefinition/Patient')
    expect(patient.operations).toEqual([])
  })

  test('puts interactions listed out of order into canonical order', () => {
    // The fixture lists Condition as read, vread, search-type, create, update.
    const condition = summary.resources.find((r) => r.type === 'Condition')!
    expect(condition.interactions).toEqual(['read', 'vread', 'update', 'create', 'search-type'])
    expect(summary.resources.find((r) => r.type === 'Encounter')!.interactions).toEqual(['read', 'vread', 'search-type'])
  })

  test('keeps the types of search parameters beyond token and date', () => {
    const observation = summary.resources.find((r) => r.type === 'Observation')!
    expect(observation.searchParams).toContainEqual({ name: 'value-quantity', type: 'quantity' })
    expect(summary.resources.find((r) => r.type === 'AllergyIntolerance')!.searchParams).toContainEqual({ name: 'patient', type: 'reference' })
  })

  test('reads system-level interactions and operations', () => {
    expect(summary.systemInteractions).toEqual(['transaction', 'batch', 'search-system', 'history-system'])
    expect(summary.operations).toEqual(['everything', 'export'])
  })
})

describe('a US Core server (what a US certified EHR states)', () => {
  const summary = summaryOf(parseCapabilityJson(US_CORE_TEXT))

  test('the implementation guides it claims and the statement it instantiates', () => {
    expect(summary.implementationGuides).toEqual([
      'http://hl7.org/fhir/us/core/ImplementationGuide/hl7.fhir.us.core|6.1.0',
      'http://hl7.org/fhir/uv/bulkdata/ImplementationGuide/hl7.fhir.uv.bulkdata|2.0.0',
      'http://hl7.org/fhir/smart-app-launch/ImplementationGuide/hl7.fhir.uv.smart-app-launch|2.1.0',
    ])
    expect(summary.instantiates).toEqual(['http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server|6.1.0'])
  })

  test('every SMART OAuth endpoint, in the order of a flow whatever order it lists them in', () => {
    expect(summary.security.oauth.map((o) => o.name)).toEqual(['authorize', 'token', 'register', 'manage', 'introspect', 'revoke'])
    expect(summary.security.oauth[1]).toEqual({ name: 'token', url: 'https://auth.lakeside-ehr.example/oauth2/token' })
    // A service with codes only is named by its code's display, once.
    expect(summary.security.services).toEqual(['SMART-on-FHIR'])
    expect(summary.security.smartOnFhir).toBe(true)
  })

  test('whole-server interactions and operations: Bulk Data $export', () => {
    expect(summary.systemInteractions).toEqual(['transaction', 'batch', 'search-system'])
    expect(summary.operations).toEqual(['export'])
  })

  test('per resource: the supported profiles (US Core), the operations and the base profile', () => {
    const byType = Object.fromEntries(summary.resources.map((r) => [r.type, r]))
    expect(byType.Patient).toMatchObject({
      profile: 'http://hl7.org/fhir/StructureDefinition/Patient',
      supportedProfiles: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'],
      operations: ['export', 'everything'],
    })
    expect(byType.Observation!.supportedProfiles).toHaveLength(8)
    expect(byType.Observation!.supportedProfiles).toContain('http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure')
    expect(byType.Group!.operations).toEqual(['export'])
    expect(byType.DocumentReference!.operations).toEqual(['docref'])
  })

  test('an operation written with its "$" is the same operation', () => {
    const cs = JSON.parse(US_CORE_TEXT) as Statement
    cs.rest![0]!.operation = [{ name: '$export' }, { name: 'export' }]
    expect(summaryOf(parseCapabilityStatement(cs)).operations).toEqual(['export'])
  })
})

describe('a summary stored before a field existed', () => {
  test('is read with that field empty, the rest as it was', () => {
    const old = { ...summaryOf(parseCapabilityJson(FIXTURE_TEXT)) } as Partial<CapabilitySummary>
    delete old.implementationGuides
    delete old.instantiates
    const stored = JSON.parse(JSON.stringify({ ...old, security: { services: ['SMART-on-FHIR'], smartOnFhir: true, cors: true, description: null } }))
    for (const r of stored.resources) delete r.supportedProfiles
    const s = readStoredSummary(stored)
    expect(s.implementationGuides).toEqual([])
    expect(s.security.oauth).toEqual([])
    expect(s.resources.find((r) => r.type === 'Patient')).toMatchObject({ supportedProfiles: [], profile: 'http://hl7.org/fhir/StructureDefinition/Patient' })
    expect(s.operations).toEqual(['everything', 'export'])
  })
})

describe('statements that are read with defaults', () => {
  const minimal = { resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', rest: [{ mode: 'server' }] }

  test('a minimal statement gives an empty summary, not an error', () => {
    expect(summaryOf(parseCapabilityStatement(minimal))).toEqual({
      fhirVersion: '4.0.1',
      software: null,
      publisher: null,
      date: null,
      implementation: null,
      formats: [],
      implementationGuides: [],
      instantiates: [],
      security: { services: [], smartOnFhir: false, cors: null, description: null, oauth: [] },
      resources: [],
      systemInteractions: [],
      operations: [],
    })
  })

  test('software without a version, an implementation with a url only, a search parameter without type', () => {
    const s = summaryOf(
      parseCapabilityStatement({
        ...minimal,
        software: { name: 'HAPI FHIR Server' },
        implementation: { url: 'https://hapi.example/fhir' },
        rest: [{ mode: 'server', resource: [{ type: 'Patient', interaction: [{ code: 'read' }, { code: 'read' }], searchParam: [{ name: 'name' }] }] }],
      }),
    )
    expect(s.software).toBe('HAPI FHIR Server')
    expect(s.implementation).toBe('https://hapi.example/fhir')
    expect(s.resources).toEqual([{ type: 'Patient', interactions: ['read'], searchParams: [{ name: 'name', type: null }], operations: [], profile: null, supportedProfiles: [] }])
  })

  test('the server part is read even when a client part comes first', () => {
    const s = summaryOf(
      parseCapabilityStatement({
        ...minimal,
        rest: [
          { mode: 'client', resource: [{ type: 'Questionnaire' }] },
          { mode: 'server', resource: [{ type: 'Observation' }] },
        ],
      }),
    )
    expect(s.resources.map((r) => r.type)).toEqual(['Observation'])
  })

  test.each([
    ['1.0.2', '1.0.2'],
    ['3.0.2', '3.0.2'],
    ['4.0.0', '4.0.1'],
    ['4.3.0', '4.3.0'],
    ['5.0.0', '5.0.0'],
    ['6.0.0-ballot', undefined],
  ])('FHIR %s is checklist version %s', (version, key) => {
    expect(fhirVersionKey(version)).toBe(key)
  })
})

describe('documents that are not a CapabilityStatement', () => {
  test("a file cut off while saving: one message that says so and where, not the JSON parser's words", () => {
    const cut = FIXTURE_TEXT.slice(0, 5_000)
    const lines = cut.trimEnd().split('\n').length
    expect(errorsOf(parseCapabilityJson(cut))).toEqual([
      `The file ends in the middle of the JSON (after line ${lines}): it looks cut off. Download or copy the whole CapabilityStatement again.`,
    ])
    expect(errorsOf(parseCapabilityJson('{"resourceType": "CapabilityStatement", '))[0]).toMatch(/^The file ends in the middle of the JSON \(after line 1\)/)
  })

  test('broken JSON: where it stops making sense (line, column and the text there)', () => {
    // A comma lost between two fields on line 5, as a hand edit leaves it.
    const broken = FIXTURE_TEXT.replace('"status": "active",', '"status": "active"')
    const [error] = errorsOf(parseCapabilityJson(broken))
    const line = broken.split('\n').findIndex((l) => l.includes('"experimental"')) + 1
    expect(error).toMatch(new RegExp(`^The file is not valid JSON: it stops making sense at line ${line}, column 3 \\(near “.*"experimental`))
    expect(error).not.toMatch(/Expected|Unexpected|position/)
    // Engines leave the position out of some errors ("[1,2,]"): ours still has it.
    expect(errorsOf(parseCapabilityJson('{"rest": [1, 2,]}'))[0]).toMatch(/line 1, column 16/)
  })

  test('an empty file, and one of spaces, are called empty', () => {
    for (const text of ['', '  \n ', '\uFEFF']) expect(errorsOf(parseCapabilityJson(text))).toEqual([expect.stringMatching(/^The file is empty\./)])
  })

  test('an XML CapabilityStatement is refused as XML, with how to get JSON', () => {
    expect(errorsOf(parseCapabilityJson('<?xml version="1.0"?>\n<CapabilityStatement xmlns="http://hl7.org/fhir"/>'))).toEqual([
      expect.stringMatching(/XML.*_format=json/),
    ])
  })

  test('a Bundle: one message that says what it is and where the CapabilityStatement in it is', () => {
    expect(errorsOf(parseCapabilityJson(BUNDLE_TEXT))).toEqual([
      "This is a FHIR Bundle (searchset, 1 entry), not a CapabilityStatement; entry 1 holds one. Upload that resource on its own, or the server's [base]/metadata answer.",
    ])
    const empty = errorsOf(parseCapabilityStatement({ resourceType: 'Bundle', type: 'searchset', entry: [] }))
    expect(empty).toHaveLength(1)
    expect(empty[0]).toMatch(/^This is a FHIR Bundle \(searchset, 0 entries\), not a CapabilityStatement\. Upload/)
  })

  test('a Patient resource: one error that names the resourceType found, not the fields it lacks', () => {
    const errors = errorsOf(parseCapabilityJson(JSON.stringify({ resourceType: 'Patient', id: 'example', name: [{ family: 'Chalmers' }] })))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^resourceType is "Patient", not "CapabilityStatement"\./)
  })

  test('an OperationOutcome (what a server answers when /metadata fails) is refused the same way', () => {
    const errors = errorsOf(parseCapabilityStatement({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] }))
    expect(errors).toEqual([expect.stringContaining('"OperationOutcome"')])
  })

  test('JSON that is not a resource at all', () => {
    expect(errorsOf(parseCapabilityJson('{"fhirVersion": "4.0.1"}'))).toEqual([expect.stringMatching(/^The JSON has no resourceType/)])
    expect(errorsOf(parseCapabilityJson('[{}]'))).toEqual([expect.stringMatching(/^The JSON is a list, not a FHIR resource/)])
  })

  test('missing fhirVersion is an error that names it', () => {
    const cs = fixture()
    delete cs.fhirVersion
    expect(errorsOf(parseCapabilityStatement(cs))).toEqual(['fhirVersion: fhirVersion is missing'])
  })

  test('no REST server is an error', () => {
    const cs = fixture()
    delete cs.rest
    expect(errorsOf(parseCapabilityStatement(cs))).toEqual([expect.stringMatching(/no REST server/)])
    expect(errorsOf(parseCapabilityStatement({ ...fixture(), rest: [] }))[0]).toMatch(/no REST server/)
  })

  test('a resource without a type is an error with its path', () => {
    const cs = fixture()
    const resources = cs.rest![0]!.resource as Record<string, unknown>[]
    delete resources[2]!.type
    expect(errorsOf(parseCapabilityStatement(cs))).toEqual(['rest.0.resource.2.type: a rest.resource has no type'])
  })

  test.each([
    ['an empty object', {}],
    ['an array', [fixture()]],
    ['null', null],
    ['a number', 42],
    ['a string', 'CapabilityStatement'],
    ['a boolean', true],
    ['undefined', undefined],
  ])('%s is refused with reasons, not a throw', (_what, value) => {
    const result = parseCapabilityStatement(value)
    expect(result.ok).toBe(false)
    expect(errorsOf(result).length).toBeGreaterThan(0)
  })

  test.each([['{}'], ['[]'], ['null'], ['42'], ['""'], [''], ['   ']])('the JSON text %j is refused with reasons', (text) => {
    const errors = errorsOf(parseCapabilityJson(text))
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.every((e) => e.trim().length > 0)).toBe(true)
  })

  test('at most ten reasons, however broken the document', () => {
    const rest = [{ mode: 'server', resource: Array.from({ length: 40 }, () => ({ interaction: 'everything' })) }]
    const errors = errorsOf(parseCapabilityStatement({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', rest }))
    expect(errors).toHaveLength(10)
  })
})

describe('properties (fast-check)', () => {
  /** Either a summary, or a non-empty list of non-empty reasons. Never a throw. */
  function expectWellFormed(result: CapabilityParseResult) {
    if (result.ok) {
      expect(typeof result.summary.fhirVersion).toBe('string')
      expect(Array.isArray(result.summary.resources)).toBe(true)
    } else {
      expect(result.errors.length).toBeGreaterThan(0)
      for (const e of result.errors) expect(typeof e === 'string' && e.length > 0).toBe(true)
    }
  }

  test('any JSON value: parseCapabilityStatement never throws and refuses it with reasons', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = parseCapabilityStatement(value)
        expectWellFormed(result)
        // A random value is not a CapabilityStatement (it would need its resourceType, fhirVersion and a rest server).
        expect(result.ok).toBe(false)
      }),
      { numRuns: 500 },
    )
  })

  test('any string: parseCapabilityJson never throws and refuses it with reasons', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json()), (text) => {
        const result = parseCapabilityJson(text)
        expectWellFormed(result)
        expect(result.ok).toBe(false)
      }),
      { numRuns: 500 },
    )
  })

  test('random JSON grafted into a valid statement: never a throw, and the rest of it is still read when valid', () => {
    const base = fixture()
    const keys = ['software', 'implementation', 'format', 'rest', 'kind', 'publisher', 'date', 'unknownExtension'] as const
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        const result = parseCapabilityStatement({ ...base, [key]: value })
        expectWellFormed(result)
        if (result.ok && key !== 'rest') expect(result.summary.resources).toHaveLength(18)
      }),
      { numRuns: 300 },
    )
  })

  test('where the JSON stops: exactly where JSON.parse refuses, at the end for any cut of a valid file', () => {
    const valid = (t: string) => {
      try {
        JSON.parse(t)
        return true
      } catch {
        return false
      }
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.json().map((j) => j.slice(0, -1)), fc.json().map((j) => j.replace(/,/, ',,'))), (text) => {
        expect(jsonStopsAt(text) === -1).toBe(valid(text))
      }),
      { numRuns: 1_000 },
    )
    fc.assert(
      fc.property(fc.integer({ min: 1, max: US_CORE_TEXT.trimEnd().length - 1 }), (n) => {
        const cut = US_CORE_TEXT.slice(0, n)
        expect(jsonStopsAt(cut)).toBe(cut.length)
      }),
      { numRuns: 300 },
    )
  })

  test('statements built from the parts the parser reads are accepted, resources and interactions intact', () => {
    const resource = fc.record({
      type: fc.string({ minLength: 1, maxLength: 20 }),
      interaction: fc.uniqueArray(fc.constantFrom(...INTERACTIONS).map((code) => ({ code })), { selector: (i) => i.code }),
      searchParam: fc.array(fc.record({ name: fc.string({ minLength: 1 }), type: fc.constantFrom('token', 'string', 'date', 'reference', 'quantity') }), { maxLength: 5 }),
    })
    const statement = fc.record({
      resourceType: fc.constant('CapabilityStatement'),
      fhirVersion: fc.constantFrom('1.0.2', '3.0.2', '4.0.1', '4.3.0', '5.0.0'),
      rest: fc.tuple(fc.record({ mode: fc.constant('server'), resource: fc.array(resource, { maxLength: 10 }) })),
    })
    fc.assert(
      fc.property(statement, (cs) => {
        const s = summaryOf(parseCapabilityStatement(JSON.parse(JSON.stringify(cs))))
        expect(s.fhirVersion).toBe(cs.fhirVersion)
        expect(s.resources.map((r) => r.type).sort()).toEqual(cs.rest[0].resource.map((r) => r.type).sort())
        for (const r of s.resources) {
          expect(r.interactions).toEqual(INTERACTIONS.filter((i) => r.interactions.includes(i)))
        }
      }),
      { numRuns: 200 },
    )
  })
})
