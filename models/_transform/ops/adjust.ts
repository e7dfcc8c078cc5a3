import type { OperationOf } from '../recipe'
import type { OperationFn } from './types'

/** Brightness, contrast and gamma as one 256-entry table per channel, applied with `cv.LUT`. */
export const adjust: OperationFn<'adjust'> = (src, operation, { cv }) => {
  const { brightness, contrast, gamma } = operation
  if (brightness === 0 && contrast === 0 && gamma === 1) return src
  const table = adjustTable(operation)
  const lut = new cv.Mat(1, 256, cv.CV_8UC4)
  const out = new cv.Mat()
  try {
    for (let v = 0; v < 256; v++) lut.data.set([table[v]!, table[v]!, table[v]!, 255], v * 4)
    cv.LUT(src, lut, out)
    return out
  } catch (error) {
    out.delete()
    throw error
  } finally {
    lut.delete()
  }
}

/** out = slope · (255 · (in / 255)^(1 / γ) − 128) + 128 + 1.27 · brightness, rounded, clamped. */
export function adjustTable({ brightness, contrast, gamma }: OperationOf<'adjust'>): Uint8Array {
  const slope = 1 + contrast / 100
  const table = new Uint8Array(256)
  for (let v = 0; v < 256; v++) {
    const corrected = 255 * (v / 255) ** (1 / gamma)
    table[v] = Math.min(
      255,
      Math.max(0, Math.round(slope * (corrected - 128) + 128 + 1.27 * brightness)),
    )
  }
  return table
}
