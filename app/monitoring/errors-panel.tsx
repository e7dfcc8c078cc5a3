'use client'

import {
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
import { notifications } from '@mantine/notifications'
import { IconBug } from '@tabler/icons-react'
import { useCallback, useState } from 'react'
import type { TelemetryIssue } from '../../server/db/telemetry'
import { call } from '../_data/sync/gateway'
import { useAccount } from '../_hooks/use-account'
import { formatDateTime } from '../_lib/format'
import { occurrence, type Occurrence } from './occurrences'
import { Freshness, LoadError } from './panel-status'
import { usePolled } from './use-polled'

interface Frame {
  filename?: string
  function?: string
  lineno?: number
  colno?: number
  in_app?: boolean
  /** The line of source code, when the gateway mapped the frame with the build's source maps. */
  context_line?: string
}

/** Error issues reported to this server, and one issue's latest stack trace and occurrences. */
export function ErrorsPanel() {
  const { api } = useAccount()
  const [open, setOpen] = useState<
    { issue: TelemetryIssue; frames: Frame[]; occurrences: Occurrence[] } | undefined
  >()
  const issues = usePolled(
    useCallback(
      (signal: AbortSignal) =>
        call(() => api.rpc.admin.telemetry.issues.$get(undefined, { init: { signal } })).then(
          (answer) => answer.issues,
        ),
      [api],
    ),
  )

  const show = async (issue: TelemetryIssue) => {
    try {
      const { events } = await call(() =>
        api.rpc.admin.telemetry.issues[':id'].events.$get({ param: { id: String(issue.id) } }),
      )
      const payload = events[0]?.payload as
        { exception?: { values?: { stacktrace?: { frames?: Frame[] } }[] } } | undefined
      const frames = payload?.exception?.values?.at(-1)?.stacktrace?.frames ?? []
      setOpen({ issue, frames: [...frames].reverse(), occurrences: events.map(occurrence) })
    } catch (cause) {
      notifications.show({
        color: 'red',
        message: cause instanceof Error ? cause.message : 'Could not load the stack trace',
      })
    }
  }

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={3} fz="lg">
          Error issues
        </Title>
        <Freshness polled={issues} />
      </Group>
      <LoadError what="the error issues" polled={issues} />
      {!issues.data && !issues.error && <Skeleton h={120} />}
      {issues.data?.length === 0 && (
        <EmptyState
          icon={<IconBug size={32} />}
          variant="light"
          title="No errors reported"
          description="Errors the app reports to this server are grouped here by type and place in the code."
          py="xl"
        />
      )}
      {issues.data && issues.data.length > 0 && (
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
              {issues.data.map((issue) => (
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
          <Title order={4} fz="md">
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
                    `${frame.in_app === false ? '  ' : '› '}${frame.function ?? '?'} (${frame.filename ?? '?'}:${frame.lineno ?? '?'}:${frame.colno ?? '?'})` +
                    (frame.context_line ? `\n      ${frame.context_line}` : ''),
                )
                .join('\n')}
            </Code>
          )}
          <Title order={5} fz="sm" mt="xs">
            Latest occurrences
          </Title>
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label="Latest occurrences" verticalSpacing={4} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Received</Table.Th>
                  <Table.Th>Where</Table.Th>
                  <Table.Th>Release</Table.Th>
                  <Table.Th>Environment</Table.Th>
                  <Table.Th>Browser</Table.Th>
                  <Table.Th>System</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {open.occurrences.map((row) => (
                  <Table.Tr key={row.eventId}>
                    <Table.Td>{formatDateTime(row.receivedAt)}</Table.Td>
                    <Table.Td>{row.where ?? '—'}</Table.Td>
                    <Table.Td>{row.release ?? '—'}</Table.Td>
                    <Table.Td>{row.environment ?? '—'}</Table.Td>
                    <Table.Td>{row.browser ?? '—'}</Table.Td>
                    <Table.Td>{row.os ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
    </Stack>
  )
}
