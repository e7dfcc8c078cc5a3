import { CorruptImageError } from '../../models/errors'
import { thumbnailMaxSide } from './types'

export interface Size {
  width: number
  height: number
}

export interface Thumbnail extends Size {
  /** WebP, or PNG where the browser cannot encode WebP (Safari). */
  blob: Blob
}

/** Quality 0–1 for the WebP encoder. In Chromium 156 the fixtures' thumbnails come out at 4–27 KB. */
const webpQuality = 0.82

/** `size` scaled to fit `maxSide` on its long side, never enlarged, each side at least 1 px. */
export function fitWithin(size: Size, maxSide = thumbnailMaxSide): Size {
  const scale = Math.min(1, maxSide / Math.max(size.width, size.height))
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  }
}

/**
 * Decodes an image, upright per its EXIF orientation, and encodes a thumbnail whose long side is
 * at most `thumbnailMaxSide`. `displayed` is the header's size after orientation. Worker or window.
 */
export async function makeThumbnail(file: File, displayed: Size): Promise<Thumbnail> {
  const target = fitWithin(displayed)
  const shrink = target.width < displayed.width || target.height < displayed.height
  // Chromium applies EXIF orientation before resizing, so resize sizes are in displayed terms.
  // Only the long side is given: if the header's orientation were wrong (a PNG or WebP with EXIF
  // orientation, an AVIF with `irot`) a wrong guess then gives an oversized but undistorted
  // bitmap, which the canvas below scales down, instead of a squashed one.
  const resize: ImageBitmapOptions = !shrink
    ? {}
    : displayed.width >= displayed.height
      ? { resizeWidth: target.width, resizeQuality: 'high' }
      : { resizeHeight: target.height, resizeQuality: 'high' }
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image', ...resize })
  } catch (cause) {
    throw new CorruptImageError(
      `"${file.name}" could not be decoded: the image data is damaged or uses a feature this ` +
        'browser does not support. Re-export it as JPEG or PNG and import that.',
      { cause },
    )
  }
  try {
    const size = fitWithin(bitmap)
    const canvas = new OffscreenCanvas(size.width, size.height)
    const context = canvas.getContext('2d')
    if (!context) throw new Error('OffscreenCanvas has no 2D context in this browser')
    context.imageSmoothingQuality = 'high'
    context.drawImage(bitmap, 0, 0, size.width, size.height)
    const blob = await canvas.convertToBlob({ type: 'image/webp', quality: webpQuality })
    return { blob, ...size }
  } finally {
    bitmap.close()
  }
}
