/**
 * Training reminders as people meet them: the daily digest in their mailbox, the unread badge in
 * the header, the inbox page (read, mark read, open), and the manager's escalation.
 */
import { describe, expect, test } from 'vitest'
import { dispatchEmail } from '#app/models/messages/email-outbox.server.ts'
import { runTrainingReminders } from '#app/models/training/training-reminder.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { createOrgWithOwner, uniqueSuffix } from '#tests/factories.ts'
import { assign, createModule, createStaff, daysFrom } from '#tests/training-factories.ts'
import { expectAccessible, goto, pathOf, signIn, useBrowser, waitForEmail } from './fixtures.ts'

const e2e = useBrowser()

describe('the inbox', () => {
  test('a member reads their reminders and the digest; their manager hears about the overdue one', async () => {
    const { org } = await createOrgWithOwner()
    await prisma.organization.update({ where: { id: org.id }, data: { quietHoursStart: 0, quietHoursEnd: 0 } })
    const manager = await createStaff(org, { role: 'manager', name: `Morgan Manager ${uniqueSuffix()}` })
    const member = await createStaff(org, { name: `Robin Staff ${uniqueSuffix()}`, managerId: manager.membership.id })
    const soon = await createModule(org, { title: 'Barcode medication administration' })
    const late = await createModule(org, { title: 'Downtime procedures' })
    const now = new Date()
    await assign(org, member.membership.id, soon.id, { dueAt: daysFrom(now, 3) })
    await assign(org, member.membership.id, late.id, { dueAt: daysFrom(now, -10) })

    const run = await runTrainingReminders(systemScope(org.id))
    expect(run).toMatchObject({ recorded: 2, emailed: 2 })
    for (const id of run.emailIds) await dispatchEmail(systemScope(org.id), id)

    const digest = await waitForEmail({ to: member.user.email, subject: /^Training in / })
    expect(digest.subject).toBe(`Training in ${org.name}: 1 due soon`)
    expect(digest.text).toContain('Barcode medication administration')
    const escalation = await waitForEmail({ to: manager.user.email, subject: /overdue in your team/ })
    expect(escalation.text).toContain(member.user.name)
    expect(escalation.text).toContain('Downtime procedures')

    const page = await e2e.newPage()
    await signIn(page, member.user.email, member.user.password)
    // The digest links to the inbox (rendered here, in the test process, so with its APP_URL).
    expect(digest.text).toMatch(new RegExp(`open the inbox \\S+/o/${org.slug}/inbox\\s`))
    await goto(page, `/o/${org.slug}/inbox`)
    // The due-soon reminder, and the overdue one escalated to the manager (the member is told in the inbox).
    await expect(page.getByRole('link', { name: 'Inbox 2 unread' }).count()).resolves.toBe(1)
    await expect(page.getByRole('heading', { name: 'Inbox' }).count()).resolves.toBe(1)
    await expect(page.getByText('Training due soon: Barcode medication administration').count()).resolves.toBe(1)
    await expect(page.getByText('Training overdue: Downtime procedures').count()).resolves.toBe(1)
    await expect(page.getByText('Your manager has been told.', { exact: false }).count()).resolves.toBe(1)
    await expectAccessible(page)

    const soonNotice = page.getByRole('listitem').filter({ hasText: 'Barcode medication administration' })
    await soonNotice.getByRole('button', { name: 'Mark read' }).click()
    await page.getByRole('link', { name: 'Inbox 1 unread' }).waitFor()
    await expect(soonNotice.getByRole('button', { name: 'Mark read' }).count()).resolves.toBe(0)
    await page.getByRole('button', { name: 'Mark all read' }).click()
    await page.getByRole('link', { name: 'Inbox', exact: true }).waitFor()
    await expect(page.getByRole('button', { name: 'Mark read' }).count()).resolves.toBe(0)
    await page.getByRole('link', { name: 'Unread (0)' }).click()
    await page.getByText('Nothing unread').waitFor()
    await expectAccessible(page)

    await page.getByRole('link', { name: 'All', exact: true }).click()
    await page.getByRole('listitem').filter({ hasText: 'Barcode medication administration' }).getByRole('button', { name: 'Open' }).click()
    await page.waitForURL((u) => u.pathname === `/o/${org.slug}/training`)
    expect(pathOf(page)).toBe(`/o/${org.slug}/training`)

    const boss = await e2e.newPage()
    await signIn(boss, manager.user.email, manager.user.password)
    await goto(boss, `/o/${org.slug}/inbox`)
    await expect(boss.getByText(`${member.user.name} is overdue: Downtime procedures`).count()).resolves.toBe(1)
    await boss.getByRole('button', { name: 'Mark all read' }).click()
    await boss.getByText('All read.').waitFor()
  })
})
