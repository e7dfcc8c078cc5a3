import { TaskOutputError } from '../errors'
import { labels } from './labels'
import {
  bins,
  classwiseNms,
  distributionExpectation,
  postprocess,
  suppressAcrossClasses,
  tagsOf,
  type DetectedObject,
} from './postprocess'
import type { Meta } from './preprocess'

interface Hit {
  stride: 8 | 16 | 32
  column: number
  row: number
  label: (typeof labels)[number]
  score: number
  /** Left, top, right and bottom distances from the cell centre, in strides (whole bins). */
  sides: [number, number, number, number]
}

/** Raw NanoDet outputs: every score 0 and every distance distribution flat, except the hits. */
function rawOutputs(hits: Hit[]) {
  const levels = new Map(
    ([8, 16, 32] as const).map((stride) => {
      const cells = (416 / stride) ** 2
      return [
        stride,
        { scores: new Float32Array(cells * 80), distances: new Float32Array(cells * 4 * bins) },
      ]
    }),
  )
  for (const { stride, column, row, label, score, sides } of hits) {
    const level = levels.get(stride)!
    const cell = row * (416 / stride) + column
    level.scores[cell * 80 + labels.indexOf(label)] = score
    sides.forEach((bin, side) => {
      const offset = (cell * 4 + side) * bins
      level.distances.fill(0, offset, offset + bins)
      level.distances[offset + bin] = 50 // softmax weight of the other bins: e^−50
    })
  }
  const out: Record<string, { data: Float32Array; dims: number[] }> = {}
  // Deliberately not in the model's output order: outputs are found by shape.
  for (const [stride, { scores, distances }] of levels) {
    const cells = (416 / stride) ** 2
    out[`reg_${stride}`] = { data: distances, dims: [1, cells, 44] }
    out[`cls_${stride}`] = { data: scores, dims: [1, cells, 80] }
  }
  return out
}

// An 832×624 image letterboxed into 416: half size, 52 model pixels of padding above and below.
const meta: Meta = { scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 52, width: 832, height: 624 }
const options = { minScore: 0.2, iouThreshold: 0.5, maxObjects: 100, tagScore: 0.5 }

describe(distributionExpectation, () => {
  it('is the peak bin of a sharply peaked distribution', () => {
    const logits = new Float32Array(11)
    logits[7] = 60
    expect(distributionExpectation(logits, 0, 11)).toBeCloseTo(7, 10)
  })

  it('is the middle bin of a flat distribution and between two equal peaks', () => {
    expect(distributionExpectation(new Float32Array(11), 0, 11)).toBeCloseTo(5, 10)
    const logits = new Float32Array(22)
    logits[11 + 2] = 30
    logits[11 + 4] = 30
    expect(distributionExpectation(logits, 11, 11)).toBeCloseTo(3, 10)
  })

  it('weights bins by their softmax probability', () => {
    // Bins 0 and 1 only, logits 0 and ln 3: probabilities 1/4 and 3/4.
    const logits = [0, Math.log(3), -1e9, -1e9, -1e9, -1e9, -1e9, -1e9, -1e9, -1e9, -1e9]
    expect(distributionExpectation(logits, 0, 11)).toBeCloseTo(0.75, 10)
  })
})

describe(postprocess, () => {
  it('decodes one cell into an exact box in image pixels through the letterbox', () => {
    // Stride 16, cell (5, 7): centre (88, 120) model px; sides 2, 3, 4, 1 strides.
    const { objects } = postprocess(
      rawOutputs([
        { stride: 16, column: 5, row: 7, label: 'dog', score: 0.9, sides: [2, 3, 4, 1] },
      ]),
      meta,
      options,
    )
    expect(objects).toHaveLength(1)
    expect(objects[0]!.label).toBe('dog')
    expect(objects[0]!.score).toBeCloseTo(0.9, 4)
    // Model box x 56…152, y 72…136 → image x 112…304, y (72 − 52) × 2 = 40…168.
    expect(objects[0]!.box).toEqual({ x: 112, y: 40, width: 192, height: 128 })
  })

  it('uses each level’s stride and grid', () => {
    const { objects } = postprocess(
      rawOutputs([
        { stride: 8, column: 0, row: 0, label: 'cup', score: 0.8, sides: [0, 0, 1, 1] },
        { stride: 32, column: 12, row: 12, label: 'bed', score: 0.7, sides: [10, 10, 0, 0] },
      ]),
      { scaleX: 1, scaleY: 1, padX: 0, padY: 0, width: 416, height: 416 },
      options,
    )
    expect(objects.map((o) => [o.label, o.box])).toEqual([
      ['cup', { x: 4, y: 4, width: 8, height: 8 }],
      ['bed', { x: 80, y: 80, width: 320, height: 320 }],
    ])
  })

  it('clips boxes to the image', () => {
    const { objects } = postprocess(
      rawOutputs([
        { stride: 32, column: 0, row: 0, label: 'car', score: 0.9, sides: [3, 3, 2, 2] },
      ]),
      { scaleX: 1, scaleY: 1, padX: 0, padY: 0, width: 416, height: 416 },
      options,
    )
    expect(objects[0]!.box).toEqual({ x: 0, y: 0, width: 80, height: 80 })
  })

  it('merges boxes of one class, and keeps the better label for one object seen as two classes', () => {
    const sides: Hit['sides'] = [3, 3, 3, 3]
    const { objects } = postprocess(
      rawOutputs([
        { stride: 16, column: 10, row: 10, label: 'dog', score: 0.8, sides },
        { stride: 16, column: 10, row: 10, label: 'cat', score: 0.4, sides },
        { stride: 16, column: 11, row: 10, label: 'dog', score: 0.6, sides },
      ]),
      meta,
      options,
    )
    expect(objects.map((o) => [o.label, o.score])).toEqual([['dog', expect.closeTo(0.8, 4)]])
  })

  it('drops candidates below minScore and keeps at most maxObjects, best first', () => {
    const hit = (column: number, score: number): Hit => ({
      stride: 32,
      column,
      row: 3,
      label: 'person',
      score,
      sides: [0, 1, 0, 1],
    })
    const outputs = rawOutputs([hit(1, 0.3), hit(4, 0.9), hit(7, 0.15), hit(10, 0.6)])
    const { objects } = postprocess(outputs, meta, { ...options, maxObjects: 2 })
    expect(objects.map((o) => o.score)).toEqual([expect.closeTo(0.9, 4), expect.closeTo(0.6, 4)])
    expect(postprocess(outputs, meta, options).objects).toHaveLength(3)
  })

  it('tags the image with labels scoring at least tagScore', () => {
    const sides: Hit['sides'] = [1, 1, 1, 1]
    const { tags } = postprocess(
      rawOutputs([
        { stride: 32, column: 1, row: 1, label: 'bicycle', score: 0.55, sides },
        { stride: 32, column: 5, row: 5, label: 'dog', score: 0.7, sides },
        { stride: 32, column: 9, row: 9, label: 'truck', score: 0.45, sides },
      ]),
      meta,
      options,
    )
    expect(tags).toEqual(['dog', 'bicycle'])
  })

  it('rejects outputs of other shapes', () => {
    const withoutOne = Object.fromEntries(
      Object.entries(rawOutputs([])).filter(([name]) => name !== 'reg_8'),
    )
    expect(() => postprocess(withoutOne, meta, options)).toThrow(TaskOutputError)
    expect(() => postprocess(withoutOne, meta, options)).toThrow(/\[1,2704,44\]/)
  })
})

describe(classwiseNms, () => {
  it('suppresses within a class only', () => {
    const box = { x: 0, y: 0, width: 10, height: 10 }
    const shifted = { x: 1, y: 0, width: 10, height: 10 }
    const kept = classwiseNms(
      [
        { classIndex: 1, score: 0.5, box },
        { classIndex: 2, score: 0.9, box },
        { classIndex: 1, score: 0.7, box: shifted },
      ],
      0.5,
    )
    expect(kept.map((c) => [c.classIndex, c.score])).toEqual([
      [2, 0.9],
      [1, 0.7],
    ])
  })
})

describe(suppressAcrossClasses, () => {
  const box = (x: number, width = 10) => ({ x, y: 0, width, height: 10 })

  it('keeps only the better label of two boxes on the same object', () => {
    const kept = suppressAcrossClasses([
      { classIndex: 19, score: 0.57, box: box(0) },
      { classIndex: 17, score: 0.68, box: box(0.5) },
    ])
    expect(kept.map((c) => c.classIndex)).toEqual([17])
  })

  it('keeps overlapping objects of different classes below the threshold', () => {
    // IoU of a 10 px box and a 20 px box sharing 10 px: 100 / 200 = 0.5.
    const kept = suppressAcrossClasses([
      { classIndex: 16, score: 0.68, box: box(0) },
      { classIndex: 1, score: 0.56, box: box(0, 20) },
    ])
    expect(kept).toHaveLength(2)
  })

  it('never removes a box of the same class (that is classwiseNms)', () => {
    expect(
      suppressAcrossClasses([
        { classIndex: 0, score: 0.9, box: box(0) },
        { classIndex: 0, score: 0.8, box: box(0) },
      ]),
    ).toHaveLength(2)
  })
})

describe(tagsOf, () => {
  it('lists each label once, best first', () => {
    const box = { x: 0, y: 0, width: 1, height: 1 }
    const objects: DetectedObject[] = [
      { label: 'horse', score: 0.6, box },
      { label: 'person', score: 0.9, box },
      { label: 'horse', score: 0.95, box },
      { label: 'cow', score: 0.3, box },
    ]
    expect(tagsOf(objects, 0.5)).toEqual(['horse', 'person'])
  })
})

describe('labels', () => {
  it('lists the 80 COCO classes in model order', () => {
    expect(labels).toHaveLength(80)
    expect(new Set(labels).size).toBe(80)
    expect([labels[0], labels[1], labels[16], labels[17], labels[79]]).toEqual([
      'person',
      'bicycle',
      'dog',
      'horse',
      'toothbrush',
    ])
  })
})
