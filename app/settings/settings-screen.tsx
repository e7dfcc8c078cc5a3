'use client'

import {
  Alert,
  Button,
  Card,
  Group,
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
import { TelemetrySettingsCard } from './telemetry-settings'
import { formatBytes } from '../_lib/format'
import { readStorageStatus, requestPersistentStorage, type StorageStatus } from '../_lib/storage'

export function SettingsScreen() {
  return (
    <Stack maw={720} gap="lg">
      <Title order={2}>Settings</Title>
      <Appearance />
      <AccountSettingsCard />
      <AnalysisSettingsCard />
      <Storage />
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

  const libraryBytes = images?.reduce((sum, image) => sum + image.bytes, 0) ?? 0
  const { usageBytes, quotaBytes, persisted } = status ?? {}
  const share = usageBytes !== undefined && quotaBytes ? (usageBytes / quotaBytes) * 100 : undefined

  return (
    <Card withBorder>
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
              color={share > 90 ? 'red' : share > 75 ? 'yellow' : undefined}
              aria-label="Storage used"
            />
            <Text fz="sm" c="dimmed" mt={4}>
              {formatBytes(usageBytes!)} used of {formatBytes(quotaBytes!)} this browser allows
              Sightline ({share.toFixed(share < 1 ? 2 : 0)}%).
            </Text>
          </div>
        ) : (
          <Text fz="sm" c="dimmed">
            This browser does not report storage usage.
          </Text>
        )}
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
                low or after the site has not been visited for a while. Some browsers grant it only
                to installed or often-used sites.
              </Text>
              <Button
                size="xs"
                onClick={() => void requestPersistentStorage().then(refresh)}
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
