'use client'

import {
  Alert,
  Badge,
  Button,
  Code,
  EmptyState,
  Group,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { IconBug, IconChartLine } from '@tabler/icons-react'
import { useCallback, useEffect, useState } from 'react'
import type { TelemetryIssue } from '../../server/db/telemetry'
import { call } from '../_data/sync/gateway'
import { useAccount } from '../_hooks/use-account'
import { formatDateTime } from '../_lib/format'

interface Frame {
  filename?: string
  function?: string
  lineno?: number
  colno?: number
  in_app?: boolean
}

/** Error issues reported to this server, and one issue's latest stack trace (admins only). */
export function MonitoringScreen() {
  const { account, api } = useAccount()
  const isAdmin = account.status === 'signed-in' && account.user.role === 'admin'
  const [issues, setIssues] = useState<TelemetryIssue[] | undefined>()
  const [error, setError] = useState('')
  const [open, setOpen] = useState<{ issue: TelemetryIssue; frames: Frame[] } | undefined>()

  const load = useCallback(
    () =>
      call(() => api.rpc.admin.telemetry.issues.$get()).then(
        (answer) => {
          setIssues(answer.issues)
          setError('')
        },
        (cause: unknown) =>
          setError(cause instanceof Error ? cause.message : 'Could not load the issues'),
      ),
    [api],
  )

  useEffect(() => {
    if (isAdmin) void load()
  }, [isAdmin, load])

  const show = async (issue: TelemetryIssue) => {
    const { events } = await call(() =>
      api.rpc.admin.telemetry.issues[':id'].events.$get({ param: { id: String(issue.id) } }),
    )
    const payload = events[0]?.payload as
      { exception?: { values?: { stacktrace?: { frames?: Frame[] } }[] } } | undefined
    const frames = payload?.exception?.values?.at(-1)?.stacktrace?.frames ?? []
    setOpen({ issue, frames: [...frames].reverse() })
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
      <Group justify="space-between">
        <Title order={2}>Monitoring</Title>
        <Button variant="default" size="xs" onClick={() => void load()}>
          Refresh
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!issues && !error && <Skeleton h={120} />}
      {issues?.length === 0 && (
        <EmptyState
          icon={<IconBug size={32} />}
          variant="light"
          title="No errors reported"
          description="Errors the app reports to this server are grouped here by type and place in the code."
          py="xl"
        />
      )}
      {issues && issues.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table highlightOnHover aria-label="Error issues">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Error</Table.Th>
                <Table.Th ta="right">Events</Table.Th>
                <Table.Th ta="right">Users</Table.Th>
                <Table.Th>Releases</Table.Th>
                <Table.Th>Last seen</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {issues.map((issue) => (
                <Table.Tr key={issue.id}>
                  <Table.Td>
                    <Button
                      variant="subtle"
                      size="compact-sm"
                      onClick={() => void show(issue)}
                      aria-label={`Show ${issue.title}`}
                    >
                      {issue.title}
                    </Button>
                    {issue.culprit && (
                      <Text fz="xs" c="dimmed" pl="xs">
                        {issue.culprit}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{issue.count.toLocaleString()}</Table.Td>
                  <Table.Td ta="right">{issue.users.toLocaleString()}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {issue.releases.map((release) => (
                        <Badge key={release} variant="light" size="sm">
                          {release}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDateTime(issue.lastSeen)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {open && (
        <Stack gap="xs" aria-label="Stack trace" role="region">
          <Title order={3} fz="md">
            {open.issue.title}
          </Title>
          <Text fz="sm" c="dimmed">
            First seen {formatDateTime(open.issue.firstSeen)}; the latest event&apos;s stack, most
            recent call first.
          </Text>
          {open.frames.length === 0 ? (
            <Text fz="sm">This event has no stack trace.</Text>
          ) : (
            <Code block data-testid="stack-trace">
              {open.frames
                .map(
                  (frame) =>
                    `${frame.in_app === false ? '  ' : '› '}${frame.function ?? '?'} (${frame.filename ?? '?'}:${frame.lineno ?? '?'}:${frame.colno ?? '?'})`,
                )
                .join('\n')}
            </Code>
          )}
        </Stack>
      )}
    </Stack>
  )
}
