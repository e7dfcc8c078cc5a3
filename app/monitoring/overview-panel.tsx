'use client'

import {
  Anchor,
  Badge,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core'
import { IconCheck, IconX } from '@tabler/icons-react'
import { useCallback, type ReactNode } from 'react'
import { useAccount } from '../_hooks/use-account'
import { formatBytes } from '../_lib/format'
import { alertDuration, formatDuration } from './alerts'
import { fetchAlerts, fetchReadiness, fetchSeries } from './api'
import { Freshness, LoadError } from './panel-status'
import { gatewayTotals } from './series'
import { usePolled } from './use-polled'

const checkNames: Record<string, string> = {
  database: 'Database',
  migrations: 'Migrations',
  blobStore: 'File storage',
  disk: 'Disk space',
}

/** Health now: the readiness checks, what fires, and the last hour's traffic in figures. */
export function OverviewPanel({ onShowAlerts }: { onShowAlerts(): void }) {
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <HealthCard />
        <FiringCard onShowAlerts={onShowAlerts} />
      </SimpleGrid>
      <LastHourCard />
    </Stack>
  )
}

/** A card's title with a green or red status badge, and what goes on its right. */
function CardHeading({
  title,
  badge,
  children,
}: {
  title: string
  badge?: { ok: boolean; label: string }
  children: ReactNode
}) {
  return (
    <Group justify="space-between">
      <Group gap="xs">
        <Title order={3} fz="md">
          {title}
        </Title>
        {badge && (
          <Badge color={badge.ok ? 'green' : 'red'} variant="light">
            {badge.label}
          </Badge>
        )}
      </Group>
      {children}
    </Group>
  )
}

function HealthCard() {
  const { api } = useAccount()
  const ready = usePolled(useCallback((signal) => fetchReadiness(api, signal), [api]))
  const status = ready.data?.status
  return (
    <Card withBorder>
      <Stack gap="sm">
        <CardHeading
          title="Health"
          badge={
            status && { ok: status === 'ready', label: status === 'ready' ? 'Ready' : 'Not ready' }
          }
        >
          <Freshness polled={ready} />
        </CardHeading>
        <LoadError what="the health checks" polled={ready} />
        {!ready.data && !ready.error && <Skeleton h={140} />}
        {ready.data && (
          <Table aria-label="Health checks" verticalSpacing={6}>
            <Table.Tbody>
              {Object.entries(ready.data.checks).map(([name, check]) => (
                <Table.Tr key={name}>
                  <Table.Th scope="row" fw={500}>
                    {checkNames[name] ?? name}
                  </Table.Th>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <ThemeIcon
                        size="sm"
                        radius="xl"
                        variant="light"
                        color={check.ok ? 'green' : 'red'}
                        aria-hidden
                      >
                        {check.ok ? <IconCheck size={12} /> : <IconX size={12} />}
                      </ThemeIcon>
                      <Text fz="sm">{check.ok ? 'OK' : 'Failing'}</Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text fz="sm" c="dimmed">
                      {check.detail}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  )
}

function FiringCard({ onShowAlerts }: { onShowAlerts(): void }) {
  const { api } = useAccount()
  const alerts = usePolled(useCallback((signal) => fetchAlerts(api, signal), [api]))
  const firing = alerts.data?.firing
  return (
    <Card withBorder>
      <Stack gap="sm">
        <CardHeading
          title="Alerts firing"
          badge={
            firing && {
              ok: firing.length === 0,
              label: firing.length > 0 ? `${firing.length} firing` : 'None',
            }
          }
        >
          <Anchor component="button" type="button" fz="sm" onClick={onShowAlerts}>
            Rules and history
          </Anchor>
        </CardHeading>
        <LoadError what="the alerts" polled={alerts} />
        {!alerts.data && !alerts.error && <Skeleton h={140} />}
        {firing?.length === 0 && (
          <Text fz="sm" c="dimmed">
            Nothing is firing. The rules run every{' '}
            {alerts.data?.intervalMs === 60_000
              ? 'minute'
              : formatDuration(alerts.data?.intervalMs ?? 0)}{' '}
            and notify you here when one fires.
          </Text>
        )}
        {firing && firing.length > 0 && (
          <Stack gap="xs" role="list" aria-label="Alerts firing">
            {firing.map((alert) => (
              <Stack key={alert.id} gap={2} role="listitem">
                <Text fz="sm" fw={600}>
                  {alert.title}
                </Text>
                <Text fz="sm">{alert.detail}</Text>
                <Text fz="xs" c="dimmed">
                  Firing for{' '}
                  {formatDuration(alertDuration(alert, alerts.loadedAt ?? alert.startedAt))}
                </Text>
              </Stack>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  )
}

function LastHourCard() {
  const { api } = useAccount()
  const series = usePolled(useCallback((signal) => fetchSeries(api, 1, signal), [api]))
  const totals = series.data && gatewayTotals(series.data.gateway)
  const figures = totals && [
    { label: 'Requests', value: totals.requests.toLocaleString() },
    { label: 'Server errors (5xx)', value: totals.serverErrors.toLocaleString() },
    { label: 'App errors reported', value: totals.clientErrors.toLocaleString() },
    { label: 'Synced up', value: formatBytes(totals.syncInBytes) },
    { label: 'Synced down', value: formatBytes(totals.syncOutBytes) },
    { label: 'Failed sync calls', value: totals.syncFailures.toLocaleString() },
  ]
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={3} fz="md">
          Last hour
        </Title>
        <LoadError what="the last hour's figures" polled={series} />
        {!series.data && !series.error && <Skeleton h={60} />}
        {figures && (
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
            {figures.map(({ label, value }) => (
              <Stack key={label} gap={0}>
                <Text fz="xs" c="dimmed">
                  {label}
                </Text>
                <Text fz="lg" fw={600}>
                  {value}
                </Text>
              </Stack>
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </Card>
  )
}
