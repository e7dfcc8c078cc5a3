import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { blur } from './blur'
import {
  fromSharp,
  gaussianReference,
  inner,
  isOpaque,
  laplacianVariance,
  leaksMemory,
  loadPhoto,
  maxAbsDiff,
  meanAbsDiff,
  runOperation,
  toImage,
  toSharp,
} from './test-helpers'

let cv: OpenCv
let small: RgbaImage
let chelsea: RgbaImage
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
  small = await loadPhoto('fruits.jpg', 160)
  chelsea = await loadPhoto('chelsea.png', 256)
})

describe(blur, () => {
  it.each([0.5, 1, 2, 5])(
    'matches a floating-point Gaussian of σ = %f within one level',
    (radius) => {
      const ours = runOperation(cv, blur, small, { op: 'blur', radius })
      const reference = toImage(gaussianReference(small, radius), small.width, small.height)
      expect(maxAbsDiff(ours, reference)).toBeLessThanOrEqual(1)
      expect(meanAbsDiff(ours, reference)).toBeLessThan(0.1)
    },
  )

  it.each([12, 24])(
    'stays within a few levels of a floating-point Gaussian of σ = %i, blurred at reduced size',
    (radius) => {
      // The margin keeps the frame out, where the reduced image's mirrored edge is coarser.
      const ours = runOperation(cv, blur, small, { op: 'blur', radius })
      const reference = toImage(gaussianReference(small, radius), small.width, small.height)
      expect(meanAbsDiff(ours, reference)).toBeLessThan(1)
      expect(maxAbsDiff(inner(ours, 16), inner(reference, 16))).toBeLessThanOrEqual(4)
    },
  )

  it.each([2, 5])(
    'stays within 1.5 levels on average of sharp’s blur(%i) away from the borders',
    async (radius) => {
      // libvips cuts its kernel where it falls under 0.2 of the peak and rounds it to integers,
      // so single pixels at hard edges differ by up to ~20 levels.
      const photo = await loadPhoto('fruits.jpg', 384)
      const ours = runOperation(cv, blur, photo, { op: 'blur', radius })
      const reference = await fromSharp(toSharp(photo).blur(radius))
      const margin = Math.ceil(3 * radius)
      expect(meanAbsDiff(inner(ours, margin), inner(reference, margin))).toBeLessThan(1.5)
    },
  )

  it.each([3, 20])(
    'blurs by radius × scale: radius %i at full size, twice that at half',
    (radius) => {
      const preview = runOperation(
        cv,
        blur,
        chelsea,
        { op: 'blur', radius: 2 * radius },
        { scale: 0.5 },
      )
      const direct = runOperation(cv, blur, chelsea, { op: 'blur', radius })
      expect(maxAbsDiff(preview, direct)).toBe(0)
    },
  )

  it('loses detail as the radius grows and keeps alpha 255', () => {
    const soft = runOperation(cv, blur, chelsea, { op: 'blur', radius: 1 })
    const softer = runOperation(cv, blur, chelsea, { op: 'blur', radius: 3 })
    expect(laplacianVariance(soft)).toBeLessThan(laplacianVariance(chelsea) / 2)
    expect(laplacianVariance(softer)).toBeLessThan(laplacianVariance(soft) / 2)
    expect(isOpaque(softer)).toBe(true)
  })

  it.each([2, 20])('frees the Mats it allocates (radius %i)', (radius) => {
    expect(leaksMemory(cv, () => runOperation(cv, blur, chelsea, { op: 'blur', radius }))).toBe(
      false,
    )
  })
})
