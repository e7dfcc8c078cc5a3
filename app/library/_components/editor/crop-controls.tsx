'use client'

import { Select } from '@mantine/core'
import type { Rect } from '../../../../models/_transform/recipe'
import { fitRectToAspect } from './geometry'

/** Aspect presets, width / height in image pixels; `original` is the image's own. */
const presets = [
  { value: 'free', label: 'Free' },
  { value: 'original', label: 'Original' },
  { value: '1', label: 'Square 1:1' },
  { value: '1.3333333', label: '4:3' },
  { value: '0.75', label: '3:4' },
  { value: '1.5', label: '3:2' },
  { value: '1.7777778', label: '16:9' },
  { value: '0.5625', label: '9:16' },
]

/** The crop's aspect preset; picking a fixed one fits the largest centred rectangle of that shape. */
export function CropControls({
  aspect,
  rect,
  imageSize,
  onAspect,
}: {
  aspect: string
  rect: Rect
  imageSize: { width: number; height: number }
  onAspect(aspect: string, rect: Rect): void
}) {
  return (
    <Select
      label="Aspect ratio"
      size="xs"
      allowDeselect={false}
      data={presets}
      value={aspect}
      onChange={(value) => {
        if (!value) return
        const ratio = aspectValue(value, imageSize)
        onAspect(value, ratio === null ? rect : fitRectToAspect(imageSize, ratio))
      }}
    />
  )
}

/** The preset as width / height in image pixels, or null for a free crop. */
export function aspectValue(
  preset: string,
  imageSize: { width: number; height: number },
): number | null {
  if (preset === 'free') return null
  if (preset === 'original') return imageSize.width / imageSize.height
  return Number(preset)
}
