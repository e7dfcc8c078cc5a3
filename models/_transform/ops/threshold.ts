import { withMats } from '../../_shared/opencv'
import { oddAtLeast } from './denoise'
import type { OperationFn } from './types'

/**
 * Adaptive threshold of the grey image: white where a pixel is brighter than the mean of its
 * `blockSize` neighbourhood minus `offset`, black elsewhere.
 */
export const threshold: OperationFn<'threshold'> = (src, { blockSize, offset }, { cv, scale }) => {
  const out = new cv.Mat()
  try {
    withMats(cv, 2, (grey, binary) => {
      cv.cvtColor(src, grey, cv.COLOR_RGBA2GRAY)
      cv.adaptiveThreshold(
        grey,
        binary,
        255,
        cv.ADAPTIVE_THRESH_MEAN_C,
        cv.THRESH_BINARY,
        oddAtLeast(blockSize * scale, 3),
        offset,
      )
      cv.cvtColor(binary, out, cv.COLOR_GRAY2RGBA)
    })
    return out
  } catch (error) {
    out.delete()
    throw error
  }
}
