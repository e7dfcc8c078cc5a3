import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import { grayscale } from './grayscale'
import {
  fromSharp,
  isGrey,
  isOpaque,
  leaksMemory,
  loadPhoto,
  maxAbsDiff,
  meanAbsDiff,
  runOperation,
  toSharp,
} from './test-helpers'

let cv: OpenCv
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
})

describe(grayscale, () => {
  it.each(['fruits.jpg', 'butterfly.jpg', 'chelsea.png'])(
    'matches sharp’s grayscale (linear-light Rec. 709 luminance) within one level on %s',
    async (name) => {
      const photo = await loadPhoto(name)
      const ours = runOperation(cv, grayscale, photo, { op: 'grayscale' })
      const reference = await fromSharp(toSharp(photo).grayscale())
      expect(maxAbsDiff(ours, reference)).toBeLessThanOrEqual(1)
      expect(meanAbsDiff(ours, reference)).toBeLessThan(0.3)
    },
  )

  it('writes the same value to R, G and B, keeps the size and makes alpha 255', async () => {
    const photo = await loadPhoto('butterfly.jpg')
    const out = runOperation(cv, grayscale, photo, { op: 'grayscale' })
    expect([out.width, out.height]).toEqual([photo.width, photo.height])
    expect(isGrey(out)).toBe(true)
    expect(isOpaque(out)).toBe(true)
  })

  it('leaves a grey photo exactly as it is', async () => {
    const photo = await loadPhoto('camera.png')
    expect(isGrey(photo)).toBe(true)
    expect(maxAbsDiff(runOperation(cv, grayscale, photo, { op: 'grayscale' }), photo)).toBe(0)
  })

  it('frees the Mats it allocates', async () => {
    const photo = await loadPhoto('fruits.jpg', 256)
    expect(leaksMemory(cv, () => runOperation(cv, grayscale, photo, { op: 'grayscale' }))).toBe(
      false,
    )
  })
})
