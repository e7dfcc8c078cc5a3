import { resize, toTensor } from '../_shared/image'
import type { RgbaImage, Tensors } from '../types'

/** Selfie segmentation input side, in pixels. */
export const inputSize = 256

export interface Meta {
  /** Image size: the mask covers the whole image, stretched to it. */
  width: number
  height: number
}

/**
 * Image → MediaPipe Selfie input f32[1,256,256,3]: the whole image stretched (not letterboxed,
 * as MediaPipe's selfie graph does), NHWC, RGB 0–1.
 */
export function preprocess(image: RgbaImage): { feeds: Tensors; meta: Meta } {
  const input = toTensor(resize(image, inputSize, inputSize), { layout: 'nhwc', scale: 1 / 255 })
  return { feeds: { input_1: input }, meta: { width: image.width, height: image.height } }
}
