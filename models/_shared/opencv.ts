import type cvModule from '@techstark/opencv-js'

/** The opencv.js module object, as the worker or a Node test loads it. */
export type OpenCv = typeof cvModule
export type Mat = InstanceType<OpenCv['Mat']>

/** Runs `fn` with `count` fresh Mats and deletes them all, even if `fn` throws. */
export function withMats<T>(cv: OpenCv, count: number, fn: (...mats: Mat[]) => T): T {
  const mats = Array.from({ length: count }, () => new cv.Mat())
  try {
    return fn(...mats)
  } finally {
    for (const mat of mats) mat.delete()
  }
}
