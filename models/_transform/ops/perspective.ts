import type { Mat } from '../../_shared/opencv'
import type { Point } from '../recipe'
import type { OperationFn } from './types'

/**
 * Normalised corners to OpenCV pixel coordinates: 0 and 1 are the image's outer edges, and
 * OpenCV puts pixel centres on integers, so the edges sit at −0.5 and size − 0.5.
 */
function cornersToPixels(
  corners: readonly Point[],
  width: number,
  height: number,
): [number, number][] {
  return corners.map(([x, y]) => [x * width - 0.5, y * height - 0.5])
}

/** Output size of the rectified page: its longer top/bottom edge by its longer left/right edge. */
export function perspectiveSize(
  corners: readonly [Point, Point, Point, Point],
  width: number,
  height: number,
): { width: number; height: number } {
  const [tl, tr, br, bl] = corners
  const length = ([x0, y0]: Point, [x1, y1]: Point) =>
    Math.hypot((x1 - x0) * width, (y1 - y0) * height)
  return {
    width: Math.max(1, Math.round(Math.max(length(tl, tr), length(bl, br)))),
    height: Math.max(1, Math.round(Math.max(length(tl, bl), length(tr, br)))),
  }
}

/**
 * Maps the quadrilateral `corners` (top-left, top-right, bottom-right, bottom-left, normalised to
 * the current image) onto a rectangle, bilinear, repeating the edge pixels where it samples outside.
 */
export const perspective: OperationFn<'perspective'> = (src, { corners }, { cv }) => {
  const size = perspectiveSize(corners, src.cols, src.rows)
  const from = cornersToPixels(corners, src.cols, src.rows).flat()
  const [right, bottom] = [size.width - 0.5, size.height - 0.5]
  const to = [-0.5, -0.5, right, -0.5, right, bottom, -0.5, bottom]
  const fromMat = cv.matFromArray(4, 1, cv.CV_32FC2, from)
  const toMat = cv.matFromArray(4, 1, cv.CV_32FC2, to)
  let transform: Mat | undefined
  const out = new cv.Mat()
  try {
    transform = cv.getPerspectiveTransform(fromMat, toMat)
    cv.warpPerspective(
      src,
      out,
      transform,
      new cv.Size(size.width, size.height),
      cv.INTER_LINEAR,
      cv.BORDER_REPLICATE,
      new cv.Scalar(),
    )
    return out
  } catch (error) {
    out.delete()
    throw error
  } finally {
    fromMat.delete()
    toMat.delete()
    transform?.delete()
  }
}
