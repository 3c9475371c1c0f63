/** The inventory: systems, interfaces, the estate picture, CSV import and export. */
import { readFileSync } from 'node:fs'
import { file, makeConformanceTest, makeInterface, makeMember, makeSystem, makeSystemsImportBatch, systemsCsv } from './objects.ts'
import { defineSpecs, NO_INTENT, type Fields, type Objects } from './spec.ts'

const capabilityStatement = readFileSync('tests/fixtures/capability-statement-r4.json', 'utf8')

/** An interface between two systems, owned by a member: three objects a form can name. */
const interfaceForm = (o: Objects, name: string): Fields => ({
  name,
  sourceSystemId: o.systemId!,
  targetSystemId: o.otherSystemId!,
  standard: 'hl7v2',
  messageTypes: 'ADT^A01',
  transport: 'mllp',
  approach: 'via_engine',
  ownerId: o.memberId!,
})

/** Two systems and a member, for the interface forms. */
const interfaceFormObjects = async (f: Parameters<typeof makeMember>[0]) => ({
  systemId: await makeSystem(f, 'ehr'),
  otherSystemId: await makeSystem(f, 'lis'),
  memberId: (await makeMember(f)).membershipId,
})

const search = (_: Objects, needle: string) => `?q=${encodeURIComponent(needle)}`

export default defineSpecs('inventory', [
  { route: 'routes/o.$orgSlug+/systems._index', loader: { can: 'inventory:read', search } },
  {
    route: 'routes/o.$orgSlug+/systems.new',
    objects: async (f) => ({ memberId: (await makeMember(f)).membershipId }),
    loader: { can: 'inventory:write' },
    // The owner is an object of the form: another organisation's member must be refused.
    action: { can: 'inventory:write', intents: { [NO_INTENT]: { form: (o, unique) => ({ name: `System ${unique}`, kind: 'ehr', businessOwnerId: o.memberId! }) } } },
  },
  {
    route: 'routes/o.$orgSlug+/systems.$systemId',
    objects: async (f) => {
      const systemId = await makeSystem(f)
      return { systemId, conformanceTestId: await makeConformanceTest(f, systemId) }
    },
    params: (o) => ({ systemId: o.systemId! }),
    loader: { can: 'inventory:read' },
    action: {
      can: 'inventory:write',
      intents: {
        // The CapabilityStatement upload: a multipart form with the file and no intent.
        [NO_INTENT]: { form: () => ({ file: file('metadata.json', capabilityStatement, 'application/json') }) },
        'add-conformance': { form: () => ({ standard: 'IHE PIX', testedOn: '2026-02-01', result: 'passed' }) },
        'delete-conformance': { form: (o) => ({ testId: o.conformanceTestId! }) },
        'delete-system': { form: () => ({}) },
        'capability-url': {
          form: () => ({ url: 'https://127.0.0.1/fhir' }),
          answers: { status: 422, why: 'a vendor server is on the internet, which a test does not reach: a private address is refused before any request, after the system was looked up in the scope' },
        },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/systems.$systemId_.edit',
    objects: async (f) => ({ systemId: await makeSystem(f), memberId: (await makeMember(f)).membershipId }),
    params: (o) => ({ systemId: o.systemId! }),
    loader: { can: 'inventory:write' },
    action: { can: 'inventory:write', intents: { [NO_INTENT]: { form: (o, unique) => ({ name: `System ${unique}`, kind: 'lis', technicalOwnerId: o.memberId! }) } } },
  },
  { route: 'routes/o.$orgSlug+/estate', loader: { can: 'inventory:read' } },
  { route: 'routes/o.$orgSlug+/interfaces._index', loader: { can: 'inventory:read', search } },
  {
    route: 'routes/o.$orgSlug+/interfaces.new',
    objects: interfaceFormObjects,
    loader: { can: 'inventory:write', search: (o) => `?source=${o.systemId}` },
    action: { can: 'inventory:write', intents: { [NO_INTENT]: { form: (o, unique) => interfaceForm(o, `Interface ${unique}`) } } },
  },
  {
    route: 'routes/o.$orgSlug+/interfaces.$interfaceId',
    objects: async (f) => ({ interfaceId: (await makeInterface(f)).interfaceId }),
    params: (o) => ({ interfaceId: o.interfaceId! }),
    loader: { can: 'inventory:read' },
    action: { can: 'inventory:write', intents: { delete: { form: () => ({}) } } },
  },
  {
    route: 'routes/o.$orgSlug+/interfaces.$interfaceId_.edit',
    objects: async (f) => ({ interfaceId: (await makeInterface(f)).interfaceId, ...(await interfaceFormObjects(f)) }),
    params: (o) => ({ interfaceId: o.interfaceId! }),
    loader: { can: 'inventory:write' },
    action: { can: 'inventory:write', intents: { [NO_INTENT]: { form: (o, unique) => interfaceForm(o, `Interface ${unique}`) } } },
  },
  { route: 'routes/o.$orgSlug+/inventory.export', loader: { can: 'inventory:read', search: () => '?kind=systems' } },
  { route: 'routes/o.$orgSlug+/inventory.template', loader: { can: 'inventory:read', search: () => '?kind=systems' } },
  {
    route: 'routes/o.$orgSlug+/inventory.import',
    objects: async (f) => ({ importBatchId: await makeSystemsImportBatch(f) }),
    loader: { can: 'inventory:write' },
    action: {
      can: 'inventory:write',
      intents: {
        preview: { form: (_, unique) => ({ kind: 'systems', file: file('systems.csv', systemsCsv({ name: `Imported ${unique}`, kind: 'ehr' })) }) },
        apply: { form: (o) => ({ batchId: o.importBatchId! }) },
      },
    },
  },
])
