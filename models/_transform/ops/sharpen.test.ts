import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { sharpen } from './sharpen'
import {
  gaussianReference,
  isOpaque,
  laplacianVariance,
  leaksMemory,
  loadPhoto,
  maxAbsDiff,
  meanAbsDiff,
  runOperation,
  toImage,
} from './test-helpers'

let cv: OpenCv
let fruits: RgbaImage
let chelsea: RgbaImage
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
  fruits = await loadPhoto('fruits.jpg', 160)
  chelsea = await loadPhoto('chelsea.png', 256)
})

describe(sharpen, () => {
  it.each([
    [1, 1.5],
    [2.5, 0.8],
    [0.5, 4],
  ])(
    'matches in + amount · (in − gaussian(in, radius)) in floating point for amount %f, radius %f',
    (amount, radius) => {
      const blurred = gaussianReference(fruits, radius)
      const expected = blurred.map((b, i) => fruits.data[i]! + amount * (fruits.data[i]! - b))
      const ours = runOperation(cv, sharpen, fruits, { op: 'sharpen', amount, radius })
      const reference = toImage(expected, fruits.width, fruits.height)
      // Rounding to levels costs about a quarter level on average; OpenCV also rounds the blurred
      // image to 8 bits before scaling it by the amount.
      expect(maxAbsDiff(ours, reference)).toBeLessThanOrEqual(Math.ceil(amount / 2 + 1))
      expect(meanAbsDiff(ours, reference)).toBeLessThan(0.3 + amount / 4)
    },
  )

  it('raises the Laplacian variance as the amount grows', () => {
    const variances = [0.5, 1, 2, 4].map((amount) =>
      laplacianVariance(runOperation(cv, sharpen, chelsea, { op: 'sharpen', amount, radius: 1.5 })),
    )
    let previous = laplacianVariance(chelsea)
    for (const variance of variances) {
      expect(variance).toBeGreaterThan(previous * 1.2)
      previous = variance
    }
  })

  it('returns its source Mat for amount 0', () => {
    const src = cv.matFromImageData(chelsea as ImageData)
    try {
      const context = { cv, scale: 1, orientation: 1, upright: true }
      expect(sharpen(src, { op: 'sharpen', amount: 0, radius: 2 }, context)).toBe(src)
    } finally {
      src.delete()
    }
  })

  it('scales the radius with the preview and keeps alpha 255', () => {
    const operation = { op: 'sharpen', amount: 1.5, radius: 4 } as const
    const preview = runOperation(cv, sharpen, chelsea, operation, { scale: 0.25 })
    const direct = runOperation(cv, sharpen, chelsea, { ...operation, radius: 1 })
    expect(maxAbsDiff(preview, direct)).toBe(0)
    expect(isOpaque(preview)).toBe(true)
  })

  it('frees the Mats it allocates', () => {
    expect(
      leaksMemory(cv, () =>
        runOperation(cv, sharpen, chelsea, { op: 'sharpen', amount: 1, radius: 12 }),
      ),
    ).toBe(false)
  })
})
