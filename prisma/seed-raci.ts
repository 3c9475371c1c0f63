import { addDays, dayOf } from '#app/models/projects/plan.ts'
import { todayIn } from '#app/models/projects/projects.server.ts'
import type { Holder } from '#app/models/projects/raci.ts'
import { addRaciActivity, applyRaciTemplate, setRaciRow, syncRaciActivities } from '#app/models/projects/raci.server.ts'
import type { RaciLetter } from '#app/models/projects/vocabulary.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'

/** The people the demo RACI names, by their demo email. */
export type RaciPeople = {
  manager: string
  analyst: string
  engineer: string
  clinicalLead: string
  labLead: string
  compliance: string
  executive: string
  staff: string
}
type Who = keyof RaciPeople | 'f:clinical' | 'f:compliance' | 'f:operations'
type Row = Partial<Record<Who, RaciLetter>>

export const LAB_PROJECT = 'Send-out lab results into the EHR via the engine'

/**
 * The demo RACI matrices, set through the model by the project manager (audited):
 * - the send-out lab project gets a full, realistic matrix over its fourteen steps, its two
 *   interfaces and two custom activities, with ONE deliberate problem to fix: UAT has two A's
 *   (the manager and the ED clinical lead, who should be C);
 * - the portal and PACS projects get smaller ones (the owner accountable everywhere, a few R's).
 * Every persona is R or A for something open, so their Home lists it. Runs once per project
 * (a project that already has letters is left alone).
 */
export async function seedRaci(manager: TenantScope, people: RaciPeople, now = new Date()) {
  const org = manager.organizationId
  const members = await prisma.membership.findMany({ where: { organizationId: org, user: { email: { in: Object.values(people) } } }, select: { id: true, user: { select: { email: true } } } })
  const idOf = new Map(members.map((m) => [m.user.email, m.id]))
  const holder = (w: Who): Holder | null => {
    if (w.startsWith('f:')) return { function: w.slice(2) as 'clinical' }
    const id = idOf.get(people[w as keyof RaciPeople])
    return id ? { membershipId: id } : null
  }
  const today = todayIn(manager, now)

  const projects = await prisma.project.findMany({ where: { organizationId: org }, select: { id: true, name: true, targetGoLive: true, _count: { select: { raciAssignments: true } } } })
  for (const project of projects) {
    await syncRaciActivities(manager, project.id)
    if (project._count.raciAssignments) continue
    const activities = await prisma.raciActivity.findMany({ where: { projectId: project.id, organizationId: org }, select: { id: true, kind: true, step: { select: { standardKey: true } }, interface: { select: { name: true } } } })
    const fill = async (match: (a: (typeof activities)[number]) => boolean, row: Row) => {
      for (const a of activities.filter(match)) {
        const cells = Object.entries(row).flatMap(([w, letter]) => {
          const h = holder(w as Who)
          return h ? [{ holder: h, letter: letter as RaciLetter }] : []
        })
        await setRaciRow(manager, { projectId: project.id, activityId: a.id, cells })
      }
    }
    const step = (key: string) => (a: (typeof activities)[number]) => a.step?.standardKey === key
    const iface = (name: string) => (a: (typeof activities)[number]) => a.interface?.name === name
    const custom = async (title: string, category: 'security' | 'deployment' | 'operations', dueDate: string, row: Row) => {
      const a = (await addRaciActivity(manager, { projectId: project.id, title, category, dueDate }))!
      activities.push({ id: a.id, kind: 'custom', step: null, interface: null })
      await fill((x) => x.id === a.id, row)
    }

    if (project.name === LAB_PROJECT) {
      await fill(step('scope'), { manager: 'A', analyst: 'R', clinicalLead: 'C', labLead: 'C', executive: 'I', compliance: 'I' })
      await fill(step('current_state'), { manager: 'A', analyst: 'R', engineer: 'R', labLead: 'C' })
      await fill(step('approach'), { manager: 'A', analyst: 'R', executive: 'C', compliance: 'I' })
      await fill(step('mapping_matrix'), { manager: 'A', analyst: 'R', labLead: 'C', clinicalLead: 'C' })
      await fill(step('build'), { manager: 'A', engineer: 'R', analyst: 'C', labLead: 'C' })
      await fill(step('error_handling'), { manager: 'A', engineer: 'R', analyst: 'C', labLead: 'C', staff: 'I' })
      await fill(step('unit_testing'), { analyst: 'A', engineer: 'R', labLead: 'C' })
      await fill(step('integration_testing'), { manager: 'A', analyst: 'R', engineer: 'R', labLead: 'C', clinicalLead: 'C' })
      // THE deliberate problem: two A's on UAT. The ED clinical lead should be consulted (C), not accountable.
      await fill(step('uat'), { manager: 'A', clinicalLead: 'A', staff: 'R', labLead: 'R', analyst: 'C', compliance: 'I' })
      await fill(step('training_materials'), { manager: 'A', clinicalLead: 'R', staff: 'C', analyst: 'C' })
      await fill(step('training_sessions'), { manager: 'A', clinicalLead: 'R', staff: 'R', 'f:clinical': 'I' })
      await fill(step('phased_rollout'), { manager: 'A', analyst: 'R', clinicalLead: 'R', executive: 'I', 'f:operations': 'I' })
      await fill(step('monitor_audit'), { analyst: 'A', engineer: 'R', compliance: 'C', manager: 'I' })
      await fill(step('plan_upgrades'), { analyst: 'A', engineer: 'R', manager: 'C', executive: 'I' })
      await fill(iface('LIS → engine: results'), { analyst: 'A', engineer: 'R', labLead: 'C', manager: 'I' })
      await fill(iface('Engine → EHR: results'), { analyst: 'A', engineer: 'R', clinicalLead: 'C', manager: 'I' })
      await custom('Security risk review of the reference-lab feed', 'security', addDays(today, 20), { compliance: 'A', analyst: 'R', manager: 'I' })
      await custom('Go/no-go decision for the pilot', 'deployment', addDays(dayOf(project.targetGoLive)!, -5), { executive: 'A', manager: 'R', clinicalLead: 'C', compliance: 'C' })
    } else if (project.name.startsWith('Patient portal')) {
      await fill(step('mapping_matrix'), { analyst: 'R', clinicalLead: 'C' })
      await fill(step('build'), { engineer: 'R', analyst: 'C', clinicalLead: 'C' })
      await fill(step('uat'), { clinicalLead: 'R', staff: 'R', analyst: 'C' })
      await fill(iface('Portal ↔ EHR: patient API'), { analyst: 'R', compliance: 'C', clinicalLead: 'C' })
      await custom('SMART on FHIR scopes reviewed', 'security', addDays(today, 30), { compliance: 'A', analyst: 'R' })
      await applyRaciTemplate(manager, { projectId: project.id, template: 'owner_accountable' })
    } else if (project.name.startsWith('PACS')) {
      await fill(step('monitor_audit'), { engineer: 'R', compliance: 'C' })
      await fill(step('plan_upgrades'), { analyst: 'R', executive: 'I' })
      await custom('Quarterly downtime drill', 'operations', addDays(today, -7), { staff: 'R', engineer: 'C' })
      await applyRaciTemplate(manager, { projectId: project.id, template: 'owner_accountable' })
    }
  }
}
