'use client'

import { ActionIcon, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core'
import { IconArrowDown, IconArrowUp, IconX } from '@tabler/icons-react'
import type { Operation, Recipe } from '../../../../models/_transform/recipe'
import classes from './image-editor.module.css'
import { operationInfo } from './operation-info'

/** The recipe's steps in order: select one to change it, move it, or take it out. */
export function StepsList({
  recipe,
  active,
  onSelect,
  onMove,
  onRemove,
  renderActive,
}: {
  recipe: Recipe
  active: number | null
  onSelect(index: number | null): void
  onMove(index: number, by: -1 | 1): void
  onRemove(index: number): void
  renderActive(operation: Operation, index: number): React.ReactNode
}) {
  if (recipe.length === 0) {
    return (
      <Text c="dimmed" fz="sm">
        No edits yet. Add a step above; the original stays as it is.
      </Text>
    )
  }
  return (
    <Stack gap={6} component="ol" className={classes.steps} aria-label="Edit steps">
      {recipe.map((operation, index) => {
        const info = operationInfo[operation.op] as {
          label: string
          summary(op: Operation): string
        }
        const selected = index === active
        return (
          <Paper
            component="li"
            key={index}
            withBorder
            p={6}
            className={classes.step}
            data-active={selected || undefined}
          >
            <Group gap={4} wrap="nowrap">
              <UnstyledButton
                className={classes.stepButton}
                onClick={() => onSelect(selected ? null : index)}
                aria-expanded={selected}
              >
                <Text fz="sm" fw={selected ? 600 : 500} truncate="end">
                  {index + 1}. {info.label}
                </Text>
                <Text fz="xs" c="dimmed" truncate="end">
                  {info.summary(operation)}
                </Text>
              </UnstyledButton>
              <ActionIcon
                variant="subtle"
                size="sm"
                aria-label={`Move ${info.label} up`}
                disabled={index === 0}
                onClick={() => onMove(index, -1)}
              >
                <IconArrowUp size={14} />
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                size="sm"
                aria-label={`Move ${info.label} down`}
                disabled={index === recipe.length - 1}
                onClick={() => onMove(index, 1)}
              >
                <IconArrowDown size={14} />
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                color="red"
                size="sm"
                aria-label={`Remove ${info.label}`}
                onClick={() => onRemove(index)}
              >
                <IconX size={14} />
              </ActionIcon>
            </Group>
            {selected ? (
              <div className={classes.stepBody}>{renderActive(operation, index)}</div>
            ) : null}
          </Paper>
        )
      })}
    </Stack>
  )
}
