import { addDays } from '#app/models/projects/plan.ts'
import { DecisionSchema, SecurityItemSchema } from '#app/models/projects/decision-schemas.ts'
import { acceptDecision, createDecision } from '#app/models/projects/decisions.server.ts'
import { todayIn } from '#app/models/projects/projects.server.ts'
import { getSecurityAssessment, syncSecurityScope, updateSecurityItem } from '#app/models/projects/security.server.ts'
import type { SecurityItemKind } from '#app/models/projects/vocabulary.ts'
import { prisma } from '#app/utils/db.server.ts'
import { scopeFor } from '#tests/factories.ts'

/**
 * The demo's decision logs and security risk assessments, through the models (numbered,
 * audited), for the projects of seed-projects.ts:
 * - the send-out lab results project: five decisions — the engine route, a nightly batch
 *   superseded by real-time delivery, a data-quality rule, and a LOINC mapping decision still
 *   proposed — and a half-done assessment (TLS and one vendor's BAA done, another vendor's
 *   open, the risk review open);
 * - the patient portal: two decisions and a fresh assessment.
 * The project's owner (the manager) decides; the organisation's first compliance officer
 * completes the security items. Runs once per project (decisions already there: skipped).
 */
export async function seedDecisionsSecurity(org: { id: string }, now = new Date()) {
  const projectNamed = (name: string) => prisma.project.findFirst({ where: { organizationId: org.id, name }, select: { id: true, ownerId: true } })
  const scopeOfMember = async (membershipId: string | null | undefined) => {
    const m = membershipId ? await prisma.membership.findFirst({ where: { id: membershipId, organizationId: org.id } }) : null
    return m ? scopeFor(org, { id: m.userId }) : null
  }
  const firstOf = (role: 'compliance' | 'clinical_lead' | 'analyst') =>
    prisma.membership.findFirst({ where: { organizationId: org.id, role, status: 'active' }, orderBy: { createdAt: 'asc' }, select: { id: true } })

  const lab = await projectNamed('Send-out lab results into the EHR via the engine')
  const manager = await scopeOfMember(lab?.ownerId)
  if (!lab || !manager) return
  const compliance = (await scopeOfMember((await firstOf('compliance'))?.id)) ?? manager
  const clinical = (await firstOf('clinical_lead'))?.id
  const analyst = (await firstOf('analyst'))?.id
  const today = todayIn(manager, now)
  const interfaceNamed = async (name: string) => (await prisma.interface.findFirst({ where: { organizationId: org.id, name }, select: { id: true } }))?.id

  const log = async (projectId: string, fields: Record<string, unknown>, opts: { accept?: boolean; supersedesId?: string } = {}) => {
    const d = (await createDecision(manager, { projectId, supersedesId: opts.supersedesId, ...DecisionSchema.parse(fields) }))!
    if (opts.accept) await acceptDecision(manager, { projectId, decisionId: d.id })
    return d
  }

  if (!(await prisma.projectDecision.count({ where: { organizationId: org.id, projectId: lab.id } }))) {
    await log(lab.id, {
      title: 'Route results through the engine, not point-to-point',
      decision: 'Send-out results travel from the reference lab to the LIS and on to the EHR through the integration engine; no direct LIS-to-EHR link.',
      rationale: 'The engine already carries every other lab feed: one place to monitor, alert and audit; the LIS vendor maintains no extra interface.',
      alternatives: 'A point-to-point interface built by the LIS vendor (cheaper now, one more brittle link to maintain); a reference-lab portal with manual download (the problem we have today).',
      ownerId: manager.membershipId,
      decidedOn: addDays(today, -110),
      interfaceId: await interfaceNamed('Engine → EHR: results'),
    }, { accept: true })
    const batch = await log(lab.id, {
      title: 'Deliver results to the EHR in a nightly batch',
      decision: 'The engine collects the day’s send-out results and files them into the EHR once a night.',
      rationale: 'Matches the reference lab’s current end-of-day export; least change for the lab clerks.',
      alternatives: 'Real-time delivery over MLLP (needs the reference lab’s real-time feed, not yet offered).',
      ownerId: analyst ?? manager.membershipId,
      decidedOn: addDays(today, -95),
    }, { accept: true })
    await log(lab.id, {
      title: 'Reject results with a missing date of birth; never default it',
      decision: 'A result whose PID-7 (date of birth) is empty is rejected by the engine and queued for the lab’s data steward; it is never filed with a default date.',
      rationale: 'A defaulted birth date can file a result to the wrong patient; the steward’s queue is worked twice a day.',
      alternatives: 'Default to 1900-01-01 and flag (rejected by the clinical lead: unsafe); match on MRN alone (the reference lab does not send our MRN reliably).',
      ownerId: clinical ?? manager.membershipId,
      decidedOn: addDays(today, -80),
      interfaceId: await interfaceNamed('LIS → engine: results'),
    }, { accept: true })
    await log(lab.id, {
      title: 'Deliver results in real time over MLLP',
      decision: 'Results are filed in the EHR as they arrive (HL7 v2 ORU^R01 over MLLP with TLS), replacing the nightly batch.',
      rationale: 'The reference lab now offers a real-time feed; clinicians asked for critical send-out results within minutes, not the next morning.',
      alternatives: 'Keep the nightly batch and phone critical results (today’s workaround, error-prone).',
      ownerId: manager.membershipId,
      decidedOn: addDays(today, -40),
    }, { accept: true, supersedesId: batch.id })
    await log(lab.id, {
      title: 'Map the reference lab’s codes to LOINC in the engine',
      decision: 'The engine translates the reference lab’s local test codes to LOINC with a code map kept in Liaison’s mapping matrix, rather than asking the LIS to store LOINC codes.',
      rationale: 'One maintained map, reviewed with the mapping; the LIS upgrade that would store LOINC is a year away.',
      alternatives: 'LOINC in the LIS (waits for the upgrade); send local codes and map in the EHR (three places to keep in step).',
      ownerId: analyst ?? manager.membershipId,
    })
  }

  // The lab project's assessment, half done.
  await syncSecurityScope(manager, lab.id)
  const assessment = (await getSecurityAssessment(manager, { projectId: lab.id }))!
  if (assessment.items.every((i) => i.status === 'open')) {
    const item = (kind: SecurityItemKind, vendor?: RegExp) => assessment.items.find((i) => i.kind === kind && (!vendor || vendor.test(i.vendor ?? '')))
    const set = async (found: { id: string } | undefined, fields: Record<string, unknown>) => {
      if (found) await updateSecurityItem(compliance, { projectId: lab.id, ...SecurityItemSchema.parse({ itemId: found.id, ...fields }) })
    }
    await set(item('tls'), { status: 'done', evidence: 'LIS → engine and engine → EHR run MLLP over TLS 1.2 (certificates from the hospital CA, renewed yearly); the reference lab connects over SFTP.', evidenceUrl: 'https://intranet.riverside.example/security/tls-inventory' })
    await set(item('baa', /northwind/i), { status: 'done', evidence: 'BAA with Northwind Diagnostics signed with the LabTrack support contract renewal.', evidenceUrl: 'https://contracts.riverside.example/vendors/northwind/baa' })
    await set(item('baa', /oie/i), { status: 'not_applicable', evidence: 'Open-source engine run by Riverside IT on its private cloud; the community has no access to PHI.' })
    await set(item('baa', /meridian/i), { status: 'in_progress', evidence: 'Legal is reviewing the renewal of the Meridian BAA (ticket LEGAL-2214).' })
    await set(item('encryption_at_rest'), { status: 'in_progress', evidence: 'Engine message archive encrypted; the LIS result store still to confirm with Northwind.' })
    // Still open: the Statewide Labs BAA, access control, audit logging, OAuth/SMART, the risk review.
  }

  const portal = await projectNamed('Patient portal on FHIR')
  if (portal) {
    if (!(await prisma.projectDecision.count({ where: { organizationId: org.id, projectId: portal.id } }))) {
      await log(portal.id, {
        title: 'Authorise the portal with SMART on FHIR',
        decision: 'The portal reads and writes the EHR’s FHIR R4 API with SMART on FHIR patient-launch tokens from the EHR’s authorisation server; no shared API key.',
        rationale: 'Patient-level scopes limit each session to the patient’s own record; tokens expire and are revocable.',
        alternatives: 'A system-level API key held by the portal (one leaked key exposes every patient).',
        ownerId: manager.membershipId,
        decidedOn: addDays(today, -30),
        interfaceId: await interfaceNamed('Portal ↔ EHR: patient API'),
      }, { accept: true })
      await log(portal.id, {
        title: 'Store pre-visit questionnaires as QuestionnaireResponse in the EHR',
        decision: 'Completed questionnaires are written to the EHR as FHIR QuestionnaireResponse resources linked to the appointment.',
        rationale: 'Clinicians see the answers in the chart; no second store of patient data in the portal.',
        alternatives: 'Keep answers in the portal and show a PDF in the EHR (not searchable, two copies).',
        ownerId: manager.membershipId,
      })
    }
    await syncSecurityScope(manager, portal.id)
  }
}
