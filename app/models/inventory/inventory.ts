import { z } from 'zod'
import { enumOf, optionalText } from '#app/utils/schemas.ts'
import { APPROACHES, CRITICALITIES, DIRECTIONS, ENVIRONMENTS, HOSTINGS, LIFECYCLES, STANDARDS, SYSTEM_KINDS, TRANSPORTS, type InterfaceStandard } from './vocabulary.ts'

/**
 * The inventory's form schemas and standards catalogues, shared by the server, the browser and
 * the CSV import. Its enum vocabularies (values and labels) are in inventory-vocabulary.ts.
 */


export const HL7V2_VERSIONS = ['2.1', '2.2', '2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8', '2.8.1', '2.8.2', '2.9'] as const
export const FHIR_VERSIONS = { '1.0.2': 'DSTU2 (1.0.2)', '3.0.2': 'STU3 (3.0.2)', '4.0.1': 'R4 (4.0.1)', '4.3.0': 'R4B (4.3.0)', '5.0.0': 'R5 (5.0.0)' } as const

/** HL7 v2 message^trigger events in common use in hospital integration. */
export const HL7V2_MESSAGE_TYPES: Record<string, string> = {
  'ADT^A01': 'Admit / visit notification',
  'ADT^A02': 'Transfer a patient',
  'ADT^A03': 'Discharge / end visit',
  'ADT^A04': 'Register a patient',
  'ADT^A05': 'Pre-admit a patient',
  'ADT^A06': 'Change an outpatient to an inpatient',
  'ADT^A07': 'Change an inpatient to an outpatient',
  'ADT^A08': 'Update patient information',
  'ADT^A11': 'Cancel admit',
  'ADT^A13': 'Cancel discharge',
  'ADT^A28': 'Add person information',
  'ADT^A31': 'Update person information',
  'ADT^A34': 'Merge patient information — patient ID only',
  'ADT^A40': 'Merge patient — patient identifier list',
  'ORM^O01': 'Order message',
  'OML^O21': 'Laboratory order',
  'ORU^R01': 'Unsolicited observation result',
  'ORU^R30': 'Unsolicited point-of-care observation',
  'OUL^R22': 'Unsolicited specimen-oriented observation',
  'ORR^O02': 'Order response',
  'RDE^O11': 'Pharmacy/treatment encoded order',
  'RDS^O13': 'Pharmacy/treatment dispense',
  'RAS^O17': 'Pharmacy/treatment administration',
  'VXU^V04': 'Unsolicited vaccination record update',
  'SIU^S12': 'Notification of new appointment booking',
  'SIU^S13': 'Notification of appointment rescheduling',
  'SIU^S14': 'Notification of appointment modification',
  'SIU^S15': 'Notification of appointment cancellation',
  'DFT^P03': 'Post detail financial transaction',
  'BAR^P01': 'Add patient account',
  'MDM^T02': 'Original document notification and content',
  'MDM^T08': 'Document edit notification and content',
  'MFN^M02': 'Master file — staff practitioner',
  'ACK^A01': 'General acknowledgment',
  'QBP^Q11': 'Query by parameter',
  'RSP^K11': 'Segment pattern response',
}

/** FHIR R4 resource types (4.0.1). */
export const FHIR_RESOURCES = [
  'Account', 'ActivityDefinition', 'AdverseEvent', 'AllergyIntolerance', 'Appointment', 'AppointmentResponse', 'AuditEvent',
  'Basic', 'Binary', 'BiologicallyDerivedProduct', 'BodyStructure', 'Bundle', 'CapabilityStatement', 'CarePlan', 'CareTeam',
  'CatalogEntry', 'ChargeItem', 'ChargeItemDefinition', 'Claim', 'ClaimResponse', 'ClinicalImpression', 'CodeSystem',
  'Communication', 'CommunicationRequest', 'CompartmentDefinition', 'Composition', 'ConceptMap', 'Condition', 'Consent',
  'Contract', 'Coverage', 'CoverageEligibilityRequest', 'CoverageEligibilityResponse', 'DetectedIssue', 'Device',
  'DeviceDefinition', 'DeviceMetric', 'DeviceRequest', 'DeviceUseStatement', 'DiagnosticReport', 'DocumentManifest',
  'DocumentReference', 'EffectEvidenceSynthesis', 'Encounter', 'Endpoint', 'EnrollmentRequest', 'EnrollmentResponse',
  'EpisodeOfCare', 'EventDefinition', 'Evidence', 'EvidenceVariable', 'ExampleScenario', 'ExplanationOfBenefit',
  'FamilyMemberHistory', 'Flag', 'Goal', 'GraphDefinition', 'Group', 'GuidanceResponse', 'HealthcareService',
  'ImagingStudy', 'Immunization', 'ImmunizationEvaluation', 'ImmunizationRecommendation', 'ImplementationGuide',
  'InsurancePlan', 'Invoice', 'Library', 'Linkage', 'List', 'Location', 'Measure', 'MeasureReport', 'Media', 'Medication',
  'MedicationAdministration', 'MedicationDispense', 'MedicationKnowledge', 'MedicationRequest', 'MedicationStatement',
  'MedicinalProduct', 'MedicinalProductAuthorization', 'MedicinalProductContraindication', 'MedicinalProductIndication',
  'MedicinalProductIngredient', 'MedicinalProductInteraction', 'MedicinalProductManufactured', 'MedicinalProductPackaged',
  'MedicinalProductPharmaceutical', 'MedicinalProductUndesirableEffect', 'MessageDefinition', 'MessageHeader',
  'MolecularSequence', 'NamingSystem', 'NutritionOrder', 'Observation', 'ObservationDefinition', 'OperationDefinition',
  'OperationOutcome', 'Organization', 'OrganizationAffiliation', 'Parameters', 'Patient', 'PaymentNotice',
  'PaymentReconciliation', 'Person', 'PlanDefinition', 'Practitioner', 'PractitionerRole', 'Procedure', 'Provenance',
  'Questionnaire', 'QuestionnaireResponse', 'RelatedPerson', 'RequestGroup', 'ResearchDefinition',
  'ResearchElementDefinition', 'ResearchStudy', 'ResearchSubject', 'RiskAssessment', 'RiskEvidenceSynthesis', 'Schedule',
  'SearchParameter', 'ServiceRequest', 'Slot', 'Specimen', 'SpecimenDefinition', 'StructureDefinition', 'StructureMap',
  'Subscription', 'Substance', 'SubstanceNucleicAcid', 'SubstancePolymer', 'SubstanceProtein',
  'SubstanceReferenceInformation', 'SubstanceSourceMaterial', 'SubstanceSpecification', 'SupplyDelivery', 'SupplyRequest',
  'Task', 'TerminologyCapabilities', 'TestReport', 'TestScript', 'ValueSet', 'VerificationResult', 'VisionPrescription',
] as const

export const DICOM_SERVICES: Record<string, string> = {
  'C-STORE': 'Store images (DIMSE)',
  'C-FIND': 'Query (DIMSE)',
  'C-MOVE': 'Retrieve (DIMSE)',
  'C-GET': 'Retrieve (DIMSE)',
  'C-ECHO': 'Verification (DIMSE)',
  MWL: 'Modality worklist',
  MPPS: 'Modality performed procedure step',
  'Storage Commitment': 'Storage commitment',
  'STOW-RS': 'Store (DICOMweb)',
  'QIDO-RS': 'Query (DICOMweb)',
  'WADO-RS': 'Retrieve (DICOMweb)',
}

export const X12_TRANSACTIONS: Record<string, string> = {
  '270': 'Eligibility inquiry',
  '271': 'Eligibility response',
  '276': 'Claim status inquiry',
  '277': 'Claim status response',
  '278': 'Prior authorization',
  '834': 'Benefit enrollment',
  '835': 'Claim payment / remittance advice',
  '837P': 'Professional claim',
  '837I': 'Institutional claim',
  '837D': 'Dental claim',
}

/** The message-type vocabulary an interface of each standard chooses from (null: free text). */
export function vocabularyFor(standard: InterfaceStandard): readonly string[] | null {
  switch (standard) {
    case 'hl7v2':
      return Object.keys(HL7V2_MESSAGE_TYPES)
    case 'fhir':
      return FHIR_RESOURCES
    case 'dicom':
      return Object.keys(DICOM_SERVICES)
    case 'x12':
      return Object.keys(X12_TRANSACTIONS)
    default:
      return null
  }
}

const MESSAGE_TYPE_NOUN: Record<InterfaceStandard, string> = {
  hl7v2: 'HL7 v2 message types (e.g. ADT^A01, ORU^R01)',
  fhir: 'FHIR resources (e.g. Patient, Observation)',
  dicom: 'DICOM services (e.g. C-STORE, MWL)',
  x12: 'X12 transactions (e.g. 270, 837P)',
  flat_file: 'file layouts',
  proprietary: 'message names',
}
export function messageTypeNoun(standard: InterfaceStandard) {
  return MESSAGE_TYPE_NOUN[standard]
}

const list = (max: number) =>
  z
    .union([z.array(z.string()), z.string()])
    .optional()
    .transform((v) =>
      // conform may hand a single text value over as a one-element array: split every element.
      [...new Set((Array.isArray(v) ? v : [v ?? '']).flatMap((s) => s.split(/[;,\n]/)).map((s) => s.trim()).filter(Boolean))].slice(0, max),
    )

export const SystemSchema = z
  .object({
    name: z.string({ required_error: 'Name the system' }).trim().min(1, 'Name the system').max(120),
    kind: enumOf(SYSTEM_KINDS, 'Choose what kind of system it is'),
    vendor: optionalText(120),
    product: optionalText(120),
    version: optionalText(60),
    environment: enumOf(ENVIRONMENTS, 'Choose the environment').default('production'),
    hosting: enumOf(HOSTINGS, 'Choose how it is hosted').optional(),
    criticality: enumOf(CRITICALITIES, 'Choose a criticality').default('medium'),
    businessOwnerId: optionalText(40),
    technicalOwnerId: optionalText(40),
    unitsServed: list(50),
    notes: optionalText(4000),
    hl7v2Versions: list(20).refine(
      (vs) => vs.every((v) => (HL7V2_VERSIONS as readonly string[]).includes(v)),
      `HL7 v2 versions are ${HL7V2_VERSIONS.join(', ')}`,
    ),
    fhirVersion: enumOf(FHIR_VERSIONS, 'Choose a FHIR version').optional(),
    fhirBaseUrl: optionalText(500).refine((u) => !u || /^https?:\/\/[^\s]+$/i.test(u), 'Enter the FHIR base URL (https://…)'),
    dicom: z.coerce.boolean().default(false),
    x12: z.coerce.boolean().default(false),
  })
  .refine((s) => !s.fhirBaseUrl || s.fhirVersion, { path: ['fhirVersion'], message: 'Say which FHIR version this base URL speaks' })
export type SystemInput = z.infer<typeof SystemSchema>

export const InterfaceSchema = z
  .object({
    name: z.string({ required_error: 'Name the interface' }).trim().min(1, 'Name the interface').max(160),
    sourceSystemId: z.string({ required_error: 'Choose the source system' }).min(1, 'Choose the source system'),
    targetSystemId: z.string({ required_error: 'Choose the target system' }).min(1, 'Choose the target system'),
    standard: enumOf(STANDARDS, 'Choose a standard'),
    messageTypes: list(100),
    transport: enumOf(TRANSPORTS, 'Choose a transport'),
    approach: enumOf(APPROACHES, 'Choose an approach'),
    direction: enumOf(DIRECTIONS, 'Choose a direction').default('one_way'),
    lifecycle: enumOf(LIFECYCLES, 'Choose a lifecycle stage').default('proposed'),
    criticality: enumOf(CRITICALITIES, 'Choose a criticality').default('medium'),
    ownerId: optionalText(40),
    standardsException: optionalText(4000),
    description: optionalText(4000),
  })
  .superRefine((v, ctx) => {
    if (v.sourceSystemId && v.sourceSystemId === v.targetSystemId) {
      ctx.addIssue({ code: 'custom', path: ['targetSystemId'], message: 'An interface connects two different systems' })
    }
    const vocab = vocabularyFor(v.standard)
    if (vocab) {
      if (!v.messageTypes.length) {
        ctx.addIssue({ code: 'custom', path: ['messageTypes'], message: `${v.standard === 'hl7v2' || v.standard === 'x12' ? 'An' : 'A'} ${STANDARDS[v.standard]} interface names its ${messageTypeNoun(v.standard)}` })
      }
      const unknown = v.messageTypes.filter((m) => !vocab.includes(m))
      if (unknown.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['messageTypes'],
          message: `Not ${messageTypeNoun(v.standard)}: ${unknown.join(', ')}`,
        })
      }
    }
  })
export type InterfaceInput = z.infer<typeof InterfaceSchema>
