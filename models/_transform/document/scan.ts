import { operationSchema, type Operation } from '../recipe'
import type { Quad } from './find-page'

export interface ScanOptions {
  /** The page's corners (see `findPage`), normalised to the image the recipe starts from. */
  corners: Quad
  /** Clockwise rotation that levels the rectified page's lines (see `measureSkew`). */
  deskewDegrees: number
  /** Whether to turn the page into black ink on white paper. */
  binarize: boolean
}

/** Below this, in degrees, a deskew would only soften the page. */
export const minDeskew = 0.1

/**
 * The operations that turn a photographed page into a scan: rectify the page, level its lines
 * (new corners filled white, like paper), then optionally threshold it to black and white.
 */
export function scanRecipe({ corners, deskewDegrees, binarize }: ScanOptions): Operation[] {
  const recipe: Operation[] = [{ op: 'perspective', corners }]
  if (Math.abs(deskewDegrees) >= minDeskew) {
    recipe.push({ op: 'rotate', degrees: deskewDegrees, fill: 'white' })
  }
  // The schema's defaults are the threshold's tuned parameters.
  if (binarize) recipe.push(operationSchema.parse({ op: 'threshold' }))
  return recipe
}
