'use client'

import { Group, Stack, Text } from '@mantine/core'
import { Dropzone } from '@mantine/dropzone'
import { IconPhotoPlus } from '@tabler/icons-react'
import { useImport } from '../_hooks/use-import'

/** Drop files or whole folders anywhere in the window to import them. */
export function ImportDrop() {
  const { start } = useImport()
  return (
    <Dropzone.FullScreen
      data-testid="import-dropzone"
      active
      onDrop={(files) => start(files)}
      onReject={(rejections) => start(rejections.map((r) => r.file))}
    >
      <Group justify="center" mih={240} style={{ pointerEvents: 'none' }}>
        <IconPhotoPlus size={56} stroke={1.4} aria-hidden />
        <Stack gap={4}>
          <Text fz="xl" fw={600}>
            Drop images or folders to import
          </Text>
          <Text c="dimmed">JPEG, PNG, WebP, GIF, BMP and AVIF. They stay on this device.</Text>
        </Stack>
      </Group>
    </Dropzone.FullScreen>
  )
}
