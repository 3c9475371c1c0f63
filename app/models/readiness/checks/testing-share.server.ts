/**
 * Testing ≥ 30 % of the timeline (the seed: "allocate at least 30 % of the timeline to
 * testing"): the planned span of phase 3 over the delivery timeline, phases 1–4, as the plan
 * computes it (`testingShare` in app/models/projects/plan.ts).
 */
import { testingShare } from '#app/models/projects/plan.ts'
import { MIN_TESTING_SHARE } from '#app/models/projects/vocabulary.ts'
import { defineCheck } from './define.server.ts'

export default defineCheck({
  key: 'testing_share',
  title: 'Testing ≥ 30 % of the timeline',
  description: 'Testing & validation is planned over at least 30 % of the delivery timeline (phases 1–4).',
  weight: 1,
  level: 'design',
  appliesTo: 'project',
  evaluate(project, _data, { links }) {
    const share = testingShare(project.phases)
    const aim = Math.round(MIN_TESTING_SHARE * 100)
    if (share === null) return { status: 'fail', why: 'The plan has phases without dates: plan every phase to see testing’s share.', link: links.plan }
    const pct = Math.round(share * 1000) / 10
    // NOTE: judged on the share itself, not on the rounded figure (29.96 % shows as 30 % but does not pass).
    if (share + 1e-9 >= MIN_TESTING_SHARE) return { status: 'pass', why: `Testing has ${pct} % of the timeline (at least ${aim} %).`, link: null }
    return { status: 'fail', why: `Testing has ${pct} % of the timeline: give it at least ${aim} %.`, link: links.plan }
  },
})
