import { describe, expect, test } from 'vitest'
import { createOrgWithOwner } from '#tests/factories.ts'
import { actorOf, isSystemScope, systemScope, type SystemScope } from './scope.server.ts'

describe('one scope for every caller', () => {
  test('a job’s scope is the system: no member, no email, and it is told apart from a member’s', async () => {
    const { org, scope } = await createOrgWithOwner()
    const system = systemScope(org.id)
    expect(system).toMatchObject({ organizationId: org.id, actor: 'system' })
    expect(Object.isFrozen(system)).toBe(true)
    expect(isSystemScope(system)).toBe(true)
    expect(isSystemScope(scope)).toBe(false)
    expect(actorOf(system)).toEqual({ actorUserId: null, actorEmail: null })
    expect(actorOf(scope)).toEqual({ actorUserId: scope.userId, actorEmail: scope.userEmail })
  })

  test('a system scope needs an organisation', () => {
    expect(() => systemScope('')).toThrow(/organisation/)
  })

  test('systemScope is its only maker (the brand refuses a look-alike object)', () => {
    // @ts-expect-error: a literal with the same fields is not a SystemScope (tsc fails if it were)
    const forged: SystemScope = { organizationId: 'x', actor: 'system' }
    expect(isSystemScope(forged)).toBe(true) // at run time it looks the same: the type is the guard
  })
})
