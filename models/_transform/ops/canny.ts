import { withMats } from '../../_shared/opencv'
import type { OperationFn } from './types'

/** Canny edges of the grey image (hysteresis thresholds `low` and `high`), white on black. */
export const canny: OperationFn<'canny'> = (src, { low, high }, { cv }) => {
  const out = new cv.Mat()
  try {
    withMats(cv, 2, (grey, edges) => {
      cv.cvtColor(src, grey, cv.COLOR_RGBA2GRAY)
      cv.Canny(grey, edges, low, high)
      cv.cvtColor(edges, out, cv.COLOR_GRAY2RGBA)
    })
    return out
  } catch (error) {
    out.delete()
    throw error
  }
}
