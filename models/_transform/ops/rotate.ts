import type { OperationFn } from './types'

/** Clockwise; quarter turns move pixels exactly, other angles resample bilinearly onto a grown canvas. */
export const rotate: OperationFn<'rotate'> = (src, { degrees, fill }, { cv }) => {
  const turn = ((degrees % 360) + 360) % 360
  const quarter = Math.round(turn / 90)
  if (Math.abs(turn - quarter * 90) < 1e-9) {
    if (quarter % 4 === 0) return src
    const codes = [cv.ROTATE_90_CLOCKWISE, cv.ROTATE_180, cv.ROTATE_90_COUNTERCLOCKWISE]
    const dst = new cv.Mat()
    try {
      cv.rotate(src, dst, codes[quarter - 1]!)
      return dst
    } catch (err) {
      dst.delete()
      throw err
    }
  }

  const radians = (turn * Math.PI) / 180
  const cos = Math.cos(radians)
  const sin = Math.sin(radians)
  const { cols: w, rows: h } = src
  // The rotated image's bounding box, so no corner is cut off.
  const width = Math.max(1, Math.round(w * Math.abs(cos) + h * Math.abs(sin)))
  const height = Math.max(1, Math.round(w * Math.abs(sin) + h * Math.abs(cos)))
  // Pixel centres sit at integer coordinates: the image centre is at ((w − 1) / 2, (h − 1) / 2).
  const [cx, cy] = [(w - 1) / 2, (h - 1) / 2]
  const [ox, oy] = [(width - 1) / 2, (height - 1) / 2]
  // y points down, so this matrix turns clockwise on screen.
  const matrix = cv.matFromArray(2, 3, cv.CV_64F, [
    cos,
    -sin,
    ox - (cos * cx - sin * cy),
    sin,
    cos,
    oy - (sin * cx + cos * cy),
  ])
  const dst = new cv.Mat()
  try {
    const value = fill === 'white' ? 255 : 0
    cv.warpAffine(
      src,
      dst,
      matrix,
      new cv.Size(width, height),
      cv.INTER_LINEAR,
      cv.BORDER_CONSTANT,
      new cv.Scalar(value, value, value, 255),
    )
    return dst
  } catch (err) {
    dst.delete()
    throw err
  } finally {
    matrix.delete()
  }
}
