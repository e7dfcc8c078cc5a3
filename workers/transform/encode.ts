import type { RgbaImage } from '../../models/types'

export type ExportType = 'image/png' | 'image/jpeg' | 'image/webp'

/** Encodes pixels with the browser's encoder, which writes no metadata (no EXIF, no GPS). */
export function encode(image: RgbaImage, type: ExportType, quality?: number): Promise<Blob> {
  return toCanvas(image).convertToBlob({ type, quality })
}

/** Scales pixels down so the long side is at most `maxSide` (never up), with the canvas's smoothing. */
export function downscale(image: RgbaImage, maxSide: number): RgbaImage {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height))
  if (scale === 1) return image
  const width = Math.max(1, Math.round(image.width * scale))
  const height = Math.max(1, Math.round(image.height * scale))
  const target = new OffscreenCanvas(width, height)
  const context = target.getContext('2d', { willReadFrequently: true })!
  context.imageSmoothingQuality = 'high'
  context.drawImage(toCanvas(image), 0, 0, width, height)
  return context.getImageData(0, 0, width, height)
}

/** The pixels on a canvas, without copying them first (a 12 MP image is 48 MB). */
function toCanvas(image: RgbaImage): OffscreenCanvas {
  const canvas = new OffscreenCanvas(image.width, image.height)
  const context = canvas.getContext('2d')
  if (!context) throw new Error('No 2D canvas in this worker.')
  const data = image.data as Uint8ClampedArray<ArrayBuffer>
  context.putImageData(new ImageData(data, image.width, image.height), 0, 0)
  return canvas
}
