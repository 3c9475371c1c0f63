import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { ExpressAdapter } from '@bull-board/express'
import type { Express, NextFunction, Request, Response } from 'express'
import { getSession } from '#app/utils/session.server.ts'
import { getQueue } from '#app/utils/queue.server.ts'
import { QUEUES } from './definitions.ts'

/**
 * bull-board over every queue. Queues hold every tenant's jobs, so the dashboard belongs to
 * platform operators (User.isOperator), not to an organisation's admins; anyone else gets 404.
 */
export async function mountJobDashboard(app: Express, basePath: string) {
  const serverAdapter = new ExpressAdapter()
  serverAdapter.setBasePath(basePath)
  createBullBoard({
    queues: QUEUES.map((q) => new BullMQAdapter(getQueue(q))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Liaison jobs' } },
  })
  const guard = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const request = new globalThis.Request(new URL(req.originalUrl, 'http://local'), {
        headers: { cookie: req.get('cookie') ?? '' },
      })
      const session = await getSession(request)
      if (!session?.user.isOperator) {
        res.status(404).type('text/plain').send('Not found')
        return
      }
      // bull-board's UI uses inline scripts and styles of its own.
      res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
      next()
    } catch (e) {
      next(e)
    }
  }
  app.use(basePath, guard, serverAdapter.getRouter())
}
