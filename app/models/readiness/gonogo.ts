/**
 * The go/no-go record's form and the shape of what it froze, browser-safe: the server and the
 * page validate with the same schema (docs/decisions/030-go-no-go-snapshots.md).
 */
import { z } from 'zod'
import { isRealDay } from '#app/utils/list.ts'
import { enumOf, optionalText } from '#app/utils/schemas.ts'
import { GO_NO_GO_DECISIONS, PANEL_ROLES, VOTES, type GoNoGoDecision, type PanelRole, type Vote } from './vocabulary.ts'

export const PANEL_ORDER = Object.keys(PANEL_ROLES) as PanelRole[]

const VoteSchema = z.object({
  membershipId: z.string({ required_error: 'Choose who voted' }).trim().min(1, 'Choose who voted').max(64),
  vote: enumOf(VOTES, 'Choose go, no-go or abstain'),
  comment: optionalText(2000),
})

export const GoNoGoSchema = z
  .object({
    waveId: optionalText(64),
    heldOn: z
      .string({ required_error: 'Enter the day the meeting was held' })
      .trim()
      .refine((v) => isRealDay(v), 'Enter a real date (YYYY-MM-DD)'),
    decision: enumOf(GO_NO_GO_DECISIONS, 'Choose the decision'),
    conditions: optionalText(4000),
    notes: optionalText(4000),
    votes: z.object({
      project_accountable: VoteSchema,
      clinical_lead: VoteSchema,
      it: VoteSchema,
      compliance: VoteSchema,
    }),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'go_with_conditions' && !v.conditions) ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'Write the conditions of the go' })
    if (v.decision !== 'go_with_conditions' && v.conditions) ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'Conditions belong to a “go with conditions” only' })
  })
export type GoNoGoInput = z.infer<typeof GoNoGoSchema>

/** What a meeting froze at its recording (GoNoGoMeeting.snapshot): read back as it was written. */
export type MeetingSnapshot = {
  takenAt: string
  project: { id: string; name: string }
  wave: { id: string; name: string; kind: string; goLive: string | null } | null
  panel: Record<PanelRole, { name: string; role: string | null }>
  scorecard: {
    scorePct: number
    band: string
    level: string | null
    gateOpen: boolean
    today: string
    nextGoLive: string | null
    override: { reason: string; by: string; at: string } | null
    checks: { key: string; title: string; level: string; weight: number; status: string; why: string }[]
    exemptions: { checkKey: string; reason: string; expiresOn: string; by: string }[]
    waves: { id: string; name: string; goLive: string | null; status: string; checks: { title: string; status: string; why: string }[] }[]
  }
  signoffs: { id: string; set: string; signer: string; signedAt: string; decision: string; stale: boolean; staleReason: string | null; staleAt: string | null }[]
  openDefects: { number: number; title: string; severity: number; owner: string | null }[]
}

export type MeetingVote = { panelRole: PanelRole; vote: Vote; comment: string | null; name: string }
export type MeetingDecision = GoNoGoDecision
