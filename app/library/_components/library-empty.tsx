'use client'

import { Button, EmptyState, Group, Kbd, Text } from '@mantine/core'
import { IconFilterOff, IconPhoto } from '@tabler/icons-react'
import { useImport } from '../../_hooks/use-import'

export function LibraryEmpty({
  filtered,
  onClearFilters,
}: {
  filtered: boolean
  onClearFilters(): void
}) {
  const { openFilePicker, openFolderPicker } = useImport()
  if (filtered) {
    return (
      <EmptyState
        icon={<IconFilterOff size={32} />}
        withIndicatorBackground
        title="No images match these filters"
        description="Change the name, tag or type filters, or clear them to see the whole library."
        py="xl"
      >
        <EmptyState.Actions>
          <Button variant="default" onClick={onClearFilters}>
            Clear filters
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    )
  }
  return (
    <EmptyState
      icon={<IconPhoto size={32} />}
      variant="light"
      title="Your library is empty"
      description={
        <Text component="span" c="dimmed">
          Drop images or whole folders anywhere in this window, paste with <Kbd>Ctrl</Kbd>+
          <Kbd>V</Kbd>, or choose files. They are stored only on this device.
        </Text>
      }
      py="xl"
    >
      <EmptyState.Actions>
        <Group>
          <Button onClick={openFilePicker}>Choose images</Button>
          <Button variant="default" onClick={openFolderPicker}>
            Choose a folder
          </Button>
        </Group>
      </EmptyState.Actions>
    </EmptyState>
  )
}
