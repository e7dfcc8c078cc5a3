import type { Rect } from '../recipe'
import type { OperationFn } from './types'

/** A normalised rect in pixels of a `width`×`height` image: rounded, inside it, at least 1×1. */
export function pixelRect(rect: Rect, width: number, height: number) {
  const span = (start: number, size: number, total: number) => {
    const from = Math.min(Math.max(Math.round(start * total), 0), total - 1)
    const to = Math.min(Math.max(Math.round((start + size) * total), from + 1), total)
    return [from, to - from] as const
  }
  const [x, w] = span(rect.x, rect.width, width)
  const [y, h] = span(rect.y, rect.height, height)
  return { x, y, width: w, height: h }
}

/** Keeps the part of the current image inside `rect`. */
export const crop: OperationFn<'crop'> = (src, { rect }, { cv }) => {
  const { x, y, width, height } = pixelRect(rect, src.cols, src.rows)
  if (width === src.cols && height === src.rows) return src
  const view = src.roi(new cv.Rect(x, y, width, height))
  // copyTo gives a continuous copy; opencv.js's clone() is only a second handle on the same pixels.
  const dst = new cv.Mat()
  try {
    view.copyTo(dst)
    return dst
  } catch (err) {
    dst.delete()
    throw err
  } finally {
    view.delete()
  }
}
