'use client'

import { ActionBar, Button, Menu, Text } from '@mantine/core'
import {
  IconAdjustments,
  IconClipboardText,
  IconDownload,
  IconFileZip,
  IconJson,
  IconPencil,
  IconPhotoDown,
  IconScan,
  IconReportAnalytics,
  IconRestore,
  IconTags,
  IconTrash,
} from '@tabler/icons-react'

/** Actions on the selected images, floating at the bottom while anything is selected. */
export function SelectionBar({
  count,
  onClear,
  onDelete,
  onDownloadOriginal,
  onDownloadZip,
  onDownloadMetadata,
  onDownloadAnalysis,
  onAnalyse,
  onEditTags,
  onRename,
  onPasteEdits,
  onRemoveEdits,
}: {
  count: number
  onClear(): void
  onDelete(): void
  onDownloadOriginal?: () => void
  onDownloadZip(): void
  onDownloadMetadata(): void
  onDownloadAnalysis(): void
  onAnalyse(): void
  onEditTags(): void
  onRename?: () => void
  onPasteEdits(): void
  onRemoveEdits(): void
}) {
  return (
    <ActionBar opened={count > 0} onClose={onClear} closeOnEscape aria-label="Selection">
      <Text fz="sm" fw={600} px="xs" aria-live="polite">
        {count} selected
      </Text>
      <ActionBar.Divider />
      <Menu position="top">
        <Menu.Target>
          <Button variant="subtle" leftSection={<IconDownload size={16} />}>
            Download
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {onDownloadOriginal ? (
            <Menu.Item leftSection={<IconPhotoDown size={16} />} onClick={onDownloadOriginal}>
              Original file
            </Menu.Item>
          ) : null}
          <Menu.Item leftSection={<IconFileZip size={16} />} onClick={onDownloadZip}>
            Originals as ZIP
          </Menu.Item>
          <Menu.Item leftSection={<IconJson size={16} />} onClick={onDownloadMetadata}>
            Metadata as JSON
          </Menu.Item>
          <Menu.Item leftSection={<IconReportAnalytics size={16} />} onClick={onDownloadAnalysis}>
            Analysis results as JSON
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Button variant="subtle" leftSection={<IconScan size={16} />} onClick={onAnalyse}>
        Analyse
      </Button>
      <Menu position="top">
        <Menu.Target>
          <Button variant="subtle" leftSection={<IconAdjustments size={16} />}>
            Edits
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconClipboardText size={16} />} onClick={onPasteEdits}>
            Paste copied edits…
          </Menu.Item>
          <Menu.Item leftSection={<IconRestore size={16} />} onClick={onRemoveEdits}>
            Back to originals
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Button variant="subtle" leftSection={<IconTags size={16} />} onClick={onEditTags}>
        Tags
      </Button>
      {onRename ? (
        <Button variant="subtle" leftSection={<IconPencil size={16} />} onClick={onRename}>
          Rename
        </Button>
      ) : null}
      <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
        Delete
      </Button>
      <ActionBar.Divider />
      <ActionBar.CloseButton aria-label="Clear selection" />
    </ActionBar>
  )
}
