'use client'

import {
  Alert,
  Button,
  Card,
  Group,
  List,
  Progress,
  SegmentedControl,
  Stack,
  Text,
  Title,
  useMantineColorScheme,
  type MantineColorScheme,
} from '@mantine/core'
import { IconLock, IconLockOpen } from '@tabler/icons-react'
import { useCallback, useEffect, useState } from 'react'
import { useImages } from '../_hooks/use-images'
import { AccountSettingsCard } from './account-settings'
import { AnalysisSettingsCard } from './analysis-settings'
import { BackupSettingsCard } from './backup-settings'
import { TelemetrySettingsCard } from './telemetry-settings'
import { formatBytes } from '../_lib/format'
import { StorageLevelAlert } from '../_components/storage-guardian'
import {
  persistenceAnsweredEvent,
  readRefusedWriteUsage,
  readStorageStatus,
  requestPersistentStorage,
  storageLevel,
  usageBreakdown,
  usedPercent,
  type StorageStatus,
} from '../_lib/storage'

export function SettingsScreen() {
  return (
    <Stack maw={720} gap="lg">
      <Title order={2}>Settings</Title>
      <Appearance />
      <AccountSettingsCard />
      <AnalysisSettingsCard />
      <Storage />
      <BackupSettingsCard />
      <TelemetrySettingsCard />
    </Stack>
  )
}

function Appearance() {
  const { colorScheme, setColorScheme } = useMantineColorScheme()
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={3} fz="lg">
          Appearance
        </Title>
        <Text id="theme-label" fz="sm" c="dimmed">
          Theme
        </Text>
        <SegmentedControl
          aria-labelledby="theme-label"
          value={colorScheme}
          onChange={(value) => setColorScheme(value as MantineColorScheme)}
          data={[
            { value: 'auto', label: 'Follow system' },
            { value: 'light', label: 'Light' },
            { value: 'dark', label: 'Dark' },
          ]}
          w="fit-content"
        />
      </Stack>
    </Card>
  )
}

function Storage() {
  const images = useImages()
  const [status, setStatus] = useState<StorageStatus | null>(null)
  const refresh = useCallback(() => void readStorageStatus().then(setStatus), [])
  useEffect(refresh, [refresh, images?.length])
  useEffect(() => {
    window.addEventListener('focus', refresh)
    window.addEventListener(persistenceAnsweredEvent, refresh)
    return () => {
      window.removeEventListener('focus', refresh)
      window.removeEventListener(persistenceAnsweredEvent, refresh)
    }
  }, [refresh])

  const libraryBytes = images?.reduce((sum, image) => sum + image.bytes, 0) ?? 0
  const { usageBytes, quotaBytes, persisted } = status ?? {}
  const share = status ? usedPercent(status) : undefined
  const level = status ? storageLevel(status, readRefusedWriteUsage()) : 'unknown'
  const parts = usageBreakdown(status?.usageDetails)

  return (
    <Card withBorder id="storage">
      <Stack gap="sm">
        <Title order={3} fz="lg">
          Storage on this device
        </Title>
        <Text fz="sm">
          {images
            ? `${images.length.toLocaleString()} images, ${formatBytes(libraryBytes)} of originals.`
            : 'Counting images…'}
        </Text>
        {share !== undefined ? (
          <div>
            <Progress
              value={share}
              color={
                level === 'critical' || level === 'full'
                  ? 'red'
                  : level === 'warning'
                    ? 'yellow'
                    : undefined
              }
              aria-label="Storage used"
            />
            <Text fz="sm" c="dimmed" mt={4}>
              {formatBytes(usageBytes!)} used of {formatBytes(quotaBytes!)} this browser allows
              Sightline ({share.toFixed(share < 1 ? 2 : 0)}%).
            </Text>
            {parts.length > 0 ? (
              <List size="sm" c="dimmed" mt={4} aria-label="Storage used by kind">
                {parts.map((part) => (
                  <List.Item key={part.key}>
                    {part.label}: {formatBytes(part.bytes)}
                  </List.Item>
                ))}
              </List>
            ) : null}
          </div>
        ) : (
          <Text fz="sm" c="dimmed">
            This browser does not report storage usage.
          </Text>
        )}
        {status ? <StorageLevelAlert level={level} status={status} /> : null}
        {persisted ? (
          <Alert color="teal" icon={<IconLock size={18} />} title="Storage is persistent">
            The browser will not clear your library to free space. It is removed only if you clear
            this site&apos;s data yourself.
          </Alert>
        ) : (
          <Alert color="yellow" icon={<IconLockOpen size={18} />} title="Storage may be cleared">
            <Stack gap="xs" align="flex-start">
              <Text fz="sm">
                Without persistent storage, the browser may delete your library when the disk runs
                low, and some browsers delete the data of sites that are not installed or have not
                been visited for a while. Browsers usually allow it for installed apps and for sites
                that are bookmarked or visited often.
              </Text>
              <Button
                size="xs"
                onClick={() => void requestPersistentStorage()}
                disabled={status === null}
              >
                Keep my library on this device
              </Button>
            </Stack>
          </Alert>
        )}
        <Group>
          <Button variant="default" size="xs" onClick={refresh}>
            Refresh
          </Button>
        </Group>
      </Stack>
    </Card>
  )
}
