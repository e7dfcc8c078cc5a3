import type { OperationFn } from './types'

/** Mirrors left↔right (`horizontal`) or turns upside down (`vertical`). */
export const flip: OperationFn<'flip'> = (src, { axis }, { cv }) => {
  const dst = new cv.Mat()
  try {
    cv.flip(src, dst, axis === 'horizontal' ? 1 : 0)
    return dst
  } catch (err) {
    dst.delete()
    throw err
  }
}
