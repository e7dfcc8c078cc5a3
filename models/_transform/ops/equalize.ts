import { type Mat, type OpenCv, withMats } from '../../_shared/opencv'
import type { OperationFn } from './types'

/** Histogram equalisation of Y in YCrCb, so hues and saturation stay as they were. */
export const equalize: OperationFn<'equalize'> = (src, _operation, { cv }) =>
  mapLuminance(cv, src, (y, equalized) => cv.equalizeHist(y, equalized))

/**
 * Converts RGBA to YCrCb, lets `fn` write a new Y (CV_8UC1, same size) from the old one, and
 * returns the result as a new opaque RGBA Mat.
 */
export function mapLuminance(cv: OpenCv, src: Mat, fn: (y: Mat, out: Mat) => void): Mat {
  const out = new cv.Mat()
  try {
    withMats(cv, 3, (rgb, ycrcb, mapped) => {
      cv.cvtColor(src, rgb, cv.COLOR_RGBA2RGB)
      cv.cvtColor(rgb, ycrcb, cv.COLOR_RGB2YCrCb)
      const planes = new cv.MatVector()
      try {
        cv.split(ycrcb, planes)
        const y = planes.get(0)
        try {
          fn(y, mapped)
        } finally {
          y.delete()
        }
        planes.set(0, mapped)
        cv.merge(planes, ycrcb)
      } finally {
        planes.delete()
      }
      cv.cvtColor(ycrcb, rgb, cv.COLOR_YCrCb2RGB)
      cv.cvtColor(rgb, out, cv.COLOR_RGB2RGBA)
    })
    return out
  } catch (error) {
    out.delete()
    throw error
  }
}
