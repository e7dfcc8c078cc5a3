'use client'

import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  SegmentedControl,
  Slider,
  Stack,
  Text,
} from '@mantine/core'
import { useLocalStorage } from '@mantine/hooks'
import { useState } from 'react'
import type { ExportType } from '../../../../workers/transform-client'

export interface ExportChoice {
  type: ExportType
  /** 0–1, for JPEG and WebP. */
  quality: number
  keepMetadata: boolean
}

const extensions: Record<ExportType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
}

/** `holiday.heic` → `holiday-edited.jpg`. */
export function exportName(name: string, type: ExportType): string {
  const base = name.replace(/\.[^.]+$/, '') || 'image'
  return `${base}-edited.${extensions[type]}`
}

/** Format, quality and metadata for exporting the edited image; metadata is stripped by default. */
export function ExportModal({
  name,
  onExport,
  onClose,
}: {
  name: string
  onExport(choice: ExportChoice): Promise<void>
  onClose(): void
}) {
  const [type, setType] = useLocalStorage<ExportType>({
    key: 'sightline.export-type',
    defaultValue: 'image/jpeg',
    getInitialValueInEffect: false,
  })
  const [quality, setQuality] = useLocalStorage({
    key: 'sightline.export-quality',
    defaultValue: 90,
    getInitialValueInEffect: false,
  })
  // Never remembered: keeping the location must be chosen each time.
  const [keepMetadata, setKeepMetadata] = useState(false)
  const [working, setWorking] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const run = async () => {
    setWorking(true)
    setError(null)
    try {
      await onExport({ type, quality: quality / 100, keepMetadata })
      onClose()
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setWorking(false)
    }
  }

  return (
    <Modal opened onClose={onClose} title="Export edited image" centered>
      <Stack gap="md">
        <div>
          <Text fz="sm" mb={4} id="export-format">
            Format
          </Text>
          <SegmentedControl
            fullWidth
            aria-labelledby="export-format"
            value={type}
            onChange={(value) => setType(value as ExportType)}
            data={[
              { value: 'image/jpeg', label: 'JPEG' },
              { value: 'image/png', label: 'PNG' },
              { value: 'image/webp', label: 'WebP' },
            ]}
          />
        </div>
        {type !== 'image/png' ? (
          <div>
            <Group justify="space-between">
              <Text fz="sm" id="export-quality">
                Quality
              </Text>
              <Text fz="sm" c="dimmed">
                {quality}
              </Text>
            </Group>
            <Slider
              aria-labelledby="export-quality"
              min={10}
              max={100}
              value={quality}
              onChange={setQuality}
              label={null}
            />
          </div>
        ) : null}
        <Checkbox
          checked={keepMetadata}
          onChange={(event) => setKeepMetadata(event.currentTarget.checked)}
          label="Keep EXIF metadata, including the GPS location"
          description="Off by default: camera details and where the photo was taken are removed."
        />
        {error ? (
          <Alert color="red" title="Could not export">
            {error}
          </Alert>
        ) : null}
        <Text fz="sm" c="dimmed">
          Saved as {exportName(name, type)}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={working}>
            Cancel
          </Button>
          <Button onClick={() => void run()} loading={working}>
            Export
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
