/**
 * The code's shape. The layer rules are ESLint's `no-restricted-imports` (eslint.config.js,
 * run over the tree by the lint step of `npm test`); this file proves that they fire, on small
 * in-memory files placed where each rule applies, and that every app module is under one.
 * What an import rule cannot say (every page route with params has an error boundary) is
 * checked here directly.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ESLint, type Linter } from 'eslint'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'

const root = join(import.meta.dirname, '..')
const RULE = '@typescript-eslint/no-restricted-imports'

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (name === 'generated' || name === 'node_modules') return []
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : []
  })
}

const appFiles = walk(join(root, 'app')).filter((f) => !f.endsWith('.d.ts'))
const routeFiles = appFiles.filter((f) => f.includes(`${join('app', 'routes')}/`))
const eslint = new ESLint({ cwd: root })

/** The layer-rule messages ESLint gives `code` as if it were the file at `path` (it need not exist). */
async function layerErrors(path: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) })
  return result!.messages.filter((m) => m.ruleId === RULE).map((m) => m.message)
}
const importing = (specifier: string, what = '{ x }') => `import ${what} from '${specifier}'\nexport const y = [${what.replace(/[{}]|type /g, '')}]\n`

describe('layer rules (ESLint)', () => {
  test('routes, components and server utilities reach the database only through app/models', async () => {
    for (const path of ['app/routes/o.$orgSlug+/sample.tsx', 'app/components/sample.tsx', 'app/utils/sample.server.ts', 'app/root.tsx']) {
      for (const specifier of ['#app/utils/db.server.ts', '../utils/db.server', '#app/generated/prisma/client.ts', '@prisma/client']) {
        expect(await layerErrors(path, importing(specifier)), `${specifier} in ${path}`).toEqual(expect.arrayContaining([expect.stringMatching(/Only app\/models/)]))
      }
    }
    // A route calls a model; a model, a job, a seed and a script may open the database.
    expect(await layerErrors('app/routes/o.$orgSlug+/sample.tsx', importing('#app/models/inventory/system.server.ts'))).toEqual([])
    for (const path of ['app/models/sample.server.ts', 'jobs/sample/sample.processor.ts', 'prisma/seed-sample.ts', 'scripts/bench/sample.bench.ts']) {
      expect(await layerErrors(path, importing('#app/utils/db.server.ts', '{ prisma }')), path).toEqual([])
    }
  })

  test('browser code (components, app/utils without .server) imports no server-only module', async () => {
    for (const path of ['app/components/sample.tsx', 'app/utils/sample.ts', 'app/emails/sample.tsx', 'app/entry.client.tsx']) {
      for (const specifier of ['#app/utils/tenant.server.ts', './session.server', 'node:crypto', '@remix-run/node']) {
        expect(await layerErrors(path, importing(specifier)), `${specifier} in ${path}`).toEqual(expect.arrayContaining([expect.stringMatching(/Browser code/)]))
      }
      // Types vanish from the bundle, so a type from a server module is fine.
      expect(await layerErrors(path, importing('@remix-run/node', '{ type SerializeFrom }'))).toEqual([])
      expect(await layerErrors(path, importing('#app/utils/permissions.ts'))).toEqual([])
    }
    // Route modules and server files may: the compiler strips a route's server code from the bundle.
    expect(await layerErrors('app/routes/o.$orgSlug+/sample.tsx', importing('#app/utils/tenant.server.ts'))).toEqual([])
    expect(await layerErrors('app/utils/sample.server.ts', importing('node:crypto'))).toEqual([])
  })

  test('app code never imports tests; tests may', async () => {
    for (const path of ['app/routes/_auth+/sample.tsx', 'app/components/sample.tsx', 'app/models/sample.server.ts', 'app/utils/db.server.ts']) {
      for (const specifier of ['#tests/factories.ts', '../../tests/helpers.ts']) {
        expect(await layerErrors(path, importing(specifier)), `${specifier} in ${path}`).toEqual([expect.stringMatching(/never imports tests/)])
      }
    }
    expect(await layerErrors('app/models/sample.server.test.ts', importing('#tests/factories.ts'))).toEqual([])
  })

  test('every app module is under the layer rules: none escapes them by where it sits', async () => {
    const patternsOf = (config: Linter.Config) => {
      const rule = config.rules?.[RULE]
      const options = (Array.isArray(rule) ? rule[1] : undefined) as { patterns?: { message: string }[] } | undefined
      return (options?.patterns ?? []).map((p) => p.message)
    }
    const uncovered: string[] = []
    const serverCodeInBrowser: string[] = []
    for (const f of appFiles) {
      const messages = patternsOf(await eslint.calculateConfigForFile(f))
      const path = relative(root, f)
      if (!messages.some((m) => /never imports tests/.test(m))) uncovered.push(path)
      const browser = !/\.server\.tsx?$/.test(path) && !path.startsWith('app/routes/') && !/^app\/(root|entry\.server)\.tsx$|^app\/server\.ts$/.test(path)
      if (browser && !messages.some((m) => /Browser code/.test(m))) serverCodeInBrowser.push(path)
    }
    expect(uncovered).toEqual([])
    expect(serverCodeInBrowser).toEqual([])
  })
})

describe('architecture', () => {
  test('every page route with params exports an ErrorBoundary', () => {
    const missing = routeFiles.filter((f) => {
      const src = readFileSync(f, 'utf8')
      const isPage = /export default function/.test(src)
      const hasParams = /\$/.test(relative(join(root, 'app', 'routes'), f))
      return isPage && hasParams && !/export (const|function) ErrorBoundary/.test(src)
    })
    expect(missing.map((f) => relative(root, f))).toEqual([])
  })

  test('every model function that takes a scope takes (scope, input, options) and no more (ADR 018)', () => {
    expect(modelSignatureOffenders(), 'fold the extra arguments into the input object, or into the options object last').toEqual([])
  })
})

/**
 * "file name" of every exported function of app/models/**\/*.server.ts whose first parameter is
 * `scope` and that takes more than (scope, input, options): a fourth parameter, or a third that
 * is not an options object (named opts/options, or typed `TxOption`, `…Options`, `{ … }`).
 */
function modelSignatureOffenders() {
  const isOptions = (p: ts.ParameterDeclaration) =>
    (ts.isIdentifier(p.name) && /^(opts|options)$/.test(p.name.text)) ||
    (p.type !== undefined && (ts.isTypeLiteralNode(p.type) || /\b(TxOption|\w*Options?)\b/.test(p.type.getText())))
  const offenders: string[] = []
  for (const f of appFiles.filter((f) => f.includes(`${join('app', 'models')}/`) && f.endsWith('.server.ts'))) {
    const source = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true)
    const exported: [string, ts.NodeArray<ts.ParameterDeclaration>][] = []
    for (const statement of source.statements) {
      if (!ts.canHaveModifiers(statement) || !ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue
      if (ts.isFunctionDeclaration(statement) && statement.name) exported.push([statement.name.text, statement.parameters])
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) {
          if (d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) exported.push([d.name.getText(source), d.initializer.parameters])
        }
      }
    }
    for (const [name, params] of exported) {
      const [first, , third] = params
      if (!first || !ts.isIdentifier(first.name) || first.name.text !== 'scope') continue
      if (params.length > 3 || (third && !isOptions(third))) offenders.push(`${relative(root, f)} ${name}`)
    }
  }
  return offenders
}
