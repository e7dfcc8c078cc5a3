'use client'

import { EmptyState, Skeleton, Stack, Tabs, Title } from '@mantine/core'
import { IconBell, IconBug, IconChartLine, IconGauge, IconHeartbeat } from '@tabler/icons-react'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useAccount } from '../_hooks/use-account'
import { AlertsPanel } from './alerts-panel'
import { ErrorsPanel } from './errors-panel'
import { OverviewPanel } from './overview-panel'
import { PerformancePanel } from './performance-panel'

const tabs = [
  { value: 'overview', label: 'Overview', icon: IconHeartbeat },
  { value: 'errors', label: 'Errors', icon: IconBug },
  { value: 'performance', label: 'Performance', icon: IconGauge },
  { value: 'alerts', label: 'Alerts', icon: IconBell },
] as const
type Tab = (typeof tabs)[number]['value']

const isTab = (value: string | null): value is Tab => tabs.some((tab) => tab.value === value)

/**
 * The server's health, reported errors, performance over time and alerts (admins only). The tab
 * is in the address (`?tab=alerts`), so an alert notice can link straight to it.
 */
export function MonitoringScreen() {
  const { account } = useAccount()
  const isAdmin = account.status === 'signed-in' && account.user.role === 'admin'
  const router = useRouter()
  const pathname = usePathname()
  const asked = useSearchParams().get('tab')
  const tab: Tab = isTab(asked) ? asked : 'overview'
  const select = (value: string | null) => {
    if (!isTab(value)) return
    router.replace(value === 'overview' ? pathname : `${pathname}?tab=${value}`, { scroll: false })
  }

  if (account.status === 'loading') return <Skeleton h={200} />
  if (!isAdmin) {
    return (
      <EmptyState
        icon={<IconChartLine size={32} />}
        variant="light"
        title="Monitoring is for admins"
        description="Error reports and server health appear here for the admin of this server. Sightline sends nothing anywhere except what sync sends once you sign in and turn it on."
        py="xl"
      />
    )
  }

  return (
    <Stack gap="md">
      <Title order={2}>Monitoring</Title>
      {/* Only the open tab is mounted, so only it loads and refreshes. */}
      <Tabs value={tab} onChange={select} keepMounted={false}>
        <Tabs.List>
          {tabs.map(({ value, label, icon: Icon }) => (
            <Tabs.Tab key={value} value={value} leftSection={<Icon size={16} aria-hidden />}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <OverviewPanel onShowAlerts={() => select('alerts')} />
        </Tabs.Panel>
        <Tabs.Panel value="errors" pt="md">
          <ErrorsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="performance" pt="md">
          <PerformancePanel />
        </Tabs.Panel>
        <Tabs.Panel value="alerts" pt="md">
          <AlertsPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  )
}
