import { addDays } from '#app/models/projects/plan.ts'
import { todayIn } from '#app/models/projects/projects.server.ts'
import { createDefect, setDefectStatus } from '#app/models/uat/defects.server.ts'
import { recordRun } from '#app/models/uat/runs.server.ts'
import { createScenario, listMappingRowOptions } from '#app/models/uat/scenarios.server.ts'
import { DefectSchema, DefectStatusSchema, RunSchema, ScenarioSchema } from '#app/models/uat/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { scopeFor } from '#tests/factories.ts'

type Run = { result: 'pass' | 'fail' | 'blocked'; environment: 'sandbox' | 'test'; daysAgo: number; notes?: string; evidence?: string; evidenceUrl?: string; by?: 'analyst' | 'clinical' }
type Spec = {
  title: string
  interface: string | null
  by: 'analyst' | 'clinical'
  priority: 'low' | 'medium' | 'high' | 'critical'
  edgeCases?: string[]
  preconditions?: string
  steps: string
  expectedResult: string
  /** Mapping rows by source path (linked when the interface's mapping has them). */
  rows?: string[]
  runs?: Run[]
}

const LIS = 'LIS → engine: results'
const EHR = 'Engine → EHR: results'

/** The lab project's scenarios, in number order (S-1 …). */
const LAB: Spec[] = [
  {
    title: 'A normal chemistry panel files to the right patient',
    interface: LIS,
    by: 'analyst',
    priority: 'high',
    preconditions: 'Test patient ZZTEST, Alpha (MRN 900001) admitted in the sandbox EHR; a BMP ordered and sent out.',
    steps: '1. Send the reference lab’s ORU^R01 for the BMP through the engine.\n2. Open the patient’s results in the EHR.',
    expectedResult: 'Eight results under “Basic metabolic panel”, each with its LOINC code, units and reference range, on ZZTEST, Alpha only.',
    rows: ['PID-3.1', 'OBX-3.1', 'OBX-5', 'OBX-6.1'],
    runs: [
      { result: 'pass', environment: 'sandbox', daysAgo: 30, evidence: 'Engine message 7f3a…e1 filed as result 4411.' },
      { result: 'pass', environment: 'test', daysAgo: 12, evidenceUrl: 'https://wiki.riverside.example/uat/lab/s1-test-run' },
    ],
  },
  {
    title: 'A result with an empty value shows “no result”, never zero',
    interface: LIS,
    by: 'clinical',
    priority: 'critical',
    edgeCases: ['null_values'],
    preconditions: 'Test patient ZZTEST, Alpha with a pending potassium.',
    steps: '1. Send an ORU^R01 whose OBX-5 is empty (the analyser could not measure: haemolysed sample).\n2. Open the result in the EHR and on the results graph.',
    expectedResult: 'The result reads “no result — see comment” with the lab’s NTE comment; no 0 is filed and the graph shows a gap.',
    rows: ['OBX-5'],
    runs: [{ result: 'pass', environment: 'test', daysAgo: 11, by: 'clinical', notes: 'Comment “Haemolysed, please recollect” shown under the result.' }],
  },
  {
    title: 'The abnormal flag is kept when the reference range is empty',
    interface: LIS,
    by: 'clinical',
    priority: 'critical',
    edgeCases: ['null_values'],
    preconditions: 'Test patient ZZTEST, Beta; a send-out vitamin D result from the reference lab, which sends no reference range.',
    steps: '1. Send an ORU^R01 with OBX-7 empty and OBX-8 = H.\n2. Open the result in the EHR results inbox.',
    expectedResult: 'The result is flagged High (red, “H”) in the inbox and the chart, as the reference lab flagged it.',
    rows: ['OBX-7', 'OBX-8'],
    runs: [
      {
        result: 'fail',
        environment: 'test',
        daysAgo: 3,
        by: 'clinical',
        notes: 'The result filed without any flag: the engine’s interpretation lookup runs only when OBX-7 has a range. A clinician would miss a high value.',
        evidenceUrl: 'https://wiki.riverside.example/uat/lab/s3-fail-screenshot',
      },
    ],
  },
  {
    title: 'A family name with an apostrophe and accents files intact',
    interface: LIS,
    by: 'analyst',
    priority: 'high',
    edgeCases: ['special_characters'],
    preconditions: 'Test patient O’Brien-Núñez, Zoë (MRN 900017) admitted in the sandbox.',
    steps: '1. Send an ORU^R01 with PID-5 “O’Brien-Núñez^Zoë” (UTF-8) and an escaped \\S\\ in a comment.\n2. Find the result by patient name in the EHR.',
    expectedResult: 'The name reads O’Brien-Núñez, Zoë everywhere; the comment shows “^” and the result is on the right patient.',
    rows: ['PID-5.1'],
    runs: [
      { result: 'fail', environment: 'sandbox', daysAgo: 25, notes: 'Family name cut at the apostrophe (“O”): the engine read the feed as Latin-1.' },
      { result: 'pass', environment: 'test', daysAgo: 10, notes: 'After the engine’s channel was set to UTF-8.' },
    ],
  },
  {
    title: 'An unexpected local test code is held and the interface owner alerted',
    interface: LIS,
    by: 'analyst',
    priority: 'high',
    edgeCases: ['unexpected_codes'],
    steps: '1. Send an ORU^R01 with OBX-3 = “VITD3X” (a code the LOINC map does not have).\n2. Check the engine’s hold queue and the alert inbox.',
    expectedResult: 'The result is held, not delivered uncoded; the interface owner gets an alert naming the code within 5 minutes.',
    rows: ['OBX-3.1'],
    runs: [{ result: 'pass', environment: 'test', daysAgo: 9, evidence: 'Alert “Unmapped code VITD3X” received 09:42, result held.' }],
  },
  {
    title: 'A corrected result replaces the first one instead of adding a second',
    interface: LIS,
    by: 'clinical',
    priority: 'high',
    edgeCases: ['duplicates'],
    steps: '1. Send a final glucose (OBX-11 = F).\n2. Send the same filler order number with a new value and OBX-11 = C.\n3. Open the result history.',
    expectedResult: 'One glucose result with the corrected value, marked “Corrected”, the earlier value in its history.',
    rows: ['OBX-11'],
    runs: [
      { result: 'fail', environment: 'sandbox', daysAgo: 22, by: 'clinical', notes: 'Two glucose results on the chart, both “final”.' },
      { result: 'pass', environment: 'test', daysAgo: 8, by: 'clinical' },
    ],
  },
  {
    title: 'A resent batch after the reference lab’s downtime files once, within 15 minutes',
    interface: LIS,
    by: 'analyst',
    priority: 'medium',
    edgeCases: ['large_volume', 'duplicates'],
    preconditions: 'The engine’s test channel stopped for a simulated 8-hour downtime.',
    steps: '1. Queue 5,000 results (a day of send-outs), 40 of them resent twice.\n2. Restart the channel.\n3. Count filed results and watch the EHR interface queue.',
    expectedResult: 'All 4,960 distinct results filed within 15 minutes, no duplicates, the EHR queue never over 500.',
    runs: [{ result: 'pass', environment: 'test', daysAgo: 6, evidence: '4,960 filed in 11 min 40 s; queue peaked at 312.' }],
  },
  {
    title: 'A critical potassium reaches the ordering clinician’s inbox within 5 minutes',
    interface: EHR,
    by: 'clinical',
    priority: 'critical',
    preconditions: 'Dr. Test ordering provider with an inbox in the test EHR.',
    steps: '1. Send a potassium of 6.9 mmol/L flagged HH.\n2. Time its arrival in the ordering clinician’s inbox.',
    expectedResult: 'A high-priority inbox message within 5 minutes, and the lab’s phone call documented as usual.',
    runs: [{ result: 'blocked', environment: 'test', daysAgo: 2, by: 'clinical', notes: 'The test EHR’s inbox service is down for its upgrade until Friday.' }],
  },
  {
    title: 'Demographics updated after a result was filed keep the result on the patient',
    interface: null,
    by: 'analyst',
    priority: 'medium',
    preconditions: 'A result filed on ZZTEST, Gamma.',
    steps: '1. Send an ADT^A08 changing the patient’s family name and address.\n2. Send a second result for the same patient.\n3. Open both results.',
    expectedResult: 'Both results are on the same chart under the new name; nothing is filed to a new or unmatched patient.',
    runs: [{ result: 'pass', environment: 'test', daysAgo: 5 }],
  },
  {
    title: 'A preliminary microbiology result shows as preliminary, then final',
    interface: EHR,
    by: 'clinical',
    priority: 'medium',
    steps: '1. Send a culture with OBX-11 = P.\n2. A day later send the final (F).\n3. Check the result’s status each time.',
    expectedResult: '“Preliminary” in the chart until the final arrives, then “Final”; the clinician is notified of the final.',
  },
]

const PORTAL: Spec[] = [
  {
    title: 'A completed pre-visit questionnaire is saved as a QuestionnaireResponse on the appointment',
    interface: 'Portal ↔ EHR: patient API',
    by: 'analyst',
    priority: 'high',
    steps: '1. Sign in to MyRiverside as a test patient with an appointment next week.\n2. Complete the pre-visit questionnaire.\n3. Open the appointment in the EHR.',
    expectedResult: 'The answers are in the chart, linked to the appointment, within a minute.',
  },
  {
    title: 'A patient with a hyphenated name and diacritics sees their own record',
    interface: 'Portal ↔ EHR: patient API',
    by: 'clinical',
    priority: 'medium',
    edgeCases: ['special_characters'],
    steps: '1. Sign in as “Anaïs Lefèvre-Okoro”.\n2. Open appointments and results.',
    expectedResult: 'The name shows correctly and only her appointments and released results are listed.',
  },
  {
    title: 'A patient with no upcoming appointments sees a clear empty list',
    interface: 'Portal ↔ EHR: patient API',
    by: 'analyst',
    priority: 'low',
    edgeCases: ['null_values'],
    steps: '1. Sign in as a test patient with no appointments.\n2. Open “Appointments”.',
    expectedResult: '“No upcoming appointments” and the booking phone number; no error.',
  },
]

/**
 * The demo's UAT, through the models (numbered, audited), for the projects of seed-projects.ts:
 * - the send-out lab results project: ten scenarios over its two interfaces and the project, written
 *   by the analyst and the clinical lead, runs in the sandbox and test mostly passing; the abnormal
 *   flag scenario's failed run with ONE open severity-2 defect; a verified and a fixed defect from
 *   earlier failures; a blocked run and a scenario not run yet;
 * - the patient portal: three scenarios, not run yet.
 * Runs once per project (scenarios already there: skipped).
 */
export async function seedUat(org: { id: string }, now = new Date()) {
  const first = (role: 'analyst' | 'clinical_lead') =>
    prisma.membership.findFirst({ where: { organizationId: org.id, role, status: 'active' }, orderBy: { createdAt: 'asc' }, select: { userId: true } })
  const scopeOf = async (m: { userId: string } | null) => (m ? scopeFor(org, { id: m.userId }) : null)
  const projectNamed = (name: string) => prisma.project.findFirst({ where: { organizationId: org.id, name }, select: { id: true, owner: { select: { userId: true } } } })

  const lab = await projectNamed('Send-out lab results into the EHR via the engine')
  const manager = await scopeOf(lab?.owner ?? null)
  if (!lab || !manager) return
  const people = { analyst: (await scopeOf(await first('analyst'))) ?? manager, clinical: (await scopeOf(await first('clinical_lead'))) ?? manager }
  const today = todayIn(manager, now)

  const write = async (projectId: string, specs: Spec[]) => {
    const made: { id: string; runs: { id: string; result: string }[] }[] = []
    for (const spec of specs) {
      const iface = spec.interface ? await prisma.interface.findFirst({ where: { organizationId: org.id, name: spec.interface }, select: { id: true } }) : null
      const options = iface ? await listMappingRowOptions(manager, { interfaceId: iface.id }) : []
      const lineageIds = (spec.rows ?? []).map((path) => options.find((o) => o.current && o.sourcePath === path)?.lineageId).filter((id): id is string => !!id)
      const author: TenantScope = people[spec.by]
      const scenario = (await createScenario(author, {
        projectId,
        ...ScenarioSchema.parse({ ...spec, interfaceId: iface?.id, lineageIds, edgeCases: spec.edgeCases ?? [] }),
      }))!
      const runs = []
      for (const r of spec.runs ?? []) {
        const tester = people[r.by ?? spec.by]
        const run = (await recordRun(tester, { projectId, scenarioId: scenario.id, ...RunSchema.parse({ ...r, executedOn: addDays(today, -r.daysAgo) }) }, { now }))!
        runs.push({ id: run.id, result: run.result })
      }
      made.push({ id: scenario.id, runs })
    }
    return made
  }

  if (!(await prisma.uatScenario.count({ where: { organizationId: org.id, projectId: lab.id } }))) {
    const s = await write(lab.id, LAB)
    const { analyst, clinical } = people
    const failed = (i: number) => s[i]!.runs.find((r) => r.result === 'fail')!.id
    const open = async (by: TenantScope, fields: Record<string, unknown>) => (await createDefect(by, { projectId: lab.id, ...DefectSchema.parse(fields) }))!
    const move = (id: string, status: string) => setDefectStatus(analyst, { projectId: lab.id, defectId: id, ...DefectStatusSchema.parse({ status }) }, { now })
    // DEF-1: the apostrophe, fixed in the engine's channel and verified by the re-run.
    const apostrophe = await open(analyst, {
      title: 'Family name cut at the apostrophe',
      description: 'O’Brien-Núñez filed as “O”: the engine channel decoded the feed as Latin-1. Set the channel to UTF-8.',
      severity: '3',
      ownerId: analyst.membershipId,
      runId: failed(3),
    })
    await move(apostrophe.id, 'fixed')
    await move(apostrophe.id, 'verified')
    // DEF-2: the duplicate corrected result, fixed; the re-run passed, verification pending.
    const duplicate = await open(clinical, {
      title: 'A corrected result is filed as a second result',
      description: 'OBX-11 = C with the same filler order number added a second glucose instead of replacing the first.',
      severity: '2',
      ownerId: analyst.membershipId,
      runId: failed(5),
    })
    await move(duplicate.id, 'fixed')
    // DEF-3: the one open severity-2 defect, from the failed run of the abnormal flag scenario.
    await open(clinical, {
      title: 'Abnormal flag H lost when the reference range (OBX-7) is empty',
      description: 'A vitamin D result with OBX-8 = H and no OBX-7 filed with no flag. The engine’s interpretation lookup runs only when a range is present; a clinician would miss the high value.',
      severity: '2',
      ownerId: analyst.membershipId,
      runId: failed(2),
    })
  }

  const portal = await projectNamed('Patient portal on FHIR')
  if (portal && !(await prisma.uatScenario.count({ where: { organizationId: org.id, projectId: portal.id } }))) {
    await write(portal.id, PORTAL)
  }
}
