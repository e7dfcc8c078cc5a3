import { withMats } from '../../_shared/opencv'
import type { OperationFn } from './types'

/** Opening (erode, then dilate) or closing (dilate, then erode), square kernel, per channel. */
export const morphology: OperationFn<'morphology'> = (src, { kind, size }, { cv, scale }) => {
  const side = Math.max(1, Math.round(size * scale))
  if (side === 1) return src
  const first = Math.floor((side - 1) / 2)
  const out = new cv.Mat()
  const kernel = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(side, side))
  try {
    withMats(cv, 2, (rgb, step) => {
      const [before, after] = kind === 'open' ? [cv.erode, cv.dilate] : [cv.dilate, cv.erode]
      cv.cvtColor(src, rgb, cv.COLOR_RGBA2RGB)
      // The second step mirrors the first one's anchor, or an even kernel would shift the image.
      before(rgb, step, kernel, new cv.Point(first, first))
      after(step, rgb, kernel, new cv.Point(side - 1 - first, side - 1 - first))
      cv.cvtColor(rgb, out, cv.COLOR_RGB2RGBA)
    })
    return out
  } catch (error) {
    out.delete()
    throw error
  } finally {
    kernel.delete()
  }
}
