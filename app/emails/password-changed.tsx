import { Text } from '@react-email/components'
import { EmailLayout, textStyle } from './layout.tsx'

export type PasswordChangedEmailProps = { name: string; when: string; supportHint: string }

export function PasswordChangedEmail({ name, when, supportHint }: PasswordChangedEmailProps) {
  return (
    <EmailLayout preview="Your Liaison password was changed">
      <Text style={textStyle}>Hello {name},</Text>
      <Text style={textStyle}>
        The password of your Liaison account was changed on {when}. Every other signed-in session was ended.
      </Text>
      <Text style={textStyle}>{supportHint}</Text>
    </EmailLayout>
  )
}
