import { weightedNms, type Box } from '../_shared/boxes'
import { sigmoid } from '../_shared/image'
import { TaskOutputError } from '../errors'
import type { TensorLike, Tensors } from '../types'
import { cropToImage, detectorSize, meshSize, type Crop, type Meta } from './preprocess'

/** BlazeFace keypoints in output order (MediaPipe's FaceKeyPoint); left and right are the subject's. */
export const keypointNames = [
  'rightEye',
  'leftEye',
  'noseTip',
  'mouthCenter',
  'rightEarTragion',
  'leftEarTragion',
] as const
export type KeypointName = (typeof keypointNames)[number]

export interface Keypoint {
  name: KeypointName
  /** Image pixels. */
  x: number
  y: number
}

export interface Face {
  /** Image pixels; may reach past the image edge for a face the edge cuts. */
  box: Box
  /** Detector confidence, 0–1. */
  score: number
  keypoints: Keypoint[]
  /** 468 FaceMesh points, flattened x, y, z in image pixels (z: depth, smaller is nearer the camera). */
  mesh?: number[]
  /** FaceMesh's face-presence confidence, 0–1. */
  meshScore?: number
}

export interface Result {
  /** Best first. */
  faces: Face[]
}

/** SSD layers of the 256 model: cells per side and anchors per cell (MediaPipe strides 16, 32, 32, 32). */
const layers = [
  { cells: 16, anchors: 2 },
  { cells: 8, anchors: 6 },
] as const
/** Box centre, size, then 6 keypoints × (x, y), all in detector pixels relative to the anchor. */
const valuesPerAnchor = 16
const pointCount = keypointNames.length
/** MediaPipe's score_clipping_thresh: keeps exp() finite. */
const logitClip = 100

/** Anchor centres as interleaved x, y (0–1 of the detector input), in output order: 896 anchors. */
export function createAnchors(): Float32Array {
  const out: number[] = []
  for (const { cells, anchors } of layers) {
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let a = 0; a < anchors; a++) out.push((x + 0.5) / cells, (y + 0.5) / cells)
      }
    }
  }
  return Float32Array.from(out)
}

const anchors = createAnchors()

/**
 * Raw BlazeFace outputs → faces in image pixels scoring at least `minScore` (0–1), duplicates
 * merged by weighted NMS at IoU 0.3 (MediaPipe's face detection graph), best first.
 */
export function postprocess(
  outputs: Tensors,
  meta: Meta,
  { minScore, maxFaces }: { minScore: number; maxFaces: number },
): Face[] {
  const scores = concat(
    tensorOfShape(outputs, [1, 512, 1]).data,
    tensorOfShape(outputs, [1, 384, 1]).data,
  )
  const raw = concat(
    tensorOfShape(outputs, [1, 512, 16]).data,
    tensorOfShape(outputs, [1, 384, 16]).data,
  )
  const candidates: { box: Box; score: number; points: number[] }[] = []
  for (let i = 0; i < scores.length; i++) {
    const score = sigmoid(Math.min(logitClip, Math.max(-logitClip, scores[i]!)))
    if (score < minScore) continue
    const o = i * valuesPerAnchor
    const ax = anchors[i * 2]! * detectorSize
    const ay = anchors[i * 2 + 1]! * detectorSize
    const width = raw[o + 2]!
    const height = raw[o + 3]!
    if (!(width > 0 && height > 0)) continue
    const points: number[] = []
    for (let k = 0; k < pointCount; k++) {
      points.push(ax + raw[o + 4 + k * 2]!, ay + raw[o + 5 + k * 2]!)
    }
    const x = ax + raw[o]! - width / 2
    const y = ay + raw[o + 1]! - height / 2
    candidates.push({ box: { x, y, width, height }, score, points })
  }
  // IoU does not change under the letterbox's uniform scale, so merging in detector pixels is exact.
  const toImageX = (v: number) => (v - meta.padX) / meta.scale
  const toImageY = (v: number) => (v - meta.padY) / meta.scale
  return weightedNms(candidates, 0.3)
    .slice(0, maxFaces)
    .map(({ box, score, points }) => ({
      box: {
        x: round(toImageX(box.x)),
        y: round(toImageY(box.y)),
        width: round(box.width / meta.scale),
        height: round(box.height / meta.scale),
      },
      score: Math.round(score * 10_000) / 10_000,
      keypoints: keypointNames.map((name, k) => ({
        name,
        x: round(toImageX(points[k * 2]!)),
        y: round(toImageY(points[k * 2 + 1]!)),
      })),
    }))
}

/** Number of FaceMesh landmarks. */
export const meshPoints = 468

/**
 * Raw FaceMesh outputs for a batch of crops → per crop, 468 points (x, y, z flattened) in image
 * pixels and the face-presence score (0–1).
 */
export function postprocessMesh(
  outputs: Tensors,
  crops: readonly Crop[],
): { mesh: number[]; meshScore: number }[] {
  const n = crops.length
  const points = tensorOfShape(outputs, [n, meshPoints * 3]).data
  const presence = tensorOfShape(outputs, [n, 1]).data
  return crops.map((crop, i) => {
    const mesh: number[] = []
    const zScale = crop.size / meshSize
    for (let p = 0; p < meshPoints; p++) {
      const o = (i * meshPoints + p) * 3
      const [x, y] = cropToImage(crop, meshSize, points[o]!, points[o + 1]!)
      mesh.push(round(x), round(y), round(points[o + 2]! * zScale))
    }
    // The converted graph already applies the sigmoid: presence is a probability.
    return { mesh, meshScore: Math.round(presence[i]! * 10_000) / 10_000 }
  })
}

const round = (v: number) => Math.round(v * 10) / 10

function concat(a: TensorLike['data'], b: TensorLike['data']): Float32Array {
  const out = new Float32Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/** The float32 output with exactly these dims (the model's output names carry no meaning). */
function tensorOfShape(
  outputs: Tensors,
  dims: readonly number[],
): TensorLike & { data: Float32Array } {
  const found = Object.values(outputs).find(
    (t) => t.dims.length === dims.length && t.dims.every((d, i) => d === dims[i]),
  )
  if (!found || !(found.data instanceof Float32Array)) {
    const shapes = Object.entries(outputs).map(
      ([name, t]) => `${name} ${t.data.constructor.name}[${t.dims.join(',')}]`,
    )
    throw new TaskOutputError(
      `face-detection: expected a float32 output of shape [${dims.join(',')}], got ${shapes.join('; ') || 'no outputs'}`,
    )
  }
  return found as TensorLike & { data: Float32Array }
}
