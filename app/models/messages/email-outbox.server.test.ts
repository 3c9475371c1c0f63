import nodemailer, { type Transporter } from 'nodemailer'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { getQueue } from '#app/utils/queue.server.ts'
import { sendEmailJob } from '#jobs/email/send-email.job.ts'
import { startWorker, type WorkerHandle } from '#jobs/runtime.ts'
import { createOrgWithOwner, uniqueSuffix } from '#tests/factories.ts'
import { waitFor, waitForQueueIdle } from '#tests/helpers.ts'
import { startSmtpCatcher, type SmtpCatcher } from '#tests/mocks/smtp-catcher.ts'
import {
  dispatchEmail,
  findEmailsToSweep,
  getOutboxEmail,
  listOutbox,
  queueEmail,
  sendOutboxEmail,
} from './email-outbox.server.ts'

let catcher: SmtpCatcher
let transport: Transporter
beforeAll(async () => {
  catcher = await startSmtpCatcher()
  transport = nodemailer.createTransport(catcher.url)
})
afterAll(async () => {
  transport.close()
  await catcher.stop()
})

function resetEmail(to: string, organizationId: string | null = null, dedupeKey = `test:${uniqueSuffix()}`) {
  return queueEmail(organizationId ? systemScope(organizationId) : null, {
    dedupeKey,
    to,
    template: 'password-reset',
    props: { name: 'Rae', resetUrl: 'http://127.0.0.1:3999/reset-password?token=abc', expiresInMinutes: 60 },
  })
}

const received = (to: string) => catcher.messages.filter((m) => m.to === to)
const address = () => `mail-${uniqueSuffix()}@example.test`

describe('queueing', () => {
  test('the same logical email is queued once', async () => {
    const to = address()
    const key = `invite-reminder:${uniqueSuffix()}`
    const first = await resetEmail(to, null, key)
    const second = await resetEmail(to, null, key)
    expect(second.id).toBe(first.id)
    expect(await prisma.emailOutbox.count({ where: { dedupeKey: key } })).toBe(1)
  })

  test('two producers queueing the same email at the same moment get one row, and neither fails', async () => {
    const to = address()
    const key = `race:${uniqueSuffix()}`
    const results = await Promise.all([resetEmail(to, null, key), resetEmail(to, null, key), resetEmail(to, null, key)])
    expect(new Set(results.map((r) => r.id)).size).toBe(1)
    expect(await prisma.emailOutbox.count({ where: { dedupeKey: key } })).toBe(1)
  })

  test('the row holds the rendered email, ready to send', async () => {
    const to = address()
    const { id } = await resetEmail(to)
    const row = await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })
    expect(row).toMatchObject({ toEmail: to, template: 'password-reset', subject: 'Reset your Liaison password', status: 'pending', attempts: 0 })
    expect(row.html).toContain('reset-password?token=abc')
    expect(row.text).toContain('reset-password?token=abc')
  })
})

describe('sending', () => {
  test('sending the same row twice delivers one message', async () => {
    const to = address()
    const { id } = await resetEmail(to)
    const results = await Promise.all([sendOutboxEmail(id, transport), sendOutboxEmail(id, transport)])
    expect(results.sort()).toEqual(['sent', 'skipped'])
    expect(await sendOutboxEmail(id, transport)).toBe('skipped')

    const mail = await catcher.waitFor((m) => m.to === to)
    expect(mail.subject).toBe('Reset your Liaison password')
    expect(mail.messageId).toBe(`<${id}@liaison>`)
    expect(mail.text).toContain('reset-password?token=abc')
    expect(mail.html).toContain('reset-password?token=abc')
    expect(received(to)).toHaveLength(1)
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent', attempts: 1, lastError: null })
  })

  test('an SMTP failure puts the row back with the error; a later try sends it', async () => {
    const to = address()
    const { id } = await resetEmail(to)
    catcher.failNext(1, 'Mailbox temporarily unavailable')
    await expect(sendOutboxEmail(id, transport)).rejects.toThrow(/451/)
    const failed = await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, sentAt: null })
    expect(failed.lastError).toMatch(/Mailbox temporarily unavailable/)
    expect(received(to)).toHaveLength(0)

    expect(await sendOutboxEmail(id, transport)).toBe('sent')
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent', attempts: 2, lastError: null })
    expect(received(to)).toHaveLength(1)
  })

  test('a failure on the last attempt marks the email failed, for the outbox view', async () => {
    const { id } = await resetEmail(address())
    catcher.failNext(1)
    await expect(sendOutboxEmail(id, transport, { finalAttempt: true })).rejects.toThrow()
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed' })
    expect(await sendOutboxEmail(id, transport)).toBe('skipped')
  })

  test('without an SMTP server the email is held, not lost', async () => {
    const to = address()
    const { id } = await resetEmail(to)
    expect(await sendOutboxEmail(id, null)).toBe('held')
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'held' })
    expect(received(to)).toHaveLength(0)
  })
})

describe('the sweeper', () => {
  test('picks up emails nobody sent and sends stuck in "sending" for over 10 minutes', async () => {
    const fresh = await resetEmail(address())
    const forgotten = await resetEmail(address())
    const stuck = await resetEmail(address())
    const sent = await resetEmail(address())
    const longAgo = new Date(Date.now() - 15 * 60_000)
    await prisma.emailOutbox.update({ where: { id: forgotten.id }, data: { createdAt: longAgo } })
    await prisma.emailOutbox.update({ where: { id: stuck.id }, data: { createdAt: longAgo, status: 'sending', claimedAt: longAgo } })
    await prisma.emailOutbox.update({ where: { id: sent.id }, data: { createdAt: longAgo, status: 'sent' } })

    const ids = (await findEmailsToSweep()).map((r) => r.id)
    expect(ids).toContain(forgotten.id)
    expect(ids).toContain(stuck.id)
    expect(ids).not.toContain(fresh.id)
    expect(ids).not.toContain(sent.id)
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id: stuck.id } })).toMatchObject({ status: 'pending' })
  })
})

describe('through Redis and the worker', () => {
  let worker: WorkerHandle
  beforeAll(async () => {
    worker = await startWorker({ transport, schedule: false })
  })
  afterAll(async () => {
    await worker.stop()
  })
  afterEach(async () => {
    await waitForQueueIdle('email')
  })

  test('a dispatched email arrives exactly once, even when its job is added twice', async () => {
    const { org } = await createOrgWithOwner()
    const to = address()
    const { id } = await resetEmail(to, org.id)
    await dispatchEmail(systemScope(org.id), id)
    await dispatchEmail(systemScope(org.id), id) // same deterministic job id: BullMQ keeps one
    // A duplicate under another job id (a retry from an older release, a manual re-queue…).
    await getQueue('email').add(sendEmailJob.name, { emailId: id, organizationId: org.id }, { jobId: `dup-${id}` })

    await catcher.waitFor((m) => m.to === to)
    await waitForQueueIdle('email')
    expect(received(to)).toHaveLength(1)
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent', attempts: 1 })
  })

  test('an invitation reaches the invitee’s inbox with a working link', async () => {
    const { createInvitation } = await import('../people/invitation.server.ts')
    const { scope } = await createOrgWithOwner({ orgName: 'Mercy General' })
    const to = address()
    await createInvitation(scope, { email: to, role: 'staff', function: 'operations' }, { inviterName: 'Olive Owner' })
    const mail = await catcher.waitFor((m) => m.to === to)
    expect(mail.subject).toBe("You're invited to Mercy General on Liaison")
    expect(mail.html).toMatch(new RegExp(`${process.env.APP_URL}/invitations/[A-Za-z0-9_-]{20,}`))
  })

  test('an SMTP failure is retried by the worker until the message is delivered', async () => {
    const to = address()
    const { id } = await resetEmail(to)
    catcher.failNext(2)
    // The production back-off is minutes; the same job with a short one.
    await getQueue('email').add(sendEmailJob.name, { emailId: id, organizationId: null }, { jobId: `retry-${id}`, attempts: 5, backoff: { type: 'fixed', delay: 50 } })
    await catcher.waitFor((m) => m.to === to)
    const row = await waitFor(async () => {
      const r = await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })
      return r.status === 'sent' && r
    })
    expect(row.attempts).toBe(3)
    expect(received(to)).toHaveLength(1)
  })
})

describe('another organisation', () => {
  test('cannot list or read this organisation’s emails', async () => {
    const ours = await createOrgWithOwner()
    const theirs = await createOrgWithOwner()
    const { id } = await resetEmail(address(), ours.org.id)

    expect(await getOutboxEmail(theirs.scope, id)).toBeNull()
    expect((await listOutbox(theirs.scope)).emails.map((e) => e.id)).not.toContain(id)
    expect(await getOutboxEmail(ours.scope, id)).toMatchObject({ id })
    expect((await listOutbox(ours.scope)).emails.map((e) => e.id)).toContain(id)
  })
})
