import type { RgbaImage } from '../types'
import type { Mask } from './postprocess'

export interface Edge {
  /** Mask probability (0–1) at the middle of the edge. */
  threshold?: number
  /**
   * Half-width, in probability (0–0.5), of the band over which alpha ramps from 0 to 255 around
   * `threshold`; 0 gives a hard edge. The upsampled mask spreads an edge over about one mask cell
   * (image side / 256 pixels), so a band keeps that spread instead of stair-stepping it.
   */
  feather?: number
}

/** Bilinear upsampling (half-pixel centres) of a mask to `width`×`height`, 0–255 per pixel. */
export function resizeMask(mask: Mask, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height)
  const sx = mask.width / width
  const sy = mask.height / height
  const xs = new Int32Array(width * 2)
  const wxs = new Float32Array(width)
  for (let x = 0; x < width; x++) {
    const fx = Math.min(mask.width - 1, Math.max(0, (x + 0.5) * sx - 0.5))
    const x0 = Math.floor(fx)
    xs[x * 2] = x0
    xs[x * 2 + 1] = Math.min(mask.width - 1, x0 + 1)
    wxs[x] = fx - x0
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.min(mask.height - 1, Math.max(0, (y + 0.5) * sy - 0.5))
    const y0 = Math.floor(fy)
    const row0 = y0 * mask.width
    const row1 = Math.min(mask.height - 1, y0 + 1) * mask.width
    const wy = fy - y0
    for (let x = 0; x < width; x++) {
      const x0 = xs[x * 2]!
      const x1 = xs[x * 2 + 1]!
      const wx = wxs[x]!
      const top = mask.data[row0 + x0]! + (mask.data[row0 + x1]! - mask.data[row0 + x0]!) * wx
      const bottom = mask.data[row1 + x0]! + (mask.data[row1 + x1]! - mask.data[row1 + x0]!) * wx
      out[y * width + x] = Math.round(top + (bottom - top) * wy)
    }
  }
  return out
}

/** Per-pixel opacity 0–255 of the person, from the mask upsampled to the image. */
export function alphaOf(
  image: RgbaImage,
  mask: Mask,
  { threshold = 0.5, feather = 0.2 }: Edge = {},
): Uint8Array {
  const upsampled = resizeMask(mask, image.width, image.height)
  const low = (threshold - feather) * 255
  const high = (threshold + feather) * 255
  const ramp = new Uint8Array(256)
  for (let v = 0; v < 256; v++) {
    ramp[v] =
      high > low
        ? Math.round(Math.min(1, Math.max(0, (v - low) / (high - low))) * 255)
        : v > low
          ? 255
          : 0
  }
  for (let i = 0; i < upsampled.length; i++) upsampled[i] = ramp[upsampled[i]!]!
  return upsampled
}

/** The person cut out: the image with its alpha multiplied by the mask (transparent background). */
export function cutout(image: RgbaImage, mask: Mask, edge?: Edge): RgbaImage {
  const alpha = alphaOf(image, mask, edge)
  const data = new Uint8ClampedArray(image.data)
  for (let i = 0; i < alpha.length; i++) {
    data[i * 4 + 3] = (data[i * 4 + 3]! * alpha[i]!) / 255
  }
  return { data, width: image.width, height: image.height }
}

/**
 * The image with everything but the person blurred: the whole image blurred (`radiusPx` ≈ the
 * Gaussian σ in pixels), then the original blended over it by the mask. Person pixels stay exact.
 */
export function blurBackground(
  image: RgbaImage,
  mask: Mask,
  radiusPx: number,
  edge?: Edge,
): RgbaImage {
  const blurred = boxBlur(image, radiusPx)
  const alpha = alphaOf(image, mask, edge)
  const data = new Uint8ClampedArray(image.data.length)
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!
    const o = i * 4
    const b = 255 - a
    data[o] = (image.data[o]! * a + blurred.data[o]! * b) / 255
    data[o + 1] = (image.data[o + 1]! * a + blurred.data[o + 1]! * b) / 255
    data[o + 2] = (image.data[o + 2]! * a + blurred.data[o + 2]! * b) / 255
    data[o + 3] = image.data[o + 3]!
  }
  return { data, width: image.width, height: image.height }
}

/**
 * Three passes of a box blur of radius `radiusPx` over R, G and B (alpha kept), edges extended:
 * close to a Gaussian with σ ≈ radiusPx + 0.5, in time independent of the radius.
 */
export function boxBlur(image: RgbaImage, radiusPx: number): RgbaImage {
  const radius = Math.max(0, Math.round(radiusPx))
  const { width, height } = image
  // Alpha is never written: each pass reads and writes R, G and B only.
  const a = new Uint8ClampedArray(image.data)
  if (radius === 0) return { data: a, width, height }
  const b = new Uint8ClampedArray(a)
  for (let pass = 0; pass < 3; pass++) {
    blurRows(a, b, width, height, radius)
    blurColumns(b, a, width, height, radius)
  }
  return { data: a, width, height }
}

/** Running-sum box filter along each row, R, G and B together. */
function blurRows(
  src: Uint8ClampedArray,
  dst: Uint8ClampedArray,
  width: number,
  height: number,
  radius: number,
): void {
  const size = radius * 2 + 1
  const last = width - 1
  for (let y = 0; y < height; y++) {
    const row = y * width * 4
    let r = 0
    let g = 0
    let b = 0
    for (let k = -radius; k <= radius; k++) {
      const o = row + Math.min(last, Math.max(0, k)) * 4
      r += src[o]!
      g += src[o + 1]!
      b += src[o + 2]!
    }
    for (let x = 0; x < width; x++) {
      const o = row + x * 4
      dst[o] = r / size
      dst[o + 1] = g / size
      dst[o + 2] = b / size
      const add = row + Math.min(last, x + radius + 1) * 4
      const sub = row + Math.max(0, x - radius) * 4
      r += src[add]! - src[sub]!
      g += src[add + 1]! - src[sub + 1]!
      b += src[add + 2]! - src[sub + 2]!
    }
  }
}

/** Running-sum box filter down each column, a whole row at a time so memory is read in order. */
function blurColumns(
  src: Uint8ClampedArray,
  dst: Uint8ClampedArray,
  width: number,
  height: number,
  radius: number,
): void {
  const size = radius * 2 + 1
  const last = height - 1
  const stride = width * 4
  const sums = new Int32Array(stride)
  for (let k = -radius; k <= radius; k++) {
    const row = Math.min(last, Math.max(0, k)) * stride
    for (let i = 0; i < stride; i++) sums[i]! += src[row + i]!
  }
  for (let y = 0; y < height; y++) {
    const row = y * stride
    const add = Math.min(last, y + radius + 1) * stride
    const sub = Math.max(0, y - radius) * stride
    for (let i = 0; i < stride; i += 4) {
      for (let ch = i; ch < i + 3; ch++) {
        dst[row + ch] = sums[ch]! / size
        sums[ch]! += src[add + ch]! - src[sub + ch]!
      }
    }
  }
}
