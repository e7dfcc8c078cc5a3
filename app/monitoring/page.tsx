import type { Metadata } from 'next'
import { MonitoringScreen } from './monitoring-screen'

export const metadata: Metadata = { title: 'Monitoring' }

export default function MonitoringPage() {
  return <MonitoringScreen />
}
