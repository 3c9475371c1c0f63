/**
 * The go-live gate on EVERY path (issue 11): no code may set an interface's lifecycle to live,
 * take a wave live or start the deployment phase without going through the gate
 * (app/models/readiness/gate.server.ts). This test reads app/ and jobs/ (tests, seeds and the
 * generated client aside) and finds every top-level function that writes the Interface,
 * ProjectWave or ProjectPhase tables — Prisma's create/update/upsert, raw INSERT/UPDATE, the bulk
 * SQL helpers. Each must call the gate, or be listed below with why it cannot make anything live
 * (and the text that keeps it so). A new writer, or a listed one that loses its reason, fails here:
 * route it through the gate, or argue it into the list.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'

const root = join(import.meta.dirname, '..')

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (name === 'generated' || name === 'node_modules') return []
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : []
  })
}

const WRITES = {
  interface: /\.interface\.(create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert)\(|(INSERT\s+INTO|UPDATE)\s+"Interface"|table:\s*'Interface'|(insertRows|updateRows)\([^)]*'Interface'/,
  wave: /\.projectWave\.(create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert)\(|(INSERT\s+INTO|UPDATE)\s+"ProjectWave"|(insertRows|updateRows)\([^)]*'ProjectWave'/,
  phase: /\.projectPhase\.(create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert)\(|(INSERT\s+INTO|UPDATE)\s+"ProjectPhase"|(insertRows|updateRows)\([^)]*'ProjectPhase'/,
} as const
type Table = keyof typeof WRITES

const GUARD = /\bassert(GateOpen|InterfacesMayGoLive)\(/

/** Writers that need no gate call of their own: why, and the text that must stay in them for the reason to hold. */
const ALLOWED: Record<string, { keeps: RegExp; why: string }> = {
  'app/models/projects/projects.server.ts#createProject': { keeps: /projectPhase\.create\(\{\s*data: \{ organizationId: org, projectId: project\.id, kind: phase\.kind, plannedStart/, why: 'creates the five phases not started (the status is not written: its default)' },
  'app/models/projects/projects.server.ts#updatePhase': { keeps: /before\.kind === 'deployment' && before\.status === 'not_started' && input\.status !== 'not_started'/, why: 'refuses to move deployment out of "not started": only startDeployment starts it' },
  'app/models/projects/projects.server.ts#copyBaseline': { keeps: /SET "baselineStart" = "plannedStart", "baselineEnd" = "plannedEnd"/, why: 'copies planned dates to the baseline, no status' },
  'app/models/projects/waves.server.ts#renumber': { keeps: /data: \{ position \}/, why: 'writes positions only' },
  'app/models/projects/waves.server.ts#createWave': { keeps: /projectWave\.create\(\{\s*data: \{\s*organizationId[^}]*?notes: input\.notes \?\? null,\s*\},/, why: 'creates a wave planned (the status is not written: its default)' },
  'app/models/projects/waves.server.ts#updateWave': { keeps: /const data = \{ name: input\.name, units: input\.units, goLive: dateOf\(input\.goLive\), notes: input\.notes \?\? null \}/, why: 'writes name, units, go-live date and notes, never the status' },
  'app/models/inventory/inventory-csv.server.ts#writeInterfaces': { keeps: /return writeRows\(tx, scope, planned, \{/, why: 'hands the interface rows to writeRows, for applyImport only' },
}

type Writer = { id: string; tables: Table[]; text: string; guarded: boolean }

function writers(): Writer[] {
  const out: Writer[] = []
  for (const file of [...walk(join(root, 'app')), ...walk(join(root, 'jobs'))]) {
    const text = readFileSync(file, 'utf8')
    if (!Object.values(WRITES).some((re) => re.test(text))) continue
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
    const rel = relative(root, file)
    const add = (name: string, node: ts.Node) => {
      const body = node.getText(sf)
      const tables = (Object.keys(WRITES) as Table[]).filter((t) => WRITES[t].test(body))
      if (tables.length) out.push({ id: `${rel}#${name}`, tables, text: body, guarded: GUARD.test(body) })
    }
    let named = ''
    for (const st of sf.statements) {
      if (ts.isFunctionDeclaration(st) && st.name) add(st.name.text, st)
      else if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) add(d.name.getText(sf), d)
      else named += st.getText(sf)
    }
    // A write outside any named function (a module-level statement) is never allowed.
    if (Object.values(WRITES).some((re) => re.test(named))) out.push({ id: `${rel}#(module level)`, tables: [], text: named, guarded: false })
  }
  return out
}

describe('the go-live gate on every path', () => {
  const found = writers()

  test('every writer of interfaces, waves or phases calls the gate, or is listed with a reason that still holds', () => {
    const unguarded = found.filter((w) => !w.guarded && !ALLOWED[w.id]).map((w) => `${w.id} writes ${w.tables.join(', ')} without calling assertGateOpen / assertInterfacesMayGoLive`)
    expect(unguarded).toEqual([])
    const broken = found.filter((w) => !w.guarded && ALLOWED[w.id] && !ALLOWED[w.id]!.keeps.test(w.text)).map((w) => `${w.id}: listed because it ${ALLOWED[w.id]!.why}, which no longer holds — route it through the gate`)
    expect(broken).toEqual([])
  })

  test('the guarded paths are the ones the issue names, and the list holds no stale entry', () => {
    expect(found.filter((w) => w.guarded).map((w) => w.id).sort()).toEqual([
      'app/models/inventory/interface.server.ts#createInterface',
      'app/models/inventory/interface.server.ts#updateInterface',
      'app/models/projects/projects.server.ts#startDeployment',
      'app/models/projects/waves.server.ts#markWaveLive',
    ])
    // The import's writers run only from applyImport, which calls the gate before them.
    const csv = readFileSync(join(root, 'app/models/inventory/inventory-csv.server.ts'), 'utf8')
    expect(csv.match(/\bwriteInterfaces\(/g)?.length, 'writeInterfaces: defined once, called once').toBe(2)
    expect(csv.match(/\bwriteRows[(<]/g)?.length, 'writeRows: defined once, called by writeSystems and writeInterfaces').toBe(3)
    const apply = csv.slice(csv.indexOf('export function applyImport('), csv.indexOf('type RowChange'))
    expect(apply.length, 'applyImport is found, followed by the row writers').toBeGreaterThan(100)
    expect(apply.indexOf('assertInterfacesMayGoLive(')).toBeGreaterThan(0)
    expect(apply.indexOf('assertInterfacesMayGoLive(')).toBeLessThan(apply.indexOf('writeInterfaces('))
    const ids = new Set(found.map((w) => w.id))
    expect(Object.keys(ALLOWED).filter((id) => !ids.has(id))).toEqual([])
  })

  test('the scan finds a new unguarded writer (the test can fail)', () => {
    const sample = `export async function sneakLive(tx: Tx, id: string) { await tx.projectWave.update({ where: { id }, data: { status: 'live' } }) }`
    expect(WRITES.wave.test(sample) && !GUARD.test(sample)).toBe(true)
    expect(WRITES.interface.test(`await tx.$executeRaw\`UPDATE "Interface" SET "lifecycle" = 'live'\``)).toBe(true)
    expect(WRITES.interface.test(`await insertRows(tx, 'Interface', COLUMNS, rows)`)).toBe(true)
  })
})
