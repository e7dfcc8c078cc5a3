import { mapLuminance } from './equalize'
import type { OperationFn } from './types'

/** CLAHE of Y in YCrCb, with `tiles` square-ish tiles across the short side. */
export const clahe: OperationFn<'clahe'> = (src, { clipLimit, tiles }, { cv }) => {
  const grid = tileGrid(src.cols, src.rows, tiles)
  const equalizer = new cv.CLAHE(clipLimit, new cv.Size(grid.columns, grid.rows))
  try {
    return mapLuminance(cv, src, (y, out) => equalizer.apply(y, out))
  } finally {
    equalizer.delete()
  }
}

/** Tile columns and rows: `tiles` across the short side, as many of that size along the other. */
export function tileGrid(width: number, height: number, tiles: number) {
  const short = Math.min(width, height)
  // A tile needs at least a pixel each way.
  const across = Math.max(1, Math.min(tiles, short))
  const along = Math.max(
    1,
    Math.min(Math.round((across * Math.max(width, height)) / short), Math.max(width, height)),
  )
  return width <= height ? { columns: across, rows: along } : { columns: along, rows: across }
}
