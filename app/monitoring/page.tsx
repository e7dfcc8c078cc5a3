import { EmptyState } from '@mantine/core'
import { IconChartLine } from '@tabler/icons-react'
import type { Metadata } from 'next'

export const metadata: Metadata = { title: 'Monitoring' }

export default function MonitoringPage() {
  return (
    <EmptyState
      icon={<IconChartLine size={32} />}
      variant="light"
      title="Nothing to monitor yet"
      description="Error reports, health and performance figures will appear here. Today Sightline sends nothing anywhere except what sync sends once you sign in and turn it on."
      py="xl"
    />
  )
}
