'use client'

import {
  Badge,
  Button,
  Card,
  EmptyState,
  Group,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { IconBellOff, IconPlayerPlay } from '@tabler/icons-react'
import { useCallback, useState } from 'react'
import { call } from '../_data/sync/gateway'
import { useAccount } from '../_hooks/use-account'
import { formatDateTime } from '../_lib/format'
import { alertDuration, formatDuration } from './alerts'
import { fetchAlerts, type Alert } from './api'
import { Freshness, LoadError } from './panel-status'
import { usePolled } from './use-polled'

/** The alert rules with their thresholds and state, what fires now, and the history. */
export function AlertsPanel() {
  const { api } = useAccount()
  const alerts = usePolled(useCallback((signal) => fetchAlerts(api, signal), [api]))
  const data = alerts.data
  const now = alerts.loadedAt ?? 0
  const ruleName = (id: string) => data?.rules.find((rule) => rule.id === id)?.name ?? id
  const [running, setRunning] = useState(false)
  const [runError, setRunError] = useState('')
  const runNow = async () => {
    setRunning(true)
    try {
      await call(() => api.rpc.admin.alerts.evaluate.$post())
      setRunError('')
      alerts.refresh()
    } catch (error) {
      setRunError(error instanceof Error ? error.message : 'The rules could not run')
    } finally {
      setRunning(false)
    }
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Text fz="sm" c="dimmed" maw={640}>
          {data &&
            (data.evaluatedAt === null
              ? 'The rules have not run yet.'
              : `The rules last ran ${formatDateTime(data.evaluatedAt)}.`)}{' '}
          {data &&
            (data.webhook
              ? 'Notices also go to the configured webhook.'
              : 'No webhook is configured: notices appear in the app only.')}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Button
            variant="default"
            size="xs"
            leftSection={<IconPlayerPlay size={14} />}
            loading={running}
            onClick={() => void runNow()}
          >
            Run the rules now
          </Button>
          <Freshness polled={alerts} />
        </Group>
      </Group>
      {runError && (
        <Text fz="sm" c="red" role="alert">
          {runError}
        </Text>
      )}
      <LoadError what="the alerts" polled={alerts} />
      {!data && !alerts.error && <Skeleton h={240} />}
      {data && (
        <>
          <Card withBorder>
            <Stack gap="sm">
              <Title order={3} fz="md">
                Rules
              </Title>
              <Table.ScrollContainer minWidth={640}>
                <Table aria-label="Alert rules" verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Rule</Table.Th>
                      <Table.Th>Fires when</Table.Th>
                      <Table.Th w={120}>State</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.rules.map((rule) => (
                      <Table.Tr key={rule.id}>
                        <Table.Td>
                          <Text fz="sm" fw={500}>
                            {rule.name}
                          </Text>
                          <Text fz="xs" c="dimmed">
                            {rule.description}
                          </Text>
                        </Table.Td>
                        <Table.Td fz="sm">{rule.threshold}</Table.Td>
                        <Table.Td>
                          <Badge color={rule.firing > 0 ? 'red' : 'green'} variant="light">
                            {rule.firing > 0 ? `${rule.firing} firing` : 'OK'}
                          </Badge>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          </Card>

          <Card withBorder>
            <Stack gap="sm">
              <Title order={3} fz="md">
                Firing now
              </Title>
              {data.firing.length === 0 ? (
                <Text fz="sm" c="dimmed">
                  Nothing is firing.
                </Text>
              ) : (
                <AlertTable
                  label="Alerts firing now"
                  alerts={data.firing}
                  now={now}
                  ruleName={ruleName}
                />
              )}
            </Stack>
          </Card>

          <Card withBorder>
            <Stack gap="sm">
              <Title order={3} fz="md">
                History
              </Title>
              {data.history.length === 0 ? (
                <EmptyState
                  icon={<IconBellOff size={32} />}
                  variant="light"
                  title="No alerts yet"
                  description="Every alert is kept here with when it started and when it cleared (the last 100)."
                  py="md"
                />
              ) : (
                <AlertTable
                  label="Alert history"
                  alerts={data.history}
                  now={now}
                  ruleName={ruleName}
                />
              )}
            </Stack>
          </Card>
        </>
      )}
    </Stack>
  )
}

function AlertTable({
  label,
  alerts,
  now,
  ruleName,
}: {
  label: string
  alerts: Alert[]
  now: number
  ruleName(id: string): string
}) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table aria-label={label} verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Alert</Table.Th>
            <Table.Th>Rule</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Resolved</Table.Th>
            <Table.Th ta="right">Duration</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {alerts.map((alert) => (
            <Table.Tr key={alert.id}>
              <Table.Td>
                <Text fz="sm" fw={500}>
                  {alert.title}
                </Text>
                <Text fz="xs" c="dimmed">
                  {alert.detail}
                </Text>
              </Table.Td>
              <Table.Td fz="sm">{ruleName(alert.rule)}</Table.Td>
              <Table.Td fz="sm">{formatDateTime(alert.startedAt)}</Table.Td>
              <Table.Td fz="sm">
                {alert.resolvedAt === null ? (
                  <Badge color="red" variant="light">
                    Firing
                  </Badge>
                ) : (
                  formatDateTime(alert.resolvedAt)
                )}
              </Table.Td>
              <Table.Td fz="sm" ta="right">
                {formatDuration(alertDuration(alert, now))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
