'use client'

import { Anchor, Badge, Stack, Text, VisuallyHidden } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react'
import Link from 'next/link'
import { useEffect, useState } from 'react'
import { useAccount } from '../_hooks/use-account'
import { noticesFor, nothingAnnounced, type Announced } from '../monitoring/alerts'
import { fetchAlerts, type Alert } from '../monitoring/api'

/** The gateway runs its rules once a minute by default; polling faster finds nothing new. */
const pollMs = 60_000
/** More new alerts than this at once become one notice, not a wall of them. */
const maxSeparateNotices = 3

// Per admin and kept across reloads, so an alert is announced once, not once per page load.
const storageKey = (userId: string) => `sightline.alert-notices.${userId}`

function readAnnounced(key: string): Announced {
  try {
    const stored = JSON.parse(localStorage.getItem(key) ?? 'null') as Partial<Announced> | null
    const ids = (value: unknown) =>
      Array.isArray(value) ? value.filter((id): id is number => typeof id === 'number') : []
    return { firing: ids(stored?.firing), resolved: ids(stored?.resolved) }
  } catch {
    return nothingAnnounced // unreadable or blocked storage: announce again rather than never
  }
}

function OpenMonitoring() {
  return (
    <Anchor component={Link} href="/monitoring?tab=alerts" fz="sm">
      Open Monitoring
    </Anchor>
  )
}

function announce(started: Alert[], resolved: Alert[]) {
  if (started.length > maxSeparateNotices) {
    notifications.show({
      id: `alerts-${started.map((alert) => alert.id).join('-')}`,
      color: 'red',
      icon: <IconAlertTriangle size={18} />,
      title: `${started.length} alerts firing`,
      message: (
        <Stack gap={2}>
          <Text fz="sm">{started.map((alert) => alert.title).join('; ')}</Text>
          <OpenMonitoring />
        </Stack>
      ),
      autoClose: 15_000,
    })
  } else {
    for (const alert of started) {
      notifications.show({
        id: `alert-${alert.id}`,
        color: 'red',
        icon: <IconAlertTriangle size={18} />,
        title: alert.title,
        message: (
          <Stack gap={2}>
            <Text fz="sm">{alert.detail}</Text>
            <OpenMonitoring />
          </Stack>
        ),
        autoClose: 15_000,
      })
    }
  }
  for (const alert of resolved) {
    notifications.show({
      id: `alert-${alert.id}-resolved`,
      color: 'green',
      icon: <IconCircleCheck size={18} />,
      title: `Resolved: ${alert.title}`,
      message: <OpenMonitoring />,
      autoClose: 8_000,
    })
  }
}

/**
 * For a signed-in admin: polls the alerts every minute and when the window gets focus, shows a
 * notice when an alert starts firing and when it resolves, and returns how many fire now.
 */
export function useAlertNotices(): number {
  const { account, api } = useAccount()
  const adminId =
    account.status === 'signed-in' && account.user.role === 'admin' ? account.user.id : undefined
  const [firing, setFiring] = useState(0)

  useEffect(() => {
    if (!adminId) return
    let controller: AbortController | undefined
    const poll = async () => {
      controller?.abort()
      controller = new AbortController()
      try {
        const answer = await fetchAlerts(api, controller.signal)
        setFiring(answer.firing.length)
        const key = storageKey(adminId)
        const { started, resolved, announced } = noticesFor(answer, readAnnounced(key))
        localStorage.setItem(key, JSON.stringify(announced))
        announce(started, resolved)
      } catch {
        // Offline, aborted, or the session ended: the next poll tries again.
      }
    }
    void poll()
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void poll()
    }, pollMs)
    const onFocus = () => void poll()
    window.addEventListener('focus', onFocus)
    return () => {
      clearInterval(timer)
      window.removeEventListener('focus', onFocus)
      controller?.abort()
    }
  }, [adminId, api])

  return adminId ? firing : 0
}

/** The number of alerts firing, for the Monitoring navigation item; nothing when none fire. */
export function FiringBadge({ count }: { count: number }) {
  if (count === 0) return null
  return (
    <Badge size="sm" color="red" circle data-testid="alerts-firing">
      {count}
      <VisuallyHidden> {count === 1 ? 'alert' : 'alerts'} firing</VisuallyHidden>
    </Badge>
  )
}
