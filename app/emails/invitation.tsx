import { Button, Text } from '@react-email/components'
import { EmailLayout, buttonStyle, textStyle } from './layout.tsx'

export type InvitationEmailProps = {
  orgName: string
  inviterName: string
  roleLabel: string
  acceptUrl: string
  expiresAt: string
}

export function InvitationEmail({ orgName, inviterName, roleLabel, acceptUrl, expiresAt }: InvitationEmailProps) {
  return (
    <EmailLayout preview={`${inviterName} invited you to ${orgName} on Liaison`}>
      <Text style={textStyle}>
        {inviterName} invited you to join <strong>{orgName}</strong> on Liaison as <strong>{roleLabel}</strong>.
      </Text>
      <Button href={acceptUrl} style={buttonStyle}>
        Accept the invitation
      </Button>
      <Text style={textStyle}>This link works once and expires on {expiresAt}.</Text>
      <Text style={{ ...textStyle, fontSize: '13px', color: '#475569' }}>Or paste this address into your browser: {acceptUrl}</Text>
    </EmailLayout>
  )
}
