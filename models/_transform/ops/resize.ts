import type { OperationFn } from './types'

/** Images are enlarged at most this many times. */
const maxEnlargement = 4

/** Output size for a long side of `longSide` px: aspect kept, rounded, at least 1×1, at most 4× larger. */
export function resizedSize(width: number, height: number, longSide: number) {
  const long = Math.max(width, height)
  const target = Math.min(Math.max(1, Math.round(longSide)), long * maxEnlargement)
  const factor = target / long
  return {
    width: width >= height ? target : Math.max(1, Math.round(width * factor)),
    height: height > width ? target : Math.max(1, Math.round(height * factor)),
  }
}

/** Scales so the long side is `longSide` px (scaled with the preview): area averaging down, bicubic up. */
export const resize: OperationFn<'resize'> = (src, { longSide }, { cv, scale }) => {
  const { width, height } = resizedSize(src.cols, src.rows, longSide * scale)
  if (width === src.cols && height === src.rows) return src
  const shrinking = width * height < src.cols * src.rows
  const dst = new cv.Mat()
  try {
    cv.resize(
      src,
      dst,
      new cv.Size(width, height),
      0,
      0,
      shrinking ? cv.INTER_AREA : cv.INTER_CUBIC,
    )
    return dst
  } catch (err) {
    dst.delete()
    throw err
  }
}
