import sharp from 'sharp'
import type { OpenCv } from '../../_shared/opencv'
import { fixture } from '../../_testing/load-image'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { autoOrient } from './auto-orient'
import { fromSharp, loadPhoto, maxAbsDiff, runOperation, toSharp } from './test-helpers'

let cv: OpenCv
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
})

const orient = (image: RgbaImage, orientation: number, upright = orientation === 1) =>
  runOperation(cv, autoOrient, image, { op: 'auto-orient' }, { orientation, upright })

describe(autoOrient, () => {
  it('turns the orientation-6 fixture upright as sharp does', async () => {
    const stored = await fromSharp(sharp(fixture('exif-orientation-6.jpg')))
    const upright = await fromSharp(sharp(fixture('exif-orientation-6.jpg')).rotate())
    expect([stored.width, stored.height]).toEqual([480, 320])
    const out = orient(stored, 6)
    expect([out.width, out.height]).toEqual([320, 480])
    expect(maxAbsDiff(out, upright)).toBe(0)
  })

  // A non-square photo, so a transpose and a rotation cannot be mistaken for one another.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('applies orientation %i exactly as sharp does', async (n) => {
    const stored = await loadPhoto('fruits.jpg', 96)
    // PNG is lossless and carries the orientation (eXIf), so sharp's result is the pure reorientation.
    const tagged = await toSharp(stored).withMetadata({ orientation: n }).png().toBuffer()
    expect((await sharp(tagged).metadata()).orientation).toBe(n)
    const expected = await fromSharp(sharp(tagged).rotate())

    const out = orient(stored, n)
    expect([out.width, out.height]).toEqual([expected.width, expected.height])
    expect(maxAbsDiff(out, expected)).toBe(0)
  })

  it('returns its source when the pixels are upright already', async () => {
    const image = await loadPhoto('fruits.jpg', 64)
    const src = cv.matFromImageData(image as ImageData)
    try {
      const context = { cv, scale: 1, orientation: 6, upright: true }
      expect(autoOrient(src, { op: 'auto-orient' }, context)).toBe(src)
    } finally {
      src.delete()
    }
  })
})
