import { EmptyState, EmptyStateActions } from '@mantine/core'
import { IconScan } from '@tabler/icons-react'
import type { Metadata } from 'next'
import { LinkButton } from '../_components/link-button'

export const metadata: Metadata = { title: 'Analysis' }

export default function AnalysisPage() {
  return (
    <EmptyState
      icon={<IconScan size={32} />}
      variant="light"
      title="Analysis is not available yet"
      description="Text recognition, faces, objects and image properties will run here, on this device. Until then, your library keeps your images ready."
      py="xl"
    >
      <EmptyStateActions>
        <LinkButton href="/library" variant="default">
          Go to the library
        </LinkButton>
      </EmptyStateActions>
    </EmptyState>
  )
}
