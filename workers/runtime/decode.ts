import { CorruptImageError } from '../../models/errors'
import type { RgbaImage } from '../../models/types'

/**
 * Decodes an image upright (EXIF orientation applied, as the viewer shows it) and scales it so
 * its long side is at most `maxSide`. Task results are in this image's pixels.
 */
export async function decodeForAnalysis(blob: Blob, maxSide: number): Promise<RgbaImage> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' })
  } catch (cause) {
    throw new CorruptImageError('The image could not be decoded for analysis.', { cause })
  }
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height))
    const width = Math.max(1, Math.round(bitmap.width * scale))
    const height = Math.max(1, Math.round(bitmap.height * scale))
    const canvas = new OffscreenCanvas(width, height)
    const context = canvas.getContext('2d', { willReadFrequently: true })
    if (!context) throw new Error('No 2D canvas in this worker.')
    context.imageSmoothingQuality = 'high'
    context.drawImage(bitmap, 0, 0, width, height)
    return context.getImageData(0, 0, width, height)
  } finally {
    bitmap.close()
  }
}

/**
 * Decodes through a small cache keyed by image id: the queue runs one image's tasks back to back,
 * so each image is decoded once for all of them instead of once per task. Keeps the `size` most
 * recent (≈ 16 MB each at 2048 px); a failed decode is not kept.
 */
export function createDecodeCache(size: number, maxSide: number) {
  const entries = new Map<string, Promise<RgbaImage>>()
  return (key: string, blob: Blob): Promise<RgbaImage> => {
    let entry = entries.get(key)
    if (entry) {
      entries.delete(key)
    } else {
      entry = decodeForAnalysis(blob, maxSide)
      entry.catch(() => entries.delete(key))
    }
    entries.set(key, entry)
    for (const oldest of entries.keys()) {
      if (entries.size <= size) break
      entries.delete(oldest)
    }
    return entry
  }
}
