/** Go/no-go: the project's meetings, snapshots and trend (record a meeting, take a snapshot) and one meeting's printable record. */
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema, WaveSchema } from '#app/models/projects/schemas.ts'
import { createWave } from '#app/models/projects/waves.server.ts'
import { GoNoGoSchema } from '#app/models/readiness/gonogo.ts'
import { recordMeeting } from '#app/models/readiness/gonogo.server.ts'
import { scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { makeInterface, makeMember } from './objects.ts'
import { defineSpecs, type Fixture } from './spec.ts'

/**
 * A project (its owner a manager: the gate's accountable person) with a pilot, the three other
 * panel members, and one meeting recorded through the model (its frozen snapshot carries the
 * tag's names).
 */
async function makeGoNoGo(f: Fixture) {
  const { interfaceId } = await makeInterface(f)
  const scope = await scopeFor(f.org, { id: f.owner.userId })
  const [accountable, clinical, it, compliance] = [await makeMember(f, 'manager'), await makeMember(f, 'clinical_lead'), await makeMember(f, 'analyst'), await makeMember(f, 'compliance')]
  const project = await createProject(
    scope,
    ProjectSchema.parse({ name: `${f.tag} project ${uniqueSuffix()}`, goal: `${f.tag} goal`, approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', ownerId: accountable.membershipId, interfaceIds: [interfaceId] }),
  )
  const pilot = (await createWave(scope, { projectId: project.id, ...WaveSchema.parse({ kind: 'pilot', name: `${f.tag} pilot`, units: [`${f.tag} ward`], goLive: '2027-06-30' }) }))!
  const o = { projectId: project.id, waveId: pilot.id, accountableId: accountable.membershipId, clinicalId: clinical.membershipId, itId: it.membershipId, complianceId: compliance.membershipId }
  const meeting = (await recordMeeting(scope, { projectId: project.id, ...GoNoGoSchema.parse({ waveId: pilot.id, ...meetingForm(o, `${f.tag} notes`) }) }))!
  return { ...o, meetingId: meeting.id }
}

const meetingForm = (o: Record<string, string>, unique: string) => ({
  heldOn: '2026-11-30',
  decision: 'go_with_conditions',
  conditions: `Fix the open defect first (${unique}).`,
  notes: `Notes ${unique}`,
  votes: {
    project_accountable: { membershipId: o.accountableId!, vote: 'go' },
    clinical_lead: { membershipId: o.clinicalId!, vote: 'go' },
    it: { membershipId: o.itId!, vote: 'abstain', comment: 'Fix in test only' },
    compliance: { membershipId: o.complianceId!, vote: 'go' },
  },
})

/** The same as form fields (conform's names for the nested votes). */
const flat = (o: Record<string, string>, unique: string) => {
  const m = meetingForm(o, unique)
  const fields: Record<string, string> = { waveId: o.waveId!, heldOn: m.heldOn, decision: m.decision, conditions: m.conditions, notes: m.notes }
  for (const [role, v] of Object.entries(m.votes)) {
    fields[`votes.${role}.membershipId`] = v.membershipId
    fields[`votes.${role}.vote`] = v.vote
    if ('comment' in v && v.comment) fields[`votes.${role}.comment`] = v.comment
  }
  return fields
}

export default defineSpecs('gonogo', [
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.gonogo',
    objects: makeGoNoGo,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read' },
    action: {
      can: 'gonogo:write',
      intents: {
        // The wave and the four members are objects of the form: another organisation's must be refused.
        record: { form: (o, unique) => flat(o, unique) },
        snapshot: { form: () => ({}) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.gonogo_.$meetingId',
    objects: makeGoNoGo,
    params: (o) => ({ projectId: o.projectId!, meetingId: o.meetingId! }),
    loader: { can: 'projects:read' },
  },
])
