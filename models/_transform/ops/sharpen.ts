import { withMats } from '../../_shared/opencv'
import { gaussianBlur } from './blur'
import type { OperationFn } from './types'

/** Unsharp mask: in + amount · (in − gaussian(in, σ = radius)), per channel. */
export const sharpen: OperationFn<'sharpen'> = (src, { amount, radius }, { cv, scale }) => {
  if (amount === 0) return src
  const out = new cv.Mat()
  try {
    withMats(cv, 2, (rgb, blurred) => {
      cv.cvtColor(src, rgb, cv.COLOR_RGBA2RGB)
      gaussianBlur(cv, rgb, blurred, radius * scale)
      cv.addWeighted(rgb, 1 + amount, blurred, -amount, 0, rgb)
      cv.cvtColor(rgb, out, cv.COLOR_RGB2RGBA)
    })
    return out
  } catch (error) {
    out.delete()
    throw error
  }
}
