'use client'

import { Button, Group, Modal, Text } from '@mantine/core'
import { IconFolder, IconPhotoPlus } from '@tabler/icons-react'
import { useImport } from '../../_hooks/use-import'

/**
 * Opened by the installed app's "Import images" shortcut (`/library?import=1`): a browser opens
 * a file picker only from a click, so the shortcut asks for that one click.
 */
export function ImportPrompt({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { openFilePicker, openFolderPicker } = useImport()
  const pick = (open: () => void) => {
    open()
    onClose()
  }
  return (
    <Modal opened={opened} onClose={onClose} title="Import images" centered>
      <Text fz="sm" mb="md">
        Choose images or a whole folder. They stay on this device; you can also drop files anywhere
        in the window.
      </Text>
      <Group justify="flex-end">
        <Button
          variant="default"
          leftSection={<IconFolder size={18} />}
          onClick={() => pick(openFolderPicker)}
        >
          Choose a folder
        </Button>
        <Button
          leftSection={<IconPhotoPlus size={18} />}
          onClick={() => pick(openFilePicker)}
          data-autofocus
        >
          Choose images
        </Button>
      </Group>
    </Modal>
  )
}
