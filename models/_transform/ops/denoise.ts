import { withMats } from '../../_shared/opencv'
import type { OperationFn } from './types'

/**
 * Bilateral filter (opencv.js has no non-local means): `strength` is the colour sigma in 0–255
 * units, the spatial sigma is half the diameter.
 */
export const denoise: OperationFn<'denoise'> = (src, { strength, diameter }, { cv, scale }) => {
  const scaled = diameter * scale
  const size = oddAtLeast(scaled, 1)
  if (size === 1) return src
  const out = new cv.Mat()
  try {
    withMats(cv, 2, (rgb, filtered) => {
      cv.cvtColor(src, rgb, cv.COLOR_RGBA2RGB)
      cv.bilateralFilter(rgb, filtered, size, strength, scaled / 2, cv.BORDER_REFLECT_101)
      cv.cvtColor(filtered, out, cv.COLOR_RGB2RGBA)
    })
    return out
  } catch (error) {
    out.delete()
    throw error
  }
}

/** The odd integer nearest `value`, and at least `min` (which must be odd). */
export const oddAtLeast = (value: number, min: number) =>
  Math.max(min, 2 * Math.round((value - 1) / 2) + 1)
