/**
 * The registry of readiness checks, in the order the scorecard shows them (by level). Adding a
 * check is one file in this folder (see define.server.ts) and its line here; a test
 * (registry.test.ts) fails when a check file is not listed or two checks share a key.
 */
import type { ReadinessCheck } from './define.server.ts'
import mappingCoverage from './mapping-coverage.server.ts'
import noSprawl from './no-sprawl.server.ts'
import pilotDefined from './pilot-defined.server.ts'
import raciValid from './raci-valid.server.ts'
import regressionTested from './regression-tested.server.ts'
import security from './security.server.ts'
import standards from './standards.server.ts'
import testingShare from './testing-share.server.ts'
import training from './training.server.ts'
import uat from './uat.server.ts'

// `any`: each check loads its own shape of data; the runner hands each evaluator what its own loader answered.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const CHECKS: readonly ReadinessCheck<any>[] = [
  // Design complete
  standards,
  noSprawl,
  mappingCoverage,
  testingShare,
  raciValid,
  // UAT-ready
  uat,
  regressionTested,
  // Go-live ready
  security,
  pilotDefined,
  training,
]

export const CHECK_KEYS = CHECKS.map((c) => c.key)
export const checkByKey = (key: string) => CHECKS.find((c) => c.key === key) ?? null
