'use client'

import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconLockOpen } from '@tabler/icons-react'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { getOrCreateDb } from '../_data/db'
import { watchWrites } from '../_data/write'
import { formatBytes } from '../_lib/format'
import {
  hasAskedForPersistence,
  isNoticeDue,
  persistenceAnsweredEvent,
  readRefusedWriteUsage,
  readStorageStatus,
  rememberRefusedWrite,
  requestPersistenceOnce,
  requestPersistentStorage,
  storageLevel,
  usedPercent,
  type StorageLevel,
  type StorageStatus,
} from '../_lib/storage'

/** Checks run at most this often while writes keep coming (an import writes 4 times a second). */
const checkIntervalMs = 2_000
/** Cache Storage (models, the offline app) grows without our writes; look again this often. */
const pollMs = 60_000

// Per tab: a dismissed usage notice comes back next visit, or when the level rises.
const dismissedLevelKey = 'sightline.storage.dismissed-level'
const noticeLevels = ['warning', 'critical', 'full'] as const satisfies StorageLevel[]
// Shown once, ever: the explanation does not change.
const persistenceNoticeKey = 'sightline.storage.persistence-notice-dismissed'

/**
 * Watches this origin's storage (at start, after writes, on focus, and every minute) and shows,
 * above the page, a notice when usage passes 80 % or 95 % of the quota or a write was refused
 * for lack of space; and, once, a notice when the library may be evicted because storage is
 * not persistent. Asks for persistence unprompted once when running as an installed app.
 * Mount it inside the app shell's main area, before the page.
 */
export function StorageGuardian() {
  const pathname = usePathname()
  const [dismissedLevel, setDismissedLevel] = useState<StorageLevel | undefined>(() =>
    noticeLevels.find((l) => l === readItem('sessionStorage', dismissedLevelKey)),
  )
  const [persistenceNotice, setPersistenceNotice] = useState<'unseen' | 'closed' | 'refused'>(() =>
    readItem('localStorage', persistenceNoticeKey) ? 'closed' : 'unseen',
  )
  const { status, level, hasImages } = useStorageWatch(() => {
    // Back under the warning line: a later rise is news again.
    setDismissedLevel(undefined)
    removeItem('sessionStorage', dismissedLevelKey)
  })

  const dismissLevel = () => {
    setDismissedLevel(level)
    writeItem('sessionStorage', dismissedLevelKey, level)
  }
  const closePersistenceNotice = () => {
    setPersistenceNotice('closed')
    writeItem('localStorage', persistenceNoticeKey, new Date().toISOString())
  }
  const askForPersistence = async () => {
    const granted = await requestPersistentStorage()
    writeItem('localStorage', persistenceNoticeKey, new Date().toISOString())
    if (granted) {
      setPersistenceNotice('closed')
      notifications.show({
        color: 'teal',
        message: 'Storage is now persistent: the browser will keep your library.',
      })
    } else {
      setPersistenceNotice('refused')
    }
  }

  const persistenceAtRisk = status?.persisted === false && hasImages && hasAskedForPersistence()
  // Settings shows the same state in its Storage card.
  const onSettings = pathname.startsWith('/settings')
  const showLevel = !onSettings && status !== null && isNoticeDue(level, dismissedLevel)
  const showPersistence =
    !onSettings &&
    (persistenceNotice === 'refused' || (persistenceNotice === 'unseen' && persistenceAtRisk))
  if (!showLevel && !showPersistence) return null

  return (
    <Stack gap="sm" mb="md" role="region" aria-label="Storage notices">
      {showLevel ? (
        <StorageLevelAlert level={level} status={status} onClose={dismissLevel}>
          <Anchor component={Link} href="/settings#storage" fz="sm">
            Open storage settings
          </Anchor>
        </StorageLevelAlert>
      ) : null}
      {showPersistence ? (
        <PersistenceAlert
          refused={persistenceNotice === 'refused'}
          onAsk={() => void askForPersistence()}
          onClose={closePersistenceNotice}
        />
      ) : null}
    </Stack>
  )
}

/** The usage warning for `level` (nothing for `ok` and `unknown`), shared with Settings. */
export function StorageLevelAlert({
  level,
  status,
  onClose,
  children,
}: {
  level: StorageLevel
  status: StorageStatus
  onClose?: () => void
  children?: ReactNode
}) {
  if (level === 'ok' || level === 'unknown') return null
  const percent = usedPercent(status)
  const usage =
    percent === undefined
      ? ''
      : `Sightline uses ${Math.floor(percent)}% of the space this browser allows it ` +
        `(${formatBytes(status.usageBytes!)} of ${formatBytes(status.quotaBytes!)}). `
  const title = {
    warning: 'Storage is filling up',
    critical: 'Storage is almost full',
    full: 'Storage is full',
  }[level]
  const what =
    level === 'full'
      ? 'The browser refused to store more, so the latest images or results were not saved. ' +
        'Everything stored before is kept. '
      : `${usage}When it is full, new images and results cannot be saved. `
  return (
    <Alert
      color={level === 'warning' ? 'yellow' : 'red'}
      icon={<IconAlertTriangle size={18} />}
      title={title}
      withCloseButton={onClose !== undefined}
      closeButtonLabel="Dismiss storage warning"
      onClose={onClose}
      data-testid="storage-level"
      data-level={level}
    >
      <Stack gap={4}>
        <Text fz="sm">
          {what}
          Free space on this device, or delete images you no longer need.
        </Text>
        {children}
      </Stack>
    </Alert>
  )
}

function PersistenceAlert({
  refused,
  onAsk,
  onClose,
}: {
  refused: boolean
  onAsk(): void
  onClose(): void
}) {
  return (
    <Alert
      color="blue"
      icon={<IconLockOpen size={18} />}
      title="The browser may clear your library"
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onClose}
      data-testid="storage-persistence"
    >
      {refused ? (
        <Text fz="sm">
          The browser did not allow it for now. Browsers usually allow it for installed apps and for
          sites that are bookmarked or visited often. You can ask again in Settings.
        </Text>
      ) : (
        <Stack gap="xs">
          <Text fz="sm">
            Your images are stored only in this browser. Some browsers delete the data of sites that
            are not installed or have not been visited for a while, or when the disk runs low. Ask
            the browser to keep your library, or install Sightline.
          </Text>
          <Group gap="xs">
            <Button size="xs" onClick={onAsk}>
              Keep my library on this device
            </Button>
            <Button size="xs" variant="default" onClick={onClose}>
              Not now
            </Button>
          </Group>
        </Stack>
      )}
    </Alert>
  )
}

/**
 * The storage status and level, re-read at start, after writes (throttled), at once when a
 * write was refused, when persistence was answered, on focus, and every minute while visible.
 * `onOk` runs when a check finds usage under the warning line.
 */
function useStorageWatch(onOk: () => void) {
  const [state, setState] = useState<{
    status: StorageStatus | null
    level: StorageLevel
    hasImages: boolean
  }>({ status: null, level: 'unknown', hasImages: false })
  const onOkRef = useRef(onOk)
  useEffect(() => {
    onOkRef.current = onOk
  })

  useEffect(() => {
    let running = false
    let rerun: { refused: boolean } | undefined
    let disposed = false

    const check = async (refused: boolean) => {
      if (running) {
        rerun = { refused: refused || (rerun?.refused ?? false) }
        return
      }
      running = true
      try {
        const [status, images] = await Promise.all([
          readStorageStatus(),
          getOrCreateDb().images.count(),
        ])
        if (refused) rememberRefusedWrite(status.usageBytes ?? 0)
        const refusedAt = readRefusedWriteUsage()
        const level = storageLevel(status, refusedAt)
        if (refusedAt !== undefined && level !== 'full') rememberRefusedWrite(undefined)
        if (disposed) return
        setState({ status, level, hasImages: images > 0 })
        if (level === 'ok') onOkRef.current()
      } catch (err) {
        console.warn('Could not read storage usage', err)
      } finally {
        running = false
        const next = rerun
        rerun = undefined
        if (next && !disposed) void check(next.refused)
      }
    }

    let last = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const request = () => {
      if (timer) return
      timer = setTimeout(
        () => {
          timer = undefined
          last = Date.now()
          void check(false)
        },
        Math.max(0, last + checkIntervalMs - Date.now()),
      )
    }
    const onVisible = () => {
      if (document.visibilityState === 'visible') request()
    }
    const stopWatching = watchWrites((outcome) =>
      outcome === 'full' ? void check(true) : request(),
    )
    const poll = setInterval(onVisible, pollMs)
    window.addEventListener('focus', request)
    window.addEventListener(persistenceAnsweredEvent, request)
    document.addEventListener('visibilitychange', onVisible)
    if (isInstalled()) void requestPersistenceOnce('installed')
    request()
    return () => {
      disposed = true
      stopWatching()
      clearTimeout(timer)
      clearInterval(poll)
      window.removeEventListener('focus', request)
      window.removeEventListener(persistenceAnsweredEvent, request)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [])

  return state
}

/** Whether the page runs as an installed app rather than in a browser tab. */
function isInstalled(): boolean {
  return ['standalone', 'window-controls-overlay', 'minimal-ui'].some(
    (mode) => window.matchMedia(`(display-mode: ${mode})`).matches,
  )
}

type StorageArea = 'localStorage' | 'sessionStorage'

function readItem(area: StorageArea, key: string): string | undefined {
  try {
    return typeof window === 'undefined' ? undefined : (window[area].getItem(key) ?? undefined)
  } catch {
    return undefined // blocked storage: show notices again rather than never
  }
}

function writeItem(area: StorageArea, key: string, value: string) {
  try {
    window[area].setItem(key, value)
  } catch {
    // Blocked storage: the dismissal lasts until the page is left.
  }
}

function removeItem(area: StorageArea, key: string) {
  try {
    window[area].removeItem(key)
  } catch {
    // Blocked storage: nothing was stored to remove.
  }
}
