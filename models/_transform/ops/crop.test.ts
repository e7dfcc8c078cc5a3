import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { crop, pixelRect } from './crop'
import { fromSharp, loadPhoto, maxAbsDiff, runOperation, toSharp } from './test-helpers'

let cv: OpenCv
let photo: RgbaImage
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
  photo = await loadPhoto('butterfly.jpg', 200) // 200×144
})

describe(pixelRect, () => {
  it('rounds both edges to the nearest pixel', () => {
    expect(pixelRect({ x: 0.1, y: 0.25, width: 0.5, height: 0.5 }, 200, 144)).toEqual({
      x: 20,
      y: 36,
      width: 100,
      height: 72,
    })
  })

  it('keeps at least one pixel, inside the image', () => {
    expect(pixelRect({ x: 1, y: 1, width: 0.001, height: 0.001 }, 200, 144)).toEqual({
      x: 199,
      y: 143,
      width: 1,
      height: 1,
    })
    expect(pixelRect({ x: 0.9, y: 0, width: 0.5, height: 1 }, 200, 144)).toEqual({
      x: 180,
      y: 0,
      width: 20,
      height: 144,
    })
  })
})

describe(crop, () => {
  it('leaves the image as it is for the full frame', () => {
    const rect = { x: 0, y: 0, width: 1, height: 1 }
    expect(maxAbsDiff(runOperation(cv, crop, photo, { op: 'crop', rect }), photo)).toBe(0)
  })

  it('cuts out the same pixels as sharp’s extract', async () => {
    const rect = { x: 0.2, y: 0.15, width: 0.55, height: 0.6 }
    const out = runOperation(cv, crop, photo, { op: 'crop', rect })
    // 0.2 × 200 = 40, 0.75 × 200 = 150; 0.15 × 144 = 21.6 → 22, 0.75 × 144 = 108.
    const expected = await fromSharp(
      toSharp(photo).extract({ left: 40, top: 22, width: 110, height: 86 }),
    )
    expect([out.width, out.height]).toEqual([110, 86])
    expect(maxAbsDiff(out, expected)).toBe(0)
  })
})
