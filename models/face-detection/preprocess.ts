import { letterbox, toTensor } from '../_shared/image'
import type { Box } from '../_shared/boxes'
import type { RgbaImage, TensorLike, Tensors } from '../types'

/** BlazeFace "back" (full-range) input side, in pixels. */
export const detectorSize = 256
/** FaceMesh input side, in pixels. */
export const meshSize = 192
/** FaceMesh crop side relative to the longer side of the detector box (MediaPipe's face_detection_to_roi). */
export const meshCropScale = 1.5

export interface Meta {
  /** Detector pixels per image pixel, and the letterbox padding in detector pixels. */
  scale: number
  padX: number
  padY: number
}

/** Image → BlazeFace input: letterboxed to 256×256, NHWC, RGB scaled to −1…1 (as MediaPipe does). */
export function preprocess(image: RgbaImage): { feeds: Tensors; meta: Meta } {
  const { image: boxed, scale, padX, padY } = letterbox(image, detectorSize)
  const input = toTensor(boxed, { layout: 'nhwc', scale: 2 / 255, mean: [1, 1, 1] })
  return { feeds: { 'input:0': input }, meta: { scale, padX, padY } }
}

/** A square region of the image, rotated by `angle` radians (clockwise, as y points down), in image pixels. */
export interface Crop {
  centerX: number
  centerY: number
  size: number
  angle: number
}

/**
 * The FaceMesh region for a detection: a square 1.5× the box's longer side around its centre,
 * turned so the line from the right eye to the left eye is horizontal, as MediaPipe does.
 */
export function meshCrop(
  box: Box,
  rightEye: { x: number; y: number },
  leftEye: { x: number; y: number },
): Crop {
  return {
    centerX: box.x + box.width / 2,
    centerY: box.y + box.height / 2,
    size: Math.max(box.width, box.height) * meshCropScale,
    angle: Math.atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x),
  }
}

/** Crop pixel (u, v), in crop pixels of a `side`-pixel crop → image pixels. */
export function cropToImage(crop: Crop, side: number, u: number, v: number): [number, number] {
  const k = crop.size / side
  const dx = (u - side / 2) * k
  const dy = (v - side / 2) * k
  const cos = Math.cos(crop.angle)
  const sin = Math.sin(crop.angle)
  return [crop.centerX + dx * cos - dy * sin, crop.centerY + dx * sin + dy * cos]
}

/**
 * Crops → FaceMesh input f32[N,192,192,3], RGB 0–1. Each output pixel averages up to 4×4 bilinear
 * samples over its footprint, so large faces do not alias; outside the image is black.
 */
export function preprocessMesh(image: RgbaImage, crops: readonly Crop[]): TensorLike {
  const plane = meshSize * meshSize * 3
  const out = new Float32Array(crops.length * plane)
  const rgb: [number, number, number] = [0, 0, 0]
  crops.forEach((crop, n) => {
    const samples = Math.min(4, Math.max(1, Math.ceil(crop.size / meshSize)))
    const weight = 1 / (255 * samples * samples)
    for (let v = 0; v < meshSize; v++) {
      for (let u = 0; u < meshSize; u++) {
        let r = 0
        let g = 0
        let b = 0
        for (let sv = 0; sv < samples; sv++) {
          for (let su = 0; su < samples; su++) {
            const [x, y] = cropToImage(
              crop,
              meshSize,
              u + (su + 0.5) / samples,
              v + (sv + 0.5) / samples,
            )
            sample(image, x, y, rgb)
            r += rgb[0]
            g += rgb[1]
            b += rgb[2]
          }
        }
        const o = n * plane + (v * meshSize + u) * 3
        out[o] = r * weight
        out[o + 1] = g * weight
        out[o + 2] = b * weight
      }
    }
  })
  return { data: out, dims: [crops.length, meshSize, meshSize, 3] }
}

/** Bilinear RGB at image point (x, y), edge pixels extended half a pixel; black outside the image. */
function sample(image: RgbaImage, x: number, y: number, rgb: [number, number, number]): void {
  const { width, height, data } = image
  if (x < 0 || y < 0 || x >= width || y >= height) {
    rgb[0] = rgb[1] = rgb[2] = 0
    return
  }
  const fx = Math.max(0, x - 0.5)
  const fy = Math.max(0, y - 0.5)
  const x0 = Math.min(width - 1, Math.floor(fx))
  const y0 = Math.min(height - 1, Math.floor(fy))
  const x1 = Math.min(width - 1, x0 + 1)
  const y1 = Math.min(height - 1, y0 + 1)
  const wx = fx - x0
  const wy = fy - y0
  const a = (y0 * width + x0) * 4
  const b = (y0 * width + x1) * 4
  const c = (y1 * width + x0) * 4
  const d = (y1 * width + x1) * 4
  for (let ch = 0; ch < 3; ch++) {
    const top = data[a + ch]! + (data[b + ch]! - data[a + ch]!) * wx
    const bottom = data[c + ch]! + (data[d + ch]! - data[c + ch]!) * wx
    rgb[ch] = top + (bottom - top) * wy
  }
}
