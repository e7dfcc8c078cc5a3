'use client'

import { Button, Group, Switch, Text } from '@mantine/core'

/** Tools of a page straightening: detect the corners again, level the text, black and white. */
export function PageControls({
  disabled,
  binarized,
  onDetect,
  onLevel,
  onBinarize,
}: {
  disabled: boolean
  binarized: boolean
  onDetect(): void
  onLevel(): void
  onBinarize(on: boolean): void
}) {
  return (
    <>
      <Text fz="xs" c="dimmed" mb="xs">
        Drag the corners onto the page&apos;s corners; the page is then flattened to a rectangle.
      </Text>
      <Group gap="xs" mb="xs">
        <Button size="compact-sm" variant="light" disabled={disabled} onClick={onDetect}>
          Detect page
        </Button>
        <Button size="compact-sm" variant="light" disabled={disabled} onClick={onLevel}>
          Level text
        </Button>
      </Group>
      <Switch
        size="sm"
        label="Black and white (scanned look)"
        checked={binarized}
        onChange={(event) => onBinarize(event.currentTarget.checked)}
      />
    </>
  )
}
