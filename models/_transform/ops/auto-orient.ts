import type { Mat, OpenCv } from '../../_shared/opencv'
import type { OperationFn } from './types'

/**
 * Turns stored pixels upright per EXIF orientation 1–8: mirror, rotate 180°, flip, transpose,
 * rotate 90° clockwise, transverse, rotate 90° anticlockwise. Pixels move; none is resampled.
 */
export function orientPixels(cv: OpenCv, src: Mat, orientation: number): Mat {
  const dst = new cv.Mat()
  try {
    switch (orientation) {
      case 2:
        cv.flip(src, dst, 1)
        break
      case 3:
        cv.rotate(src, dst, cv.ROTATE_180)
        break
      case 4:
        cv.flip(src, dst, 0)
        break
      case 5:
        cv.transpose(src, dst)
        break
      case 6:
        cv.rotate(src, dst, cv.ROTATE_90_CLOCKWISE)
        break
      case 7:
        // Transverse: the transpose across the other diagonal.
        cv.transpose(src, dst)
        cv.flip(dst, dst, -1)
        break
      case 8:
        cv.rotate(src, dst, cv.ROTATE_90_COUNTERCLOCKWISE)
        break
      default:
        src.copyTo(dst)
    }
    return dst
  } catch (err) {
    dst.delete()
    throw err
  }
}

/** Applies the original's EXIF orientation, unless the pixels are upright already. */
export const autoOrient: OperationFn<'auto-orient'> = (
  src,
  _operation,
  { cv, orientation, upright },
) => (upright || orientation < 2 || orientation > 8 ? src : orientPixels(cv, src, orientation))
