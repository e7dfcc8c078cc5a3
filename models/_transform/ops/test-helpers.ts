import sharp from 'sharp'
import type { Mat, OpenCv } from '../../_shared/opencv'
import { fixture } from '../../_testing/load-image'
import { mulberry32 } from '../../image-properties/random'
import type { RgbaImage } from '../../types'
import type { OperationId, OperationOf } from '../recipe'
import type { OperationContext, OperationFn } from './types'

/** A rectangle in pixels. */
export interface PixelRect {
  x: number
  y: number
  width: number
  height: number
}

/**
 * A fixture decoded to opaque RGBA (grey files become R = G = B), upright, its long side scaled
 * down to `maxSide` px (never up) so tests stay fast.
 */
export async function loadPhoto(name: string, maxSide = 512): Promise<RgbaImage> {
  return fromSharp(
    sharp(fixture(name)).rotate().resize({
      width: maxSide,
      height: maxSide,
      fit: 'inside',
      withoutEnlargement: true,
    }),
  )
}

/** Runs a sharp pipeline to the end and returns its pixels as opaque RGBA (grey: R = G = B). */
export async function fromSharp(pipeline: sharp.Sharp): Promise<RgbaImage> {
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const { width, height, channels } = info
  if (channels !== 1 && channels !== 3) {
    throw new Error(`Unexpected ${channels} channels from sharp`)
  }
  const out = new Uint8ClampedArray(width * height * 4)
  for (let i = 0, p = 0; p < out.length; i += channels, p += 4) {
    const green = channels === 3 ? 1 : 0
    out[p] = data[i]!
    out[p + 1] = data[i + green]!
    out[p + 2] = data[i + 2 * green]!
    out[p + 3] = 255
  }
  return { data: out, width, height }
}

/** A sharp pipeline over the RGB of `image` (alpha dropped), for reference results. */
export function toSharp(image: RgbaImage): sharp.Sharp {
  const { width, height } = image
  const rgb = Buffer.alloc(width * height * 3)
  for (let i = 0, p = 0; p < image.data.length; i += 3, p += 4) {
    rgb[i] = image.data[p]!
    rgb[i + 1] = image.data[p + 1]!
    rgb[i + 2] = image.data[p + 2]!
  }
  return sharp(rgb, { raw: { width, height, channels: 3 } })
}

/** Copies a Mat's pixels out (it must be RGBA, CV_8UC4). */
export function fromMat(cv: OpenCv, mat: Mat): RgbaImage {
  if (mat.type() !== cv.CV_8UC4) throw new Error(`Expected CV_8UC4, got type ${mat.type()}`)
  return { data: new Uint8ClampedArray(mat.data), width: mat.cols, height: mat.rows }
}

/**
 * Runs one operation as `applyRecipe` would and returns its pixels, checking the contract on the
 * way: `src` is left as it was, and the output is RGBA, CV_8UC4.
 */
export function runOperation<Id extends OperationId>(
  cv: OpenCv,
  fn: OperationFn<Id>,
  image: RgbaImage,
  operation: OperationOf<Id>,
  context: Partial<Omit<OperationContext, 'cv'>> = {},
): RgbaImage {
  const src = cv.matFromImageData(image as ImageData)
  let out: Mat | undefined
  try {
    out = fn(src, operation, { scale: 1, orientation: 1, upright: true, ...context, cv })
    if (!equalData(src.data, image.data)) throw new Error(`${operation.op} changed its source Mat`)
    return fromMat(cv, out)
  } finally {
    if (out && out !== src) out.delete()
    src.delete()
  }
}

function equalData(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** A new image with every pixel's RGB replaced by `fn(r, g, b)` (rounded, clamped); alpha 255. */
export function mapRgb(
  image: RgbaImage,
  fn: (r: number, g: number, b: number) => [number, number, number],
): RgbaImage {
  const data = new Uint8ClampedArray(image.data.length)
  for (let p = 0; p < data.length; p += 4) {
    const [r, g, b] = fn(image.data[p]!, image.data[p + 1]!, image.data[p + 2]!)
    data[p] = r
    data[p + 1] = g
    data[p + 2] = b
    data[p + 3] = 255
  }
  return { data, width: image.width, height: image.height }
}

/** Adds seeded Gaussian noise of standard deviation `sigma` (0–255 units) to each channel. */
export function addGaussianNoise(image: RgbaImage, sigma: number, seed = 7): RgbaImage {
  const random = mulberry32(seed)
  // Box–Muller: two uniforms give a standard normal.
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  return mapRgb(image, (r, g, b) => [
    r + sigma * normal(),
    g + sigma * normal(),
    b + sigma * normal(),
  ])
}

/** Whether every pixel's alpha is 255. */
export function isOpaque(image: RgbaImage): boolean {
  for (let p = 3; p < image.data.length; p += 4) if (image.data[p] !== 255) return false
  return true
}

/** Whether every pixel has R = G = B. */
export function isGrey(image: RgbaImage): boolean {
  const { data } = image
  for (let p = 0; p < data.length; p += 4) {
    if (data[p] !== data[p + 1] || data[p] !== data[p + 2]) return false
  }
  return true
}

/** The pixels of `image` inside `rect`, as a new image. */
export function cropImage(image: RgbaImage, rect: PixelRect): RgbaImage {
  const data = new Uint8ClampedArray(rect.width * rect.height * 4)
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * image.width + rect.x) * 4
    data.set(image.data.subarray(from, from + rect.width * 4), y * rect.width * 4)
  }
  return { data, width: rect.width, height: rect.height }
}

/** `image` without a `margin`-px frame, to compare filters away from their border handling. */
export const inner = (image: RgbaImage, margin: number): RgbaImage =>
  cropImage(image, {
    x: margin,
    y: margin,
    width: image.width - 2 * margin,
    height: image.height - 2 * margin,
  })

/** Mean absolute difference over the R, G and B of two images of the same size, in 0–255 units. */
export function meanAbsDiff(a: RgbaImage, b: RgbaImage): number {
  return sumOverRgb(a, b, (d) => Math.abs(d)) / ((a.data.length / 4) * 3)
}

/** Largest absolute difference over the R, G and B of two images of the same size. */
export function maxAbsDiff(a: RgbaImage, b: RgbaImage): number {
  let max = 0
  sumOverRgb(a, b, (d) => {
    max = Math.max(max, Math.abs(d))
    return 0
  })
  return max
}

/** Peak signal-to-noise ratio of `b` against `a` over R, G and B, in dB. */
export function psnr(a: RgbaImage, b: RgbaImage): number {
  const mse = sumOverRgb(a, b, (d) => d * d) / ((a.data.length / 4) * 3)
  return 10 * Math.log10((255 * 255) / mse)
}

function sumOverRgb(a: RgbaImage, b: RgbaImage, fn: (difference: number) => number): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`Sizes differ: ${a.width}×${a.height} and ${b.width}×${b.height}`)
  }
  let sum = 0
  for (let p = 0; p < a.data.length; p += 4) {
    for (let c = 0; c < 3; c++) sum += fn(a.data[p + c]! - b.data[p + c]!)
  }
  return sum
}

/** Mean of R, G and B over the image, 0–255. */
export function channelMeans(image: RgbaImage): [number, number, number] {
  let r = 0
  let g = 0
  let b = 0
  for (let p = 0; p < image.data.length; p += 4) {
    r += image.data[p]!
    g += image.data[p + 1]!
    b += image.data[p + 2]!
  }
  const n = image.data.length / 4
  return [r / n, g / n, b / n]
}

/** Largest minus smallest of the channel means: 0 for a grey-world-balanced image. */
export function channelSpread(image: RgbaImage): number {
  const means = channelMeans(image)
  return Math.max(...means) - Math.min(...means)
}

/** Rec. 601 luma (as OpenCV's RGB→grey), 0–255, one value per pixel. */
export function luma(image: RgbaImage): Float64Array {
  const { data } = image
  const out = new Float64Array(data.length / 4)
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    out[i] = 0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!
  }
  return out
}

/** Mean and standard deviation of some values. */
export function stats(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0
  let squares = 0
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!
    squares += values[i]! * values[i]!
  }
  const mean = sum / values.length
  return { mean, std: Math.sqrt(Math.max(0, squares / values.length - mean * mean)) }
}

/** Variance of the 4-neighbour Laplacian of the luma (interior pixels): a sharpness measure. */
export function laplacianVariance(image: RgbaImage): number {
  const { width, height } = image
  const y = luma(image)
  const values: number[] = []
  for (let row = 1; row < height - 1; row++) {
    for (let x = 1; x < width - 1; x++) {
      const i = row * width + x
      values.push(y[i - 1]! + y[i + 1]! + y[i - width]! + y[i + width]! - 4 * y[i]!)
    }
  }
  return stats(values).std ** 2
}

/** Central-difference gradient magnitude of the luma at each interior pixel (0 on the frame). */
export function gradientMagnitude(image: RgbaImage): Float64Array {
  const { width, height } = image
  const y = luma(image)
  const out = new Float64Array(width * height)
  for (let row = 1; row < height - 1; row++) {
    for (let x = 1; x < width - 1; x++) {
      const i = row * width + x
      out[i] = Math.hypot(y[i + 1]! - y[i - 1]!, y[i + width]! - y[i - width]!) / 2
    }
  }
  return out
}

/**
 * Mean of the per-tile standard deviations of the luma over a `tiles`×`tiles` grid: local
 * contrast, which global contrast changes alone cannot raise much.
 */
export function localContrast(image: RgbaImage, tiles = 8): number {
  const { width, height } = image
  const y = luma(image)
  let sum = 0
  for (let ty = 0; ty < tiles; ty++) {
    for (let tx = 0; tx < tiles; tx++) {
      const x0 = Math.floor((tx * width) / tiles)
      const x1 = Math.floor(((tx + 1) * width) / tiles)
      const y0 = Math.floor((ty * height) / tiles)
      const y1 = Math.floor(((ty + 1) * height) / tiles)
      const values: number[] = []
      for (let row = y0; row < y1; row++) {
        for (let x = x0; x < x1; x++) values.push(y[row * width + x]!)
      }
      sum += stats(values).std
    }
  }
  return sum / (tiles * tiles)
}

/**
 * Largest gap between the cumulative distribution of the luma (rounded to levels) and the
 * straight line from 0 to 1, a Kolmogorov–Smirnov distance to the uniform distribution: 0 for
 * a perfectly flat histogram.
 */
export function cdfDistanceFromUniform(image: RgbaImage): number {
  const bins = new Array<number>(256).fill(0)
  const values = luma(image)
  for (const v of values) bins[Math.round(v)]!++
  let cumulative = 0
  let worst = 0
  for (let v = 0; v < 256; v++) {
    cumulative += bins[v]!
    worst = Math.max(worst, Math.abs(cumulative / values.length - (v + 1) / 256))
  }
  return worst
}

/** Smallest and largest luma in the image. */
export function lumaRange(image: RgbaImage): [number, number] {
  let min = 255
  let max = 0
  for (const v of luma(image)) {
    min = Math.min(min, v)
    max = Math.max(max, v)
  }
  return [min, max]
}

/** Per-pixel chroma (Cb, Cr: scaled blue and red differences from the Rec. 601 luma). */
export function chroma(image: RgbaImage): Float64Array {
  const y = luma(image)
  const out = new Float64Array(y.length * 2)
  for (let i = 0; i < y.length; i++) {
    out[2 * i] = 0.564 * (image.data[i * 4 + 2]! - y[i]!)
    out[2 * i + 1] = 0.713 * (image.data[i * 4]! - y[i]!)
  }
  return out
}

/** Mean absolute difference of two equally long arrays. */
export function meanAbsDiffOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!)
  return sum / a.length
}

/** Fraction of pixels in `rect` (whole image by default) whose R is 255. */
export function whiteFraction(image: RgbaImage, rect?: PixelRect): number {
  const region = rect ? cropImage(image, rect) : image
  let white = 0
  for (let p = 0; p < region.data.length; p += 4) if (region.data[p] === 255) white++
  return white / (region.data.length / 4)
}

/** Whether every pixel is pure black or pure white (R = G = B ∈ {0, 255}). */
export function isBinary(image: RgbaImage): boolean {
  const { data } = image
  for (let p = 0; p < data.length; p += 4) {
    const v = data[p]
    if ((v !== 0 && v !== 255) || data[p + 1] !== v || data[p + 2] !== v) return false
  }
  return true
}

/** A Gaussian blur written from the definition, unrounded RGBA values (alpha 0), as a reference. */
export function gaussianReference(image: RgbaImage, sigma: number): Float64Array {
  // Kernel out to ±4σ, normalised, separable; borders mirrored without repeating the edge pixel
  // (OpenCV's BORDER_REFLECT_101).
  const { width, height } = image
  const reach = Math.ceil(4 * sigma)
  const weights = Array.from({ length: 2 * reach + 1 }, (_, i) =>
    Math.exp(-((i - reach) ** 2) / (2 * sigma * sigma)),
  )
  const total = weights.reduce((a, b) => a + b)
  const kernel = weights.map((w) => w / total)
  const mirror = (i: number, n: number) => {
    if (n === 1) return 0
    while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i
    return i
  }
  const rows = new Float64Array(width * height * 4)
  const out = new Float64Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0
        for (let k = -reach; k <= reach; k++) {
          sum += kernel[k + reach]! * image.data[(y * width + mirror(x + k, width)) * 4 + c]!
        }
        rows[(y * width + x) * 4 + c] = sum
      }
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0
        for (let k = -reach; k <= reach; k++) {
          sum += kernel[k + reach]! * rows[(mirror(y + k, height) * width + x) * 4 + c]!
        }
        out[(y * width + x) * 4 + c] = sum
      }
    }
  }
  return out
}

/** Rounds and clamps RGBA-laid-out values into an opaque image. */
export function toImage(values: Float64Array, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(values.length)
  for (let p = 0; p < data.length; p += 4) {
    data[p] = Math.round(values[p]!)
    data[p + 1] = Math.round(values[p + 1]!)
    data[p + 2] = Math.round(values[p + 2]!)
    data[p + 3] = 255
  }
  return { data, width, height }
}

/** Whether calls to `run` leave wasm memory allocated (a Mat, MatVector or CLAHE not deleted). */
export function leaksMemory(cv: OpenCv, run: () => void, calls = 4): boolean {
  // Filler blocks first take up the heap's free gaps, so that what `run` allocates comes from the
  // top of the heap; the top then moves only if calls keep memory they never free.
  const heap = cv as unknown as { _malloc(bytes: number): number; _free(pointer: number): void }
  const top = () => {
    const pointer = heap._malloc(64 << 20)
    heap._free(pointer)
    return pointer
  }
  run()
  const fillers: number[] = []
  try {
    // Largest first, so that the gaps left over are smaller than the next size down.
    for (const bytes of [65_536, 1024, 64, 16]) {
      const start = top()
      while (fillers.length < 1 << 18) {
        const pointer = heap._malloc(bytes)
        fillers.push(pointer)
        if (pointer >= start) break
      }
    }
    const before = top()
    for (let i = 0; i < calls; i++) run()
    return top() !== before
  } finally {
    for (const pointer of fillers) heap._free(pointer)
  }
}
