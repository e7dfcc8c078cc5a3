import type { OperationFn } from './types'

/** Grey world: scales R, G and B (a `cv.LUT` table each) so their means all equal their average. */
export const whiteBalance: OperationFn<'white-balance'> = (src, _operation, { cv }) => {
  const [r = 0, g = 0, b = 0] = cv.mean(src)
  const means = [r, g, b]
  const target = (r + g + b) / 3
  // A black image or one with an empty channel has no cast to measure.
  if (means.some((mean) => mean < 1)) return src
  const [rGain, gGain, bGain] = means.map((mean) => target / mean) as [number, number, number]
  const lut = new cv.Mat(1, 256, cv.CV_8UC4)
  const out = new cv.Mat()
  try {
    for (let v = 0; v < 256; v++) {
      lut.data.set([v * rGain, v * gGain, v * bGain].map(clampByte).concat(255), v * 4)
    }
    cv.LUT(src, lut, out)
    return out
  } catch (error) {
    out.delete()
    throw error
  } finally {
    lut.delete()
  }
}

const clampByte = (value: number) => Math.min(255, Math.max(0, Math.round(value)))
