'use client'

import { Alert, Button, Group, Text } from '@mantine/core'
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react'
import { formatDateTime } from '../_lib/format'
import type { Polled } from './use-polled'

/** A failed load, with the reason and a way to try again. */
export function LoadError({ what, polled }: { what: string; polled: Polled<unknown> }) {
  if (!polled.error) return null
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={`Could not load ${what}`}
    >
      <Group justify="space-between" gap="xs">
        <Text fz="sm">{polled.error}</Text>
        <Button size="xs" variant="default" loading={polled.loading} onClick={polled.refresh}>
          Retry
        </Button>
      </Group>
    </Alert>
  )
}

/** When the figures were loaded, and a button to load them now (they also reload each minute). */
export function Freshness({ polled }: { polled: Polled<unknown> }) {
  return (
    <Group gap="xs" justify="flex-end" wrap="nowrap">
      {polled.loadedAt !== undefined && (
        <Text fz="xs" c="dimmed">
          Updated {formatDateTime(polled.loadedAt)}
        </Text>
      )}
      <Button
        variant="default"
        size="xs"
        leftSection={<IconRefresh size={14} />}
        loading={polled.loading && polled.data !== undefined}
        onClick={polled.refresh}
      >
        Refresh
      </Button>
    </Group>
  )
}
