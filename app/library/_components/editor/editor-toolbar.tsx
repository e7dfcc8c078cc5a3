'use client'

import { ActionIcon, Button, Divider, Group, Menu, Stack } from '@mantine/core'
import {
  IconArrowBackUp,
  IconArrowForwardUp,
  IconClipboardCopy,
  IconClipboardText,
  IconCrop,
  IconEyeOff,
  IconFlipHorizontal,
  IconFlipVertical,
  IconLayersSubtract,
  IconPlus,
  IconRestore,
  IconRotate2,
  IconRotateClockwise2,
  IconScan,
} from '@tabler/icons-react'
import type { OperationId } from '../../../../models/_transform/recipe'
import { operationInfo, type OperationGroup } from './operation-info'
import { Tip } from '../../../_components/tip'

const groups: OperationGroup[] = ['Geometry', 'Tone', 'Filters']
const stepsOf = (group: OperationGroup) =>
  (Object.keys(operationInfo) as OperationId[]).filter((id) => operationInfo[id].group === group)

/** The editor's tools: history, compare, copy and paste, quick steps, redaction and the Add menu. */
export function EditorToolbar({
  canUndo,
  canRedo,
  canReset,
  compare,
  busy,
  onUndo,
  onRedo,
  onReset,
  onCompare,
  onCopy,
  onPaste,
  onRotate,
  onFlip,
  onScan,
  onRedact,
  onAdd,
}: {
  canUndo: boolean
  canRedo: boolean
  canReset: boolean
  compare: boolean
  /** Page finding or text levelling is running. */
  busy: boolean
  onUndo(): void
  onRedo(): void
  onReset(): void
  onCompare(): void
  onCopy(): void
  onPaste(): void
  onRotate(by: 90 | -90): void
  onFlip(axis: 'horizontal' | 'vertical'): void
  onScan(): void
  onRedact(kinds: ('face' | 'text')[]): void
  onAdd(id: OperationId): void
}) {
  return (
    <Stack gap="md">
      <Group gap={4}>
        <Tip label="Undo (Ctrl+Z)">
          <ActionIcon variant="default" aria-label="Undo" onClick={onUndo} disabled={!canUndo}>
            <IconArrowBackUp size={18} />
          </ActionIcon>
        </Tip>
        <Tip label="Redo (Ctrl+Shift+Z)">
          <ActionIcon variant="default" aria-label="Redo" onClick={onRedo} disabled={!canRedo}>
            <IconArrowForwardUp size={18} />
          </ActionIcon>
        </Tip>
        <Tip label="Reset to the original">
          <ActionIcon variant="default" aria-label="Reset" disabled={!canReset} onClick={onReset}>
            <IconRestore size={18} />
          </ActionIcon>
        </Tip>
        <Tip label="Compare before and after">
          <ActionIcon
            variant={compare ? 'filled' : 'default'}
            aria-label="Compare before and after"
            aria-pressed={compare}
            onClick={onCompare}
          >
            <IconLayersSubtract size={18} />
          </ActionIcon>
        </Tip>
        <Divider orientation="vertical" />
        <Tip label="Copy edits">
          <ActionIcon variant="default" aria-label="Copy edits" onClick={onCopy}>
            <IconClipboardCopy size={18} />
          </ActionIcon>
        </Tip>
        <Tip label="Paste edits">
          <ActionIcon variant="default" aria-label="Paste edits" onClick={onPaste}>
            <IconClipboardText size={18} />
          </ActionIcon>
        </Tip>
      </Group>
      <Group gap={4}>
        <Tip label="Rotate left">
          <ActionIcon variant="light" aria-label="Rotate left" onClick={() => onRotate(-90)}>
            <IconRotate2 size={18} />
          </ActionIcon>
        </Tip>
        <Tip label="Rotate right">
          <ActionIcon variant="light" aria-label="Rotate right" onClick={() => onRotate(90)}>
            <IconRotateClockwise2 size={18} />
          </ActionIcon>
        </Tip>
        <Tip label="Flip horizontally">
          <ActionIcon
            variant="light"
            aria-label="Flip horizontally"
            onClick={() => onFlip('horizontal')}
          >
            <IconFlipVertical size={18} />
          </ActionIcon>
        </Tip>
        <Tip label="Flip vertically">
          <ActionIcon
            variant="light"
            aria-label="Flip vertically"
            onClick={() => onFlip('vertical')}
          >
            <IconFlipHorizontal size={18} />
          </ActionIcon>
        </Tip>
        <Tip label="Crop">
          <ActionIcon variant="light" aria-label="Crop" onClick={() => onAdd('crop')}>
            <IconCrop size={18} />
          </ActionIcon>
        </Tip>
        <Tip label="Scan a document: find the page and flatten it">
          <ActionIcon variant="light" aria-label="Scan document" disabled={busy} onClick={onScan}>
            <IconScan size={18} />
          </ActionIcon>
        </Tip>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="light" aria-label="Redact">
              <IconEyeOff size={18} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Label>Blur what analysis found</Menu.Label>
            <Menu.Item onClick={() => onRedact(['face'])}>Redact faces</Menu.Item>
            <Menu.Item onClick={() => onRedact(['text'])}>Redact text</Menu.Item>
            <Menu.Item onClick={() => onRedact(['face', 'text'])}>Redact faces and text</Menu.Item>
          </Menu.Dropdown>
        </Menu>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} />}>
              Add
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {groups.map((group) => (
              <div key={group}>
                <Menu.Label>{group}</Menu.Label>
                {stepsOf(group).map((id) => (
                  <Menu.Item key={id} onClick={() => onAdd(id)}>
                    {operationInfo[id].label}
                  </Menu.Item>
                ))}
              </div>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
    </Stack>
  )
}
