/**
 * Which intents a route's action handles, read from its source with the TypeScript compiler
 * API (no build, no type checking: the syntax tree of the route file and of the files its
 * constants come from). The isolation sweep (tests/tenant-isolation.test.ts) compares them with
 * the intents the route's spec knows, so an action that learns a new intent fails the sweep
 * until the spec says how to send it.
 *
 * What counts as "the action handles intent x" — the ways the actions of this app read it:
 *
 *   form.get('intent') === 'x'        (also !==, ==, !=; through `const intent = …`, String(…), ?? '')
 *   switch (intent) { case 'x': … }   (also `switch (v.intent)`)
 *   z.discriminatedUnion('intent', [z.object({ intent: z.literal('x'), … }), …])
 *   z.object({ intent: z.enum(['x', 'y']) })   (also z.enum(LIST) with LIST a literal list,
 *                                                here or imported: `export const LIST = [...] as const`)
 *   CAN[intent], { x: …, y: … }[v.intent]     (the keys of a table looked up by the intent)
 *   ['x', 'y'].includes(intent)
 *
 * Only the action and what it uses (top-level schemas, tables, helpers of the file, constants it
 * imports) is read: a component comparing `data.intent` to decide which form shows an error is
 * not the action. Where the intent is looked up in something that is not a literal list or
 * table, the place is reported as `unresolved`: the sweep fails rather than guess.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export type IntentDiscovery = {
  /** The file has an `action` export. */
  hasAction: boolean
  /** The intent values the action handles, sorted. */
  intents: string[]
  /** Places where the action reads the intent from something that is not a literal, as sentences. */
  unresolved: string[]
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The files an import specifier of `fromFile` may name, as package.json "imports" and relative paths resolve it. */
function candidatesOf(specifier: string, fromFile: string): string[] {
  const aliases: Record<string, string> = { '#app/': 'app/', '#jobs/': 'jobs/', '#tests/': 'tests/' }
  let target: string | null = null
  for (const [alias, dir] of Object.entries(aliases)) {
    if (specifier.startsWith(alias)) target = path.join(projectRoot, dir, specifier.slice(alias.length))
  }
  if (!target && specifier.startsWith('.')) target = path.resolve(path.dirname(fromFile), specifier)
  // A package: none of the app's intents live there.
  return target ? [target, `${target}.ts`, `${target}.tsx`, path.join(target, 'index.ts')] : []
}

/** The source file an import of `from` names, or null (a package, or no such file). */
function loadImport(specifier: string, from: ts.SourceFile, load: Loader): ts.SourceFile | null {
  for (const file of candidatesOf(specifier, from.fileName)) {
    const source = load(file)
    if (source) return source
  }
  return null
}

type Loader = (file: string) => ts.SourceFile | null

const cache = new Map<string, ts.SourceFile | null>()
const loadFromDisk: Loader = (file) => {
  if (!cache.has(file)) {
    cache.set(file, existsSync(file) && statSync(file).isFile() ? ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, scriptKindOf(file)) : null)
  }
  return cache.get(file)!
}
const scriptKindOf = (file: string) => (file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)

/** The intents of the action in a route file on disk. */
export function discoverIntents(file: string): IntentDiscovery {
  const source = loadFromDisk(path.resolve(file))
  if (!source) throw new Error(`no such route file: ${file}`)
  return discoverIntentsIn(source, loadFromDisk)
}

/** The intents of the action in `code` (a module's source); its imports are read through `load`. */
export function discoverIntentsInSource(code: string, fileName = path.join(projectRoot, 'app/routes/example.tsx'), load: Loader = loadFromDisk) {
  return discoverIntentsIn(ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, scriptKindOf(fileName)), load)
}

// ───────────────────────────── the syntax ─────────────────────────────

/** Strips what does not change a value: parentheses, `as`, `!`, `satisfies`. */
function unwrap(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) {
      e = e.expression
    } else return e
  }
}

const stringOf = (e: ts.Expression): string | null => {
  const u = unwrap(e)
  return ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u) ? u.text : null
}

const propertyName = (name: ts.PropertyName): string | null =>
  ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) ? name.text : null

/** The top-level declarations of a file, by name: variables, functions, and imports (with their source). */
type TopLevel = {
  values: Map<string, ts.Node>
  imports: Map<string, { specifier: string; imported: string }>
  reexports: Map<string, { specifier: string; imported: string }>
  starExports: string[]
}

function topLevelOf(source: ts.SourceFile): TopLevel {
  const top: TopLevel = { values: new Map(), imports: new Map(), reexports: new Map(), starExports: [] }
  for (const st of source.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) top.values.set(d.name.text, d)
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) {
      top.values.set(st.name.text, st)
    } else if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const bindings = st.importClause?.namedBindings
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) {
          top.imports.set(el.name.text, { specifier: st.moduleSpecifier.text, imported: (el.propertyName ?? el.name).text })
        }
      }
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      if (!st.exportClause) top.starExports.push(st.moduleSpecifier.text)
      else if (ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          top.reexports.set(el.name.text, { specifier: st.moduleSpecifier.text, imported: (el.propertyName ?? el.name).text })
        }
      }
    }
  }
  return top
}

/** The initializer of a constant named `name` in `source` (or where `source` imports it from). */
function resolveConstant(name: string, source: ts.SourceFile, load: Loader, depth = 0): ts.Expression | null {
  if (depth > 6) return null
  const top = topLevelOf(source)
  const local = top.values.get(name)
  if (local) return ts.isVariableDeclaration(local) && local.initializer ? local.initializer : null
  const from = top.imports.get(name) ?? top.reexports.get(name)
  if (from) {
    const target = loadImport(from.specifier, source, load)
    return target ? resolveConstant(from.imported, target, load, depth + 1) : null
  }
  // `export * from './x.ts'` — only when we were asked for an export of this file.
  if (depth > 0) {
    for (const specifier of top.starExports) {
      const target = loadImport(specifier, source, load)
      const found = target ? resolveConstant(name, target, load, depth + 1) : null
      if (found) return found
    }
  }
  return null
}

type Ctx = { source: ts.SourceFile; load: Loader; depth?: number }

/** The strings of a literal list (`['a', 'b'] as const`, with spreads of other lists), or null. */
function stringsOfList(e: ts.Expression, ctx: Ctx): string[] | null {
  const u = unwrap(e)
  if (ts.isArrayLiteralExpression(u)) {
    const out: string[] = []
    for (const el of u.elements) {
      if (ts.isSpreadElement(el)) {
        const inner = stringsOfList(el.expression, ctx)
        if (!inner) return null
        out.push(...inner)
        continue
      }
      const s = stringOf(el)
      if (s === null) return null
      out.push(s)
    }
    return out
  }
  const viaConstant = valueOfIdentifier(u, ctx)
  return viaConstant ? stringsOfList(viaConstant.expression, viaConstant.ctx) : null
}

/** The keys of a literal table (`{ a: …, 'b-c': … }`), or null. */
function keysOfTable(e: ts.Expression, ctx: Ctx): string[] | null {
  const u = unwrap(e)
  if (ts.isObjectLiteralExpression(u)) {
    const out: string[] = []
    for (const p of u.properties) {
      if (ts.isSpreadAssignment(p)) {
        const inner = keysOfTable(p.expression, ctx)
        if (!inner) return null
        out.push(...inner)
        continue
      }
      const key = p.name ? propertyName(p.name) : null
      if (key === null) return null
      out.push(key)
    }
    return out
  }
  const viaConstant = valueOfIdentifier(u, ctx)
  return viaConstant ? keysOfTable(viaConstant.expression, viaConstant.ctx) : null
}

/** An identifier's constant value, with the file it was found in (to resolve its own names). */
function valueOfIdentifier(e: ts.Expression, ctx: Ctx): { expression: ts.Expression; ctx: Ctx } | null {
  if (!ts.isIdentifier(e) || (ctx.depth ?? 0) > 6) return null
  const top = topLevelOf(ctx.source)
  if (top.values.has(e.text)) {
    const init = resolveConstant(e.text, ctx.source, ctx.load)
    return init ? { expression: init, ctx: { ...ctx, depth: (ctx.depth ?? 0) + 1 } } : null
  }
  const from = top.imports.get(e.text)
  if (!from) return null
  const target = loadImport(from.specifier, ctx.source, ctx.load)
  if (!target) return null
  // Follow the name to the file that declares it, so its own identifiers resolve there.
  const declaring = findDeclaringFile(from.imported, target, ctx.load)
  if (!declaring) return null
  const init = resolveConstant(from.imported, declaring, ctx.load)
  return init ? { expression: init, ctx: { source: declaring, load: ctx.load, depth: (ctx.depth ?? 0) + 1 } } : null
}

function findDeclaringFile(name: string, source: ts.SourceFile, load: Loader, depth = 0): ts.SourceFile | null {
  if (depth > 6) return null
  const top = topLevelOf(source)
  if (top.values.has(name)) return source
  const from = top.reexports.get(name) ?? top.imports.get(name)
  const specifiers = from ? [from.specifier] : top.starExports
  for (const specifier of specifiers) {
    const target = loadImport(specifier, source, load)
    const found = target ? findDeclaringFile(from?.imported ?? name, target, load, depth + 1) : null
    if (found) return found
  }
  return null
}

/**
 * The values a zod schema of the intent allows: `z.literal('x')`, `z.enum([...])`, `z.enum(LIST)`,
 * with any chain after them (`.optional()`, `.default('x')`). Null when their argument is not a
 * literal; undefined for a schema that does not name values (`z.string()`: the action's
 * comparisons then say which intents it handles).
 */
function stringsOfZod(e: ts.Expression, ctx: Ctx): string[] | null | undefined {
  let u = unwrap(e)
  // Walk down a chain like z.enum([...]).optional().default('x') to its root call.
  while (ts.isCallExpression(u) && ts.isPropertyAccessExpression(u.expression) && ts.isCallExpression(unwrap(u.expression.expression))) {
    u = unwrap(u.expression.expression)
  }
  if (!ts.isCallExpression(u) || !ts.isPropertyAccessExpression(u.expression)) return undefined
  const method = u.expression.name.text
  const arg = u.arguments[0]
  if (method === 'literal') {
    const s = arg ? stringOf(arg) : null
    return s === null ? null : [s]
  }
  if (method === 'enum') return arg ? stringsOfList(arg, ctx) : null
  return undefined
}

/**
 * Names of variables that hold the intent: `const intent = form.get('intent')`,
 * `const { intent } = submission.value`, `const kind = String(fd.get('intent') ?? '')`.
 */
function intentVariables(nodes: ts.Node[]): Set<string> {
  const names = new Set<string>(['intent'])
  let grew = true
  while (grew) {
    grew = false
    const visit = (n: ts.Node) => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && !names.has(n.name.text) && isIntentExpression(n.initializer, names)) {
        names.add(n.name.text)
        grew = true
      }
      if (ts.isBindingElement(n) && ts.isIdentifier(n.name) && !names.has(n.name.text)) {
        const key = n.propertyName ? propertyName(n.propertyName) : n.name.text
        if (key === 'intent') {
          names.add(n.name.text)
          grew = true
        }
      }
      ts.forEachChild(n, visit)
    }
    nodes.forEach(visit)
  }
  return names
}

/** Whether an expression is the submitted intent. */
function isIntentExpression(e: ts.Expression, variables: Set<string>): boolean {
  const u = unwrap(e)
  if (ts.isIdentifier(u)) return variables.has(u.text)
  if (ts.isPropertyAccessExpression(u)) return u.name.text === 'intent'
  if (ts.isElementAccessExpression(u)) return stringOf(u.argumentExpression) === 'intent'
  if (ts.isBinaryExpression(u) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(u.operatorToken.kind)) {
    return isIntentExpression(u.left, variables)
  }
  if (ts.isCallExpression(u)) {
    const callee = unwrap(u.expression)
    // form.get('intent'), formData.getAll('intent')
    if (ts.isPropertyAccessExpression(callee) && ['get', 'getAll'].includes(callee.name.text)) return stringOf(u.arguments[0] ?? ts.factory.createNull()) === 'intent'
    // String(x), x.toString(), x.trim()
    if (ts.isIdentifier(callee) && callee.text === 'String' && u.arguments[0]) return isIntentExpression(u.arguments[0], variables)
    if (ts.isPropertyAccessExpression(callee) && ['toString', 'trim', 'toLowerCase'].includes(callee.name.text)) return isIntentExpression(callee.expression, variables)
  }
  return false
}

const EQUALITY = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]

/** The action and every top-level declaration of the file it uses, transitively. */
function actionClosure(source: ts.SourceFile): ts.Node[] | null {
  const top = topLevelOf(source)
  const action = top.values.get('action')
  if (!action) return null
  const seen = new Set<ts.Node>([action])
  const queue: ts.Node[] = [action]
  while (queue.length) {
    const node = queue.shift()!
    const visit = (n: ts.Node) => {
      if (ts.isIdentifier(n)) {
        const decl = top.values.get(n.text)
        if (decl && !seen.has(decl)) {
          seen.add(decl)
          queue.push(decl)
        }
      }
      ts.forEachChild(n, visit)
    }
    ts.forEachChild(node, visit)
  }
  return [...seen]
}

function discoverIntentsIn(source: ts.SourceFile, load: Loader): IntentDiscovery {
  const nodes = actionClosure(source)
  if (!nodes) return { hasAction: false, intents: [], unresolved: [] }
  const ctx: Ctx = { source, load }
  const variables = intentVariables(nodes)
  const intents = new Set<string>()
  const unresolved: string[] = []
  const where = (n: ts.Node) => {
    const { line } = source.getLineAndCharacterOfPosition(n.getStart(source))
    return `${path.relative(projectRoot, source.fileName)}:${line + 1} \`${n.getText(source).replace(/\s+/g, ' ').slice(0, 80)}\``
  }
  const add = (values: string[] | null, node: ts.Node, what: string) => {
    if (values) values.forEach((v) => intents.add(v))
    else unresolved.push(`${where(node)}: ${what} is not a literal the sweep can read`)
  }

  const visit = (n: ts.Node) => {
    // form.get('intent') === 'x'
    if (ts.isBinaryExpression(n) && EQUALITY.includes(n.operatorToken.kind)) {
      const [a, b] = [n.left, n.right]
      if (isIntentExpression(a, variables) && stringOf(b) !== null) intents.add(stringOf(b)!)
      if (isIntentExpression(b, variables) && stringOf(a) !== null) intents.add(stringOf(a)!)
    }
    // switch (intent) { case 'x': … }
    if (ts.isSwitchStatement(n) && isIntentExpression(n.expression, variables)) {
      for (const clause of n.caseBlock.clauses) {
        if (ts.isCaseClause(clause)) add(stringOf(clause.expression) === null ? null : [stringOf(clause.expression)!], clause.expression, 'the case')
      }
    }
    // CAN[intent], { a: …, b: … }[v.intent]
    if (ts.isElementAccessExpression(n) && isIntentExpression(n.argumentExpression, variables)) {
      add(keysOfTable(n.expression, ctx), n, 'the table looked up by the intent')
    }
    // ['a', 'b'].includes(intent)
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'includes' &&
      n.arguments[0] &&
      isIntentExpression(n.arguments[0], variables)
    ) {
      add(stringsOfList(n.expression.expression, ctx), n, 'the list the intent is looked up in')
    }
    // z.object({ intent: z.literal('x') }), z.object({ intent: z.enum([...]) })
    if (ts.isPropertyAssignment(n) && propertyName(n.name) === 'intent' && isZodExpression(n.initializer)) {
      const values = stringsOfZod(n.initializer, ctx)
      if (values !== undefined) add(values, n, 'the schema of the intent')
    }
    ts.forEachChild(n, visit)
  }
  nodes.forEach((n) => ts.forEachChild(n, visit))
  return { hasAction: true, intents: [...intents].sort(), unresolved }
}

/** `z.…(…)` (possibly chained): the schema of a field, not a value sent back to the page. */
function isZodExpression(e: ts.Expression): boolean {
  let u = unwrap(e)
  while (ts.isCallExpression(u) || ts.isPropertyAccessExpression(u)) u = unwrap(u.expression)
  return ts.isIdentifier(u) && u.text === 'z'
}
