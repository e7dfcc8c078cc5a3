import { type Mat, type OpenCv, withMats } from '../../_shared/opencv'
import type { OperationFn } from './types'

/** Gaussian blur with σ = radius. */
export const blur: OperationFn<'blur'> = (src, { radius }, { cv, scale }) => {
  const out = new cv.Mat()
  try {
    withMats(cv, 2, (rgb, blurred) => {
      cv.cvtColor(src, rgb, cv.COLOR_RGBA2RGB)
      gaussianBlur(cv, rgb, blurred, radius * scale)
      cv.cvtColor(blurred, out, cv.COLOR_RGB2RGBA)
    })
    return out
  } catch (error) {
    out.delete()
    throw error
  }
}

/** Above this σ (px) the blur runs on a reduced copy: a direct kernel costs O(σ) per pixel. */
export const directSigmaMax = 8

/** Gaussian blur of `src` into `dst` with σ = `sigma` px, edges mirrored; fast for large σ too. */
export function gaussianBlur(cv: OpenCv, src: Mat, dst: Mat, sigma: number): void {
  // OpenCV sizes the kernel from σ (±3σ for 8-bit images). For large σ: shrink by an integer
  // factor f (area average), blur with σ′, enlarge back (bilinear), at about 1/f² of the cost.
  // The area average adds a variance of f²/12 and bilinear enlarging f²/6 (in full-size px²),
  // so σ′² = σ²/f² − 1/4 keeps the total σ.
  const factor = Math.floor(sigma / (directSigmaMax / 2))
  const small = Math.min(src.cols, src.rows)
  if (sigma <= directSigmaMax || small / factor < 8) {
    cv.GaussianBlur(src, dst, new cv.Size(0, 0), sigma, sigma, cv.BORDER_REFLECT_101)
    return
  }
  withMats(cv, 2, (reduced, blurred) => {
    const size = new cv.Size(Math.round(src.cols / factor), Math.round(src.rows / factor))
    cv.resize(src, reduced, size, 0, 0, cv.INTER_AREA)
    const reducedSigma = Math.sqrt((sigma / factor) ** 2 - 0.25)
    cv.GaussianBlur(
      reduced,
      blurred,
      new cv.Size(0, 0),
      reducedSigma,
      reducedSigma,
      cv.BORDER_REFLECT_101,
    )
    cv.resize(blurred, dst, new cv.Size(src.cols, src.rows), 0, 0, cv.INTER_LINEAR)
  })
}
