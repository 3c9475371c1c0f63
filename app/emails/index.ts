import { render } from '@react-email/render'
import { createElement, type ReactElement } from 'react'
import { InvitationEmail, type InvitationEmailProps } from './invitation.tsx'
import { PasswordChangedEmail, type PasswordChangedEmailProps } from './password-changed.tsx'
import { PasswordResetEmail, type PasswordResetEmailProps } from './password-reset.tsx'
import { TrainingDigestEmail, trainingDigestSubject, type TrainingDigestEmailProps } from './training-digest.tsx'

/** Every email Liaison sends: its props, element and subject. Routes and jobs share it. */
type EmailMap = {
  invitation: InvitationEmailProps
  'password-reset': PasswordResetEmailProps
  'password-changed': PasswordChangedEmailProps
  'training-digest': TrainingDigestEmailProps
}
export type EmailTemplate = keyof EmailMap
export type EmailProps<T extends EmailTemplate> = EmailMap[T]

const EMAILS: { [T in EmailTemplate]: { element: (p: EmailMap[T]) => ReactElement; subject: (p: EmailMap[T]) => string } } = {
  invitation: {
    element: (p) => createElement(InvitationEmail, p),
    subject: (p) => `You're invited to ${p.orgName} on Liaison`,
  },
  'password-reset': {
    element: (p) => createElement(PasswordResetEmail, p),
    subject: () => 'Reset your Liaison password',
  },
  'password-changed': {
    element: (p) => createElement(PasswordChangedEmail, p),
    subject: () => 'Your Liaison password was changed',
  },
  'training-digest': {
    element: (p) => createElement(TrainingDigestEmail, p),
    subject: (p) => trainingDigestSubject(p),
  },
}

export async function renderEmail<T extends EmailTemplate>(template: T, props: EmailProps<T>) {
  const def = EMAILS[template] as { element: (p: EmailProps<T>) => ReactElement; subject: (p: EmailProps<T>) => string }
  const element = def.element(props)
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })])
  return { subject: def.subject(props), html, text }
}
