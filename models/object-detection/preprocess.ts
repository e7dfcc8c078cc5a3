import { letterbox } from '../_shared/image'
import type { RgbaImage, TensorLike, Tensors } from '../types'

/** NanoDet input side, in pixels. */
export const inputSize = 416

// NanoDet's img_norm_cfg (BGR order, to_rgb false): the converted graph has no normalisation of its own.
const mean = [103.53, 116.28, 123.675] as const
const std = [57.375, 57.12, 58.395] as const

export interface Meta {
  /** Model pixels per image pixel along each axis, and padding on the left and top in model pixels. */
  scaleX: number
  scaleY: number
  padX: number
  padY: number
  /** Image size, for clipping boxes. */
  width: number
  height: number
}

/**
 * Image → NanoDet input f32[1,3,416,416]: letterboxed (centred, black padding, as NanoDet's
 * keep-ratio warp), planes in B, G, R order, each `(value − mean) / std` with NanoDet's constants.
 */
export function preprocess(image: RgbaImage): { feeds: Tensors; meta: Meta } {
  const boxed = letterbox(image, inputSize)
  return {
    feeds: { input_1: toBgrPlanes(boxed.image) },
    meta: {
      scaleX: boxed.scale,
      scaleY: boxed.scale,
      padX: boxed.padX,
      padY: boxed.padY,
      width: image.width,
      height: image.height,
    },
  }
}

function toBgrPlanes({ data, width, height }: RgbaImage): TensorLike {
  const plane = width * height
  const out = new Float32Array(plane * 3)
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = (data[i * 4 + 2 - c]! - mean[c]!) / std[c]!
  }
  return { data: out, dims: [1, 3, height, width] }
}
