import type { Metadata } from 'next'
import { Suspense } from 'react'
import { MonitoringScreen } from './monitoring-screen'

export const metadata: Metadata = { title: 'Monitoring' }

export default function MonitoringPage() {
  return (
    <Suspense>
      <MonitoringScreen />
    </Suspense>
  )
}
