import { FileTooLargeError, TooManyPixelsError } from '../../models/errors'
import { importLimits } from './types'

export interface LimitFacts {
  name: string
  bytes: number
  /** Pixel size from the header; leave out to check the byte size alone, before reading anything. */
  width?: number
  height?: number
}

/** Refuses a file over `importLimits`: its byte size, and its pixel count once the header is read. */
export function checkLimits({ name, bytes, width, height }: LimitFacts): void {
  if (bytes > importLimits.maxBytes) {
    throw new FileTooLargeError(
      `"${name}" is ${megabytes(bytes)} MB; the limit is ${megabytes(importLimits.maxBytes)} MB. ` +
        'Export a smaller copy (lower quality or resolution) and import that.',
    )
  }
  if (width === undefined || height === undefined) return
  const pixels = width * height
  if (pixels > importLimits.maxPixels) {
    throw new TooManyPixelsError(
      `"${name}" is ${width} × ${height} pixels (${megapixels(pixels)} MP); ` +
        `the limit is ${megapixels(importLimits.maxPixels)} MP. Export a downscaled copy and import that.`,
    )
  }
}

const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 })

// Rounded up, so a file just over the limit never reads as equal to it.
function megabytes(bytes: number): string {
  return oneDecimal.format(Math.ceil((bytes / 1024 / 1024) * 10) / 10)
}

function megapixels(pixels: number): string {
  return oneDecimal.format(Math.ceil((pixels / 1_000_000) * 10) / 10)
}
