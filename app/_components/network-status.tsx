'use client'

import { Badge, Tooltip } from '@mantine/core'
import { useNetwork } from '@mantine/hooks'
import { IconWifiOff } from '@tabler/icons-react'

/** Says so while the device is offline; everything but sync keeps working. */
export function NetworkStatus() {
  const { online } = useNetwork()
  if (online) return null
  return (
    <Tooltip label="Everything but sync works offline; changes sync when the connection returns.">
      <Badge
        color="gray"
        variant="light"
        leftSection={<IconWifiOff size={14} />}
        tabIndex={0}
        role="status"
        data-testid="network-status"
      >
        Offline
      </Badge>
    </Tooltip>
  )
}
