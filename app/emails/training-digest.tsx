import { Button, Heading, Link, Section, Text } from '@react-email/components'
import { EmailLayout, buttonStyle, textStyle } from './layout.tsx'

/** One line of the digest: a training of the recipient's own, or (team) of someone they manage. */
export type DigestItem = {
  module: string
  /** "due 29 Nov 2026", "3 days overdue (due 19 Nov 2026)". */
  when: string
  /** Why a refresher was assigned ("Epic upgraded from 2025.2 to 2026.1"), if it is one. */
  why?: string | null
}
export type DigestTeamItem = DigestItem & { member: string }

export type TrainingDigestEmailProps = {
  name: string
  orgName: string
  /** The local date the digest is for, e.g. "Sunday 22 November 2026". */
  dateLabel: string
  overdue: DigestItem[]
  dueSoon: DigestItem[]
  refreshers: DigestItem[]
  /** Escalations: people the recipient manages (or covers for) whose training is overdue. */
  team: DigestTeamItem[]
  trainingUrl: string
  /** The adoption report, when the recipient may open it. */
  teamUrl: string | null
  inboxUrl: string
  /** Go-live gate tasks of the last day (app/models/readiness/gate-tasks.server.ts): exemptions expiring, a gate failing before a go-live. */
  gateTasks?: { title: string; body: string | null; url: string }[]
}

const headingStyle = { fontSize: '16px', fontWeight: 700, color: '#0f172a', margin: '20px 0 4px' } as const
const itemStyle = { ...textStyle, margin: '4px 0' } as const
const noteStyle = { fontSize: '13px', lineHeight: '19px', color: '#475569', margin: '0 0 4px 12px' } as const

function Items({ title, items }: { title: string; items: (DigestItem & { member?: string })[] }) {
  if (!items.length) return null
  return (
    <Section>
      <Heading as="h2" style={headingStyle}>
        {title}
      </Heading>
      {items.map((i, k) => (
        <div key={k}>
          <Text style={itemStyle}>
            • {i.member ? <strong>{i.member}: </strong> : null}
            {i.member ? i.module : <strong>{i.module}</strong>} — {i.when}
          </Text>
          {i.why ? <Text style={noteStyle}>{i.why}</Text> : null}
        </div>
      ))}
    </Section>
  )
}

/** The daily training digest: at most one a day per person, with everything new since the last. */
export function TrainingDigestEmail(p: TrainingDigestEmailProps) {
  const own = p.overdue.length + p.dueSoon.length + p.refreshers.length
  return (
    <EmailLayout preview={trainingDigestSubject(p)}>
      <Text style={textStyle}>Hello {p.name},</Text>
      <Text style={textStyle}>
        Your training reminders in <strong>{p.orgName}</strong> for {p.dateLabel}.
      </Text>
      <Items title="Overdue" items={p.overdue} />
      <Items title="Due soon" items={p.dueSoon} />
      <Items title="Refreshers" items={p.refreshers} />
      {own ? (
        <Button href={p.trainingUrl} style={buttonStyle}>
          Open my training
        </Button>
      ) : null}
      {p.team.length ? (
        <>
          <Items title="Your team: overdue after three reminders" items={p.team} />
          <Text style={textStyle}>
            They have had three reminders; a word from you usually does it.
            {p.teamUrl ? (
              <>
                {' '}
                Everyone’s progress: <Link href={p.teamUrl}>training adoption</Link>
              </>
            ) : null}
          </Text>
        </>
      ) : null}
      {p.gateTasks?.length ? (
        <Section>
          <Heading as="h2" style={headingStyle}>
            Go-live gate tasks
          </Heading>
          {p.gateTasks.map((t, k) => (
            <div key={k}>
              <Text style={itemStyle}>
                • <Link href={t.url}>{t.title}</Link>
              </Text>
              {t.body ? <Text style={noteStyle}>{t.body}</Text> : null}
            </div>
          ))}
        </Section>
      ) : null}
      <Text style={{ ...textStyle, fontSize: '13px', color: '#475569' }}>
        You get at most one of these a day, never during your organisation’s quiet hours. Every reminder is also in your
        Liaison inbox: <Link href={p.inboxUrl}>open the inbox</Link>
      </Text>
    </EmailLayout>
  )
}

export function trainingDigestSubject(p: Pick<TrainingDigestEmailProps, 'orgName' | 'overdue' | 'dueSoon' | 'refreshers' | 'team' | 'gateTasks'>) {
  const parts = [
    p.overdue.length ? `${p.overdue.length} overdue` : null,
    p.dueSoon.length ? `${p.dueSoon.length} due soon` : null,
    p.refreshers.length ? `${p.refreshers.length} refresher${p.refreshers.length === 1 ? '' : 's'}` : null,
    p.team.length ? `${p.team.length} overdue in your team` : null,
    p.gateTasks?.length ? `${p.gateTasks.length} go-live gate task${p.gateTasks.length === 1 ? '' : 's'}` : null,
  ].filter(Boolean)
  return `Training in ${p.orgName}: ${parts.join(', ') || 'nothing new'}`
}
