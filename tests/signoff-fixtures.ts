/**
 * UAT rows for the sign-off's tests, written straight through Prisma (the scenario, run and
 * defect writers are another module's): they set up the situation a clinical lead signs.
 */
import type { UatEnvironment, UatResult } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'

type Org = { organizationId: string }

/** The next scenario of the project (S-n), about an interface or the whole project. */
export async function makeScenario(scope: Org, input: { projectId: string; interfaceId?: string | null; authorId?: string | null; title?: string; steps?: string }) {
  const last = await prisma.uatScenario.aggregate({ where: { projectId: input.projectId }, _max: { number: true } })
  const number = (last._max.number ?? 0) + 1
  return prisma.uatScenario.create({
    data: {
      organizationId: scope.organizationId,
      projectId: input.projectId,
      interfaceId: input.interfaceId ?? null,
      number,
      title: input.title ?? `Scenario ${number}`,
      preconditions: 'A test patient exists in the sandbox.',
      steps: input.steps ?? 'Send an ORU^R01 with a potassium result.',
      expectedResult: 'The result files to the patient’s chart with its LOINC code.',
      edgeCases: ['unexpected_codes', 'null_values'],
      priority: 'high',
      authorId: input.authorId ?? null,
    },
  })
}

export async function makeRun(scope: Org, input: { projectId: string; scenarioId: string; result?: UatResult; environment?: UatEnvironment; testerId?: string | null; executedAt?: Date; notes?: string }) {
  return prisma.uatRun.create({
    data: {
      organizationId: scope.organizationId,
      projectId: input.projectId,
      scenarioId: input.scenarioId,
      result: input.result ?? 'pass',
      environment: input.environment ?? 'test',
      testerId: input.testerId ?? null,
      notes: input.notes ?? 'Filed as expected.',
      executedAt: input.executedAt ?? new Date(),
    },
  })
}

export async function makeDefect(scope: Org, input: { projectId: string; scenarioId?: string | null; severity?: number; title?: string; status?: 'open' | 'fixed' }) {
  const last = await prisma.uatDefect.aggregate({ where: { projectId: input.projectId }, _max: { number: true } })
  return prisma.uatDefect.create({
    data: {
      organizationId: scope.organizationId,
      projectId: input.projectId,
      number: (last._max.number ?? 0) + 1,
      title: input.title ?? 'Reference range missing on the chart',
      severity: input.severity ?? 3,
      status: input.status ?? 'open',
      scenarioId: input.scenarioId ?? null,
    },
  })
}

/** Gives a member a letter on the project's UAT activity (the plan's 'uat' step). */
export async function holdUat(scope: Org, input: { projectId: string; membershipId: string; letter: 'R' | 'A' | 'C' | 'I' }) {
  const activity = await prisma.raciActivity.findFirstOrThrow({ where: { organizationId: scope.organizationId, projectId: input.projectId, step: { standardKey: 'uat' } } })
  return prisma.raciAssignment.upsert({
    where: { activityId_membershipId: { activityId: activity.id, membershipId: input.membershipId } },
    create: { organizationId: scope.organizationId, projectId: input.projectId, activityId: activity.id, membershipId: input.membershipId, letter: input.letter },
    update: { letter: input.letter },
  })
}
