/**
 * The app's routes as Remix itself sees them, without a build: remix.config.js's `routes`
 * function (remix-flat-routes) called with Remix's own `defineRoutes`, plus the root route
 * Remix adds, each with its module imported through vite. Tests that must cover every route
 * (tests/tenant-isolation.test.ts) enumerate this instead of keeping a hand list.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { defineRoutes } from '@remix-run/dev/dist/config/routes.js'
import { guardRouteModule } from '#app/utils/route-guard.server.ts'
import remixConfig from '../remix.config.js'

type DataFunction = (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown

export type RouteModule = {
  loader?: DataFunction
  action?: DataFunction
  default?: unknown
}

export type AppRoute = {
  /** Remix's route id, e.g. `routes/o.$orgSlug+/members.$memberId`. */
  id: string
  parentId: string | undefined
  /** Relative to app/, e.g. `routes/o.$orgSlug+/members.$memberId.tsx`. */
  file: string
  /** The URL pattern, e.g. `/o/:orgSlug/members/:memberId`. */
  urlPattern: string
  /** Names of the dynamic segments, in order (`orgSlug`, `memberId`; `*` for a splat). */
  paramNames: string[]
  module: RouteModule
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const appDir = path.join(projectRoot, 'app')

type ManifestEntry = { id: string; parentId?: string; path?: string; index?: boolean; file: string }

export async function loadAppRoutes(): Promise<AppRoute[]> {
  // NOTE: remix-flat-routes reads "app/routes" relative to the working directory, as the
  // Remix compiler does; run vitest from the project root.
  if (path.resolve(process.cwd()) !== projectRoot || !existsSync(path.join(appDir, 'routes'))) {
    throw new Error(`route enumeration must run from the project root (${projectRoot}), not ${process.cwd()}`)
  }
  if (!remixConfig.routes) throw new Error('remix.config.js has no `routes` function: update tests/route-manifest.ts')
  const defined = (await remixConfig.routes(defineRoutes)) as Record<string, ManifestEntry>
  const entries: ManifestEntry[] = [{ id: 'root', path: '', file: 'root.tsx' }, ...Object.values(defined)]
  const byId = new Map(entries.map((e) => [e.id, e]))

  const urlPatternOf = (entry: ManifestEntry): string => {
    const segments: string[] = []
    for (let e: ManifestEntry | undefined = entry; e; e = e.parentId ? byId.get(e.parentId) : undefined) {
      if (e.path) segments.unshift(e.path)
    }
    return `/${segments.join('/')}`.replace(/\/+/g, '/')
  }

  return Promise.all(
    entries.map(async (e) => {
      const urlPattern = urlPatternOf(e)
      // As app/server.ts serves it: every loader and action inside the one error path.
      const module = guardRouteModule((await import(/* @vite-ignore */ path.join(appDir, e.file))) as RouteModule)
      return {
        id: e.id,
        parentId: e.parentId,
        file: e.file,
        urlPattern,
        paramNames: [...[...urlPattern.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!), ...(urlPattern.endsWith('*') ? ['*'] : [])],
        module,
      }
    }),
  )
}

/** The URL of a route with its params filled in. */
export function urlFor(route: Pick<AppRoute, 'urlPattern'>, params: Record<string, string>, search = '') {
  const pathname = route.urlPattern.replace(/:([A-Za-z0-9_]+)|\*$/g, (match, name: string | undefined) => {
    const value = params[name ?? '*']
    if (value === undefined) throw new Error(`no value for ${match} in ${route.urlPattern}`)
    return name ? encodeURIComponent(value) : value
  })
  return `${pathname}${search}`
}
