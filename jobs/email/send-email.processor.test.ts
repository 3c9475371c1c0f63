import { Job, UnrecoverableError } from 'bullmq'
import nodemailer, { type Transporter } from 'nodemailer'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { queueEmail } from '#app/models/messages/email-outbox.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { DEFAULT_JOB_OPTIONS, getQueue } from '#app/utils/queue.server.ts'
import type { ProcessorContext } from '#jobs/processor.ts'
import { uniqueSuffix } from '#tests/factories.ts'
import { startSmtpCatcher, type SmtpCatcher } from '#tests/mocks/smtp-catcher.ts'
import { sendEmailJob } from './send-email.job.ts'
import { processSendEmail } from './send-email.processor.ts'

let catcher: SmtpCatcher
let transport: Transporter
let ctx: ProcessorContext
beforeAll(async () => {
  catcher = await startSmtpCatcher()
  transport = nodemailer.createTransport(catcher.url)
  ctx = { mailTransport: () => transport, log: logger }
})
afterAll(async () => {
  transport.close()
  await catcher.stop()
})

/** A job as the worker hands it over: the BullMQ class, with the production options, not yet in Redis. */
function jobFor(data: unknown, attemptsMade = 0) {
  const job = new Job(getQueue('email'), sendEmailJob.name, data, { ...DEFAULT_JOB_OPTIONS })
  job.attemptsMade = attemptsMade
  return job
}

async function queued() {
  const to = `proc-${uniqueSuffix()}@example.test`
  const { id } = await queueEmail(null, {
    dedupeKey: `proc:${uniqueSuffix()}`,
    to,
    template: 'password-changed',
    props: { name: 'Lee', when: 'just now', supportHint: 'Tell your administrator if this was not you.' },
  })
  return { id, to }
}

describe('the send-email processor', () => {
  test('sends the email once, however many times the job runs', async () => {
    const { id, to } = await queued()
    expect(await processSendEmail(jobFor({ emailId: id, organizationId: null }), ctx)).toBe('sent')
    expect(await processSendEmail(jobFor({ emailId: id, organizationId: null }), ctx)).toBe('skipped')
    const mail = await catcher.waitFor((m) => m.to === to)
    expect(mail.subject).toBe('Your Liaison password was changed')
    expect(catcher.messages.filter((m) => m.to === to)).toHaveLength(1)
  })

  test.each([
    ['a missing email id', { organizationId: null }],
    ['a numeric email id', { emailId: 42, organizationId: null }],
    ['no payload at all', undefined],
  ])('rejects %s as unrecoverable, so BullMQ does not retry it', async (_label, data) => {
    const error = await processSendEmail(jobFor(data), ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnrecoverableError)
    expect((error as Error).message).toMatch(/Bad payload for email\.send/)
  })

  test('an SMTP failure before the last attempt leaves the email to retry', async () => {
    const { id, to } = await queued()
    catcher.failNext(1)
    await expect(processSendEmail(jobFor({ emailId: id, organizationId: null }, 0), ctx)).rejects.toThrow(/451/)
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'pending' })
    expect(await processSendEmail(jobFor({ emailId: id, organizationId: null }, 1), ctx)).toBe('sent')
    expect(catcher.messages.filter((m) => m.to === to)).toHaveLength(1)
  })

  test('an SMTP failure on the last attempt marks the email failed', async () => {
    const { id } = await queued()
    catcher.failNext(1)
    const lastAttempt = DEFAULT_JOB_OPTIONS.attempts - 1
    await expect(processSendEmail(jobFor({ emailId: id, organizationId: null }, lastAttempt), ctx)).rejects.toThrow()
    const row = await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })
    expect(row.status).toBe('failed')
    expect(row.lastError).toMatch(/451/)
  })

  test('without SMTP configured the email is held for the outbox view', async () => {
    const { id } = await queued()
    expect(await processSendEmail(jobFor({ emailId: id, organizationId: null }), { ...ctx, mailTransport: () => null })).toBe('held')
  })

  test('a deleted email (its organisation was removed) is skipped, not an error', async () => {
    expect(await processSendEmail(jobFor({ emailId: 'gone-for-good', organizationId: null }), ctx)).toBe('skipped')
  })
})
