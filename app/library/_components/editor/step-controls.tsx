'use client'

import { Group, SegmentedControl, Slider, Stack, Text } from '@mantine/core'
import type { Operation } from '../../../../models/_transform/recipe'
import { operationInfo, withParameter, type Control } from './operation-info'

/** The sliders and choices of one step; `commit` false while a slider is being dragged. */
export function StepControls({
  operation,
  onChange,
}: {
  operation: Operation
  onChange(operation: Operation, commit: boolean): void
}) {
  const controls = (operationInfo[operation.op] as { controls: Control[] }).controls
  if (controls.length === 0) return null
  const values = operation as unknown as Record<string, number | string>
  return (
    <Stack gap="sm">
      {controls.map((control) =>
        control.kind === 'slider' ? (
          <div key={control.key}>
            <Group justify="space-between" gap={4}>
              <Text fz="sm" id={`${operation.op}-${control.key}`}>
                {control.label}
              </Text>
              <Text fz="sm" c="dimmed">
                {format(Number(values[control.key]), control.step)}
                {control.unit ?? ''}
              </Text>
            </Group>
            <Slider
              aria-labelledby={`${operation.op}-${control.key}`}
              min={control.min}
              max={control.max}
              step={control.step}
              value={Number(values[control.key])}
              label={null}
              onChange={(value) => onChange(withParameter(operation, control.key, value), false)}
              onChangeEnd={(value) => onChange(withParameter(operation, control.key, value), true)}
            />
          </div>
        ) : (
          <div key={control.key}>
            <Text fz="sm" mb={4}>
              {control.label}
            </Text>
            <SegmentedControl
              fullWidth
              size="xs"
              aria-label={control.label}
              data={control.options}
              value={String(values[control.key])}
              onChange={(value) => onChange(withParameter(operation, control.key, value), true)}
            />
          </div>
        ),
      )}
    </Stack>
  )
}

function format(value: number, step: number): string {
  const digits = step >= 1 ? 0 : step >= 0.1 ? 1 : 2
  return value.toFixed(digits)
}
