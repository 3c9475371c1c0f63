/**
 * The demo's mapping matrices, written through the same model functions the pages use (so the
 * audit trail and review rules are real): Arjun (analyst) writes rows, Dr. Chen (clinical lead)
 * and Casey (consultant analyst) review them.
 *
 * - LIS → engine: results — v1 approved and frozen; v2 in progress (a changed rule, a new row,
 *   a row sent back with a comment, rows in review) with LOINC, UCUM and SNOMED CT code maps.
 * - Engine → pharmacy: medication orders — v1 draft, half reviewed; formulary codes partly
 *   mapped to RxNorm (the unmapped ones are the point).
 * - Engine → billing: charges — v1 with every row approved, waiting for the version approval.
 * - RPM → EHR: home vitals — v1 draft, LOINC vitals and UCUM units.
 */
import { prisma } from '#app/utils/db.server.ts'
import { CodeMapSchema, MappingRowSchema } from '#app/models/mapping/mapping.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import {
  approveMappingVersion,
  createCodeMap,
  createMappingRow,
  listMappingRows,
  reviewMappingRows,
  startMappingVersion,
  updateMappingRow,
} from '#app/models/mapping/mapping.server.ts'

type RowSpec = [
  sourceField: string,
  sourcePath: string,
  targetField: string,
  targetPath: string,
  dataType: string,
  requirement: 'required' | 'optional' | 'conditional',
  transformType: 'copy' | 'format_date' | 'concatenate' | 'split' | 'lookup' | 'constant' | 'custom',
  transformRule: string | null,
  qualityRule: string | null,
  extra?: { allowedValues?: string; usageFrequency?: string; notes?: string },
]

function rowInput([sourceField, sourcePath, targetField, targetPath, dataType, requirement, transformType, transformRule, qualityRule, extra]: RowSpec) {
  return MappingRowSchema.parse({ sourceField, sourcePath, targetField, targetPath, dataType, requirement, transformType, transformRule: transformRule ?? undefined, qualityRule: qualityRule ?? undefined, ...extra })
}

type CodeSpec = [localCode: string, localDisplay: string, targetCode: string | null, targetDisplay: string | null, equivalence?: 'equal' | 'wider' | 'narrower', comment?: string]

async function addCodes(scope: TenantScope, versionId: string, rowId: string | undefined, sourceSystem: string, targetSystem: string, codes: CodeSpec[]) {
  for (const [localCode, localDisplay, targetCode, targetDisplay, equivalence, comment] of codes) {
    await createCodeMap(scope, {
      versionId,
      ...CodeMapSchema.parse({
        rowId,
        sourceSystem,
        localCode,
        localDisplay,
        targetSystem,
        targetCode: targetCode ?? undefined,
        targetDisplay: targetDisplay ?? undefined,
        equivalence: targetCode ? (equivalence ?? 'equal') : 'unmatched',
        comment,
      }),
    })
  }
}

const LAB_RESULT_ROWS: RowSpec[] = [
  ['Medical record number', 'PID-3.1', 'Patient identifier', 'Patient.identifier[0].value', 'CX', 'required', 'copy', null, 'Missing MRN → reject to the error queue; never match on name and birth date alone', { usageFrequency: '100%' }],
  ['Family name', 'PID-5.1', 'Family name', 'Patient.name[0].family', 'XPN', 'required', 'copy', null, 'Missing → reject and flag', { usageFrequency: '100%' }],
  ['Given name', 'PID-5.2', 'Given name', 'Patient.name[0].given[0]', 'XPN', 'optional', 'copy', null, null, { usageFrequency: '99%' }],
  ['Date of birth', 'PID-7.1', 'Birth date', 'Patient.birthDate', 'date', 'required', 'format_date', 'YYYYMMDD → YYYY-MM-DD', 'Missing DOB → reject and flag; never default', { usageFrequency: '100%' }],
  ['Administrative sex', 'PID-8', 'Gender', 'Patient.gender', 'code', 'required', 'lookup', 'M → male, F → female, O → other, U/A/N → unknown', 'Any other value → unknown, and a daily list to Health Information Management', { allowedValues: 'M, F, O, U, A, N (HL7 table 0001)' }],
  ['Ordered test', 'OBR-4.1', 'Report code', 'DiagnosticReport.code', 'CWE', 'required', 'lookup', 'Local order code → LOINC panel (code maps)', 'Unmapped order code → hold the result and alert the interface owner; never deliver uncoded'],
  ['Observation identifier', 'OBX-3.1', 'Observation code', 'Observation.code.coding[0]', 'CWE', 'required', 'lookup', 'Local test code → LOINC (code maps)', 'Unmapped test code → hold the result and alert the interface owner; never deliver uncoded'],
  ['Observation value', 'OBX-5', 'Value', 'Observation.valueQuantity.value', 'NM', 'required', 'copy', null, 'Non-numeric text in an NM result → reject and flag; comments go to OBX-5 of type TX only'],
  ['Units', 'OBX-6.1', 'Unit (UCUM)', 'Observation.valueQuantity.code', 'CWE', 'conditional', 'lookup', 'Local unit → UCUM (code maps)', 'Unknown unit → hold and flag; never assume mg/dL', { notes: 'Required when OBX-2 = NM.' }],
  ['Reference range', 'OBX-7', 'Reference range', 'Observation.referenceRange[0].text', 'ST', 'optional', 'copy', null, null],
  ['Abnormal flags', 'OBX-8', 'Interpretation', 'Observation.interpretation[0]', 'CWE', 'optional', 'lookup', 'H, L, HH, LL, A, N → v3 ObservationInterpretation', null, { allowedValues: 'HL7 table 0078' }],
  ['Result status', 'OBX-11', 'Status', 'Observation.status', 'ID', 'required', 'lookup', 'F → final, P → preliminary, C → corrected, X → cancelled', 'Missing or unknown → reject; a corrected result must replace, not add'],
  ['Observation date/time', 'OBX-14', 'Effective time', 'Observation.effectiveDateTime', 'DTM', 'required', 'format_date', 'YYYYMMDDHHMM[SS] local time → ISO 8601 with the America/Chicago offset', 'Missing → take OBR-7; both missing → reject'],
  ['Specimen type', 'SPM-4.1', 'Specimen type', 'Specimen.type', 'CWE', 'optional', 'lookup', 'Local specimen code → SNOMED CT (code maps)', null],
]

const LAB_CODES: CodeSpec[] = [
  ['GLU', 'Glucose, serum', '2345-7', 'Glucose [Mass/volume] in Serum or Plasma'],
  ['NA', 'Sodium', '2951-2', 'Sodium [Moles/volume] in Serum or Plasma'],
  ['K', 'Potassium', '2823-3', 'Potassium [Moles/volume] in Serum or Plasma'],
  ['CL', 'Chloride', '2075-0', 'Chloride [Moles/volume] in Serum or Plasma'],
  ['CO2', 'Carbon dioxide', '2028-9', 'Carbon dioxide, total [Moles/volume] in Serum or Plasma'],
  ['BUN', 'Urea nitrogen', '3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma'],
  ['CREAT', 'Creatinine', '2160-0', 'Creatinine [Mass/volume] in Serum or Plasma'],
  ['CA', 'Calcium', '17861-6', 'Calcium [Mass/volume] in Serum or Plasma'],
  ['ALT', 'ALT', '1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma'],
  ['AST', 'AST', '1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma'],
  ['CHOL', 'Cholesterol', '2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma'],
  ['HBA1C', 'Hemoglobin A1c', '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'],
  ['HGB', 'Hemoglobin', '718-7', 'Hemoglobin [Mass/volume] in Blood'],
  ['HCT', 'Hematocrit', '4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count'],
  ['WBC', 'White cell count', '6690-2', 'Leukocytes [#/volume] in Blood by Automated count'],
  ['PLT', 'Platelets', '777-3', 'Platelets [#/volume] in Blood by Automated count'],
  ['PT', 'Prothrombin time', '5902-2', 'Prothrombin time (PT)'],
  ['INR', 'INR', '6301-6', 'INR in Platelet poor plasma by Coagulation assay'],
  ['TROPI', 'Troponin I', '10839-9', 'Troponin I.cardiac [Mass/volume] in Serum or Plasma'],
  ['BNP', 'B-type natriuretic peptide', '30934-4', 'Natriuretic peptide B [Mass/volume] in Serum or Plasma'],
  ['TSH', 'TSH', '3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma'],
  ['XHEMI', 'Haemolysis index (analyser)', null, null],
  ['XDELTA', 'Delta check comment', null, null],
  ['CALCLDL', 'LDL, calculated (local formula)', null, null],
]

const UNIT_CODES: CodeSpec[] = [
  ['mg/dl', 'milligrams per decilitre', 'mg/dL', 'milligram per deciliter'],
  ['mmol/l', 'millimoles per litre', 'mmol/L', 'millimole per liter'],
  ['g/dl', 'grams per decilitre', 'g/dL', 'gram per deciliter'],
  ['K/uL', 'thousand per microlitre', '10*3/uL', 'thousand per microliter'],
  ['IU/L', 'international units per litre', '[IU]/L', 'international unit per liter'],
  ['%', 'percent', '%', 'percent'],
  ['sec', 'seconds', 's', 'second'],
  ['ratio', 'ratio (INR)', '{ratio}', 'ratio'],
]

const SPECIMEN_CODES: CodeSpec[] = [
  ['BLD', 'Whole blood', '119297000', 'Blood specimen'],
  ['SER', 'Serum', '119364003', 'Serum specimen'],
  ['UR', 'Urine', '122575003', 'Urine specimen'],
]

const PHARMACY_ROWS: RowSpec[] = [
  ['Medical record number', 'PID-3.1', 'Subject', 'MedicationRequest.subject', 'CX', 'required', 'lookup', 'MRN → Patient reference in the pharmacy system', 'Unknown MRN → reject; the order must not reach the wrong patient'],
  ['Order control', 'ORC-1', 'Status', 'MedicationRequest.status', 'ID', 'required', 'lookup', 'NW → active, CA → cancelled, DC → stopped, XO → active (replaces)', 'Unknown code → reject and page the pharmacy on-call'],
  ['Ordering provider', 'ORC-12', 'Requester', 'MedicationRequest.requester', 'XCN', 'required', 'lookup', 'NPI in ORC-12.1 → Practitioner', 'Missing NPI → hold for pharmacist verification'],
  ['Give code', 'RXE-2.1', 'Medication', 'MedicationRequest.medicationCodeableConcept', 'CWE', 'required', 'lookup', 'Formulary code → RxNorm (code maps)', 'Unmapped formulary code → hold for pharmacist verification; never substitute'],
  ['Give amount (minimum)', 'RXE-3', 'Dose', 'MedicationRequest.dosageInstruction[0].doseAndRate[0].doseQuantity.value', 'NM', 'required', 'copy', null, 'Missing or zero → reject'],
  ['Give units', 'RXE-5.1', 'Dose unit', 'MedicationRequest.dosageInstruction[0].doseAndRate[0].doseQuantity.code', 'CWE', 'required', 'lookup', 'Local unit → UCUM', 'Unknown unit → reject; a dose without a unit is not a dose'],
  ['Quantity/timing', 'RXE-1', 'Timing', 'MedicationRequest.dosageInstruction[0].timing', 'TQ', 'required', 'custom', 'Q6H, BID, TID, QD, PRN → Timing.repeat (frequency, period, asNeeded)', 'Unparseable frequency → hold for pharmacist verification'],
  ['Route', 'RXR-1.1', 'Route', 'MedicationRequest.dosageInstruction[0].route', 'CWE', 'required', 'lookup', 'Local route → SNOMED CT (code maps)', 'Unknown route → hold for pharmacist verification'],
]

const FORMULARY_CODES: CodeSpec[] = [
  ['APAP325', 'Acetaminophen 325 mg tablet', '313782', 'acetaminophen 325 MG Oral Tablet'],
  ['AMLO5', 'Amlodipine 5 mg tablet', '197361', 'amlodipine 5 MG Oral Tablet'],
  ['IBU200', 'Ibuprofen 200 mg tablet', '310965', 'ibuprofen 200 MG Oral Tablet'],
  ['KCL20ER', 'Potassium chloride 20 mEq ER tablet', null, null],
  ['HEP5000', 'Heparin 5,000 units/mL injection', null, null],
  ['INSGLAR', 'Insulin glargine 100 units/mL pen', null, null],
  ['VANCIV', 'Vancomycin IV per pharmacy protocol', null, null],
]

const ROUTE_CODES: CodeSpec[] = [
  ['PO', 'By mouth', '26643006', 'Oral route'],
  ['IV', 'Intravenous', '47625008', 'Intravenous route'],
  ['SC', 'Subcutaneous', '34206005', 'Subcutaneous route'],
]

const CHARGE_ROWS: RowSpec[] = [
  ['Account number', 'PID-18.1', 'Account', 'Charge.account', 'CX', 'required', 'copy', null, 'Missing account → reject to the billing work queue; never post to a default account'],
  ['Transaction date', 'FT1-4', 'Service date', 'Charge.serviceDate', 'DTM', 'required', 'format_date', 'YYYYMMDD → YYYY-MM-DD', 'Missing → reject'],
  ['Transaction code', 'FT1-7.1', 'Procedure (CPT)', 'Charge.procedureCode', 'CWE', 'required', 'lookup', 'Charge description master code → CPT (code maps)', 'Unmapped CDM code → hold the charge for coding review'],
  ['Quantity', 'FT1-10', 'Units', 'Charge.quantity', 'NM', 'required', 'copy', null, 'Missing → 1 only for CDM items flagged single-unit; otherwise reject'],
  ['Diagnosis', 'FT1-19.1', 'Diagnosis (ICD-10-CM)', 'Charge.diagnosis[0]', 'CWE', 'required', 'lookup', 'Problem-list code → ICD-10-CM (code maps)', 'Missing diagnosis → hold for coding; never default to a symptom code'],
]

const CPT_CODES: CodeSpec[] = [
  ['CDM300100', 'Basic metabolic panel', '80048', 'Basic metabolic panel'],
  ['CDM300110', 'Comprehensive metabolic panel', '80053', 'Comprehensive metabolic panel'],
  ['CDM300200', 'CBC with automated differential', '85025', 'Complete blood count with automated differential'],
  ['CDM300900', 'Venipuncture', '36415', 'Collection of venous blood by venipuncture'],
  ['CDM710046', 'Chest X-ray, 2 views', '71046', 'Radiologic examination, chest; 2 views'],
  ['CDM930000', 'ECG, 12-lead', '93000', 'Electrocardiogram, routine, with interpretation and report'],
]

const ICD_CODES: CodeSpec[] = [
  ['PL-DM2', 'Diabetes type 2', 'E11.9', 'Type 2 diabetes mellitus without complications'],
  ['PL-HTN', 'Hypertension', 'I10', 'Essential (primary) hypertension'],
  ['PL-PNA', 'Pneumonia', 'J18.9', 'Pneumonia, unspecified organism'],
  ['PL-UTI', 'Urinary tract infection', 'N39.0', 'Urinary tract infection, site not specified'],
]

const VITALS_ROWS: RowSpec[] = [
  ['Vital sign code', 'Observation.code', 'Observation code', 'Observation.code', 'CodeableConcept', 'required', 'lookup', 'HomeVitals code → LOINC (code maps)', 'Unmapped code → reject the reading and tell the RPM nurse queue'],
  ['Reading', 'Observation.valueQuantity.value', 'Value', 'Observation.valueQuantity.value', 'decimal', 'required', 'copy', null, 'Outside physiological limits (e.g. heart rate > 300) → reject and flag the device'],
  ['Unit', 'Observation.valueQuantity.unit', 'Unit (UCUM)', 'Observation.valueQuantity.code', 'code', 'required', 'lookup', 'Device unit → UCUM', 'Unknown unit → reject; never convert silently'],
  ['Measured at', 'Observation.effectiveDateTime', 'Effective time', 'Observation.effectiveDateTime', 'dateTime', 'required', 'copy', null, 'Missing time zone → assume the patient’s home zone and mark the reading as estimated'],
  ['Patient link', 'Observation.subject', 'Subject', 'Observation.subject', 'Reference', 'required', 'lookup', 'HomeVitals enrolment id → Patient reference', 'No enrolment match → reject; never attach to a patient by name'],
]

const VITAL_CODES: CodeSpec[] = [
  ['hv:hr', 'Heart rate', '8867-4', 'Heart rate'],
  ['hv:sys', 'Systolic BP', '8480-6', 'Systolic blood pressure'],
  ['hv:dia', 'Diastolic BP', '8462-4', 'Diastolic blood pressure'],
  ['hv:wt', 'Weight', '29463-7', 'Body weight'],
  ['hv:spo2', 'SpO2', '59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'],
  ['hv:steps', 'Daily steps', null, null],
]

async function interfaceId(organizationId: string, name: string) {
  return (await prisma.interface.findFirstOrThrow({ where: { organizationId, name }, select: { id: true } })).id
}

async function writeRows(scope: TenantScope, versionId: string, specs: RowSpec[]) {
  const rows = []
  for (const spec of specs) rows.push((await createMappingRow(scope, { versionId, ...rowInput(spec) }))!)
  return rows
}

const byPath = (rows: { id: string; sourcePath: string }[], path: string) => rows.find((r) => r.sourcePath === path)!.id

export async function seedMapping(people: { analyst: TenantScope; clinician: TenantScope; consultant: TenantScope }) {
  const { analyst, clinician, consultant } = people
  const org = analyst.organizationId

  // LIS results: v1 approved, v2 in progress.
  const lab = await interfaceId(org, 'LIS → engine: results')
  const v1 = (await startMappingVersion(analyst, { interfaceId: lab, notes: 'First specification for the LabTrack go-live' }))!
  const rows = await writeRows(analyst, v1.id, LAB_RESULT_ROWS)
  await addCodes(analyst, v1.id, byPath(rows, 'OBX-3.1'), 'urn:riverside:labtrack:test', 'http://loinc.org', LAB_CODES.filter(([, , code]) => code))
  await addCodes(analyst, v1.id, byPath(rows, 'OBX-6.1'), 'urn:riverside:labtrack:unit', 'http://unitsofmeasure.org', UNIT_CODES)
  await addCodes(analyst, v1.id, byPath(rows, 'SPM-4.1'), 'urn:riverside:labtrack:specimen', 'http://snomed.info/sct', SPECIMEN_CODES)
  await reviewMappingRows(analyst, { versionId: v1.id, action: 'submit', target: { all: true } })
  await reviewMappingRows(clinician, { versionId: v1.id, action: 'approve', target: { all: true } })
  await approveMappingVersion(clinician, v1.id)

  const v2 = (await startMappingVersion(analyst, { interfaceId: lab, notes: 'Send-outs to Statewide Reference Lab; analyser-only codes' }))!
  const v2rows = (await listMappingRows(analyst, { versionId: v2.id, page: 1 })).rows
  const obx14 = v2rows.find((r) => r.sourcePath === 'OBX-14')!
  await updateMappingRow(analyst, {
    rowId: obx14.id,
    ...rowInput(LAB_RESULT_ROWS.find((r) => r[1] === 'OBX-14')!.map((v, i) => (i === 8 ? 'Missing → take OBR-7; both missing → reject. Reference-lab times arrive in UTC: convert, never re-label' : v)) as RowSpec),
  })
  const [performer, deltaNote] = await writeRows(analyst, v2.id, [
    ['Performing organisation', 'OBX-23.1', 'Performer', 'Observation.performer', 'XON', 'conditional', 'lookup', 'Statewide Reference Lab → Organization/statewide-lab', 'Send-out result without OBX-23 → hold and ask the reference lab; CLIA requires the performing lab', { notes: 'Required for send-outs only.' }],
    ['Result comment', 'NTE-3', 'Note', 'Observation.note[0].text', 'FT', 'optional', 'concatenate', 'All NTE-3 of the OBX, joined with line breaks', null],
  ])
  await addCodes(analyst, v2.id, byPath(v2rows, 'OBX-3.1'), 'urn:riverside:labtrack:test', 'http://loinc.org', LAB_CODES.filter(([, , code]) => !code))
  await reviewMappingRows(analyst, { versionId: v2.id, action: 'submit', target: { rowIds: [obx14.id, performer!.id, deltaNote!.id] } })
  await reviewMappingRows(clinician, { versionId: v2.id, action: 'request_changes', target: { rowIds: [performer!.id] }, comment: 'Say what the ED sees while a send-out is held: a pending placeholder, or nothing?' })
  await reviewMappingRows(consultant, { versionId: v2.id, action: 'approve', target: { rowIds: [deltaNote!.id] } })

  // Pharmacy orders: v1 draft, partly reviewed, formulary partly mapped.
  const pharmacy = await interfaceId(org, 'Engine → pharmacy: medication orders')
  const p1 = (await startMappingVersion(analyst, { interfaceId: pharmacy, notes: 'Replaces faxed orders' }))!
  const prow = await writeRows(analyst, p1.id, PHARMACY_ROWS)
  await addCodes(analyst, p1.id, byPath(prow, 'RXE-2.1'), 'urn:riverside:ehr:formulary', 'http://www.nlm.nih.gov/research/umls/rxnorm', FORMULARY_CODES)
  await addCodes(analyst, p1.id, byPath(prow, 'RXR-1.1'), 'urn:riverside:ehr:route', 'http://snomed.info/sct', ROUTE_CODES)
  await reviewMappingRows(analyst, { versionId: p1.id, action: 'submit', target: { rowIds: prow.slice(0, 6).map((r) => r.id) } })
  await reviewMappingRows(clinician, { versionId: p1.id, action: 'approve', target: { rowIds: prow.slice(0, 3).map((r) => r.id) } })

  // Charges: every row approved, the version waits for its approval.
  const charges = await interfaceId(org, 'Engine → billing: charges')
  const c1 = (await startMappingVersion(analyst, { interfaceId: charges }))!
  const crow = await writeRows(analyst, c1.id, CHARGE_ROWS)
  await addCodes(analyst, c1.id, byPath(crow, 'FT1-7.1'), 'urn:riverside:cdm', 'http://www.ama-assn.org/go/cpt', CPT_CODES)
  await addCodes(analyst, c1.id, byPath(crow, 'FT1-19.1'), 'urn:riverside:problem-list', 'http://hl7.org/fhir/sid/icd-10-cm', ICD_CODES)
  await reviewMappingRows(analyst, { versionId: c1.id, action: 'submit', target: { all: true } })
  await reviewMappingRows(consultant, { versionId: c1.id, action: 'approve', target: { all: true } })

  // Home vitals: a fresh draft.
  const vitals = await interfaceId(org, 'RPM → EHR: home vitals')
  const h1 = (await startMappingVersion(analyst, { interfaceId: vitals }))!
  const hrow = await writeRows(analyst, h1.id, VITALS_ROWS)
  await addCodes(analyst, h1.id, byPath(hrow, 'Observation.code'), 'urn:pulsewise:homevitals', 'http://loinc.org', VITAL_CODES)
  await addCodes(analyst, h1.id, byPath(hrow, 'Observation.valueQuantity.unit'), 'urn:pulsewise:homevitals:unit', 'http://unitsofmeasure.org', [
    ['bpm', 'beats per minute', '/min', 'per minute'],
    ['mmHg', 'millimetres of mercury', 'mm[Hg]', 'millimeter of mercury'],
    ['lb', 'pounds', '[lb_av]', 'pound (US and British)'],
    ['%', 'percent', '%', 'percent'],
  ])
}
