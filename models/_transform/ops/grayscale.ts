import type { OperationFn } from './types'

// sRGB transfer function (IEC 61966-2-1): bytes to linear light scaled to 0–65535, and back.
const toLinear = Float64Array.from({ length: 256 }, (_, v) => {
  const c = v / 255
  return 65_535 * (c <= 0.040_45 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
})
const toSrgb = Uint8Array.from({ length: 65_536 }, (_, i) => {
  const c = i / 65_535
  return Math.round(255 * (c <= 0.003_130_8 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055))
})

/** Relative luminance (Rec. 709 weights on linear light, as libvips), as sRGB in R, G and B. */
export const grayscale: OperationFn<'grayscale'> = (src, _operation, { cv }) => {
  const continuous = src.isContinuous() ? src : src.clone()
  const out = new cv.Mat(src.rows, src.cols, cv.CV_8UC4)
  try {
    const from = continuous.data
    const to = out.data
    for (let p = 0; p < from.length; p += 4) {
      const y = Math.round(
        0.2126 * toLinear[from[p]!]! +
          0.7152 * toLinear[from[p + 1]!]! +
          0.0722 * toLinear[from[p + 2]!]!,
      )
      const v = toSrgb[y]!
      to[p] = v
      to[p + 1] = v
      to[p + 2] = v
      to[p + 3] = 255
    }
    return out
  } catch (error) {
    out.delete()
    throw error
  } finally {
    if (continuous !== src) continuous.delete()
  }
}
