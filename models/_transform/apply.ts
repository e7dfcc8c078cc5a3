import type { Mat, OpenCv } from '../_shared/opencv'
import type { RgbaImage } from '../types'
import { operations } from './ops'
import type { OperationContext, OperationFn } from './ops/types'
import type { Operation, Recipe } from './recipe'

export interface ApplyOptions {
  /** EXIF orientation of the original, 1–8. */
  orientation: number
  /** Preview pixels per full-resolution pixel; 1 renders the full image. */
  scale?: number
  signal?: AbortSignal
}

/**
 * Renders `recipe` over `image` (the original's pixels as stored, EXIF orientation not applied),
 * one operation after another, and returns new RGBA pixels.
 */
export function applyRecipe(
  cv: OpenCv,
  image: RgbaImage,
  recipe: Recipe,
  { orientation, scale = 1, signal }: ApplyOptions,
): RgbaImage {
  const context: OperationContext = { cv, scale, orientation, upright: orientation === 1 }
  let current: Mat = cv.matFromImageData(image as ImageData)
  try {
    for (const operation of recipe) {
      signal?.throwIfAborted()
      const run = operations[operation.op] as OperationFn<Operation['op']>
      const next = run(current, operation, context)
      if (next !== current) current.delete()
      current = next
      if (operation.op === 'auto-orient') context.upright = true
    }
    return {
      data: new Uint8ClampedArray(current.data),
      width: current.cols,
      height: current.rows,
    }
  } finally {
    current.delete()
  }
}
