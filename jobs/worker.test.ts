import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import nodemailer, { type Transporter } from 'nodemailer'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { queueEmail, dispatchEmail } from '#app/models/messages/email-outbox.server.ts'
import { sha256 } from '#app/utils/crypto.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { enqueue, getQueue } from '#app/utils/queue.server.ts'
import { sendEmailJob } from '#jobs/email/send-email.job.ts'
import { sweepOutboxJob } from '#jobs/email/sweep-outbox.job.ts'
import { purgeSessionsJob } from '#jobs/maintenance/purge-sessions.job.ts'
import { QUEUES } from '#jobs/definitions.ts'
import { SCHEDULES } from '#jobs/registry.ts'
import { startWorker, type WorkerHandle } from '#jobs/runtime.ts'
import { createTestUser, uniqueSuffix } from '#tests/factories.ts'
import { waitFor, waitForQueueIdle } from '#tests/helpers.ts'
import { startSmtpCatcher, type SmtpCatcher } from '#tests/mocks/smtp-catcher.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

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

let handles: WorkerHandle[] = []
async function worker(opts: Parameters<typeof startWorker>[0] = {}) {
  const h = await startWorker({ transport, schedule: false, ...opts })
  handles.push(h)
  return h
}
afterEach(async () => {
  catcher.setDelay(0)
  await Promise.all(handles.map((h) => h.stop()))
  handles = []
})

async function queued(to = `w-${uniqueSuffix()}@example.test`) {
  const { id } = await queueEmail(null, {
    dedupeKey: `worker:${uniqueSuffix()}`,
    to,
    template: 'password-changed',
    props: { name: 'Kai', when: 'now', supportHint: 'Tell your administrator.' },
  })
  return { id, to }
}

const finished = (queue: 'email' | 'maintenance', jobId: string) =>
  waitFor(async () => {
    const state = await getQueue(queue).getJobState(jobId)
    // Read the job after it finished: a copy fetched earlier would miss its result.
    return (state === 'completed' || state === 'failed') && getQueue(queue).getJob(jobId)
  }, { what: `job ${jobId} to finish` }).then((job) => job!)

describe('the worker', () => {
  test('fails a job with a bad payload at once, without retries, and goes on working', async () => {
    await worker()
    const bad = await getQueue('email').add(sendEmailJob.name, { emailId: 42 }, { attempts: 5, backoff: { type: 'fixed', delay: 10 } })
    const unknown = await getQueue('email').add('email.no-such-job', {}, { attempts: 5 })

    const badJob = await finished('email', bad.id!)
    expect(await badJob.getState()).toBe('failed')
    expect(badJob.attemptsStarted).toBe(1)
    expect(badJob.failedReason).toMatch(/Bad payload for email\.send: emailId/)
    const unknownJob = await finished('email', unknown.id!)
    expect(await unknownJob.getState()).toBe('failed')
    expect(unknownJob.failedReason).toMatch(/No processor for job "email\.no-such-job"/)

    // Still running: the next real email goes out.
    const { id, to } = await queued()
    await dispatchEmail(null, id)
    await catcher.waitFor((m) => m.to === to)
  })

  test('a processor that throws does not stop the worker', async () => {
    await worker()
    const { id, to } = await queued()
    catcher.failNext(1)
    await getQueue('email').add(sendEmailJob.name, { emailId: id, organizationId: null }, { jobId: `flaky-${id}`, attempts: 2, backoff: { type: 'fixed', delay: 20 } })
    await catcher.waitFor((m) => m.to === to)
    const other = await queued()
    await dispatchEmail(null, other.id)
    await catcher.waitFor((m) => m.to === other.to)
  })

  test('an email that keeps failing is marked failed after the last attempt, not before', async () => {
    await worker()
    const { id, to } = await queued()
    catcher.failNext(3, 'Mailbox full')
    await getQueue('email').add(sendEmailJob.name, { emailId: id, organizationId: null }, { jobId: `doomed-${id}`, attempts: 3, backoff: { type: 'fixed', delay: 20 } })
    const job = await finished('email', `doomed-${id}`)
    expect(await job.getState()).toBe('failed')
    expect(job.attemptsStarted).toBe(3)
    const row = await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })
    expect(row).toMatchObject({ status: 'failed', attempts: 3 })
    expect(row.lastError).toMatch(/Mailbox full/)
    expect(catcher.messages.filter((m) => m.to === to)).toHaveLength(0)
  })

  test('stopping lets the email being sent finish, then takes no more jobs', async () => {
    const handle = await worker()
    const { id, to } = await queued()
    catcher.setDelay(800)
    await dispatchEmail(null, id)
    await waitFor(async () => (await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })).status === 'sending', { what: 'the send to start' })

    await handle.stop()
    // Stopped only after the send completed.
    expect(catcher.messages.filter((m) => m.to === to)).toHaveLength(1)
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent' })
    expect(await (await getQueue('email').getJob(`email-${id}`))?.getState()).toBe('completed')
    expect(handle.workers.every((w) => !w.isRunning())).toBe(true)

    // Nothing is processed any more: the next job waits for a worker.
    const later = await queued()
    await dispatchEmail(null, later.id)
    await new Promise((r) => setTimeout(r, 300))
    expect(await (await getQueue('email').getJob(`email-${later.id}`))?.getState()).toBe('waiting')
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id: later.id } })).toMatchObject({ status: 'pending' })

    // A new worker picks it up.
    catcher.setDelay(0)
    await worker()
    await catcher.waitFor((m) => m.to === later.to)
  })

  test('declares the repeatable jobs from one place, and drops schedulers no longer declared', async () => {
    await getQueue('maintenance').upsertJobScheduler('maintenance.retired-job', { every: 3_600_000 }, { name: 'maintenance.retired-job', data: {} })
    await worker({ schedule: true })
    const schedulers = (await Promise.all(QUEUES.map((q) => getQueue(q).getJobSchedulers()))).flat()
    expect(schedulers.map((s) => s.key).sort()).toEqual(SCHEDULES.map((s) => s.definition.name).sort())
    expect(schedulers.find((s) => s.key === sweepOutboxJob.name)).toMatchObject({ every: 60_000 })
    // Leave no scheduled jobs behind for the next tests.
    for (const s of SCHEDULES) await getQueue(s.definition.queue).removeJobScheduler(s.definition.name)
    for (const q of QUEUES) await waitForQueueIdle(q)
  })
})

describe('the outbox sweep job', () => {
  test('re-sends an email left behind by a worker that died mid-send', async () => {
    await worker()
    const { id, to } = await queued()
    // The dead worker's trace: the row claimed 15 minutes ago, its job already finished.
    const longAgo = new Date(Date.now() - 15 * 60_000)
    await prisma.emailOutbox.update({ where: { id }, data: { status: 'sending', claimedAt: longAgo, createdAt: longAgo } })
    await dispatchEmail(null, id)
    expect(await (await finished('email', `email-${id}`)).returnvalue).toBe('skipped')

    await enqueue(sweepOutboxJob, {})
    await catcher.waitFor((m) => m.to === to)
    await waitForQueueIdle('email')
    expect(catcher.messages.filter((m) => m.to === to)).toHaveLength(1)
    expect(await prisma.emailOutbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent' })
  })
})

describe('the purge-sessions job', () => {
  test('removes expired sessions and keeps live ones', async () => {
    await worker()
    const user = await createTestUser()
    const now = Date.now()
    await prisma.session.createMany({
      data: [
        { id: sha256(`expired-${user.id}`), userId: user.id, expiresAt: new Date(now - 1000), absoluteExpiresAt: new Date(now + 3_600_000) },
        { id: sha256(`live-${user.id}`), userId: user.id, expiresAt: new Date(now + 1_800_000), absoluteExpiresAt: new Date(now + 3_600_000) },
      ],
    })
    const job = await enqueue(purgeSessionsJob, {})
    expect(await (await finished('maintenance', job.id!)).getState()).toBe('completed')
    expect((await prisma.session.findMany({ where: { userId: user.id } })).map((s) => s.id)).toEqual([sha256(`live-${user.id}`)])
  })
})

describe('the worker command (npm run worker)', () => {
  // NOTE: `node --import tsx`, not the `tsx` command: the command runs the script in a child
  // process and, when that child takes over 60 ms to acknowledge a relayed SIGTERM (a busy
  // event loop, a loaded machine), SIGKILLs it — no graceful shutdown.
  function run(env: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'jobs', 'worker.ts')], {
      cwd: root,
      // No .env file may fill in what the test leaves out.
      env: { ...env, DOTENV_CONFIG_PATH: join(root, 'no-such.env') },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    return { child, exited, out: () => stdout, err: () => stderr }
  }

  test('refuses to start with an incomplete environment, naming the variable', { timeout: 60_000 }, async () => {
    const p = run({ ...process.env, DATABASE_URL: '' })
    expect(await p.exited).toBe(1)
    expect(p.err()).toMatch(/DATABASE_URL/)
    expect(p.err()).toMatch(/environment is incomplete/)
  })

  test('starts, and on SIGTERM closes cleanly with exit code 0', { timeout: 60_000 }, async () => {
    const p = run({ ...process.env, LOG_LEVEL: 'info', QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-cli` })
    await waitFor(async () => p.out().includes('worker started'), { timeoutMs: 20_000, what: 'the worker to start' })
    const started = JSON.parse(p.out().split('\n').find((l) => l.includes('worker started'))!)
    expect(started).toMatchObject({ service: 'worker', queues: ['email', 'maintenance', 'training', 'readiness'] })
    p.child.kill('SIGTERM')
    expect(await p.exited).toBe(0)
    expect(p.out()).toMatch(/worker stopped/)
  })
})
