import { TaskOutputError } from '../errors'
import { sigmoid } from '../_shared/image'
import type { Tensors } from '../types'
import { createAnchors, keypointNames, postprocess, postprocessMesh } from './postprocess'
import type { Crop, Meta } from './preprocess'

/** Raw detector outputs: every anchor has logit −20 except those in `set`. */
function rawOutputs(
  set: { anchor: number; logit: number; values: number[] }[],
): Tensors & Record<string, { data: Float32Array; dims: number[] }> {
  const scores = new Float32Array(896).fill(-20)
  const boxes = new Float32Array(896 * 16)
  for (const { anchor, logit, values } of set) {
    scores[anchor] = logit
    boxes.set(values, anchor * 16)
  }
  // Deliberately not in the model's output order: outputs are found by shape.
  return {
    'Identity_3:0': { data: boxes.slice(512 * 16), dims: [1, 384, 16] },
    'Identity:0': { data: scores.slice(0, 512), dims: [1, 512, 1] },
    'Identity_2:0': { data: boxes.slice(0, 512 * 16), dims: [1, 512, 16] },
    'Identity_1:0': { data: scores.slice(512), dims: [1, 384, 1] },
  }
}

/** Offsets (dx, dy, w, h, then 6 keypoints) in detector pixels relative to an anchor. */
const faceValues = (dx: number, dy: number, size: number) => [
  dx,
  dy,
  size,
  size,
  ...[-10, -8, 10, -8, 0, 0, 0, 10, -20, -6, 20, -6].map((v, i) => v + (i % 2 ? dy : dx)),
]

// A 512×256 image letterboxed into 256×256: half size, 64 px of padding above and below.
const meta: Meta = { scale: 0.5, padX: 0, padY: 64 }
const options = { minScore: 0.5, maxFaces: 50 }

describe(createAnchors, () => {
  it('makes 896 anchors: 16×16 cells × 2, then 8×8 cells × 6', () => {
    const anchors = createAnchors()
    expect(anchors).toHaveLength(896 * 2)
    expect([anchors[0], anchors[1]]).toEqual([1 / 32, 1 / 32])
    expect([anchors[2], anchors[3]]).toEqual([1 / 32, 1 / 32])
    expect([anchors[4], anchors[5]]).toEqual([3 / 32, 1 / 32])
    expect([anchors[511 * 2], anchors[511 * 2 + 1]]).toEqual([31 / 32, 31 / 32])
    expect([anchors[512 * 2], anchors[512 * 2 + 1]]).toEqual([1 / 16, 1 / 16])
    expect([anchors[517 * 2], anchors[517 * 2 + 1]]).toEqual([1 / 16, 1 / 16])
    expect([anchors[518 * 2], anchors[518 * 2 + 1]]).toEqual([3 / 16, 1 / 16])
    expect([anchors[895 * 2], anchors[895 * 2 + 1]]).toEqual([15 / 16, 15 / 16])
  })
})

describe(postprocess, () => {
  it('decodes one anchor into a box and keypoints in image pixels through the letterbox', () => {
    // 8×8 layer, cell (x 3, y 4), anchor 2: centre (3.5, 4.5) × 32 = (112, 144) detector pixels.
    const anchor = 512 + (4 * 8 + 3) * 6 + 2
    const faces = postprocess(
      rawOutputs([{ anchor, logit: 3, values: faceValues(4, -2, 40) }]),
      meta,
      options,
    )
    expect(faces).toHaveLength(1)
    const [face] = faces
    expect(face!.score).toBeCloseTo(sigmoid(3), 4)
    // Centre (116, 142) in detector pixels → ((116 − 0) / 0.5, (142 − 64) / 0.5) = (232, 156).
    expect(face!.box).toEqual({ x: 192, y: 116, width: 80, height: 80 })
    expect(face!.keypoints.map((k) => k.name)).toEqual(keypointNames)
    const at = (name: string) => face!.keypoints.find((k) => k.name === name)!
    expect(at('rightEye')).toMatchObject({ x: 212, y: 140 })
    expect(at('leftEye')).toMatchObject({ x: 252, y: 140 })
    expect(at('noseTip')).toMatchObject({ x: 232, y: 156 })
    expect(at('mouthCenter')).toMatchObject({ x: 232, y: 176 })
    expect(at('rightEarTragion')).toMatchObject({ x: 192, y: 144 })
    expect(at('leftEarTragion')).toMatchObject({ x: 272, y: 144 })
  })

  it('drops anchors below minScore', () => {
    const outputs = rawOutputs([
      { anchor: 100, logit: 2, values: faceValues(0, 0, 20) },
      { anchor: 700, logit: -1, values: faceValues(0, 0, 20) },
    ])
    expect(postprocess(outputs, meta, options)).toHaveLength(1)
    expect(postprocess(outputs, meta, { ...options, minScore: 0.2 })).toHaveLength(2)
  })

  it('clips extreme logits instead of producing NaN', () => {
    const faces = postprocess(
      rawOutputs([{ anchor: 10, logit: 1e30, values: faceValues(0, 0, 20) }]),
      meta,
      options,
    )
    expect(faces[0]!.score).toBe(1)
  })

  it('merges overlapping detections into their score-weighted mean and keeps the best score', () => {
    // Anchors 300 and 301 share a cell; the third face is far away.
    const faces = postprocess(
      rawOutputs([
        { anchor: 300, logit: Math.log(3), values: faceValues(0, 0, 40) }, // score 0.75
        { anchor: 301, logit: -Math.log(3), values: faceValues(8, 0, 40) }, // 0.25
        { anchor: 520, logit: 0.5, values: faceValues(0, 0, 30) },
      ]),
      meta,
      { ...options, minScore: 0.2 },
    )
    expect(faces).toHaveLength(2)
    expect(faces[0]!.score).toBeCloseTo(0.75, 4)
    // x shifts by 0.25 × 8 detector pixels = 2 detector pixels = 4 image pixels.
    const single = postprocess(
      rawOutputs([{ anchor: 300, logit: 2, values: faceValues(0, 0, 40) }]),
      meta,
      options,
    )[0]!
    expect(faces[0]!.box.x).toBeCloseTo(single.box.x + 4, 1)
    expect(faces[0]!.keypoints[0]!.x).toBeCloseTo(single.keypoints[0]!.x + 4, 1)
    expect(faces[1]!.score).toBeCloseTo(sigmoid(0.5), 4)
  })

  it('keeps at most maxFaces, best first', () => {
    const faces = postprocess(
      rawOutputs([
        { anchor: 0, logit: 1, values: faceValues(0, 0, 10) },
        { anchor: 200, logit: 3, values: faceValues(0, 0, 10) },
        { anchor: 400, logit: 2, values: faceValues(0, 0, 10) },
      ]),
      meta,
      { ...options, maxFaces: 2 },
    )
    expect(faces.map((f) => f.score)).toEqual([sigmoid(3), sigmoid(2)].map(roundScore))
  })

  it('throws TaskOutputError naming the shapes it got when an output is missing', () => {
    const rest = rawOutputs([])
    delete rest['Identity_1:0']
    expect(() => postprocess(rest, meta, options)).toThrow(TaskOutputError)
    expect(() => postprocess(rest, meta, options)).toThrow(
      /\[1,384,1\].*Identity:0 Float32Array\[1,512,1\]/,
    )
  })
})

const roundScore = (v: number) => Math.round(v * 10_000) / 10_000

describe(postprocessMesh, () => {
  const meshOutputs = (n: number, point: (i: number) => number[], presence: number[]): Tensors => {
    const mesh = new Float32Array(n * 1404)
    for (let f = 0; f < n; f++) {
      for (let i = 0; i < 468; i++) mesh.set(point(i), (f * 468 + i) * 3)
    }
    return {
      'Identity_2:0': { data: mesh, dims: [n, 1404] },
      'Identity_1:0': { data: Float32Array.from(presence), dims: [n, 1] },
      'Identity:0': { data: new Float32Array(n * 266), dims: [n, 266] },
    }
  }

  it('maps crop pixels to image pixels and scales depth by the crop size', () => {
    const crop: Crop = { centerX: 300, centerY: 200, size: 96, angle: 0 }
    const [result] = postprocessMesh(
      meshOutputs(1, () => [0, 192, 10], [0.9]),
      [crop],
    )
    expect(result!.mesh).toHaveLength(468 * 3)
    expect(result!.mesh.slice(0, 3)).toEqual([252, 248, 5])
    expect(result!.meshScore).toBeCloseTo(0.9, 4)
  })

  it('turns points with a rotated crop', () => {
    // A quarter turn: the crop's +x axis is the image's +y axis.
    const crop: Crop = { centerX: 100, centerY: 100, size: 192, angle: Math.PI / 2 }
    const [result] = postprocessMesh(
      meshOutputs(1, () => [192, 96, 0], [1]),
      [crop],
    )
    expect(result!.mesh[0]).toBeCloseTo(100, 1)
    expect(result!.mesh[1]).toBeCloseTo(196, 1)
  })

  it('throws TaskOutputError when the batch size does not match the crops', () => {
    const crop: Crop = { centerX: 0, centerY: 0, size: 1, angle: 0 }
    expect(() =>
      postprocessMesh(
        meshOutputs(1, () => [0, 0, 0], [1]),
        [crop, crop],
      ),
    ).toThrow(TaskOutputError)
  })
})
