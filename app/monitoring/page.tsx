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
      description="Error reports, health and performance figures appear here once the sync gateway is set up. Sightline sends nothing anywhere today."
      py="xl"
    />
  )
}
