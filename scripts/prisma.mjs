#!/usr/bin/env node
// Runs the unchanged Prisma CLI. Where Prisma's native schema engine could not be downloaded
// (offline machines, see docs/decisions/004-migrations.md), it points the CLI at our stand-in
// that runs Prisma's own engine compiled to WebAssembly.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const enginesDir = join(root, 'node_modules', '@prisma', 'engines')
const hasNative =
  existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith('schema-engine'))
const env = { ...process.env }
if (!hasNative && !env.PRISMA_SCHEMA_ENGINE_BINARY) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = join(root, 'scripts', 'prisma-engine', 'schema-engine-shim.mjs')
}
const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js')
const r = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env, cwd: root })
process.exit(r.status ?? 1)
