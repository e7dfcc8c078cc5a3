'use client'

import { ActionIcon, Loader, Tooltip } from '@mantine/core'
import { IconCloudCheck, IconCloudOff, IconCloudX } from '@tabler/icons-react'
import Link from 'next/link'
import { useAccount } from '../_hooks/use-account'

/** Sync state in the header while sync is on; links to the account settings. */
export function SyncIndicator() {
  const { sync } = useAccount()
  if (!sync.enabled || sync.phase === 'off') return null
  const label =
    sync.phase === 'syncing'
      ? `${sync.activity ?? 'Syncing'}…`
      : sync.phase === 'offline'
        ? `Offline: ${sync.pending} change${sync.pending === 1 ? '' : 's'} waiting`
        : sync.phase === 'error'
          ? `Sync failed: ${sync.error}`
          : sync.pending > 0
            ? `${sync.pending} change${sync.pending === 1 ? '' : 's'} waiting`
            : 'Synced'
  const icon =
    sync.phase === 'syncing' ? (
      <Loader size={16} />
    ) : sync.phase === 'offline' ? (
      <IconCloudOff size={20} stroke={1.6} />
    ) : sync.phase === 'error' ? (
      <IconCloudX size={20} stroke={1.6} />
    ) : (
      <IconCloudCheck size={20} stroke={1.6} />
    )
  return (
    <Tooltip label={label}>
      <ActionIcon
        component={Link}
        href="/settings"
        variant="subtle"
        color={sync.phase === 'error' ? 'red' : 'gray'}
        aria-label={label}
        data-testid="sync-indicator"
        data-phase={sync.phase}
      >
        {icon}
      </ActionIcon>
    </Tooltip>
  )
}
