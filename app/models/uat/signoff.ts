/**
 * The content a clinical lead signs, as data (browser-safe: the sign-off pages render it). Built
 * and hashed by signoff.server.ts; see docs/decisions/026-uat-signoff.md.
 */
import type { UatEnvironment, UatPriority, UatResult } from './vocabulary.ts'

/** The password must have been re-entered this recently before signing (step-up). */
export const STEP_UP_MINUTES = 15

export const scenarioLabel = (s: { number: number }) => `S-${s.number}`
export const defectLabel = (d: { number: number }) => `DEF-${d.number}`

export type SignedRun = {
  id: string
  result: UatResult
  environment: UatEnvironment
  tester: string | null
  executedAt: string
  notes: string | null
  evidence: string | null
  evidenceUrl: string | null
}
export type SignedScenario = {
  id: string
  number: number
  label: string
  title: string
  interfaceId: string | null
  interface: string | null
  priority: UatPriority
  preconditions: string | null
  steps: string
  expectedResult: string
  edgeCases: string[]
  latestRun: SignedRun | null
}
export type SignedDefect = {
  id: string
  number: number
  label: string
  title: string
  description: string | null
  severity: number
  status: string
  scenario: string | null
}
/** What a signer reads and signs. Every value is JSON (ISO strings for times, null for nothing). */
export type SignoffContent = {
  version: number
  project: { id: string; name: string }
  set: { kind: 'project' | 'interface'; interfaceId: string | null; label: string }
  scenarios: SignedScenario[]
  openDefects: SignedDefect[]
}


/** A sign-off as the coverage rule reads it. */
export type CoveringSignoff = { interfaceId: string | null; decision: 'signed' | 'refused'; stale: boolean; scenarioIds: readonly string[] }

/**
 * The one rule of which scenarios a clinical sign-off currently covers, shared by the sign-off
 * pages (`uatSignoffState`) and the readiness scorecard's UAT check: per set (the project, or one
 * interface), only the set's LATEST decision counts — a refusal after a signature withdraws it —
 * and it counts only while it is a signature that has not gone stale. `signoffs` must be one
 * project's, newest first.
 */
export function coveringSets(signoffs: readonly CoveringSignoff[]) {
  const latestOfSet = new Map<string, CoveringSignoff>()
  for (const s of signoffs) if (!latestOfSet.has(s.interfaceId ?? '')) latestOfSet.set(s.interfaceId ?? '', s)
  const counting = new Map<string, Set<string>>()
  for (const [key, s] of latestOfSet) if (s.decision === 'signed' && !s.stale) counting.set(key, new Set(s.scenarioIds))
  return {
    /** Whether a current sign-off covers this scenario: the project's, or its own interface's. */
    covers: (scenario: { id: string; interfaceId: string | null }) =>
      !!counting.get('')?.has(scenario.id) || (!!scenario.interfaceId && !!counting.get(scenario.interfaceId)?.has(scenario.id)),
  }
}
