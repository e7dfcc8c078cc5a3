import type { RgbaImage } from '../types'

/** A single-channel image, row-major, values in 0–255. */
export interface Grey {
  readonly data: Float32Array
  readonly width: number
  readonly height: number
}

/**
 * Rec. 709 luma Y′ = 0.2126 R′ + 0.7152 G′ + 0.0722 B′ on the gamma-encoded (sRGB) bytes, 0–255.
 * Alpha is ignored.
 */
export function toGrey(image: RgbaImage): Grey {
  const { data, width, height } = image
  const out = new Float32Array(width * height)
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    out[i] = 0.2126 * data[p]! + 0.7152 * data[p + 1]! + 0.0722 * data[p + 2]!
  }
  return { data: out, width, height }
}
