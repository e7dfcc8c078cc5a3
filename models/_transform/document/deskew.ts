import type { OpenCv } from '../../_shared/opencv'
import { withMats } from '../../_shared/opencv'
import type { RgbaImage } from '../../types'
import { workingGray } from './working-gray'

/** Largest skew measured, in degrees either way. */
export const maxSkew = 15

/** Long side, in px, of the copy the skew is measured in. */
const workingSide = 1200

/**
 * The clockwise rotation, in degrees within ±15, that makes the lines of dark ink in `image`
 * (text lines, rules, a grid) horizontal: the angle at which the ink's horizontal projection is
 * most sharply peaked. 0 when there is no ink.
 */
export function measureSkew(cv: OpenCv, image: RgbaImage): number {
  const { xs, ys } = inkPixels(cv, image)
  if (xs.length === 0) return 0
  const score = (degrees: number) => projectionSharpness(xs, ys, degrees)
  let best = 0
  let bestScore = score(0)
  // Coarse to fine; the peak is about (line height / text width) radians wide.
  const passes: [span: number, step: number][] = [
    [maxSkew, 0.5],
    [0.5, 0.1],
    [0.1, 0.02],
  ]
  for (const [span, step] of passes) {
    const centre = best
    const steps = Math.round(span / step)
    for (let i = -steps; i <= steps; i++) {
      const degrees = centre + i * step
      if (Math.abs(degrees) > maxSkew + 1e-9) continue
      const value = score(degrees)
      if (value > bestScore) [best, bestScore] = [degrees, value]
    }
  }
  return Math.round(best * 100) / 100
}

/** Coordinates of the pixels darker than their surroundings (ink), in a copy at most `workingSide`. */
function inkPixels(cv: OpenCv, image: RgbaImage): { xs: Float64Array; ys: Float64Array } {
  return withMats(cv, 2, (gray, ink) => {
    workingGray(cv, image, gray, workingSide)
    // The neighbourhood spans several strokes; the offset keeps paper grain out.
    const block = 2 * Math.max(7, Math.floor(Math.max(gray.cols, gray.rows) / 60)) + 1
    cv.adaptiveThreshold(gray, ink, 255, cv.ADAPTIVE_THRESH_MEAN_C, cv.THRESH_BINARY_INV, block, 15)
    const { cols: width, rows: height } = ink
    const data = ink.data
    let count = 0
    for (const value of data) if (value > 0) count++
    const xs = new Float64Array(count)
    const ys = new Float64Array(count)
    let n = 0
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (data[y * width + x]! > 0) {
          xs[n] = x - width / 2
          ys[n] = y - height / 2
          n++
        }
      }
    }
    return { xs, ys }
  })
}

/**
 * Sum of squared row counts of the ink after rotating it clockwise by `degrees`: largest when
 * lines of ink fall into few rows.
 */
function projectionSharpness(xs: Float64Array, ys: Float64Array, degrees: number): number {
  const radians = (degrees * Math.PI) / 180
  const sin = Math.sin(radians)
  const cos = Math.cos(radians)
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < xs.length; i++) {
    const y = xs[i]! * sin + ys[i]! * cos
    if (y < min) min = y
    if (y > max) max = y
  }
  const rows = new Float64Array(Math.ceil(max - min) + 2)
  // Each pixel is shared between its two nearest rows, so the score changes smoothly with angle.
  for (let i = 0; i < xs.length; i++) {
    const y = xs[i]! * sin + ys[i]! * cos - min
    const row = Math.floor(y)
    rows[row]! += row + 1 - y
    rows[row + 1]! += y - row
  }
  let sum = 0
  for (const count of rows) sum += count * count
  return sum
}
