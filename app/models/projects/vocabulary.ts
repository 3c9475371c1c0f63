/**
 * The projects domain's words, browser-safe: the enum values of prisma/schema.prisma (checked
 * by vocabulary.test.ts beside this file) with the labels people read, and the standard plan —
 * five phases, fourteen steps — from the integration plan the product was conceived from
 * (../shared/background, "Step-by-Step Integration Project Plan").
 */

export const PROJECT_STATUSES = {
  planned: 'Planned',
  active: 'Active',
  on_hold: 'On hold',
  done: 'Done',
  cancelled: 'Cancelled',
} as const
export type ProjectStatus = keyof typeof PROJECT_STATUSES

export const PLAN_STATUSES = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
  skipped: 'Skipped',
} as const
export type PlanStatus = keyof typeof PLAN_STATUSES

export const PHASES = {
  discovery: 'Discovery & planning',
  design: 'Design & development',
  testing: 'Testing & validation',
  deployment: 'Deployment & training',
  maintenance: 'Ongoing maintenance',
} as const
export type PhaseKind = keyof typeof PHASES
export const PHASE_ORDER = Object.keys(PHASES) as PhaseKind[]
export const phaseNumber = (kind: PhaseKind) => PHASE_ORDER.indexOf(kind) + 1

/** The approaches, with the comparison the seed article gives (shown as help on the form). */
export const APPROACH_HELP = {
  point_to_point: {
    label: 'Point-to-point',
    what: 'A direct connection between two systems using custom code or vendor APIs.',
    pros: 'Simple for a single integration; low initial cost; no extra infrastructure.',
    cons: 'Poor scalability; every new integration is a new interface; brittle when either system changes; hard to monitor and audit.',
    bestFor: 'Small clinics with one or two systems and a limited budget; temporary integrations.',
  },
  via_engine: {
    label: 'Middleware / integration engine',
    what: 'A central platform that routes, transforms and monitors messages between systems.',
    pros: 'Scalable; many protocols and standards; central monitoring and error handling; easier to maintain and upgrade.',
    cons: 'Higher upfront cost; needs specialised skills; a single point of failure if not properly architected.',
    bestFor: 'Medium to large organisations with several systems that need reliability and auditability.',
  },
  api_first: {
    label: 'API-first (FHIR)',
    what: 'Systems expose RESTful (preferably FHIR) APIs that others consume directly or through a gateway.',
    pros: 'Modern and standards-based; flexible; real-time exchange; in line with regulation.',
    cons: 'Needs FHIR support in the systems; legacy systems may need middleware; security and access control need careful design.',
    bestFor: 'Long-term interoperability; modern EHRs; patient-facing apps.',
  },
} as const
export type Approach = keyof typeof APPROACH_HELP

export type StandardStep = { key: string; phase: PhaseKind; title: string; description: string }

/** The fourteen standard steps, in order, each with the seed's one line. */
export const STANDARD_STEPS: readonly StandardStep[] = [
  { key: 'scope', phase: 'discovery', title: 'Define scope and objectives', description: 'Identify which systems are integrated, what data is exchanged and the expected benefits.' },
  { key: 'current_state', phase: 'discovery', title: 'Assess current state', description: 'Inventory existing interfaces, data formats and standards support; identify gaps and pain points.' },
  { key: 'approach', phase: 'discovery', title: 'Select integration approach', description: 'Choose the architecture that fits the organisation’s size, budget and technical maturity.' },
  { key: 'mapping_matrix', phase: 'design', title: 'Create a data mapping matrix', description: 'Document every field exchanged: source, target, transformation rules and code mappings.' },
  { key: 'build', phase: 'design', title: 'Build or configure the integration', description: 'Develop the code or configure the integration engine, with standard formats (HL7 v2, FHIR) where possible.' },
  { key: 'error_handling', phase: 'design', title: 'Implement error handling', description: 'Define how invalid data, network failures and duplicate records are handled; set up alerts for data stewards.' },
  { key: 'unit_testing', phase: 'testing', title: 'Unit testing', description: 'Test each interface component in isolation.' },
  { key: 'integration_testing', phase: 'testing', title: 'Integration testing', description: 'Test the end-to-end data flow with realistic test data, including edge cases.' },
  { key: 'uat', phase: 'testing', title: 'User acceptance testing (UAT)', description: 'A small group of end users tests the integrated system in a sandbox; collect feedback and fix issues.' },
  { key: 'training_materials', phase: 'deployment', title: 'Develop training materials', description: 'Create role-specific guides and videos.' },
  { key: 'training_sessions', phase: 'deployment', title: 'Conduct training sessions', description: 'Offer hands-on workshops and access to a sandbox.' },
  { key: 'phased_rollout', phase: 'deployment', title: 'Phased rollout', description: 'Deploy to a pilot group first, then expand; monitor system performance and user adoption.' },
  { key: 'monitor_audit', phase: 'maintenance', title: 'Monitor and audit', description: 'Track message volumes, error rates and latency on the engine’s dashboards; audit data quality regularly.' },
  { key: 'plan_upgrades', phase: 'maintenance', title: 'Plan for upgrades', description: 'When an integrated system is upgraded, test the integration outside production before the change.' },
]

/** The share of the timeline the seed asks testing & validation to get. */
export const MIN_TESTING_SHARE = 0.3

// ─── Pilot group and waves ───────────────────────────────────────────────────

export const WAVE_KINDS = { pilot: 'Pilot group', expansion: 'Expansion wave' } as const
export type WaveKind = keyof typeof WAVE_KINDS

export const WAVE_STATUSES = { planned: 'Planned', live: 'Live' } as const
export type WaveStatus = keyof typeof WAVE_STATUSES

/** A wave's go-live as a milestone (timeline, calendar): "Pilot go-live: Emergency Department". */
export const waveMilestoneLabel = (w: { kind: WaveKind; name: string }) => (w.kind === 'pilot' ? `Pilot go-live: ${w.name}` : `Go-live: ${w.name}`)

// ─── RACI ────────────────────────────────────────────────────────────────────

export const RACI_ACTIVITY_KINDS = { step: 'Plan step', interface: 'Interface', custom: 'Custom activity' } as const
export type RaciActivityKind = keyof typeof RACI_ACTIVITY_KINDS

/** What an activity is about; the rules read it (design and testing consult a clinical member; security consults compliance). */
export const RACI_CATEGORIES = {
  planning: 'Planning',
  design: 'Design & build',
  testing: 'Testing',
  deployment: 'Deployment & training',
  operations: 'Operations',
  security: 'Security',
  other: 'Other',
} as const
export type RaciCategory = keyof typeof RACI_CATEGORIES

/** A step's default category, from its phase. Interfaces are designed and built: "design". */
export const CATEGORY_OF_PHASE: Record<PhaseKind, RaciCategory> = {
  discovery: 'planning',
  design: 'design',
  testing: 'testing',
  deployment: 'deployment',
  maintenance: 'operations',
}

export const RACI_LETTERS = {
  R: 'Responsible — does the work',
  A: 'Accountable — owns the outcome; exactly one',
  C: 'Consulted — asked before and during',
  I: 'Informed — told of progress and decisions',
} as const
export type RaciLetter = keyof typeof RACI_LETTERS

// ─── Decision log ────────────────────────────────────────────────────────────

export const DECISION_STATUSES = { proposed: 'Proposed', accepted: 'Accepted', superseded: 'Superseded', rejected: 'Rejected' } as const
export type DecisionStatus = keyof typeof DECISION_STATUSES

// ─── Security risk assessment ────────────────────────────────────────────────

/** The checklist, from the seeds (first article's FAQ on HIPAA; second article's mistake 6). */
export const SECURITY_ITEM_KINDS = {
  tls: { label: 'Encryption in transit', help: 'Every interface in scope uses TLS 1.2 or newer (MLLP over TLS, HTTPS, SFTP); no plain-text PHI on the wire.' },
  encryption_at_rest: { label: 'Encryption at rest', help: 'Databases, message stores and engine archives holding PHI are encrypted at rest.' },
  access_control: { label: 'Role-based access', help: 'Access to the systems and the engine is by role, least privilege, reviewed; no shared accounts.' },
  audit_logging: { label: 'Audit logging', help: 'Access to PHI and changes to interfaces are logged, kept and reviewed.' },
  oauth_smart: { label: 'OAuth 2.0 / SMART on FHIR', help: 'FHIR APIs in scope authorise with OAuth 2.0 (SMART on FHIR scopes); no API keys in URLs.' },
  baa: { label: 'Business associate agreement', help: 'A signed BAA is on file with this vendor before PHI is exchanged.' },
  risk_review: { label: 'Risk review by compliance', help: 'Compliance has reviewed the risks of the integration and the mitigations above.' },
} as const
export type SecurityItemKind = keyof typeof SECURITY_ITEM_KINDS

export const SECURITY_ITEM_STATUSES = { open: 'Open', in_progress: 'In progress', done: 'Done', not_applicable: 'Not applicable' } as const
export type SecurityItemStatus = keyof typeof SECURITY_ITEM_STATUSES
