import type { Mat, OpenCv } from '../../_shared/opencv'

/**
 * Maps each of R, G and B through its own 256-entry table (`value(channel, level)` → 0–255, clamped
 * and rounded) into a new Mat; alpha becomes 255.
 */
export function mapChannels(
  cv: OpenCv,
  src: Mat,
  value: (channel: 0 | 1 | 2, level: number) => number,
): Mat {
  const lut = new cv.Mat(1, 256, cv.CV_8UC4)
  const out = new cv.Mat()
  try {
    for (let v = 0; v < 256; v++) {
      lut.data.set([value(0, v), value(1, v), value(2, v), 255].map(clampByte), v * 4)
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

function clampByte(value: number): number {
  return Math.min(255, Math.max(0, Math.round(value)))
}
