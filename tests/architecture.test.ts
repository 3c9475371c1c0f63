/**
 * The code's shape, checked (what a lint rule would do, without a second toolchain):
 * routes never touch the database directly, app code never imports tests, every page route
 * with params has an error boundary, and server-only modules stay out of browser-safe files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'

const root = join(import.meta.dirname, '..')

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (name === 'generated' || name === 'node_modules') return []
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : []
  })
}

const appFiles = walk(join(root, 'app'))
const routeFiles = appFiles.filter((f) => f.includes(`${join('app', 'routes')}/`))
const read = (f: string) => readFileSync(f, 'utf8')
const imports = (src: string) => [...src.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!)

describe('architecture', () => {
  test('routes reach the database only through app/models', () => {
    const offenders = routeFiles.filter((f) => imports(read(f)).some((i) => /db\.server|generated\/prisma|@prisma\/client/.test(i)))
    expect(offenders.map((f) => relative(root, f))).toEqual([])
  })

  test('app code never imports tests', () => {
    const offenders = appFiles.filter((f) => imports(read(f)).some((i) => i.startsWith('#tests/') || /(^|\/)tests\//.test(i)))
    expect(offenders.map((f) => relative(root, f))).toEqual([])
  })

  test('every page route with params exports an ErrorBoundary', () => {
    const missing = routeFiles.filter((f) => {
      const src = read(f)
      const isPage = /export default function/.test(src)
      const hasParams = /\$/.test(relative(join(root, 'app', 'routes'), f))
      return isPage && hasParams && !/export (const|function) ErrorBoundary/.test(src)
    })
    expect(missing.map((f) => relative(root, f))).toEqual([])
  })

  test('browser-safe modules (no .server suffix, outside routes) import no server-only module', () => {
    const shared = appFiles.filter(
      (f) => !f.includes('.server.') && !f.includes(`${join('app', 'routes')}/`) && !/app\/(entry\.server|server|root)\.tsx?$/.test(f),
    )
    const offenders = shared.filter((f) => imports(read(f)).some((i) => /\.server(\.tsx?)?$/.test(i)))
    expect(offenders.map((f) => relative(root, f))).toEqual([])
  })
})
