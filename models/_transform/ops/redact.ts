import type { Mat, OpenCv } from '../../_shared/opencv'
import { withMats } from '../../_shared/opencv'
import type { Rect } from '../recipe'
import { directSigmaMax, gaussianBlur } from './blur'
import type { OperationFn } from './types'

/**
 * Where a rect of the upright image lies in the stored pixels, for EXIF orientation 1–8: the
 * inverse of the turn and mirror that auto-orient applies. Both rects are normalised.
 */
export function uprightToStored(rect: Rect, orientation: number): Rect {
  const { x, y, width: w, height: h } = rect
  const [right, bottom] = [1 - x - w, 1 - y - h]
  switch (orientation) {
    case 2:
      return { x: right, y, width: w, height: h }
    case 3:
      return { x: right, y: bottom, width: w, height: h }
    case 4:
      return { x, y: bottom, width: w, height: h }
    case 5:
      return { x: y, y: x, width: h, height: w }
    case 6:
      return { x: y, y: right, width: h, height: w }
    case 7:
      return { x: bottom, y: right, width: h, height: w }
    case 8:
      return { x: bottom, y: x, width: h, height: w }
    default:
      return { x, y, width: w, height: h }
  }
}

/**
 * Pixels a normalised rect covers, rounded outwards and clipped to the image; undefined if none.
 * The slack keeps float noise (0.2 + 0.4 = 0.6000000000000001) from adding a pixel.
 */
function coveringRect(cv: OpenCv, rect: Rect, cols: number, rows: number) {
  const slack = 1e-9
  const x0 = Math.max(0, Math.floor(rect.x * cols + slack))
  const y0 = Math.max(0, Math.floor(rect.y * rows + slack))
  const x1 = Math.min(cols, Math.ceil((rect.x + rect.width) * cols - slack))
  const y1 = Math.min(rows, Math.ceil((rect.y + rect.height) * rows - slack))
  return x1 > x0 && y1 > y0 ? new cv.Rect(x0, y0, x1 - x0, y1 - y0) : undefined
}

/** Gaussian sigma a region's long side divides into: features vanish, the overall tone stays. */
const blurDivisor = 6
/** Pixelation blocks across a region's long side. */
const blocksAcross = 8

/**
 * Blurs or pixelates the enabled regions; every pixel outside them is left as it was. Regions are
 * in the upright original's coordinates and are mapped into the stored pixels before auto-orient.
 */
export const redact: OperationFn<'redact'> = (src, { style, regions }, context) => {
  const { cv, scale, orientation, upright } = context
  const enabled = regions.filter((region) => region.enabled)
  if (enabled.length === 0) return src
  // copyTo, not clone(): opencv.js's clone() is a second handle on the same pixels.
  const dst = new cv.Mat()
  try {
    src.copyTo(dst)
    for (const region of enabled) {
      const rect = coveringRect(
        cv,
        upright ? region : uprightToStored(region, orientation),
        dst.cols,
        dst.rows,
      )
      if (!rect) continue
      const view = dst.roi(rect)
      try {
        const side = Math.max(rect.width, rect.height)
        if (style === 'blur') blurInPlace(cv, view, Math.max(side / blurDivisor, 2 * scale))
        else pixelateInPlace(cv, view, Math.max(side / blocksAcross, 4 * scale))
      } finally {
        view.delete()
      }
    }
    return dst
  } catch (err) {
    dst.delete()
    throw err
  }
}

function blurInPlace(cv: OpenCv, view: Mat, sigma: number) {
  withMats(cv, 1, (blurred) => {
    // Only pixels inside the region feed the blur, so nothing outside can leak in or be changed.
    // A face's σ is tens of pixels: the reduced-copy blur (which reads only the region) is far faster.
    if (sigma > directSigmaMax) {
      gaussianBlur(cv, view, blurred, sigma)
      blurred.copyTo(view)
      return
    }
    const size = Math.max(3, 2 * Math.ceil(3 * sigma) + 1)
    cv.GaussianBlur(
      view,
      blurred,
      new cv.Size(size, size),
      sigma,
      sigma,
      cv.BORDER_REFLECT | cv.BORDER_ISOLATED,
    )
    blurred.copyTo(view)
  })
}

function pixelateInPlace(cv: OpenCv, view: Mat, block: number) {
  withMats(cv, 2, (small, large) => {
    const across = Math.max(1, Math.round(view.cols / block))
    const down = Math.max(1, Math.round(view.rows / block))
    cv.resize(view, small, new cv.Size(across, down), 0, 0, cv.INTER_AREA)
    cv.resize(small, large, new cv.Size(view.cols, view.rows), 0, 0, cv.INTER_NEAREST)
    large.copyTo(view)
  })
}
