import { Body, Container, Head, Hr, Html, Preview, Section, Text } from '@react-email/components'
import type { ReactNode } from 'react'

export function EmailLayout({ preview, children }: { preview: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head>
        {/* A document title: screen readers and "view in browser" announce it. */}
        <title>{preview}</title>
      </Head>
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: '#f1f5f9', fontFamily: 'Helvetica, Arial, sans-serif', margin: 0 }}>
        <Container style={{ backgroundColor: '#ffffff', margin: '24px auto', padding: '32px', maxWidth: '560px', borderRadius: '8px' }}>
          <Text style={{ fontSize: '20px', fontWeight: 700, color: '#174c99', margin: '0 0 16px' }}>Liaison</Text>
          <Section>{children}</Section>
          <Hr style={{ borderColor: '#e2e8f0', margin: '24px 0' }} />
          <Text style={{ fontSize: '12px', color: '#64748b' }}>
            Liaison keeps your integration projects accountable. You received this email because of an action in
            Liaison; if it was not expected, you can ignore it.
          </Text>
        </Container>
      </Body>
    </Html>
  )
}

export const buttonStyle = {
  backgroundColor: '#174c99',
  color: '#ffffff',
  padding: '12px 20px',
  borderRadius: '6px',
  textDecoration: 'none',
  fontWeight: 600,
  display: 'inline-block',
} as const
export const textStyle = { fontSize: '15px', lineHeight: '22px', color: '#0f172a' } as const
