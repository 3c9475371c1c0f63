/**
 * The inventory's vocabulary (systems, interfaces, conformance): every value of its database
 * enums with the label people read, defined once for forms, lists, filters, the CSV import and
 * the estate picture. Browser-safe (no Prisma import); vocabulary.test.ts fails when an enum of
 * schema.prisma and its vocabulary here disagree (docs/decisions/018-one-scope-and-vocabulary.md).
 */

export const SYSTEM_KINDS = {
  ehr: 'EHR',
  lis: 'Laboratory (LIS)',
  ris_pacs: 'Radiology (RIS/PACS)',
  pharmacy: 'Pharmacy',
  billing: 'Billing / practice management',
  patient_portal: 'Patient portal',
  remote_monitoring: 'Remote monitoring',
  integration_engine: 'Integration engine',
  analytics: 'Analytics',
  device_gateway: 'Device gateway',
  other: 'Other',
} as const
export type SystemKind = keyof typeof SYSTEM_KINDS

export const ENVIRONMENTS = { production: 'Production', test: 'Test', sandbox: 'Sandbox' } as const
export const HOSTINGS = { on_premises: 'On premises', private_cloud: 'Private cloud', vendor_hosted: 'Vendor hosted', saas: 'SaaS' } as const
export const CRITICALITIES = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' } as const
export type Criticality = keyof typeof CRITICALITIES

export const STANDARDS = {
  hl7v2: 'HL7 v2',
  fhir: 'FHIR',
  dicom: 'DICOM',
  x12: 'X12',
  flat_file: 'Flat file / CSV',
  proprietary: 'Proprietary',
} as const
export type InterfaceStandard = keyof typeof STANDARDS

export const TRANSPORTS = {
  mllp: 'MLLP',
  https_rest: 'HTTPS / REST',
  sftp: 'SFTP',
  dicom_dimse: 'DICOM DIMSE',
  dicomweb: 'DICOMweb',
  other: 'Other',
} as const
export const APPROACHES = { point_to_point: 'Point-to-point', via_engine: 'Via integration engine', api_first: 'API-first' } as const
export const DIRECTIONS = { one_way: 'One way (source → target)', bidirectional: 'Bidirectional' } as const
export const LIFECYCLES = { proposed: 'Proposed', design: 'Design', build: 'Build', test: 'Test', live: 'Live', retired: 'Retired' } as const
export type Lifecycle = keyof typeof LIFECYCLES

/** A conformance test's outcome (ConformanceResult). */
export const CONFORMANCE_RESULTS = { passed: 'Passed', passed_with_issues: 'Passed with issues', failed: 'Failed' } as const
export type ConformanceResult = keyof typeof CONFORMANCE_RESULTS
