/** Mapping: versions, rows and their review, code maps, import and export. */
import type { ReviewState } from '#app/generated/prisma/client.ts'
import { file, makeInterface, makeMappingImportBatch, makeMappingVersion, mappingRowsCsv } from './objects.ts'
import { defineSpecs, NO_INTENT, type Fields, type Fixture } from './spec.ts'

/** A mapping row's form fields (optional, so no data-quality rule is needed). */
const rowForm = (unique: string): Fields => ({ sourceField: 'Given name', sourcePath: `PID-5.${unique}`, targetField: 'Given', targetPath: 'Patient.name.given', dataType: 'string', requirement: 'optional', transformType: 'copy' })

/** A code map's form fields. */
const codeMapForm = (unique: string): Fields => ({ sourceSystem: 'urn:local:lab', localCode: `L${unique}`, targetSystem: 'http://loinc.org', targetCode: '718-7', equivalence: 'equal' })

/** The state a row must be in for the review intent about to be sent. */
const rowStateFor = (intent: string | undefined): ReviewState =>
  intent === 'submit' ? 'draft' : intent === 'reopen' || intent === 'approve-version' ? 'approved' : 'in_review'

const version = (f: Fixture) => makeMappingVersion(f, rowStateFor(f.intent))

export default defineSpecs('mapping', [
  { route: 'routes/o.$orgSlug+/mapping._index', loader: { can: 'mapping:read', search: (_, needle) => `?q=${encodeURIComponent(needle)}` } },
  {
    route: 'routes/o.$orgSlug+/mapping.$interfaceId',
    // An interface with no mapping yet: "start" makes its first version.
    objects: async (f) => ({ interfaceId: (await makeInterface(f)).interfaceId }),
    params: (o) => ({ interfaceId: o.interfaceId! }),
    loader: { can: 'mapping:read' },
    action: { can: 'mapping:write', intents: { start: { form: () => ({ notes: 'next version' }) } } },
  },
  {
    route: 'routes/o.$orgSlug+/mapping.v.$versionId',
    objects: version,
    params: (o) => ({ versionId: o.mappingVersionId! }),
    loader: { can: 'mapping:read', search: (_, needle) => `?q=${encodeURIComponent(needle)}` },
    action: {
      can: 'mapping:write',
      intents: {
        submit: { form: (o) => ({ rowId: o.mappingRowId! }) },
        reopen: { form: (o) => ({ rowId: o.mappingRowId! }) },
        approve: { form: (o) => ({ rowId: o.mappingRowId! }), can: 'mapping:review' },
        request_changes: { form: (o) => ({ rowId: o.mappingRowId!, comment: 'Say what a missing value does' }), can: 'mapping:review' },
        'approve-version': { form: () => ({}), can: 'mapping:review' },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/mapping.v.$versionId_.rows.new',
    objects: version,
    params: (o) => ({ versionId: o.mappingVersionId! }),
    loader: { can: 'mapping:write' },
    action: { can: 'mapping:write', intents: { [NO_INTENT]: { form: (_, unique) => rowForm(unique) } } },
  },
  {
    route: 'routes/o.$orgSlug+/mapping.v.$versionId_.rows.$rowId',
    objects: version,
    params: (o) => ({ versionId: o.mappingVersionId!, rowId: o.mappingRowId! }),
    loader: { can: 'mapping:read' },
    action: {
      can: 'mapping:write',
      intents: {
        save: { form: (_, unique) => rowForm(unique) },
        submit: { form: () => ({}) },
        approve: { form: () => ({}), can: 'mapping:review' },
        request_changes: { form: () => ({ comment: 'Which unit wins?' }), can: 'mapping:review' },
        reopen: { form: () => ({}) },
        delete: { form: () => ({}) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/mapping.v.$versionId_.codes',
    objects: version,
    params: (o) => ({ versionId: o.mappingVersionId! }),
    loader: { can: 'mapping:read', search: (o, needle) => `?q=${encodeURIComponent(needle)}&edit=${o.codeMapId}&row=${o.mappingRowId}` },
    action: {
      can: 'mapping:write',
      intents: {
        create: { form: (o, unique) => ({ ...codeMapForm(unique), rowId: o.mappingRowId! }) },
        update: { form: (o, unique) => ({ codeMapId: o.codeMapId!, ...codeMapForm(unique) }) },
        delete: { form: (o) => ({ codeMapId: o.codeMapId! }) },
      },
    },
  },
  { route: 'routes/o.$orgSlug+/mapping.v.$versionId_.diff', objects: version, params: (o) => ({ versionId: o.mappingVersionId! }), loader: { can: 'mapping:read' } },
  {
    route: 'routes/o.$orgSlug+/mapping.v.$versionId_.export',
    objects: version,
    params: (o) => ({ versionId: o.mappingVersionId! }),
    loader: { can: 'mapping:read', search: () => '?kind=conceptmap' },
  },
  { route: 'routes/o.$orgSlug+/mapping.template', loader: { can: 'mapping:read', search: () => '?kind=codes' } },
  {
    route: 'routes/o.$orgSlug+/mapping.v.$versionId_.import',
    objects: async (f) => {
      const v = await version(f)
      return { ...v, mappingImportBatchId: await makeMappingImportBatch(f, v.mappingVersionId) }
    },
    params: (o) => ({ versionId: o.mappingVersionId! }),
    loader: { can: 'mapping:write' },
    action: {
      can: 'mapping:write',
      intents: {
        preview: {
          form: (_, unique) => ({
            kind: 'rows',
            file: file('rows.csv', mappingRowsCsv({ sourceField: 'Family', sourcePath: `PID-5.${unique}`, targetField: 'Family', targetPath: 'Patient.name.family', dataType: 'string', requirement: 'optional', transformType: 'copy' })),
          }),
        },
        apply: { form: (o) => ({ batchId: o.mappingImportBatchId! }) },
      },
    },
  },
])
