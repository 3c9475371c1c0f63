import type { Transporter } from 'nodemailer'
import { renderEmail, type EmailProps, type EmailTemplate } from '#app/emails/index.ts'
import { pageCountOf, pageWindow } from '#app/utils/list.ts'
import { dbOf, prisma, type TxOption } from '#app/utils/db.server.ts'
import { getEnv } from '#app/utils/env.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { enqueue } from '#app/utils/queue.server.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { sendEmailJob } from '#jobs/email/send-email.job.ts'

/**
 * Every email is a row here first (the outbox), written in the same transaction as the change
 * that causes it (`{ tx }`); the worker sends it. `dedupeKey` makes producers idempotent, the
 * claim in `sendOutboxEmail` makes the sender idempotent: a job that runs twice sends once.
 * The row belongs to the scope's organisation; `null` for an email about an account that
 * belongs to none (password reset, password changed).
 */
export async function queueEmail<T extends EmailTemplate>(
  scope: Scope | null,
  input: { dedupeKey: string; to: string; template: T; props: EmailProps<T> },
  opts: TxOption = {},
) {
  const db = dbOf(opts)
  const existing = await db.emailOutbox.findUnique({ where: { dedupeKey: input.dedupeKey }, select: { id: true } })
  if (existing) return existing
  const { subject, html, text } = await renderEmail(input.template, input.props)
  // NOTE: INSERT … ON CONFLICT DO NOTHING, not create(): two producers racing past the check
  // above must both succeed with the one row (a unique violation would also abort the caller's
  // transaction).
  await db.emailOutbox.createMany({
    data: [
      {
        organizationId: scope?.organizationId ?? null,
        dedupeKey: input.dedupeKey,
        template: input.template,
        toEmail: input.to,
        subject,
        html,
        text,
      },
    ],
    skipDuplicates: true,
  })
  return db.emailOutbox.findUniqueOrThrow({ where: { dedupeKey: input.dedupeKey }, select: { id: true } })
}

/** Asks the worker to send a queued email now (after its commit). If Redis is down the sweeper sends it later. */
export async function dispatchEmail(scope: Scope | null, emailId: string) {
  try {
    await enqueue(sendEmailJob, { emailId, organizationId: scope?.organizationId ?? null })
  } catch (e) {
    logger.warn({ err: e, emailId }, 'could not enqueue email; the outbox sweeper will retry')
  }
}

export type SendResult = 'sent' | 'skipped' | 'held'

/**
 * Sends one outbox row. Claims it first (pending → sending in one UPDATE), so a second run of
 * the same job finds nothing to do. On SMTP failure the row returns to pending and the error
 * is thrown for BullMQ to retry; the Message-ID is stable, so in the rare crash-after-send
 * case a re-send is recognisable as the same message.
 */
export async function sendOutboxEmail(emailId: string, transport: Transporter | null, opts: { finalAttempt?: boolean } = {}): Promise<SendResult> {
  if (!transport) {
    const held = await prisma.emailOutbox.updateMany({ where: { id: emailId, status: 'pending' }, data: { status: 'held' } })
    return held.count ? 'held' : 'skipped'
  }
  const claimed = await prisma.emailOutbox.updateMany({
    where: { id: emailId, status: 'pending' },
    data: { status: 'sending', claimedAt: new Date(), attempts: { increment: 1 } },
  })
  if (!claimed.count) return 'skipped'
  const email = await prisma.emailOutbox.findUniqueOrThrow({ where: { id: emailId } })
  try {
    await transport.sendMail({
      from: getEnv().MAIL_FROM,
      to: email.toEmail,
      subject: email.subject,
      html: email.html,
      text: email.text,
      messageId: `<${email.id}@liaison>`,
    })
  } catch (e) {
    await prisma.emailOutbox.update({
      where: { id: emailId },
      data: { status: opts.finalAttempt ? 'failed' : 'pending', lastError: String((e as Error).message).slice(0, 1000) },
    })
    throw e
  }
  await prisma.emailOutbox.update({ where: { id: emailId }, data: { status: 'sent', sentAt: new Date(), lastError: null } })
  return 'sent'
}

/** Rows to (re)queue: pending for over a minute, or stuck in "sending" for over 10 minutes. */
export async function findEmailsToSweep(limit = 500) {
  const now = Date.now()
  await prisma.emailOutbox.updateMany({
    where: { status: 'sending', claimedAt: { lt: new Date(now - 10 * 60_000) } },
    data: { status: 'pending' },
  })
  return prisma.emailOutbox.findMany({
    where: { status: 'pending', createdAt: { lt: new Date(now - 60_000) } },
    select: { id: true, organizationId: true },
    orderBy: { createdAt: 'asc' },
    take: limit,
  })
}

export const OUTBOX_PAGE_SIZE = 50

export async function listOutbox(scope: TenantScope, page = 1) {
  const where = { organizationId: scope.organizationId }
  const [emails, total] = await Promise.all([
    prisma.emailOutbox.findMany({
      where,
      orderBy: { createdAt: 'desc' },
      ...pageWindow(page, OUTBOX_PAGE_SIZE),
      select: { id: true, template: true, toEmail: true, subject: true, status: true, attempts: true, lastError: true, sentAt: true, createdAt: true },
    }),
    prisma.emailOutbox.count({ where }),
  ])
  return { emails, total, pageCount: pageCountOf(total, OUTBOX_PAGE_SIZE) }
}

export function getOutboxEmail(scope: TenantScope, id: string) {
  return prisma.emailOutbox.findFirst({ where: { id, organizationId: scope.organizationId } })
}
