import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { flip } from './flip'
import { fromSharp, loadPhoto, maxAbsDiff, runOperation, toSharp } from './test-helpers'

let cv: OpenCv
let photo: RgbaImage
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
  photo = await loadPhoto('butterfly.jpg', 160)
})

describe(flip, () => {
  it('mirrors left and right on the horizontal axis, as sharp’s flop', async () => {
    const out = runOperation(cv, flip, photo, { op: 'flip', axis: 'horizontal' })
    expect(maxAbsDiff(out, await fromSharp(toSharp(photo).flop()))).toBe(0)
  })

  it('turns the image upside down on the vertical axis, as sharp’s flip', async () => {
    const out = runOperation(cv, flip, photo, { op: 'flip', axis: 'vertical' })
    expect(maxAbsDiff(out, await fromSharp(toSharp(photo).flip()))).toBe(0)
  })
})
