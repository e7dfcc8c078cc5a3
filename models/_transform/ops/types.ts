import type { Mat, OpenCv } from '../../_shared/opencv'
import type { OperationId, OperationOf } from '../recipe'

/** What an operation knows besides its parameters. */
export interface OperationContext {
  cv: OpenCv
  /** Preview pixels per full-resolution pixel (1 at full resolution); scales pixel-sized parameters. */
  scale: number
  /** EXIF orientation of the original, 1–8. */
  orientation: number
  /** Whether the pixels are upright yet: auto-orient has run, or the orientation is 1. */
  upright: boolean
}

/**
 * One edit operation: reads `src` (RGBA, CV_8UC4) and returns a new RGBA Mat, or `src` itself
 * when it changes nothing. It never deletes or changes `src`; the caller frees both.
 */
export type OperationFn<Id extends OperationId> = (
  src: Mat,
  operation: OperationOf<Id>,
  context: OperationContext,
) => Mat
