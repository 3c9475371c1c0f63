import { Button, Text } from '@react-email/components'
import { EmailLayout, buttonStyle, textStyle } from './layout.tsx'

export type PasswordResetEmailProps = { name: string; resetUrl: string; expiresInMinutes: number }

export function PasswordResetEmail({ name, resetUrl, expiresInMinutes }: PasswordResetEmailProps) {
  return (
    <EmailLayout preview="Reset your Liaison password">
      <Text style={textStyle}>Hello {name},</Text>
      <Text style={textStyle}>Someone asked to reset the password of your Liaison account. If it was you:</Text>
      <Button href={resetUrl} style={buttonStyle}>
        Choose a new password
      </Button>
      <Text style={textStyle}>
        The link works once and expires in {expiresInMinutes} minutes. If you did not ask for this, ignore this email:
        your password stays as it is.
      </Text>
      <Text style={{ ...textStyle, fontSize: '13px', color: '#475569' }}>Or paste this address into your browser: {resetUrl}</Text>
    </EmailLayout>
  )
}
