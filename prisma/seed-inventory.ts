/**
 * The demo estate: Riverside Health's systems and interfaces, built through the real models
 * (validated and audited as an analyst would), with the teaching warnings present on purpose:
 * a point-to-point cluster around the blood bank, a proprietary dictation feed without a
 * written exception, and a portal interface asking the EHR for a resource its
 * CapabilityStatement does not list.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from '#app/models/inventory/interface.server.ts'
import { createSystem, saveCapability } from '#app/models/inventory/system.server.ts'
import { parseCapabilityJson } from '#app/models/inventory/fhir-capability.ts'
import { InterfaceSchema, SystemSchema, type InterfaceInput, type SystemInput } from '#app/models/inventory/inventory.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'

type SystemSeed = Omit<Partial<SystemInput>, 'unitsServed' | 'hl7v2Versions'> & { name: string; kind: SystemInput['kind']; unitsServed?: string[]; hl7v2Versions?: string[] }
type InterfaceSeed = Omit<Partial<InterfaceInput>, 'sourceSystemId' | 'targetSystemId'> & { name: string; from: string; to: string; standard: InterfaceInput['standard'] }

const CLINICAL_UNITS = ['Emergency Department', 'ICU', 'Med-Surg 4 North', 'Outpatient Clinic (Eastside)']

export const RIVERSIDE_SYSTEMS: SystemSeed[] = [
  { name: 'Riverside EHR', kind: 'ehr', vendor: 'Meridian Health Systems', product: 'Meridian EHR', version: '2026.1', criticality: 'critical', hosting: 'on_premises', hl7v2Versions: ['2.5.1'], fhirVersion: '4.0.1', fhirBaseUrl: 'https://fhir.riverside-ehr.example/r4', unitsServed: [...CLINICAL_UNITS, 'Laboratory', 'Radiology', 'Pharmacy', 'Patient Access'], notes: 'System of record for patients, orders and results.' },
  { name: 'Open Integration Engine', kind: 'integration_engine', vendor: 'OIE community', product: 'Open Integration Engine', version: '4.5.2', criticality: 'critical', hosting: 'private_cloud', hl7v2Versions: ['2.3', '2.3.1', '2.5', '2.5.1', '2.6'], fhirVersion: '4.0.1' },
  { name: 'LabTrack LIS', kind: 'lis', vendor: 'Northwind Diagnostics', product: 'LabTrack', version: '9.4', criticality: 'high', hosting: 'on_premises', hl7v2Versions: ['2.5.1'], unitsServed: ['Laboratory'] },
  { name: 'ClearView PACS', kind: 'ris_pacs', vendor: 'Aurora Imaging', product: 'ClearView RIS/PACS', version: '7.2', criticality: 'high', hosting: 'on_premises', hl7v2Versions: ['2.3.1'], dicom: true, unitsServed: ['Radiology'] },
  { name: 'RxCentral Pharmacy', kind: 'pharmacy', vendor: 'Apothecary Systems', product: 'RxCentral', version: '12.0', criticality: 'high', hl7v2Versions: ['2.5'], unitsServed: ['Pharmacy'] },
  { name: 'RevCycle Billing', kind: 'billing', vendor: 'Ledgerline', product: 'RevCycle Pro', version: '5.8', criticality: 'high', hosting: 'saas', hl7v2Versions: ['2.5'], x12: true, unitsServed: ['Patient Access', 'Revenue Cycle'] },
  { name: 'Claims Clearinghouse', kind: 'billing', vendor: 'ClearPath EDI', product: 'Clearinghouse', criticality: 'medium', hosting: 'vendor_hosted', x12: true },
  { name: 'MyRiverside Portal', kind: 'patient_portal', vendor: 'Meridian Health Systems', product: 'Meridian Patient Portal', version: '2026.1', criticality: 'medium', hosting: 'saas', fhirVersion: '4.0.1' },
  { name: 'HomeVitals RPM', kind: 'remote_monitoring', vendor: 'Pulsewise', product: 'HomeVitals', version: '3.1', criticality: 'medium', hosting: 'saas', fhirVersion: '4.0.1', unitsServed: ['Cardiology Clinic'] },
  { name: 'BedSide Device Gateway', kind: 'device_gateway', vendor: 'Vitalink', product: 'BedSide Gateway', version: '2.4', criticality: 'high', hl7v2Versions: ['2.6'], unitsServed: ['ICU'] },
  { name: 'SafeUnit Blood Bank', kind: 'lis', vendor: 'Haemo Systems', product: 'SafeUnit', version: '6.0', criticality: 'critical', hl7v2Versions: ['2.4'], unitsServed: ['Laboratory', 'Emergency Department'] },
  { name: 'Statewide Reference Lab', kind: 'lis', vendor: 'Statewide Labs', criticality: 'medium', hosting: 'vendor_hosted', hl7v2Versions: ['2.3.1'] },
  { name: 'VoiceScribe Dictation', kind: 'other', vendor: 'VoiceScribe', product: 'Dictation Server', version: '8', criticality: 'low', unitsServed: ['Radiology'] },
  { name: 'Riverside Data Warehouse', kind: 'analytics', vendor: 'In-house', criticality: 'medium', hosting: 'private_cloud' },
]

const ADT = ['ADT^A01', 'ADT^A02', 'ADT^A03', 'ADT^A04', 'ADT^A08']

export const RIVERSIDE_INTERFACES: InterfaceSeed[] = [
  { name: 'EHR → engine: ADT', from: 'Riverside EHR', to: 'Open Integration Engine', standard: 'hl7v2', messageTypes: ADT, transport: 'mllp', approach: 'via_engine', lifecycle: 'live', criticality: 'critical' },
  { name: 'Engine → LIS: ADT', from: 'Open Integration Engine', to: 'LabTrack LIS', standard: 'hl7v2', messageTypes: ADT, transport: 'mllp', approach: 'via_engine', lifecycle: 'live', criticality: 'critical' },
  { name: 'EHR → engine: lab orders', from: 'Riverside EHR', to: 'Open Integration Engine', standard: 'hl7v2', messageTypes: ['ORM^O01'], transport: 'mllp', approach: 'via_engine', lifecycle: 'live', criticality: 'critical' },
  { name: 'Engine → LIS: lab orders', from: 'Open Integration Engine', to: 'LabTrack LIS', standard: 'hl7v2', messageTypes: ['ORM^O01'], transport: 'mllp', approach: 'via_engine', lifecycle: 'live', criticality: 'critical' },
  { name: 'LIS → engine: results', from: 'LabTrack LIS', to: 'Open Integration Engine', standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine', lifecycle: 'live', criticality: 'critical' },
  { name: 'Engine → EHR: results', from: 'Open Integration Engine', to: 'Riverside EHR', standard: 'hl7v2', messageTypes: ['ORU^R01', 'MDM^T02'], transport: 'mllp', approach: 'via_engine', lifecycle: 'live', criticality: 'critical' },
  { name: 'Engine → PACS: imaging orders', from: 'Open Integration Engine', to: 'ClearView PACS', standard: 'hl7v2', messageTypes: ['ORM^O01', 'ADT^A08'], transport: 'mllp', approach: 'via_engine', lifecycle: 'live', criticality: 'high' },
  { name: 'PACS → engine: radiology reports', from: 'ClearView PACS', to: 'Open Integration Engine', standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine', lifecycle: 'live', criticality: 'high' },
  { name: 'Engine → pharmacy: medication orders', from: 'Open Integration Engine', to: 'RxCentral Pharmacy', standard: 'hl7v2', messageTypes: ['RDE^O11'], transport: 'mllp', approach: 'via_engine', lifecycle: 'test', criticality: 'high', description: 'Replaces faxed orders; UAT with pharmacy in progress.' },
  { name: 'Engine → billing: charges', from: 'Open Integration Engine', to: 'RevCycle Billing', standard: 'hl7v2', messageTypes: ['DFT^P03', 'BAR^P01'], transport: 'mllp', approach: 'via_engine', lifecycle: 'live', criticality: 'high' },
  { name: 'Billing → clearinghouse: claims', from: 'RevCycle Billing', to: 'Claims Clearinghouse', standard: 'x12', messageTypes: ['837P', '837I', '270'], transport: 'sftp', approach: 'point_to_point', lifecycle: 'live', criticality: 'high' },
  { name: 'Clearinghouse → billing: remittance', from: 'Claims Clearinghouse', to: 'RevCycle Billing', standard: 'x12', messageTypes: ['835', '271'], transport: 'sftp', approach: 'point_to_point', lifecycle: 'live', criticality: 'high' },
  { name: 'Portal ↔ EHR: patient API', from: 'MyRiverside Portal', to: 'Riverside EHR', standard: 'fhir', messageTypes: ['Patient', 'Appointment', 'Observation', 'QuestionnaireResponse'], transport: 'https_rest', approach: 'api_first', direction: 'bidirectional', lifecycle: 'design', criticality: 'medium', description: 'Pre-visit questionnaires in the portal: needs QuestionnaireResponse write access.' },
  { name: 'RPM → EHR: home vitals', from: 'HomeVitals RPM', to: 'Riverside EHR', standard: 'fhir', messageTypes: ['Observation'], transport: 'https_rest', approach: 'api_first', lifecycle: 'build', criticality: 'medium' },
  { name: 'Device gateway → engine: ICU vitals', from: 'BedSide Device Gateway', to: 'Open Integration Engine', standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine', lifecycle: 'test', criticality: 'high' },
  { name: 'Blood bank ↔ LIS', from: 'SafeUnit Blood Bank', to: 'LabTrack LIS', standard: 'hl7v2', messageTypes: ['OML^O21', 'ORU^R01'], transport: 'mllp', approach: 'point_to_point', direction: 'bidirectional', lifecycle: 'live', criticality: 'critical' },
  { name: 'Blood bank → EHR: transfusion results', from: 'SafeUnit Blood Bank', to: 'Riverside EHR', standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'point_to_point', lifecycle: 'live', criticality: 'critical' },
  { name: 'LIS → reference lab: send-outs', from: 'LabTrack LIS', to: 'Statewide Reference Lab', standard: 'hl7v2', messageTypes: ['ORM^O01'], transport: 'mllp', approach: 'point_to_point', lifecycle: 'live', criticality: 'medium' },
  { name: 'Dictation → EHR: reports', from: 'VoiceScribe Dictation', to: 'Riverside EHR', standard: 'proprietary', messageTypes: ['ReportUpload'], transport: 'https_rest', approach: 'point_to_point', lifecycle: 'live', criticality: 'low' },
  { name: 'EHR → warehouse: nightly extract', from: 'Riverside EHR', to: 'Riverside Data Warehouse', standard: 'flat_file', messageTypes: ['encounters.csv', 'results.csv'], transport: 'sftp', approach: 'point_to_point', lifecycle: 'live', criticality: 'medium', standardsException: 'Meridian offers no bulk FHIR export before release 2027.1. Approved by the CIO on 2026-03-02, review at the 2027.1 upgrade.' },
]

export async function seedInventory(scope: TenantScope, owners: { business?: string; technical?: string }) {
  const ids = new Map<string, string>()
  for (const s of RIVERSIDE_SYSTEMS) {
    const input = SystemSchema.parse({ ...s, businessOwnerId: s.kind === 'ehr' || s.kind === 'lis' ? owners.business : undefined, technicalOwnerId: owners.technical })
    const system = await createSystem(scope, input)
    ids.set(s.name, system.id)
  }
  const fixture = readFileSync(join(import.meta.dirname, '..', 'tests', 'fixtures', 'capability-statement-r4.json'), 'utf8')
  const parsed = parseCapabilityJson(fixture)
  if (parsed.ok) await saveCapability(scope, { systemId: ids.get('Riverside EHR')!, summary: parsed.summary, source: 'https://fhir.riverside-ehr.example/r4/metadata' })
  for (const { from, to, ...i } of RIVERSIDE_INTERFACES) {
    const input = InterfaceSchema.parse({ ...i, sourceSystemId: ids.get(from), targetSystemId: ids.get(to), ownerId: owners.technical })
    await createInterface(scope, input)
  }
  return ids
}

export async function seedSmallInventory(scope: TenantScope) {
  const ehr = await createSystem(scope, SystemSchema.parse({ name: 'Lakeside eClinical', kind: 'ehr', vendor: 'eClinical Cloud', version: '11', hosting: 'saas', criticality: 'critical', fhirVersion: '4.0.1', hl7v2Versions: ['2.5.1'] }))
  const billing = await createSystem(scope, SystemSchema.parse({ name: 'Lakeside Billing', kind: 'billing', vendor: 'Ledgerline', product: 'RevCycle Pro', hosting: 'saas', x12: true, hl7v2Versions: ['2.5'] }))
  await createInterface(scope, InterfaceSchema.parse({ name: 'EHR → billing: charges', sourceSystemId: ehr.id, targetSystemId: billing.id, standard: 'hl7v2', messageTypes: ['DFT^P03'], transport: 'https_rest', approach: 'point_to_point', lifecycle: 'live' }))
}
