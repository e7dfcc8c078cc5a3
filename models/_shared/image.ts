import type { RgbaImage, TensorLike } from '../types'

/**
 * Bilinear resize with half-pixel centres (as OpenCV's INTER_LINEAR and TF's
 * `half_pixel_centers`), RGBA in and out. Downscaling by more than 2× averages a box of source
 * pixels first, so small model inputs do not alias.
 */
export function resize(image: RgbaImage, width: number, height: number): RgbaImage {
  if (width === image.width && height === image.height) return image
  let source = image
  while (source.width >= width * 2 && source.height >= height * 2) source = halve(source)
  const out = new Uint8ClampedArray(width * height * 4)
  const sx = source.width / width
  const sy = source.height / height
  const src = source.data
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5)
    const y0 = Math.min(source.height - 1, Math.floor(fy))
    const y1 = Math.min(source.height - 1, y0 + 1)
    const wy = fy - y0
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5)
      const x0 = Math.min(source.width - 1, Math.floor(fx))
      const x1 = Math.min(source.width - 1, x0 + 1)
      const wx = fx - x0
      const a = (y0 * source.width + x0) * 4
      const b = (y0 * source.width + x1) * 4
      const c = (y1 * source.width + x0) * 4
      const d = (y1 * source.width + x1) * 4
      const o = (y * width + x) * 4
      for (let ch = 0; ch < 4; ch++) {
        const top = src[a + ch]! + (src[b + ch]! - src[a + ch]!) * wx
        const bottom = src[c + ch]! + (src[d + ch]! - src[c + ch]!) * wx
        out[o + ch] = top + (bottom - top) * wy
      }
    }
  }
  return { data: out, width, height }
}

function halve(image: RgbaImage): RgbaImage {
  const width = Math.floor(image.width / 2)
  const height = Math.floor(image.height / 2)
  const out = new Uint8ClampedArray(width * height * 4)
  const src = image.data
  const stride = image.width * 4
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * 2 * stride + x * 8
      const o = (y * width + x) * 4
      for (let ch = 0; ch < 4; ch++) {
        out[o + ch] =
          (src[i + ch]! +
            src[i + 4 + ch]! +
            src[i + stride + ch]! +
            src[i + stride + 4 + ch]! +
            2) >>
          2
      }
    }
  }
  return { data: out, width, height }
}

export interface Letterbox {
  image: RgbaImage
  /** Model pixels per source pixel. */
  scale: number
  /** Padding added on the left and top, in model pixels. */
  padX: number
  padY: number
}

/** Fits the image inside `size`×`size` keeping its aspect, centred, padded with black. */
export function letterbox(image: RgbaImage, size: number): Letterbox {
  const scale = Math.min(size / image.width, size / image.height)
  const width = Math.max(1, Math.round(image.width * scale))
  const height = Math.max(1, Math.round(image.height * scale))
  const scaled = resize(image, width, height)
  const padX = Math.floor((size - width) / 2)
  const padY = Math.floor((size - height) / 2)
  const data = new Uint8ClampedArray(size * size * 4)
  for (let i = 3; i < data.length; i += 4) data[i] = 255
  for (let y = 0; y < height; y++) {
    const from = y * width * 4
    data.set(scaled.data.subarray(from, from + width * 4), ((y + padY) * size + padX) * 4)
  }
  return { image: { data, width: size, height: size }, scale, padX, padY }
}

export interface Normalise {
  layout: 'nchw' | 'nhwc'
  /** Per-channel (R, G, B) mean and standard deviation applied after `scale`. */
  mean?: readonly [number, number, number]
  std?: readonly [number, number, number]
  /** Multiplies the 0–255 value first, e.g. 1/255. */
  scale?: number
}

/** RGBA pixels → float32 RGB tensor with a batch dimension of 1. */
export function toTensor(
  image: RgbaImage,
  { layout, mean = [0, 0, 0], std = [1, 1, 1], scale = 1 }: Normalise,
): TensorLike {
  const { width, height, data } = image
  const plane = width * height
  const out = new Float32Array(plane * 3)
  for (let i = 0; i < plane; i++) {
    for (let ch = 0; ch < 3; ch++) {
      const value = (data[i * 4 + ch]! * scale - mean[ch]!) / std[ch]!
      out[layout === 'nchw' ? ch * plane + i : i * 3 + ch] = value
    }
  }
  return { data: out, dims: layout === 'nchw' ? [1, 3, height, width] : [1, height, width, 3] }
}

/** Copies a rectangle out of an image; parts outside the image are black. */
export function crop(
  image: RgbaImage,
  x: number,
  y: number,
  width: number,
  height: number,
): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let row = 0; row < height; row++) {
    const sy = y + row
    if (sy < 0 || sy >= image.height) continue
    for (let col = 0; col < width; col++) {
      const sx = x + col
      if (sx < 0 || sx >= image.width) continue
      const from = (sy * image.width + sx) * 4
      data.set(image.data.subarray(from, from + 4), (row * width + col) * 4)
    }
  }
  return { data, width, height }
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))
