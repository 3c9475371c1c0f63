import { Job } from 'bullmq'
import nodemailer, { type Transporter } from 'nodemailer'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { actorLabel } from '#app/models/audit/vocabulary.ts'
import { prisma } from '#app/utils/db.server.ts'
import { logger } from '#app/utils/logger.server.ts'
import { DEFAULT_JOB_OPTIONS, enqueue, getQueue } from '#app/utils/queue.server.ts'
import { startWorker, type WorkerHandle } from '#jobs/runtime.ts'
import { createOrgWithOwner, uniqueSuffix } from '#tests/factories.ts'
import { waitFor, waitForQueueIdle } from '#tests/helpers.ts'
import { startSmtpCatcher, type SmtpCatcher } from '#tests/mocks/smtp-catcher.ts'
import { assign, createModule, createStaff, daysFrom } from '#tests/training-factories.ts'
import { trainingRemindersJob } from './reminders.job.ts'
import { processTrainingReminders } from './reminders.processor.ts'
import { syncTrainingAssignmentsJob } from './sync-assignments.job.ts'

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

let handle: WorkerHandle | undefined
afterEach(async () => {
  await handle?.stop()
  handle = undefined
})

const finished = (jobId: string) =>
  waitFor(
    async () => {
      const state = await getQueue('training').getJobState(jobId)
      return (state === 'completed' || state === 'failed') && getQueue('training').getJob(jobId)
    },
    { what: `training job ${jobId} to finish`, timeoutMs: 20_000 },
  ).then((job) => job!)

/** An organisation without quiet hours, one member with training due in three days (real clock: the worker's). */
async function dueSoon() {
  const { org } = await createOrgWithOwner()
  await prisma.organization.update({ where: { id: org.id }, data: { quietHoursStart: 0, quietHoursEnd: 0 } })
  const module = await createModule(org, { title: `Downtime procedures ${uniqueSuffix()}` })
  const member = await createStaff(org)
  const assignment = await assign(org, member.membership.id, module.id, { dueAt: daysFrom(new Date(), 3) })
  return { org, module, member, assignment }
}

describe('the training reminders job, through the worker', () => {
  test('run twice (and a third time at once with another), it sends one email', async () => {
    handle = await startWorker({ transport, schedule: false })
    const { org, module, member, assignment } = await dueSoon()
    const first = await enqueue(trainingRemindersJob, { organizationId: org.id })
    expect(await (await finished(first.id!)).returnvalue).toMatchObject({ recorded: 1, emailed: 1, failed: 0, more: false })
    const again = await Promise.all([enqueue(trainingRemindersJob, { organizationId: org.id }), enqueue(trainingRemindersJob, { organizationId: org.id })])
    for (const j of again) expect(await (await finished(j.id!)).returnvalue).toMatchObject({ recorded: 0, emailed: 0 })

    const mail = await catcher.waitFor((m) => m.to === member.user.email)
    await waitForQueueIdle('email')
    expect(mail.subject).toBe(`Training in ${org.name}: 1 due soon`)
    expect(mail.text).toContain(module.title)
    expect(catcher.messages.filter((m) => m.to === member.user.email)).toHaveLength(1)
    const [row] = await prisma.emailOutbox.findMany({ where: { toEmail: member.user.email } })
    expect(row).toMatchObject({ status: 'sent', template: 'training-digest' })
    expect(await prisma.trainingReminder.findMany({ where: { assignmentId: assignment.id } })).toMatchObject([{ kind: 'due_7', emailId: row!.id }])
    expect(await prisma.notification.count({ where: { membershipId: member.membership.id } })).toBe(1)
  })

  test('a bad payload fails at once, without retries', async () => {
    handle = await startWorker({ transport, schedule: false })
    const bad = await getQueue('training').add(trainingRemindersJob.name, { organizationId: 42 }, { attempts: 5, backoff: { type: 'fixed', delay: 10 } })
    const extra = await getQueue('training').add(syncTrainingAssignmentsJob.name, { organizationId: 'x', userEmail: 'a@b.test' }, { attempts: 5 })
    for (const [job, field] of [
      [bad, 'organizationId'],
      [extra, '\\(payload\\)'],
    ] as const) {
      const done = await finished(job.id!)
      expect(await done.getState()).toBe('failed')
      expect(done.attemptsStarted).toBe(1)
      expect(done.failedReason).toMatch(new RegExp(`Bad payload for training\\.[a-z-]+: ${field}`))
    }
  })
})

describe('the training sync job, through the worker', () => {
  test('assigns by the rules and makes refreshers for completions nearing expiry; a second run changes nothing', async () => {
    handle = await startWorker({ transport, schedule: false })
    const { org } = await createOrgWithOwner()
    const module = await createModule(org, { title: `Hand hygiene ${uniqueSuffix()}`, refresherMonths: 12 })
    await prisma.trainingRule.create({ data: { organizationId: org.id, moduleId: module.id, roles: ['staff'], dueInDays: 10 } })
    const newcomer = await createStaff(org)
    const veteran = await createStaff(org)
    const now = new Date()
    await assign(org, veteran.membership.id, module.id, { dueAt: daysFrom(now, -300), status: 'completed', completedAt: daysFrom(now, -350), expiresAt: daysFrom(now, 15), reason: 'rule' })

    const job = await enqueue(syncTrainingAssignmentsJob, { organizationId: org.id })
    expect((await finished(job.id!)).returnvalue).toMatchObject({ created: 1, cancelled: 0, refreshers: 1 })
    const open = await prisma.trainingAssignment.findMany({ where: { organizationId: org.id, status: 'open' }, orderBy: { membershipId: 'asc' } })
    expect(open.map((a) => [a.membershipId, a.reason]).sort()).toEqual(
      [
        [newcomer.membership.id, 'rule'],
        [veteran.membership.id, 'refresher_expiry'],
      ].sort(),
    )
    // The job acted as the system: its audit events name no member, and the trail shows "system".
    const audited = await prisma.auditEvent.findMany({ where: { organizationId: org.id, action: { in: ['training.assignments_synced', 'training.refreshers_created'] } } })
    expect(audited.map((e) => [e.action, e.actorUserId, e.actorEmail, actorLabel(e)]).sort()).toEqual([
      ['training.assignments_synced', null, null, 'system'],
      ['training.refreshers_created', null, null, 'system'],
    ])
    expect(audited.find((e) => e.action === 'training.assignments_synced')!.metadata).toMatchObject({ trigger: 'job', created: 1 })
    const again = await enqueue(syncTrainingAssignmentsJob, { organizationId: org.id })
    expect((await finished(again.id!)).returnvalue).toMatchObject({ created: 0, cancelled: 0, refreshers: 0 })
  })
})

describe('the hourly run without an organisation', () => {
  test('queues one run per organisation with open training', async () => {
    const { org } = await dueSoon()
    const queue = getQueue('training')
    const job = new Job(queue, trainingRemindersJob.name, {}, { ...DEFAULT_JOB_OPTIONS })
    const { queued } = (await processTrainingReminders(job, { mailTransport: () => transport, log: logger })) as { queued: number }
    expect(queued).toBeGreaterThanOrEqual(1)
    const waiting = await queue.getJobs(['waiting'])
    expect(waiting.map((j) => j.data)).toContainEqual({ organizationId: org.id })
    // Other test files' organisations share the database: run none of them here.
    await queue.drain()
    await waitForQueueIdle('training')
  })
})
