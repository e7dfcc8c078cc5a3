import sharp from 'sharp'
import type { RgbaImage } from '../types'

/** Decodes a fixture to RGBA, upright per its EXIF orientation (as the browser shows it). */
export async function loadImage(path: string): Promise<RgbaImage> {
  const { data, info } = await sharp(path)
    .rotate()
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  }
}

export const fixture = (name: string) => new URL(`../../fixtures/${name}`, import.meta.url).pathname
