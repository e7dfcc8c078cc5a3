import type { OperationOf } from '../recipe'
import { mapChannels } from './lut'
import type { OperationFn } from './types'

/** Brightness, contrast and gamma as one 256-entry table per channel, applied with `cv.LUT`. */
export const adjust: OperationFn<'adjust'> = (src, operation, { cv }) => {
  const { brightness, contrast, gamma } = operation
  if (brightness === 0 && contrast === 0 && gamma === 1) return src
  const table = adjustTable(operation)
  return mapChannels(cv, src, (_channel, level) => table[level]!)
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
