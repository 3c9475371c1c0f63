/**
 * The worker, as a library: `jobs/worker.ts` is its command line, and tests and e2e run it
 * in-process with `startWorker({ transport })` and `handle.stop()`.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import type { Transporter } from 'nodemailer'
import type { Logger } from 'pino'
import { getEnv } from '#app/utils/env.server.ts'
import { logger as baseLogger } from '#app/utils/logger.server.ts'
import { getMailTransport } from '#app/utils/mailer.server.ts'
import { DEFAULT_JOB_OPTIONS, getQueue } from '#app/utils/queue.server.ts'
import { watchRedis, workerConnection } from './connection.ts'
import { QUEUES, type QueueName } from './definitions.ts'
import type { ProcessorContext } from './processor.ts'
import { findRegisteredJob, SCHEDULES } from './registry.ts'

/** Modest: the database pool (10 connections) is shared by every job of the process. */
// A training run may take minutes for a large organisation: its own queue, so it never holds up the others.
export const DEFAULT_CONCURRENCY: Record<QueueName, number> = { email: 4, maintenance: 1, training: 2, readiness: 1 }

export type WorkerHandle = {
  workers: ReadonlyArray<Worker>
  /** Finishes the jobs in hand, then closes every worker and its Redis connections. Idempotent. */
  stop(): Promise<void>
}

export type StartWorkerOptions = {
  /** SMTP transport to send with; `null` holds emails. Default: from SMTP_URL. */
  transport?: Transporter | null
  /** Upsert the repeatable jobs of SCHEDULES (default true; tests that count jobs turn it off). */
  schedule?: boolean
  concurrency?: Partial<Record<QueueName, number>>
  log?: Logger
}

export async function startWorker(options: StartWorkerOptions = {}): Promise<WorkerHandle> {
  const env = getEnv()
  const log = options.log ?? baseLogger
  const ctx: ProcessorContext = {
    mailTransport: 'transport' in options ? () => options.transport ?? null : getMailTransport,
    log,
  }

  const workers = QUEUES.map((queue) => {
    const connection = workerConnection(env.REDIS_URL, {}, { name: `worker ${queue}` })
    const worker = new Worker(queue, (job: Job) => route(queue, job, ctx), {
      connection,
      prefix: env.QUEUE_PREFIX,
      concurrency: options.concurrency?.[queue] ?? DEFAULT_CONCURRENCY[queue],
    })
    // A processor error fails (and retries) that job only; it must never take the worker down.
    worker.on('failed', (job, err) => {
      const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || (job && job.attemptsMade >= (job.opts.attempts ?? 1))
      const fields = { queue, jobId: job?.id, job: job?.name, attemptsMade: job?.attemptsMade, err: err.message }
      if (final) log.error(fields, 'job failed for good')
      else log.warn(fields, 'job failed; it will be retried')
    })
    worker.on('stalled', (jobId) => log.warn({ queue, jobId }, 'job stalled (its worker died?); it will be re-run'))
    // Redis outages go to the process's one outage log; other errors are logged as before.
    watchRedis(worker, `worker ${queue}`)
    return { worker, connection }
  })
  await Promise.all(workers.map(({ worker }) => worker.waitUntilReady()))

  if (options.schedule ?? true) await upsertSchedules(log)

  log.info({ queues: QUEUES, prefix: env.QUEUE_PREFIX }, 'worker started')

  let stopping: Promise<void> | undefined
  return {
    workers: workers.map((w) => w.worker),
    stop() {
      stopping ??= (async () => {
        await Promise.all(workers.map(({ worker }) => worker.close()))
        await Promise.all(workers.map(({ connection }) => connection.quit().catch(() => connection.disconnect())))
        log.info('worker stopped')
      })()
      return stopping
    },
  }
}

async function route(queue: QueueName, job: Job, ctx: ProcessorContext) {
  const entry = findRegisteredJob(job.name)
  if (!entry || entry.definition.queue !== queue) {
    throw new UnrecoverableError(`No processor for job "${job.name}" on queue "${queue}"`)
  }
  return entry.processor(job, ctx)
}

/** Makes Redis hold exactly the schedulers listed in SCHEDULES. */
async function upsertSchedules(log: Logger) {
  for (const queueName of QUEUES) {
    const queue = getQueue(queueName)
    const wanted = SCHEDULES.filter((s) => s.definition.queue === queueName)
    for (const { definition, repeat } of wanted) {
      await queue.upsertJobScheduler(definition.name, repeat, {
        name: definition.name,
        data: definition.schema.parse({}),
        opts: {
          attempts: 1,
          removeOnComplete: DEFAULT_JOB_OPTIONS.removeOnComplete,
          removeOnFail: DEFAULT_JOB_OPTIONS.removeOnFail,
        },
      })
    }
    const existing = await queue.getJobSchedulers()
    for (const s of existing) {
      if (!wanted.some((w) => w.definition.name === s.key)) {
        await queue.removeJobScheduler(s.key)
        log.info({ queue: queueName, scheduler: s.key }, 'removed a job scheduler that is no longer declared')
      }
    }
  }
}
