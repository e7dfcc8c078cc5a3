import type { OpenCv } from '../_shared/opencv'
import type { RgbaImage } from '../types'
import { autoOrient } from './ops/auto-orient'

/** The EXIF orientation that undoes `orientation`: 6 and 8 are each other's inverse, the rest their own. */
export function inverseOrientation(orientation: number): number {
  return orientation === 6 ? 8 : orientation === 8 ? 6 : orientation
}

/**
 * Turns upright pixels (as browsers decode them, EXIF orientation applied) back into the
 * original's stored orientation, which is what a recipe starts from.
 */
export function toStoredOrientation(
  cv: OpenCv,
  upright: RgbaImage,
  orientation: number,
): RgbaImage {
  if (orientation === 1) return upright
  const src = cv.matFromImageData(upright as ImageData)
  const context = { cv, scale: 1, orientation: inverseOrientation(orientation), upright: false }
  const out = autoOrient(src, { op: 'auto-orient' }, context)
  try {
    return { data: new Uint8ClampedArray(out.data), width: out.cols, height: out.rows }
  } finally {
    src.delete()
    if (out !== src) out.delete()
  }
}
