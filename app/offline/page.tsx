import { Stack, Text, Title } from '@mantine/core'
import type { Metadata } from 'next'
import { LinkButton } from '../_components/link-button'

export const metadata: Metadata = { title: 'Offline' }

/** What the service worker shows for a page it has not stored while the network is off. */
export default function OfflinePage() {
  return (
    <Stack maw={560} gap="md">
      <Title order={2}>You are offline</Title>
      <Text>
        This page is not stored on this device. Your library, analysis, editing and settings work
        without a connection; sync resumes by itself when the network returns.
      </Text>
      <LinkButton href="/library">Open the library</LinkButton>
    </Stack>
  )
}
