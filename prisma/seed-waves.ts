import { addDays, dayOf } from '#app/models/projects/plan.ts'
import { WaveSchema } from '#app/models/projects/schemas.ts'
import { createWave, markWaveLive } from '#app/models/projects/waves.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'

/**
 * The demo's pilot groups and waves, through the models (validated, audited), by the project
 * manager, after seedProjects:
 * - the send-out lab results project: the Emergency Department pilots it (with the clinical
 *   lead and three named colleagues), then critical care and the wards, then the outpatient
 *   clinic and patient access — so the per-wave training figures differ (the training seed
 *   has some done, some not);
 * - the patient portal: a pilot with Patient Access.
 * Runs once per project (a project with waves already: skipped).
 */
export async function seedWaves(manager: TenantScope) {
  const org = manager.organizationId
  const project = (name: string) => prisma.project.findFirst({ where: { organizationId: org, name }, select: { id: true, targetGoLive: true, _count: { select: { waves: true } } } })
  const memberIds = async (emails: string[]) =>
    (await prisma.membership.findMany({ where: { organizationId: org, status: 'active', user: { email: { in: emails } } }, select: { id: true } })).map((m) => m.id)

  const lab = await project('Send-out lab results into the EHR via the engine')
  if (lab && lab._count.waves === 0) {
    const goLive = dayOf(lab.targetGoLive)!
    await createWave(manager, {
      projectId: lab.id,
      ...WaveSchema.parse({
        kind: 'pilot',
        name: 'Emergency Department pilot',
        units: ['Emergency Department'],
        goLive,
        notes: 'Two weeks with at-the-elbow support from the lab’s super-users; daily huddle on missing or misfiled results.',
        memberIds: await memberIds(['grace.chen@riverside.test', 'sam.rivera@riverside.test', 'priya.nair@riverside.test', 'aisha.adeyemi@riverside.test']),
      }),
    })
    await createWave(manager, {
      projectId: lab.id,
      ...WaveSchema.parse({ kind: 'expansion', name: 'Wave 1 — critical care and wards', units: ['ICU', 'Med-Surg 4 North'], goLive: addDays(goLive, 21), notes: 'After the pilot’s review of its first two weeks.' }),
    })
    await createWave(manager, {
      projectId: lab.id,
      ...WaveSchema.parse({ kind: 'expansion', name: 'Wave 2 — outpatients', units: ['Outpatient Clinic (Eastside)', 'Patient Access', 'Laboratory'], goLive: addDays(goLive, 49) }),
    })
  }

  const portal = await project('Patient portal on FHIR')
  if (portal && portal._count.waves === 0) {
    await createWave(manager, {
      projectId: portal.id,
      ...WaveSchema.parse({ kind: 'pilot', name: 'Patient Access pilot', units: ['Patient Access'], goLive: dayOf(portal.targetGoLive)!, notes: 'Front-desk staff try pre-visit questionnaires with volunteer patients.' }),
    })
  }

  // The PACS upgrade went live in one step: its "wave" is the whole radiology department, live since go-live.
  const pacs = await project('PACS upgrade to ClearView 7.2')
  if (pacs && pacs._count.waves === 0) {
    const wave = await createWave(manager, { projectId: pacs.id, ...WaveSchema.parse({ kind: 'pilot', name: 'Radiology', units: ['Radiology'], goLive: dayOf(pacs.targetGoLive)! }) })
    if (wave) await markWaveLive(manager, { waveId: wave.id })
  }
}
