'use client'

import { Checkbox, ScrollArea, SegmentedControl, Stack, Text } from '@mantine/core'
import type { OperationOf, RedactionRegion } from '../../../../models/_transform/recipe'

type Redaction = OperationOf<'redact'>

/** Blur or pixelate, and which detected faces and text regions to hide. */
export function RedactControls({
  operation,
  onChange,
}: {
  operation: Redaction
  onChange(operation: Redaction): void
}) {
  const setRegions = (regions: RedactionRegion[]) => onChange({ ...operation, regions })
  const groups = (['face', 'text'] as const).map((kind) => {
    const regions = operation.regions.filter((region) => region.kind === kind)
    const on = regions.filter((region) => region.enabled).length
    return { kind, regions, on }
  })
  return (
    <Stack gap="sm">
      <SegmentedControl
        fullWidth
        size="xs"
        aria-label="Redaction style"
        value={operation.style}
        onChange={(style) => onChange({ ...operation, style: style as Redaction['style'] })}
        data={[
          { value: 'blur', label: 'Blur' },
          { value: 'pixelate', label: 'Pixelate' },
        ]}
      />
      {groups.map(({ kind, regions, on }) =>
        regions.length === 0 ? null : (
          <Checkbox
            key={kind}
            label={`All ${kind === 'face' ? 'faces' : 'text'} (${regions.length})`}
            checked={on === regions.length}
            indeterminate={on > 0 && on < regions.length}
            onChange={(event) => {
              const enabled = event.currentTarget.checked
              setRegions(
                operation.regions.map((region) =>
                  region.kind === kind ? { ...region, enabled } : region,
                ),
              )
            }}
          />
        ),
      )}
      {operation.regions.length === 0 ? (
        <Text fz="sm" c="dimmed">
          Nothing to redact: no faces or text were found in this image.
        </Text>
      ) : (
        <ScrollArea.Autosize mah={220} type="auto">
          <Stack gap={6} pl="md">
            {operation.regions.map((region, index) => (
              <Checkbox
                key={index}
                size="xs"
                label={region.label}
                checked={region.enabled}
                onChange={(event) => {
                  const enabled = event.currentTarget.checked
                  setRegions(operation.regions.map((r, i) => (i === index ? { ...r, enabled } : r)))
                }}
              />
            ))}
          </Stack>
        </ScrollArea.Autosize>
      )}
      <Text fz="xs" c="dimmed">
        Click a box on the image to switch it on or off. Redaction happens before any other step, on
        the upright original.
      </Text>
    </Stack>
  )
}

/** The regions drawn over the stage, each a toggle. */
export function RegionOutlines({
  operation,
  onToggle,
  className,
}: {
  operation: Redaction
  onToggle(index: number): void
  className?: string
}) {
  return (
    <>
      {operation.regions.map((region, index) => (
        <button
          key={index}
          type="button"
          className={className}
          aria-pressed={region.enabled}
          aria-label={`Redact ${region.label}`}
          title={region.label}
          onClick={() => onToggle(index)}
          style={{
            left: `${region.x * 100}%`,
            top: `${region.y * 100}%`,
            width: `${region.width * 100}%`,
            height: `${region.height * 100}%`,
          }}
        />
      ))}
    </>
  )
}
