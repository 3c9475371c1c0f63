/**
 * THE tenant-isolation test. It enumerates every route of the app (tests/route-manifest.ts reads
 * them the way the Remix compiler does) and calls each loader and action directly:
 *
 * 1. as a member of another organisation (every role of A, and a deactivated member of B),
 *    addressing organisation B and B's objects → 404 from the guard;
 * 2. as every role of A, inside A but naming one of B's objects (a member, an invitation, an
 *    email, a system…; also a platform email that belongs to nobody) among A's own → 403 for a
 *    role without the capability; for a role with it, 404 when the URL names it, a refusal
 *    (4xx) when the form does, and an answer that ignores it when the query does;
 * 3. as every role of A, on A's own objects → 403 exactly for the roles permissions.ts denies,
 *    and never a guard 403/404 for the roles it allows;
 * 4. signed out, or with a forged session cookie → redirect to /login.
 *
 * No response body (or Location) may contain anything of B the caller did not send itself, and
 * the rows of B are the same after the sweep as before it. Every 403 writes one
 * `security.permission_denied` event, in A's chain.
 *
 * Every route with a loader or an action must be in COVERAGE below: adding a route without an
 * entry fails "covers every route…", with the entry to add. A route that addresses a new kind of
 * object by id: add the kind to `Objects` and make one in `createObjects` (B's carries the marker).
 * The "rows of B" snapshot reads every table with an `organizationId` (or a `userId` of B's
 * people) by itself, so new tables are checked without a change here.
 */
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { Prisma } from '#app/generated/prisma/client.ts'
import { recordAudit } from '#app/models/audit.server.ts'
import { sha256 } from '#app/utils/crypto.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { batchKind } from '#app/models/mapping-io.server.ts'
import { SYSTEM_COLUMNS } from '#app/utils/inventory-csv.ts'
import { ROW_COLUMNS } from '#app/utils/mapping-csv.ts'
import { can, type Capability } from '#app/utils/permissions.ts'
import { ROLES, type Role } from '#app/utils/members-vocabulary.ts'
import { runWithRequestContext } from '#app/utils/request-context.server.ts'
import { addMember, createTestOrg, createTestUser, sessionCookieFor, uniqueSuffix } from '#tests/factories.ts'
import { loadAppRoutes, urlFor, type AppRoute } from '#tests/route-manifest.ts'

// ───────────────────────────── the coverage table ─────────────────────────────

/** The objects of one organisation a route can address by id (in its URL, form or query). */
type Objects = {
  memberId: string
  invitationId: string
  emailId: string
  /** A system with no interfaces (it can be deleted) and one conformance test. */
  systemId: string
  conformanceTestId: string
  /** Another system: the target of `interfaceId` (whose source is a third one). */
  otherSystemId: string
  interfaceId: string
  /** A previewed, not yet applied CSV import of one system. */
  importBatchId: string
  /** A notice in the inbox of the organisation's owner (the inviter): only they may read or mark it. */
  notificationId: string
  /** A draft mapping version of `interfaceId`, with one row (`mappingRowId`) and one code map of it. */
  mappingVersionId: string
  mappingRowId: string
  codeMapId: string
  /** A previewed, not yet applied import of one mapping row into `mappingVersionId`. */
  mappingImportBatchId: string
  /** A training module with one checklist item (verified by a clinical lead) and one rule. */
  trainingModuleId: string
  trainingItemId: string
  trainingRuleId: string
  /** An open assignment of the module to `memberId` (not any persona's own), with one tick awaiting verification. */
  assignmentId: string
  trainingCheckId: string
  /** A previewed, not yet applied staff roster (one existing member's new unit). */
  rosterBatchId: string
}
const OBJECT_KINDS: (keyof Objects)[] = [
  'memberId',
  'invitationId',
  'emailId',
  'systemId',
  'conformanceTestId',
  'otherSystemId',
  'interfaceId',
  'importBatchId',
  'notificationId',
  'mappingVersionId',
  'mappingRowId',
  'codeMapId',
  'mappingImportBatchId',
  'trainingModuleId',
  'trainingItemId',
  'trainingRuleId',
  'assignmentId',
  'trainingCheckId',
  'rosterBatchId',
]
type Fields = Record<string, string>

type TenantEntry = {
  kind: 'tenant'
  /** Params besides `orgSlug`, from the addressed organisation's objects. */
  params?: (o: Objects) => Record<string, string>
  loader?: {
    can: Capability
    /**
     * The query string: `needle` (a piece of B's data) where the route searches — had a query
     * lost its organisation filter, B's rows would come back and be caught — and any object
     * the query names.
     */
    search?: (needle: string, o: Objects) => string
  }
  action?: {
    can: Capability
    /** One representative submission per intent. `unique` keeps creations apart. */
    forms: Record<string, (o: Objects, unique: string) => Fields>
    /** Intents that need another capability than `can` (e.g. approving a row needs mapping:review). */
    canByIntent?: Record<string, Capability>
  }
}

type PublicEntry = {
  kind: 'public'
  /** Why this route needs no organisation guard. */
  reason: string
  /** Params for the probes (its loader as A's owner and signed out). */
  params?: () => Record<string, string>
  /** Statuses the probes must get, where they are fixed (the action probe is sent as A's owner). */
  expect?: { loader?: number; action?: { form: Fields; status: number } }
}

type Entry = TenantEntry | PublicEntry

/** A mapping row's form fields (optional, so no data-quality rule is needed). */
function mappingRowForm(unique: string): Fields {
  return { sourceField: 'Given name', sourcePath: `PID-5.${unique}`, targetField: 'Given', targetPath: 'Patient.name.given', dataType: 'string', requirement: 'optional', transformType: 'copy' }
}

/** A code map's form fields. */
function codeMapForm(unique: string): Fields {
  return { sourceSystem: 'urn:local:lab', localCode: `L${unique}`, targetSystem: 'http://loinc.org', targetCode: '718-7', equivalence: 'equal' }
}

/** An interface between two systems, owned by a member: three objects a form can name. */
function interfaceForm(o: Objects, name: string): Fields {
  return {
    name,
    sourceSystemId: o.systemId,
    targetSystemId: o.otherSystemId,
    standard: 'hl7v2',
    messageTypes: 'ADT^A01',
    transport: 'mllp',
    approach: 'via_engine',
    ownerId: o.memberId,
  }
}

const COVERAGE: Record<string, Entry> = {
  root: { kind: 'public', reason: 'the signed-in user, the toast and the public env: nothing of any organisation' },
  'routes/_index': { kind: 'public', reason: "landing page; sends a signed-in user to their own organisation(s)" },
  'routes/_auth+/login': { kind: 'public', reason: 'sign in' },
  'routes/_auth+/signup': { kind: 'public', reason: 'creates a user and a new organisation they own' },
  'routes/_auth+/forgot-password': { kind: 'public', reason: 'asks for a reset email; answers the same for any address' },
  'routes/_auth+/reset-password': { kind: 'public', reason: 'the reset token is the credential' },
  'routes/logout': { kind: 'public', reason: "ends the caller's own session" },
  'routes/healthz': { kind: 'public', reason: 'liveness/readiness: up or down, no data' },
  'routes/account': { kind: 'public', reason: "user-level: the signed-in user's own account (requireUser)" },
  'routes/orgs': { kind: 'public', reason: "user-level: lists and creates the signed-in user's own organisations (requireUser)" },
  'routes/invitations.$token': {
    kind: 'public',
    reason: 'the one-time token is the credential; an unknown token is 404',
    params: () => ({ token: randomBytes(24).toString('base64url') }),
    expect: { loader: 404, action: { form: { intent: 'accept' }, status: 404 } },
  },

  'routes/o.$orgSlug+/_layout': { kind: 'tenant', loader: { can: 'org:read' } },
  'routes/o.$orgSlug+/_index': { kind: 'tenant', loader: { can: 'org:read' } },
  'routes/o.$orgSlug+/members': {
    kind: 'tenant',
    loader: { can: 'members:read', search: (needle) => `?q=${encodeURIComponent(needle)}` },
    action: {
      can: 'members:invite',
      forms: {
        'revoke-invitation': (o) => ({ intent: 'revoke-invitation', invitationId: o.invitationId }),
        'resend-invitation': (o) => ({ intent: 'resend-invitation', invitationId: o.invitationId }),
      },
    },
  },
  'routes/o.$orgSlug+/members_.$memberId': {
    kind: 'tenant',
    params: (o) => ({ memberId: o.memberId }),
    loader: { can: 'members:manage' },
    action: {
      can: 'members:manage',
      forms: {
        details: () => ({ intent: 'details', role: 'staff', function: 'clinical', unit: 'Ward 7' }),
        deactivate: () => ({ intent: 'deactivate' }),
        reactivate: () => ({ intent: 'reactivate' }),
        remove: () => ({ intent: 'remove' }),
      },
    },
  },
  'routes/o.$orgSlug+/members_.invite': {
    kind: 'tenant',
    loader: { can: 'members:invite' },
    action: {
      can: 'members:invite',
      forms: { invite: (_, unique) => ({ email: `invitee-${unique}@example.test`, role: 'staff', function: 'operations', unit: '' }) },
    },
  },
  'routes/o.$orgSlug+/audit': {
    kind: 'tenant',
    loader: { can: 'audit:read', search: (needle) => `?target=${encodeURIComponent(needle)}` },
    action: { can: 'audit:read', forms: { verify: () => ({}) } },
  },
  'routes/o.$orgSlug+/audit.export': {
    kind: 'tenant',
    loader: { can: 'audit:export', search: (needle) => `?target=${encodeURIComponent(needle)}` },
  },
  'routes/o.$orgSlug+/outbox': { kind: 'tenant', loader: { can: 'outbox:read' } },
  'routes/o.$orgSlug+/outbox_.$emailId': {
    kind: 'tenant',
    params: (o) => ({ emailId: o.emailId }),
    loader: { can: 'outbox:read' },
  },
  'routes/o.$orgSlug+/outbox_.$emailId.html': {
    kind: 'tenant',
    params: (o) => ({ emailId: o.emailId }),
    loader: { can: 'outbox:read' },
  },
  'routes/o.$orgSlug+/systems._index': {
    kind: 'tenant',
    loader: { can: 'inventory:read', search: (needle) => `?q=${encodeURIComponent(needle)}` },
  },
  'routes/o.$orgSlug+/systems.new': {
    kind: 'tenant',
    loader: { can: 'inventory:write' },
    action: {
      can: 'inventory:write',
      // The owner is an object of the form: another organisation's member must be refused.
      forms: { create: (o, unique) => ({ name: `System ${unique}`, kind: 'ehr', businessOwnerId: o.memberId }) },
    },
  },
  'routes/o.$orgSlug+/systems.$systemId': {
    kind: 'tenant',
    params: (o) => ({ systemId: o.systemId }),
    loader: { can: 'inventory:read' },
    action: {
      can: 'inventory:write',
      // NOTE: not sent: "capability-url" (fetches the URL before the system is looked up) and the
      // multipart CapabilityStatement upload; both end in saveCapability(scope, id), scoped.
      forms: {
        'add-conformance': () => ({ intent: 'add-conformance', standard: 'IHE PIX', testedOn: '2026-02-01', result: 'passed' }),
        'delete-conformance': (o) => ({ intent: 'delete-conformance', testId: o.conformanceTestId }),
        'delete-system': () => ({ intent: 'delete-system' }),
      },
    },
  },
  'routes/o.$orgSlug+/systems.$systemId_.edit': {
    kind: 'tenant',
    params: (o) => ({ systemId: o.systemId }),
    loader: { can: 'inventory:write' },
    action: {
      can: 'inventory:write',
      forms: { save: (o, unique) => ({ name: `System ${unique}`, kind: 'lis', technicalOwnerId: o.memberId }) },
    },
  },
  'routes/o.$orgSlug+/estate': { kind: 'tenant', loader: { can: 'inventory:read' } },
  'routes/o.$orgSlug+/interfaces._index': {
    kind: 'tenant',
    loader: { can: 'inventory:read', search: (needle) => `?q=${encodeURIComponent(needle)}` },
  },
  'routes/o.$orgSlug+/interfaces.new': {
    kind: 'tenant',
    loader: { can: 'inventory:write', search: (_, o) => `?source=${o.systemId}` },
    action: { can: 'inventory:write', forms: { create: (o, unique) => interfaceForm(o, `Interface ${unique}`) } },
  },
  'routes/o.$orgSlug+/interfaces.$interfaceId': {
    kind: 'tenant',
    params: (o) => ({ interfaceId: o.interfaceId }),
    loader: { can: 'inventory:read' },
    action: { can: 'inventory:write', forms: { delete: () => ({ intent: 'delete' }) } },
  },
  'routes/o.$orgSlug+/interfaces.$interfaceId_.edit': {
    kind: 'tenant',
    params: (o) => ({ interfaceId: o.interfaceId }),
    loader: { can: 'inventory:write' },
    action: { can: 'inventory:write', forms: { save: (o, unique) => interfaceForm(o, `Interface ${unique}`) } },
  },
  'routes/o.$orgSlug+/mapping._index': { kind: 'tenant', loader: { can: 'mapping:read', search: (needle) => `?q=${encodeURIComponent(needle)}` } },
  'routes/o.$orgSlug+/mapping.$interfaceId': {
    kind: 'tenant',
    params: (o) => ({ interfaceId: o.interfaceId }),
    loader: { can: 'mapping:read' },
    action: { can: 'mapping:write', forms: { start: () => ({ intent: 'start', notes: 'next version' }) } },
  },
  'routes/o.$orgSlug+/mapping.v.$versionId': {
    kind: 'tenant',
    params: (o) => ({ versionId: o.mappingVersionId }),
    loader: { can: 'mapping:read', search: (needle) => `?q=${encodeURIComponent(needle)}` },
    action: {
      can: 'mapping:write',
      forms: {
        submit: (o) => ({ intent: 'submit', rowId: o.mappingRowId }),
        reopen: (o) => ({ intent: 'reopen', rowId: o.mappingRowId }),
        approve: (o) => ({ intent: 'approve', rowId: o.mappingRowId }),
        request_changes: (o) => ({ intent: 'request_changes', rowId: o.mappingRowId, comment: 'Say what a missing value does' }),
        'approve-version': () => ({ intent: 'approve-version' }),
      },
      canByIntent: { approve: 'mapping:review', request_changes: 'mapping:review', 'approve-version': 'mapping:review' },
    },
  },
  'routes/o.$orgSlug+/mapping.v.$versionId_.rows.new': {
    kind: 'tenant',
    params: (o) => ({ versionId: o.mappingVersionId }),
    loader: { can: 'mapping:write' },
    action: { can: 'mapping:write', forms: { create: (_, unique) => mappingRowForm(unique) } },
  },
  'routes/o.$orgSlug+/mapping.v.$versionId_.rows.$rowId': {
    kind: 'tenant',
    params: (o) => ({ versionId: o.mappingVersionId, rowId: o.mappingRowId }),
    loader: { can: 'mapping:read' },
    action: {
      can: 'mapping:write',
      forms: {
        save: (_, unique) => ({ intent: 'save', ...mappingRowForm(unique) }),
        submit: () => ({ intent: 'submit' }),
        approve: () => ({ intent: 'approve' }),
        request_changes: () => ({ intent: 'request_changes', comment: 'Which unit wins?' }),
        reopen: () => ({ intent: 'reopen' }),
        delete: () => ({ intent: 'delete' }),
      },
      canByIntent: { approve: 'mapping:review', request_changes: 'mapping:review' },
    },
  },
  'routes/o.$orgSlug+/mapping.v.$versionId_.codes': {
    kind: 'tenant',
    params: (o) => ({ versionId: o.mappingVersionId }),
    loader: { can: 'mapping:read', search: (needle, o) => `?q=${encodeURIComponent(needle)}&edit=${o.codeMapId}&row=${o.mappingRowId}` },
    action: {
      can: 'mapping:write',
      forms: {
        create: (o, unique) => ({ intent: 'create', ...codeMapForm(unique), rowId: o.mappingRowId }),
        update: (o, unique) => ({ intent: 'update', codeMapId: o.codeMapId, ...codeMapForm(unique) }),
        delete: (o) => ({ intent: 'delete', codeMapId: o.codeMapId }),
      },
    },
  },
  'routes/o.$orgSlug+/mapping.v.$versionId_.diff': { kind: 'tenant', params: (o) => ({ versionId: o.mappingVersionId }), loader: { can: 'mapping:read' } },
  'routes/o.$orgSlug+/mapping.v.$versionId_.export': {
    kind: 'tenant',
    params: (o) => ({ versionId: o.mappingVersionId }),
    loader: { can: 'mapping:read', search: () => '?kind=conceptmap' },
  },
  'routes/o.$orgSlug+/mapping.template': { kind: 'tenant', loader: { can: 'mapping:read', search: () => '?kind=codes' } },
  'routes/o.$orgSlug+/mapping.v.$versionId_.import': {
    kind: 'tenant',
    params: (o) => ({ versionId: o.mappingVersionId }),
    loader: { can: 'mapping:write' },
    action: {
      can: 'mapping:write',
      // NOTE: "preview" is sent without its multipart file (→ 400 once through the guard).
      forms: {
        preview: () => ({ intent: 'preview', kind: 'codes' }),
        apply: (o) => ({ intent: 'apply', batchId: o.mappingImportBatchId }),
      },
    },
  },
  'routes/o.$orgSlug+/inventory.export': { kind: 'tenant', loader: { can: 'inventory:read', search: () => '?kind=systems' } },
  'routes/o.$orgSlug+/inventory.template': { kind: 'tenant', loader: { can: 'inventory:read', search: () => '?kind=systems' } },
  'routes/o.$orgSlug+/inventory.import': {
    kind: 'tenant',
    loader: { can: 'inventory:write' },
    action: {
      can: 'inventory:write',
      // NOTE: "preview" is sent without its multipart file (→ 400 once through the guard).
      forms: {
        preview: () => ({ intent: 'preview', kind: 'systems' }),
        apply: (o) => ({ intent: 'apply', batchId: o.importBatchId }),
      },
    },
  },
  // Every member has an inbox; only its owner reads or marks a notice. A notice outside the
  // caller's own inbox (A's owner's, for the other roles of A) is refused with 400.
  'routes/o.$orgSlug+/inbox': {
    kind: 'tenant',
    loader: { can: 'org:read', search: () => '?show=unread' },
    action: {
      can: 'org:read',
      forms: {
        read: (o) => ({ intent: 'read', notificationId: o.notificationId }),
        open: (o) => ({ intent: 'open', notificationId: o.notificationId }),
        'read-all': () => ({ intent: 'read-all' }),
      },
    },
  },
  'routes/o.$orgSlug+/settings': {
    kind: 'tenant',
    loader: { can: 'org:settings' },
    action: {
      can: 'org:settings',
      forms: {
        save: (_, unique) => ({ name: `Renamed ${unique}`, timeZone: 'Europe/London' }),
        'high-risk-roles': () => ({ intent: 'high-risk-roles', highRiskRoles: 'clinical_lead' }),
      },
    },
  },
  // Every member has "My training"; an assignment page shows someone else's read-only to those
  // who report on adoption and sends others to their own (a redirect), and only the learner ticks
  // (others get a 422 refusal). The verification queue lists only what the caller's role verifies.
  'routes/o.$orgSlug+/training._index': { kind: 'tenant', loader: { can: 'org:read' } },
  'routes/o.$orgSlug+/training.$assignmentId': {
    kind: 'tenant',
    params: (o) => ({ assignmentId: o.assignmentId }),
    loader: { can: 'org:read' },
    action: {
      can: 'org:read',
      forms: {
        check: (o) => ({ intent: 'check', itemId: o.trainingItemId }),
        uncheck: (o) => ({ intent: 'uncheck', itemId: o.trainingItemId }),
        complete: () => ({ intent: 'complete' }),
      },
    },
  },
  'routes/o.$orgSlug+/training.verify': {
    kind: 'tenant',
    loader: { can: 'org:read' },
    action: {
      can: 'org:read',
      forms: {
        verify: (o) => ({ intent: 'verify', checkId: o.trainingCheckId }),
        return: (o) => ({ intent: 'return', checkId: o.trainingCheckId }),
      },
    },
  },
  'routes/o.$orgSlug+/training.adoption': { kind: 'tenant', loader: { can: 'training:report' } },
  'routes/o.$orgSlug+/training.modules._index': { kind: 'tenant', loader: { can: 'training:manage', search: () => '?archived=1' } },
  'routes/o.$orgSlug+/training.modules.new': {
    kind: 'tenant',
    loader: { can: 'training:manage' },
    action: { can: 'training:manage', forms: { create: (o, unique) => ({ title: `Module ${unique}`, estimatedMinutes: '20', systemIds: o.systemId }) } },
  },
  'routes/o.$orgSlug+/training.modules.$moduleId': {
    kind: 'tenant',
    params: (o) => ({ moduleId: o.trainingModuleId }),
    loader: { can: 'training:manage' },
    action: {
      can: 'training:manage',
      forms: {
        save: (o, unique) => ({ intent: 'save', title: `Module ${unique}`, estimatedMinutes: '25', systemIds: o.systemId }),
        'add-item': () => ({ intent: 'add-item', label: 'Sign in to the sandbox', verifierRole: '' }),
        'add-rule': () => ({ intent: 'add-rule', roles: 'staff', units: 'Ward 7', dueInDays: '10' }),
        'move-up': (o) => ({ intent: 'move-up', itemId: o.trainingItemId }),
        'remove-item': (o) => ({ intent: 'remove-item', itemId: o.trainingItemId }),
        'deactivate-rule': (o) => ({ intent: 'deactivate-rule', ruleId: o.trainingRuleId }),
        'remove-rule': (o) => ({ intent: 'remove-rule', ruleId: o.trainingRuleId }),
        archive: () => ({ intent: 'archive' }),
        restore: () => ({ intent: 'restore' }),
      },
    },
  },
  'routes/o.$orgSlug+/training.roster': {
    kind: 'tenant',
    loader: { can: 'members:invite' },
    action: {
      can: 'members:invite',
      // NOTE: "preview" is sent without its multipart file (→ 400 once through the guard).
      forms: {
        preview: () => ({ intent: 'preview' }),
        apply: (o) => ({ intent: 'apply', batchId: o.rosterBatchId }),
      },
    },
  },
}

// ───────────────────────────── routes vs. table ─────────────────────────────

const routes = await loadAppRoutes()
const routeById = new Map(routes.map((r) => [r.id, r]))
const hasData = (r: AppRoute) => Boolean(r.module.loader || r.module.action)

function suggestedEntry(r: AppRoute) {
  const params = r.paramNames.filter((p) => p !== 'orgSlug')
  const parts = [
    `kind: 'tenant'`,
    ...(params.length ? [`params: (o) => ({ ${params.map((p) => `${p}: o.<id of the object>`).join(', ')} })`] : []),
    ...(r.module.loader ? [`loader: { can: '<capability>' }`] : []),
    ...(r.module.action ? [`action: { can: '<capability>', forms: { '<intent>': () => ({ intent: '<intent>', … }) } }`] : []),
  ]
  return r.paramNames.includes('orgSlug')
    ? `'${r.id}': { ${parts.join(', ')} }`
    : `'${r.id}': { kind: 'public', reason: '<why no organisation guard>' }  (or a tenant entry)`
}

/** Every way the table and the app disagree, as sentences. */
function coverageProblems(): string[] {
  const problems: string[] = []
  for (const r of routes) {
    const entry = COVERAGE[r.id]
    if (!entry) {
      if (hasData(r)) {
        problems.push(
          `route ${r.id} (${r.file}, ${r.urlPattern}) has a ${[r.module.loader && 'loader', r.module.action && 'action'].filter(Boolean).join(' and ')} ` +
            `but no entry in COVERAGE (tests/tenant-isolation.test.ts). Add:\n      ${suggestedEntry(r)}`,
        )
      }
      continue
    }
    if (!hasData(r)) problems.push(`COVERAGE has ${r.id}, but the route exports neither a loader nor an action: remove the entry`)
    const inOrg = r.paramNames.includes('orgSlug')
    if (entry.kind === 'public') {
      if (inOrg) problems.push(`${r.id} is under /o/:orgSlug but COVERAGE marks it public: every route of an organisation is a tenant route`)
      const given = Object.keys(entry.params?.() ?? {}).sort()
      if (given.join() !== [...r.paramNames].sort().join()) {
        problems.push(`COVERAGE.params of ${r.id} gives [${given}] but ${r.urlPattern} has [${r.paramNames}]`)
      }
      continue
    }
    if (!inOrg) problems.push(`${r.id} (${r.urlPattern}) is a tenant entry but has no :orgSlug`)
    if (Boolean(r.module.loader) !== Boolean(entry.loader)) {
      problems.push(r.module.loader ? `${r.id} exports a loader: add \`loader: { can }\` to its entry` : `${r.id} has no loader: remove \`loader\` from its entry`)
    }
    if (Boolean(r.module.action) !== Boolean(entry.action)) {
      problems.push(r.module.action ? `${r.id} exports an action: add \`action: { can, forms }\` to its entry` : `${r.id} has no action: remove \`action\` from its entry`)
    }
    if (entry.action && !Object.keys(entry.action.forms).length) problems.push(`${r.id}: action.forms is empty; give one submission per intent`)
    const given = ['orgSlug', ...Object.keys(entry.params?.(Object.fromEntries(OBJECT_KINDS.map((k) => [k, k])) as Objects) ?? {})].sort()
    if (given.join() !== [...r.paramNames].sort().join()) {
      problems.push(`${r.id}: ${r.urlPattern} has params [${r.paramNames}] but its entry gives [${given}]: add \`params\` for the object ids`)
    }
  }
  for (const id of Object.keys(COVERAGE)) {
    if (!routeById.has(id)) problems.push(`COVERAGE has an entry for ${id}, which is no longer a route of the app: remove or rename it`)
  }
  return problems
}

const tenantRoutes = routes
  .filter((r) => hasData(r) && COVERAGE[r.id]?.kind === 'tenant')
  .map((r) => ({ route: r, entry: COVERAGE[r.id] as TenantEntry }))
const publicRoutes = routes
  .filter((r) => hasData(r) && COVERAGE[r.id]?.kind === 'public')
  .map((r) => ({ route: r, entry: COVERAGE[r.id] as PublicEntry }))

// ───────────────────────────── fixture ─────────────────────────────

type Persona = { label: string; cookie: string }
type Tenant = { org: { id: string; slug: string }; ownerId: string; objects: Objects }

let A: Tenant & { roles: Record<Role, Persona> }
let B: Tenant
/** A deactivated member of B (and of nothing else): still an outsider. */
let formerMemberOfB: Persona
/** B's objects, but the email is a platform email (no organisation). */
let platformObjects: Objects
/** Strings of B (and of the platform email) that no response to anyone else may contain. */
let secrets: string[]
let marker: string
let beforeB: Awaited<ReturnType<typeof snapshot>>
let deniedBefore: number

const stats = { calls: 0, outsider: 0, foreignObjects: 0, roles: 0, signedOut: 0, public: 0, deniedInA: 0 }

async function createObjects(org: { id: string }, inviterId: string, tag: string): Promise<Objects> {
  const u = uniqueSuffix()
  const user = await createTestUser({ name: `${tag} Member ${u}`, email: `${tag}-member-${u}@example.test` })
  const member = await addMember(org, user, 'staff', 'operations', `${tag} ward`)
  const invitation = await prisma.invitation.create({
    data: {
      organizationId: org.id,
      email: `${tag}-invitee-${u}@example.test`,
      role: 'analyst',
      function: 'it',
      tokenHash: sha256(randomBytes(24).toString('base64url')),
      invitedById: inviterId,
      expiresAt: new Date(Date.now() + 7 * 24 * 3600_000),
    },
  })
  const email = await prisma.emailOutbox.create({
    data: {
      organizationId: org.id,
      dedupeKey: `isolation:${u}`,
      template: 'invitation',
      toEmail: invitation.email,
      subject: `${tag} invitation ${u}`,
      html: `<p>${tag} html</p>`,
      text: `${tag} text`,
      status: 'held',
    },
  })
  const [system, source, target] = await Promise.all(
    (['pharmacy', 'ehr', 'lis'] as const).map((kind) =>
      prisma.system.create({ data: { organizationId: org.id, name: `${tag} ${kind} ${u}`, kind, vendor: `${tag} vendor` } }),
    ),
  )
  const test = await prisma.conformanceTest.create({
    data: { organizationId: org.id, systemId: system!.id, standard: `${tag} profile`, testedOn: new Date('2026-01-15'), result: 'passed' },
  })
  const iface = await prisma.interface.create({
    data: {
      organizationId: org.id,
      name: `${tag} ADT feed ${u}`,
      sourceSystemId: source!.id,
      targetSystemId: target!.id,
      standard: 'hl7v2',
      messageTypes: ['ADT^A01'],
      transport: 'mllp',
      approach: 'via_engine',
      description: `${tag} interface`,
    },
  })
  // Every column of the template (the import insists), one new system.
  const cells: Record<string, string> = { name: `${tag} imported ${u}`, kind: 'ehr' }
  const csv = `${SYSTEM_COLUMNS.map((c) => c.name).join(',')}\n${SYSTEM_COLUMNS.map((c) => cells[c.name] ?? '').join(',')}\n`
  const batch = await prisma.importBatch.create({
    data: { organizationId: org.id, kind: 'systems', fileName: `${tag}.csv`, content: csv, createdById: member.id },
  })
  const inviter = await prisma.membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId: org.id, userId: inviterId } } })
  const notification = await prisma.notification.create({
    data: { organizationId: org.id, membershipId: inviter.id, kind: 'training.due_7', title: `${tag} notice ${u}`, body: `${tag} body`, link: null, dedupeKey: `isolation:${tag}:${u}` },
  })
  const mappingVersion = await prisma.mappingVersion.create({ data: { organizationId: org.id, interfaceId: iface.id, number: 1, notes: `${tag} mapping` } })
  const mappingRow = await prisma.mappingRow.create({
    data: {
      id: `r${u}${tag.replace(/[^a-z0-9]/gi, '')}`.slice(0, 25),
      lineageId: `r${u}${tag.replace(/[^a-z0-9]/gi, '')}`.slice(0, 25),
      organizationId: org.id,
      versionId: mappingVersion.id,
      position: 1,
      sourceField: `${tag} source field`,
      sourcePath: `PID-${u.length}`,
      targetField: `${tag} target field`,
      targetPath: `Patient.${tag.replace(/[^a-z]/gi, '')}`,
      dataType: 'string',
      reviewState: 'in_review',
      authorId: member.id,
    },
  })
  const codeMap = await prisma.codeMap.create({
    data: { organizationId: org.id, versionId: mappingVersion.id, rowId: mappingRow.id, sourceSystem: `urn:${tag}`, localCode: `${tag}-CODE`, localDisplay: `${tag} display`, targetSystem: 'http://loinc.org', targetCode: '2345-7', equivalence: 'equal' },
  })
  // Every column of the rows template (the import insists), one new optional row.
  const rowCells: Record<string, string> = { sourceField: `${tag} field`, sourcePath: `ZZZ-${u}`, targetField: 'Extension', targetPath: 'Patient.extension', dataType: 'string', requirement: 'optional', transformType: 'copy' }
  const mappingBatch = await prisma.importBatch.create({
    data: {
      organizationId: org.id,
      kind: batchKind('rows', mappingVersion.id),
      fileName: `${tag}-rows.csv`,
      content: `${ROW_COLUMNS.map((c) => c.name).join(',')}\n${ROW_COLUMNS.map((c) => rowCells[c.name] ?? '').join(',')}\n`,
      createdById: member.id,
    },
  })
  const trainingModule = await prisma.trainingModule.create({
    data: { organizationId: org.id, title: `${tag} module ${u}`, description: `${tag} training` },
  })
  const trainingItem = await prisma.trainingChecklistItem.create({
    data: { organizationId: org.id, moduleId: trainingModule.id, position: 1, label: `${tag} at-the-elbow session`, verifierRole: 'clinical_lead' },
  })
  const trainingRule = await prisma.trainingRule.create({ data: { organizationId: org.id, moduleId: trainingModule.id, units: [`${tag} ward`] } })
  const assignment = await prisma.trainingAssignment.create({
    data: { organizationId: org.id, moduleId: trainingModule.id, membershipId: member.id, ruleId: trainingRule.id, dueAt: new Date(Date.now() + 7 * 24 * 3600_000) },
  })
  const trainingCheck = await prisma.trainingItemCheck.create({
    data: { organizationId: org.id, assignmentId: assignment.id, itemId: trainingItem.id, checkedById: member.id },
  })
  const rosterBatch = await prisma.importBatch.create({
    data: {
      organizationId: org.id,
      kind: 'roster',
      fileName: `${tag}-roster.csv`,
      content: `email,name,role,function,unit,manager_email\n${user.email},,staff,clinical,${tag} new ward,\n`,
      createdById: member.id,
    },
  })
  return {
    trainingModuleId: trainingModule.id,
    trainingItemId: trainingItem.id,
    trainingRuleId: trainingRule.id,
    assignmentId: assignment.id,
    trainingCheckId: trainingCheck.id,
    rosterBatchId: rosterBatch.id,
    mappingVersionId: mappingVersion.id,
    mappingRowId: mappingRow.id,
    codeMapId: codeMap.id,
    mappingImportBatchId: mappingBatch.id,
    memberId: member.id,
    invitationId: invitation.id,
    emailId: email.id,
    systemId: system!.id,
    conformanceTestId: test.id,
    otherSystemId: target!.id,
    interfaceId: iface.id,
    importBatchId: batch.id,
    notificationId: notification.id,
  }
}

type Row = Record<string, unknown>
type Delegate = { findMany(args: { where: Row }): Promise<Row[]> }
const delegate = (model: string) => (prisma as unknown as Record<string, Delegate>)[model.charAt(0).toLowerCase() + model.slice(1)]!
const fieldsOf = (model: string) =>
  Object.values((Prisma as unknown as Record<string, Record<string, string> | undefined>)[`${model}ScalarFieldEnum`] ?? {})
const byId = (rows: Row[]) => [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)))

/**
 * Every row of B a route could change: the organisation, each table with an `organizationId`,
 * and each table with a `userId` (sessions, password resets) for B's people. Found from the
 * Prisma client, so a new tenant table is included without a change here.
 */
async function snapshot(orgId: string) {
  const snap: Record<string, Row[]> = {}
  snap.Organization = await delegate('Organization').findMany({ where: { id: orgId } })
  for (const model of Object.values(Prisma.ModelName)) {
    if (fieldsOf(model).includes('organizationId')) snap[model] = byId(await delegate(model).findMany({ where: { organizationId: orgId } }))
  }
  const userIds = (snap.Membership ?? []).map((m) => String(m.userId))
  snap.User = byId(await delegate('User').findMany({ where: { id: { in: userIds } } }))
  for (const model of Object.values(Prisma.ModelName)) {
    if (!snap[model] && fieldsOf(model).includes('userId')) snap[model] = byId(await delegate(model).findMany({ where: { userId: { in: userIds } } }))
  }
  // NOTE: a session's idle expiry slides whenever it is used, and the sweep itself signs in as
  // B's deactivated member: that a session exists (was not ended) is what counts.
  if (snap.Session) snap.Session = snap.Session.map((r) => ({ id: r.id, userId: r.userId, absoluteExpiresAt: r.absoluteExpiresAt }))
  return snap
}

/** What differs between two snapshots, as sentences naming the table, the row and the fields. */
function snapshotChanges(before: Record<string, Row[]>, after: Record<string, Row[]>) {
  const changes: string[] = []
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = new Map((before[table] ?? []).map((r) => [String(r.id), r]))
    const now = new Map((after[table] ?? []).map((r) => [String(r.id), r]))
    for (const [id, row] of now) {
      const old = was.get(id)
      if (!old) {
        changes.push(`${table} ${id} was added: ${JSON.stringify(row).slice(0, 200)}`)
        continue
      }
      const fields = Object.keys(row).filter((k) => JSON.stringify(row[k]) !== JSON.stringify(old[k]))
      if (fields.length) changes.push(`${table} ${id} changed: ${fields.map((k) => `${k} ${JSON.stringify(old[k])} → ${JSON.stringify(row[k])}`).join(', ')}`)
    }
    for (const id of was.keys()) if (!now.has(id)) changes.push(`${table} ${id} was deleted`)
  }
  return changes
}

const deniedCountInA = () => prisma.auditEvent.count({ where: { organizationId: A.org.id, action: 'security.permission_denied' } })

beforeAll(async () => {
  const hex = randomBytes(6).toString('hex')
  marker = `b-secret-${hex}`

  // Organisation A: one member of every role.
  const orgA = await createTestOrg({ name: `A Hospital ${hex}` })
  const rolesOfA = {} as Record<Role, Persona>
  const userIdsOfA = {} as Record<Role, string>
  for (const role of ROLES) {
    const user = await createTestUser({ name: `A ${role} ${hex}`, email: `a-${role}-${hex}@example.test` })
    await addMember(orgA, user, role)
    userIdsOfA[role] = user.id
    rolesOfA[role] = { label: `A's ${role}`, cookie: await sessionCookieFor(user.id) }
  }
  A = { org: orgA, ownerId: userIdsOfA.owner, objects: await createObjects(orgA, userIdsOfA.owner, `a-${hex}`), roles: rolesOfA }

  // Organisation B: real rows of every kind a route can address, each carrying the marker.
  const orgB = await createTestOrg({ name: `${marker} Hospital` })
  const ownerB = await createTestUser({ name: `${marker} Owner`, email: `${marker}-owner@example.test` })
  await addMember(orgB, ownerB, 'owner', 'executive', `${marker} board`)
  await sessionCookieFor(ownerB.id) // a live session of B: deactivating anyone in B would end sessions
  B = { org: orgB, ownerId: ownerB.id, objects: await createObjects(orgB, ownerB.id, marker) }
  await recordAudit({
    organizationId: orgB.id,
    actorUserId: ownerB.id,
    actorEmail: ownerB.email,
    action: 'member.invited',
    targetType: 'invitation',
    targetId: B.objects.invitationId,
    targetLabel: `${marker}-invitee@example.test`,
  })
  const former = await createTestUser({ name: `${marker} Former`, email: `${marker}-former@example.test` })
  const formerMembership = await addMember(orgB, former, 'admin')
  await prisma.membership.update({ where: { id: formerMembership.id }, data: { status: 'deactivated' } })
  formerMemberOfB = { label: "B's deactivated admin", cookie: await sessionCookieFor(former.id) }

  const platformEmail = await prisma.emailOutbox.create({
    data: {
      organizationId: null,
      dedupeKey: `isolation-platform:${hex}`,
      template: 'password-reset',
      toEmail: `p-secret-${hex}@example.test`,
      subject: `p-secret-${hex} reset`,
      html: `<p>p-secret-${hex}</p>`,
      text: `p-secret-${hex}`,
      status: 'held',
    },
  })
  platformObjects = { ...B.objects, emailId: platformEmail.id }

  beforeB = await snapshot(orgB.id)
  // The ids of every row of B (sessions' ids are hashes of their tokens: also never to be shown).
  secrets = [marker, `p-secret-${hex}`, orgB.slug, platformEmail.id, ...Object.values(beforeB).flatMap((rows) => rows.map((r) => String(r.id)))].map((s) =>
    s.toLowerCase(),
  )
  deniedBefore = await deniedCountInA()
})

// ───────────────────────────── calling routes ─────────────────────────────

type Outcome =
  | { how: 'returned' | 'thrown'; status: number; location: string | null; text: string }
  | { how: 'error'; error: unknown; text: string }

function describeOutcome(o: Outcome) {
  if (o.how === 'error') return `threw ${o.error instanceof Error ? `${o.error.name}: ${o.error.message}` : String(o.error)}`
  const body = o.text.length > 160 ? `${o.text.slice(0, 160)}…` : o.text
  return `${o.how} ${o.status}${o.location ? ` → ${o.location}` : ''} ${JSON.stringify(body)}`
}

type Call = { label: string; kind: 'loader' | 'action'; can: Capability; form?: (o: Objects, unique: string) => Fields }

function callsOf(entry: TenantEntry): Call[] {
  const calls: Call[] = []
  if (entry.loader) calls.push({ label: 'loader', kind: 'loader', can: entry.loader.can })
  if (entry.action) {
    for (const [intent, form] of Object.entries(entry.action.forms)) {
      calls.push({ label: `action "${intent}"`, kind: 'action', can: entry.action.canByIntent?.[intent] ?? entry.action.can, form })
    }
  }
  return calls
}

type Invocation = { route: AppRoute; kind: 'loader' | 'action'; params: Record<string, string>; search?: string; form?: Fields; cookie: string | null }

/** Calls a loader or action as Remix would, in a request context of its own. */
async function invoke(inv: Invocation): Promise<{ outcome: Outcome; sent: string }> {
  const url = new URL(urlFor(inv.route, inv.params, inv.search ?? ''), process.env.APP_URL)
  const headers = new Headers()
  if (inv.cookie) headers.set('cookie', inv.cookie)
  let body: string | undefined
  if (inv.kind === 'action') {
    headers.set('content-type', 'application/x-www-form-urlencoded')
    body = new URLSearchParams(inv.form ?? {}).toString()
  }
  const request = new Request(url, { method: inv.kind === 'action' ? 'POST' : 'GET', headers, body })
  const fn = inv.route.module[inv.kind]
  if (!fn) throw new Error(`${inv.route.id} has no ${inv.kind}`)
  stats.calls++
  let value: unknown
  let thrown = false
  try {
    value = await runWithRequestContext({ requestId: `isolation-${stats.calls}`, ip: '127.0.0.1', memo: new Map() }, () =>
      fn({ request, params: inv.params, context: {} }),
    )
  } catch (e) {
    value = e
    thrown = true
  }
  // What the caller sent may come back (a form echoes its input); that is not a leak.
  const sent = `${url.pathname}${url.search} ${body ?? ''} ${JSON.stringify(inv.params)}`.toLowerCase()
  if (value instanceof Response) {
    const text = await value.text()
    return { outcome: { how: thrown ? 'thrown' : 'returned', status: value.status, location: value.headers.get('location'), text }, sent }
  }
  if (thrown) return { outcome: { how: 'error', error: value, text: value instanceof Error ? `${value.message}\n${value.stack}` : String(value) }, sent }
  return { outcome: { how: 'returned', status: 200, location: null, text: JSON.stringify(value) ?? '' }, sent }
}

/** B's strings in a response, except those the caller put in its own request. */
function leaksIn(outcome: Outcome, sent: string) {
  const seen = `${outcome.text}\n${outcome.how === 'error' ? '' : (outcome.location ?? '')}`.toLowerCase()
  // A redirect to /login carries the requested path back (redirectTo): that is the caller's own.
  return secrets.filter((s) => seen.includes(s) && !sent.includes(s) && !sent.includes(encodeURIComponent(s).toLowerCase()))
}

const isGuard404 = (o: Outcome) => o.how === 'thrown' && o.status === 404
const isGuard403 = (o: Outcome) => o.how === 'thrown' && o.status === 403
const isStatus = (o: Outcome, status: number) => o.how !== 'error' && o.status === status

/** The caller's params and form for `call` against one organisation's objects. */
function request(entry: TenantEntry, call: Call, orgSlug: string, objects: Objects, unique = 'fixed') {
  return {
    params: { orgSlug, ...(entry.params?.(objects) ?? {}) },
    // "secret-…" matches B's rows; an echo of it is not B's marker.
    search: call.kind === 'loader' ? (entry.loader?.search?.(marker.slice(2), objects) ?? '') : '',
    form: call.form?.(objects, unique),
  }
}

// ───────────────────────────── the tests ─────────────────────────────

describe('tenant isolation: every route, as outsiders and as every role', () => {
  it('covers every route that has a loader or an action (and nothing that is not a route)', () => {
    expect(routes.length, 'no routes were found: is remix.config.js still using remix-flat-routes?').toBeGreaterThan(10)
    const problems = coverageProblems()
    if (problems.length) expect.fail(`The route coverage table is out of date:\n  • ${problems.join('\n  • ')}`)
  })

  for (const { route, entry } of tenantRoutes) {
    it(`${route.id} (${route.urlPattern}): outsiders get 404, foreign objects 404, each role exactly its capability`, { timeout: 180_000 }, async () => {
      const problems: string[] = []
      const check = (who: string, call: Call, what: string, outcome: Outcome, sent: string, ok: boolean, expected: string) => {
        if (!ok) problems.push(`${call.label} ${what} as ${who}: expected ${expected}, got ${describeOutcome(outcome)}`)
        const leaked = leaksIn(outcome, sent)
        if (leaked.length) problems.push(`${call.label} ${what} as ${who}: the response contains B's ${leaked.map((s) => `"${s}"`).join(', ')}: ${describeOutcome(outcome)}`)
      }
      for (const call of callsOf(entry)) {
        const inv = (cookie: string, r: ReturnType<typeof request>) => invoke({ route, kind: call.kind, ...r, cookie })

        // 1. Members of another organisation, addressing B and B's objects.
        for (const who of [...ROLES.map((r) => A.roles[r]), formerMemberOfB]) {
          const { outcome, sent } = await inv(who.cookie, request(entry, call, B.org.slug, B.objects))
          stats.outsider++
          check(who.label, call, 'in organisation B', outcome, sent, isGuard404(outcome), '404 from the guard (not a member)')
        }

        // 2. Inside A, naming one object of B (or of no organisation) at a time, among A's own.
        //    Named in the URL → 404; in the form (an invitation to withdraw, an owner to assign)
        //    → refused with a 4xx; in the query (a preselection) → ignored or refused.
        type Place = 'URL' | 'form' | 'query'
        const placeOf = (own: Objects, mixed: Objects): Place | null => {
          const a = request(entry, call, A.org.slug, own)
          const b = request(entry, call, A.org.slug, mixed)
          if (JSON.stringify(a.params) !== JSON.stringify(b.params)) return 'URL'
          if (JSON.stringify(a.form) !== JSON.stringify(b.form)) return 'form'
          if (a.search !== b.search) return 'query'
          return null
        }
        const variants = [
          { whose: "B's", objects: B.objects },
          { whose: 'a platform', objects: platformObjects },
        ].flatMap((f) =>
          OBJECT_KINDS.filter((k) => f.objects[k] !== B.objects[k] || f.whose === "B's").map((kind) => ({ ...f, kind })),
        )
        for (const v of variants) {
          const probe = placeOf(A.objects, { ...A.objects, [v.kind]: v.objects[v.kind] })
          if (!probe) continue // this call does not name that kind of object
          for (const role of ROLES) {
            // An action may change the objects it is given: a fresh set of A's each time.
            const own = call.kind === 'action' ? await createObjects(A.org, A.ownerId, `a-${uniqueSuffix()}`) : A.objects
            const mixed = { ...own, [v.kind]: v.objects[v.kind] }
            const place = placeOf(own, mixed)!
            const { outcome, sent } = await inv(A.roles[role].cookie, request(entry, call, A.org.slug, mixed, uniqueSuffix()))
            stats.foreignObjects++
            if (isGuard403(outcome)) stats.deniedInA++
            const allowed = can(role, call.can)
            const answered = outcome.how !== 'error' && outcome.status < 500
            const ok = !allowed
              ? isGuard403(outcome)
              : place === 'URL'
                ? isStatus(outcome, 404)
                : place === 'form'
                  ? answered && outcome.status >= 400
                  : answered && !isGuard403(outcome) && !isGuard404(outcome)
            const expected = !allowed
              ? `403 (${role} lacks ${call.can})`
              : place === 'URL'
                ? '404 (not this organisation’s object)'
                : place === 'form'
                  ? 'a refusal (4xx): the object is not this organisation’s'
                  : 'an answer that ignores or refuses the foreign object'
            check(A.roles[role].label, call, `in A with ${v.whose} ${v.kind} in the ${place}`, outcome, sent, ok, expected)
          }
        }

        // 3. Inside A, on A's own objects: exactly the roles permissions.ts allows get through.
        for (const role of ROLES) {
          // An action changes its object (removes a member, withdraws an invitation): a fresh set each time.
          const objects = call.kind === 'action' ? await createObjects(A.org, A.ownerId, `a-${uniqueSuffix()}`) : A.objects
          const { outcome, sent } = await inv(A.roles[role].cookie, request(entry, call, A.org.slug, objects, uniqueSuffix()))
          stats.roles++
          if (isGuard403(outcome)) stats.deniedInA++
          const allowed = can(role, call.can)
          const ok = allowed ? outcome.how !== 'error' && ![403, 404].includes(outcome.status) && outcome.status < 500 : isGuard403(outcome)
          check(A.roles[role].label, call, 'in A', outcome, sent, ok, allowed ? `to get through the guard (${role} has ${call.can})` : `403 exactly (${role} lacks ${call.can})`)
        }
      }
      if (problems.length) expect.fail(`${problems.length} problem(s) on ${route.id}:\n  • ${problems.join('\n  • ')}`)
    })
  }

  it('sends a signed-out caller, or one with a forged session, to /login from every tenant route', async () => {
    const cookieName = A.roles.owner.cookie.split('=')[0]!
    const problems: string[] = []
    for (const { route, entry } of tenantRoutes) {
      for (const call of callsOf(entry)) {
        for (const [who, cookie] of [
          ['signed out', null],
          ['a forged session cookie', `${cookieName}=${randomBytes(20).toString('hex')}`],
        ] as const) {
          const r = request(entry, call, B.org.slug, B.objects)
          const { outcome, sent } = await invoke({ route, kind: call.kind, params: r.params, form: r.form, cookie })
          stats.signedOut++
          const ok = outcome.how === 'thrown' && outcome.status === 302 && (outcome.location ?? '').startsWith('/login')
          if (!ok) problems.push(`${route.id} ${call.label}, ${who}: expected a redirect to /login, got ${describeOutcome(outcome)}`)
          const leaked = leaksIn(outcome, sent)
          if (leaked.length) problems.push(`${route.id} ${call.label}, ${who}: the response contains ${leaked.join(', ')}`)
        }
      }
    }
    if (problems.length) expect.fail(`${problems.length} problem(s):\n  • ${problems.join('\n  • ')}`)
  })

  it("public and user-level routes show nothing of B to A's owner or to a signed-out caller", async () => {
    const problems: string[] = []
    for (const { route, entry } of publicRoutes) {
      for (const [who, cookie] of [
        ["A's owner", A.roles.owner.cookie],
        ['signed out', null],
      ] as const) {
        if (route.module.loader) {
          const { outcome, sent } = await invoke({ route, kind: 'loader', params: entry.params?.() ?? {}, cookie })
          stats.public++
          // Any status is the route's business (healthz may say 503); an exception is not.
          if (outcome.how === 'error') problems.push(`${route.id} loader as ${who}: ${describeOutcome(outcome)}`)
          if (entry.expect?.loader && !isStatus(outcome, entry.expect.loader)) {
            problems.push(`${route.id} loader as ${who}: expected ${entry.expect.loader}, got ${describeOutcome(outcome)}`)
          }
          const leaked = leaksIn(outcome, sent)
          if (leaked.length) problems.push(`${route.id} loader as ${who}: the response contains B's ${leaked.join(', ')}`)
        }
        // Actions of public routes log in, sign up, log out…: only the fixed probe is sent, as A's owner.
        if (route.module.action && entry.expect?.action && cookie) {
          const { outcome, sent } = await invoke({ route, kind: 'action', params: entry.params?.() ?? {}, form: entry.expect.action.form, cookie })
          stats.public++
          if (!isStatus(outcome, entry.expect.action.status)) {
            problems.push(`${route.id} action as ${who}: expected ${entry.expect.action.status}, got ${describeOutcome(outcome)}`)
          }
          const leaked = leaksIn(outcome, sent)
          if (leaked.length) problems.push(`${route.id} action as ${who}: the response contains B's ${leaked.join(', ')}`)
        }
      }
    }
    if (problems.length) expect.fail(`${problems.length} problem(s):\n  • ${problems.join('\n  • ')}`)
  })

  it('changed no row of organisation B, and audited every denial in A only', async () => {
    expect(stats.outsider, 'the sweep did not run (filtered out with -t?)').toBeGreaterThan(0)
    const changes = snapshotChanges(beforeB, await snapshot(B.org.id))
    if (changes.length) expect.fail(`Rows of organisation B changed during the sweep:\n  • ${changes.join('\n  • ')}`)
    expect(await deniedCountInA(), 'every 403 writes one security.permission_denied event in A').toBe(deniedBefore + stats.deniedInA)
    const routesWithData = routes.filter(hasData).length
    console.info(
      `tenant isolation: ${routes.length} routes (${routesWithData} with a loader or action: ${tenantRoutes.length} tenant, ${publicRoutes.length} public), ` +
        `${ROLES.length} roles; ${stats.calls} calls = ${stats.outsider} as outsiders + ${stats.foreignObjects} with foreign objects + ` +
        `${stats.roles} role checks + ${stats.signedOut} signed out + ${stats.public} public probes; ${stats.deniedInA} denials audited in A`,
    )
  })
})
