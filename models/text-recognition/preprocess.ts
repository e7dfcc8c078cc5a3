import type { OpenCv } from '../_shared/opencv'
import { resize } from '../_shared/image'
import type { RgbaImage, TensorLike } from '../types'
import type { Point } from './postprocess'

/** What detection post-processing needs to map the probability map back to the image. */
export interface DetectionMeta {
  /** Size of the analysed image, in pixels. */
  width: number
  height: number
  /** Size of the detector input (and of its probability map), in pixels. */
  inputWidth: number
  inputHeight: number
}

// PaddleOCR's det and rec models were trained on OpenCV's BGR images, so channel 0 is blue and the
// ImageNet mean/std are applied in list order to B, G, R (NormalizeImage in ch_PP-OCRv4_det.yml).
const detMean = [0.485 * 255, 0.456 * 255, 0.406 * 255] as const
const detStd = [0.229 * 255, 0.224 * 255, 0.225 * 255] as const

/** Recognizer input height, in pixels (rec_image_shape 3,48,320 in PaddleOCR). */
export const recHeight = 48
const recMinWidth = 320

/**
 * Detector input size (PaddleOCR DetResizeForTest, limit_type "max"): the long side scaled down to
 * at most `maxSide`, never up, then each side rounded to a multiple of 32 (at least 32). Halves
 * round up (Python's round would take the even multiple).
 */
export function detectionSize(
  width: number,
  height: number,
  maxSide: number,
): { width: number; height: number } {
  const ratio = Math.max(width, height) > maxSide ? maxSide / Math.max(width, height) : 1
  const round32 = (side: number) => Math.max(32, Math.round(Math.floor(side * ratio) / 32) * 32)
  return { width: round32(width), height: round32(height) }
}

/** Image → detector input `x` f32[1,3,H,W] (BGR, ImageNet mean/std) and the sizes to map back. */
export function detectionInput(
  image: RgbaImage,
  maxSide: number,
): { input: TensorLike; meta: DetectionMeta } {
  const size = detectionSize(image.width, image.height, maxSide)
  const resized = resize(image, size.width, size.height)
  const data = new Float32Array(3 * size.width * size.height)
  writeBgr(resized, data, 0, size.width, detMean, detStd)
  return {
    input: { data, dims: [1, 3, size.height, size.width] },
    meta: {
      width: image.width,
      height: image.height,
      inputWidth: size.width,
      inputHeight: size.height,
    },
  }
}

/**
 * Cuts each quadrilateral (corners clockwise from top-left, image pixels) out of the image with a
 * perspective warp, as PaddleOCR's get_rotate_crop_image: the crop is as wide as the longer of the
 * top and bottom edges and as high as the longer side edge, and crops at least 1.5× taller than
 * wide are turned 90° anticlockwise (vertical text reads left to right afterwards).
 */
export function cropLines(
  cv: OpenCv,
  image: RgbaImage,
  polygons: readonly (readonly Point[])[],
): RgbaImage[] {
  if (polygons.length === 0) return []
  const source = new cv.Mat(image.height, image.width, cv.CV_8UC4)
  try {
    source.data.set(image.data)
    return polygons.map((polygon) => cropLine(cv, source, polygon))
  } finally {
    source.delete()
  }
}

function cropLine(
  cv: OpenCv,
  source: InstanceType<OpenCv['Mat']>,
  polygon: readonly Point[],
): RgbaImage {
  const [p0, p1, p2, p3] = polygon as [Point, Point, Point, Point]
  const width = Math.max(1, Math.floor(Math.max(distance(p0, p1), distance(p2, p3))))
  const height = Math.max(1, Math.floor(Math.max(distance(p0, p3), distance(p1, p2))))
  const from = cv.matFromArray(4, 1, cv.CV_32FC2, [...p0, ...p1, ...p2, ...p3])
  const to = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, width, 0, width, height, 0, height])
  const transform = cv.getPerspectiveTransform(from, to)
  const out = new cv.Mat()
  try {
    cv.warpPerspective(
      source,
      out,
      transform,
      new cv.Size(width, height),
      cv.INTER_CUBIC,
      cv.BORDER_REPLICATE,
    )
    const crop = { data: new Uint8ClampedArray(out.data), width, height }
    return height / width >= 1.5 ? rotateAnticlockwise(crop) : crop
  } finally {
    from.delete()
    to.delete()
    transform.delete()
    out.delete()
  }
}

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1])

/** Turns an image 90° anticlockwise (numpy rot90). */
export function rotateAnticlockwise(image: RgbaImage): RgbaImage {
  const { width, height } = image
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4
      data.set(image.data.subarray(from, from + 4), ((width - 1 - x) * height + y) * 4)
    }
  }
  return { data, width: height, height: width }
}

/**
 * Widths for one recognition batch (PaddleOCR predict_rec): the input is wide enough for the
 * widest crop scaled to height 48 (at least 320 px), and each crop is scaled to height 48 keeping
 * its aspect, then padded on the right.
 */
export function recognitionWidths(sizes: readonly { width: number; height: number }[]): {
  inputWidth: number
  widths: number[]
} {
  const ratios = sizes.map((size) => size.width / size.height)
  const maxRatio = Math.max(recMinWidth / recHeight, ...ratios)
  const inputWidth = Math.floor(recHeight * maxRatio)
  const widths = ratios.map((ratio) => Math.min(inputWidth, Math.ceil(recHeight * ratio)))
  return { inputWidth, widths }
}

/**
 * Groups crops into recognition batches (indices into `sizes`): sorted by aspect ratio as PaddleOCR
 * does, so a batch's crops need similar padding, and closed at `maxCount` crops (rec_batch_num 6)
 * or when the padded batch would exceed `maxWidth` pixels of width in all. The width cap is ours:
 * on onnxruntime-node, 6 crops 760 px wide took longer as one batch (249 ms a line) than one by
 * one (183 ms), while 320 px crops cost the same either way.
 */
export function planBatches(
  sizes: readonly { width: number; height: number }[],
  maxCount = 6,
  maxWidth = 6 * recMinWidth,
): number[][] {
  const order = sizes
    .map((size, i) => ({ i, ratio: size.width / size.height }))
    .sort((a, b) => a.ratio - b.ratio)
  const batches: number[][] = []
  let batch: number[] = []
  for (const { i, ratio } of order) {
    // Sorted ascending, so this crop is the batch's widest.
    const width = Math.floor(recHeight * Math.max(recMinWidth / recHeight, ratio))
    if (batch.length > 0 && (batch.length === maxCount || (batch.length + 1) * width > maxWidth)) {
      batches.push(batch)
      batch = []
    }
    batch.push(i)
  }
  if (batch.length > 0) batches.push(batch)
  return batches
}

/** Line crops → recognizer input `x` f32[N,3,48,W]: BGR, x/127.5 − 1, zero (mid-grey) padding. */
export function recognitionInput(crops: readonly RgbaImage[]): TensorLike {
  const { inputWidth, widths } = recognitionWidths(crops)
  const plane = recHeight * inputWidth
  const data = new Float32Array(crops.length * 3 * plane)
  crops.forEach((crop, i) => {
    const resized = resize(crop, widths[i]!, recHeight)
    writeBgr(resized, data, i * 3 * plane, inputWidth, [127.5, 127.5, 127.5], [127.5, 127.5, 127.5])
  })
  return { data, dims: [crops.length, 3, recHeight, inputWidth] }
}

/** Writes an image as B, G, R planes `stride` wide into `out` from `offset`, normalised. */
function writeBgr(
  image: RgbaImage,
  out: Float32Array,
  offset: number,
  stride: number,
  mean: readonly [number, number, number],
  std: readonly [number, number, number],
): void {
  const plane = image.height * stride
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4
      const o = offset + y * stride + x
      for (let ch = 0; ch < 3; ch++) {
        out[o + ch * plane] = (image.data[i + 2 - ch]! - mean[ch]!) / std[ch]!
      }
    }
  }
}
