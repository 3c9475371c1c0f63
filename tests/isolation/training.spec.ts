/** Training: "My training" (per person), verification, modules and rules, adoption, the roster. */
import { can } from '#app/utils/permissions.ts'
import { file, makeRosterBatch, makeSystem, makeTraining, rosterCsv } from './objects.ts'
import { defineSpecs, NO_INTENT } from './spec.ts'

export default defineSpecs('training', [
  { route: 'routes/o.$orgSlug+/training._index', loader: { can: 'org:read' } },
  {
    route: 'routes/o.$orgSlug+/training.$assignmentId',
    // The caller's own assignment, nothing waiting for verification; "complete" finds every item ticked.
    objects: (f) => makeTraining(f, f.actor, { verifierRole: null, tickAll: f.intent === 'complete' }),
    params: (o) => ({ assignmentId: o.assignmentId! }),
    loader: { can: 'org:read' },
    action: {
      can: 'org:read',
      intents: {
        check: { form: (o) => ({ itemId: o.secondItemId! }) },
        uncheck: { form: (o) => ({ itemId: o.trainingItemId! }), ignoresForeignInForm: 'unticking an item that is not ticked on this assignment does nothing, for any id' },
        complete: { form: () => ({}) },
      },
    },
    perPerson: {
      why: "only the learner ticks and completes their training: a colleague's is not found",
      expect: {
        loader: {
          status: (role) => (can(role, 'training:report') ? 200 : 302),
          shows: (role) => can(role, 'training:report'),
          why: "those who report on adoption see a colleague's training read-only; others are sent to their own",
        },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/training.verify',
    // A colleague's tick on an item that the caller's role verifies.
    objects: (f) => makeTraining(f, f.colleague, { verifierRole: f.actor.role }),
    loader: { can: 'org:read' },
    action: {
      can: 'org:read',
      intents: {
        verify: { form: (o) => ({ checkId: o.trainingCheckId! }) },
        return: { form: (o) => ({ checkId: o.trainingCheckId! }) },
      },
    },
  },
  { route: 'routes/o.$orgSlug+/training.adoption', loader: { can: 'training:report' } },
  { route: 'routes/o.$orgSlug+/training.modules._index', loader: { can: 'training:manage', search: () => '?archived=1' } },
  {
    route: 'routes/o.$orgSlug+/training.modules.new',
    objects: async (f) => ({ systemId: await makeSystem(f) }),
    loader: { can: 'training:manage' },
    action: { can: 'training:manage', intents: { [NO_INTENT]: { form: (o, unique) => ({ title: `Module ${unique}`, estimatedMinutes: '20', systemIds: o.systemId! }) } } },
  },
  {
    route: 'routes/o.$orgSlug+/training.modules.$moduleId',
    objects: async (f) => ({
      ...(await makeTraining(f, f.colleague, { ruleActive: f.intent !== 'activate-rule', archived: f.intent === 'restore' })),
      systemId: await makeSystem(f),
    }),
    params: (o) => ({ moduleId: o.trainingModuleId! }),
    loader: { can: 'training:manage' },
    action: {
      can: 'training:manage',
      intents: {
        save: { form: (o, unique) => ({ title: `Module ${unique}`, estimatedMinutes: '25', systemIds: o.systemId! }) },
        'add-item': { form: () => ({ label: 'Sign in to the sandbox', verifierRole: '' }) },
        'add-rule': { form: () => ({ roles: 'staff', units: 'Ward 7', dueInDays: '10' }) },
        'move-up': { form: (o) => ({ itemId: o.secondItemId! }) },
        'move-down': { form: (o) => ({ itemId: o.trainingItemId! }) },
        'remove-item': { form: (o) => ({ itemId: o.trainingItemId! }) },
        'activate-rule': { form: (o) => ({ ruleId: o.trainingRuleId! }) },
        'deactivate-rule': { form: (o) => ({ ruleId: o.trainingRuleId! }) },
        'remove-rule': { form: (o) => ({ ruleId: o.trainingRuleId! }) },
        archive: { form: () => ({}) },
        restore: { form: () => ({}) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/training.roster',
    objects: (f) => makeRosterBatch(f),
    loader: { can: 'members:invite' },
    action: {
      can: 'members:invite',
      intents: {
        preview: { form: (_, unique) => ({ file: file('roster.csv', rosterCsv(`roster-${unique}@example.test`, `Ward ${unique}`)) }) },
        apply: { form: (o) => ({ batchId: o.rosterBatchId! }) },
      },
    },
  },
])
