#!/usr/bin/env node
// Bundles the web server (app/server.ts and what it imports from app/ and jobs/) into
// build/server.js, so production runs plain `node build/server.js`: no TypeScript loader in
// the serving process (about 100 MB less memory than `node --import tsx app/server.ts`).
// Packages stay external; the Remix build (build/index.js) is loaded at run time.
import { build } from 'esbuild'

await build({
  entryPoints: ['app/server.ts'],
  outfile: 'build/server.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
