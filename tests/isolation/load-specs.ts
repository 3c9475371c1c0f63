/**
 * Collects every domain's isolation specs: each `tests/isolation/<domain>.spec.ts` default-
 * exports `defineSpecs(domain, routes)`. A new domain adds a file here; nothing else changes.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { DomainSpecs, RouteSpec } from './spec.ts'

const dir = path.dirname(fileURLToPath(import.meta.url))

export type LoadedSpec = { domain: string; file: string; spec: RouteSpec }

export async function loadSpecs(): Promise<LoadedSpec[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.spec.ts'))
    .sort()
  if (!files.length) throw new Error(`no *.spec.ts in ${dir}`)
  const loaded: LoadedSpec[] = []
  for (const file of files) {
    const mod = (await import(/* @vite-ignore */ pathToFileURL(path.join(dir, file)).href)) as { default?: DomainSpecs }
    if (!mod.default?.routes) throw new Error(`tests/isolation/${file} must \`export default defineSpecs('<domain>', [...])\``)
    for (const spec of mod.default.routes) loaded.push({ domain: mod.default.domain, file: `tests/isolation/${file}`, spec })
  }
  return loaded
}
