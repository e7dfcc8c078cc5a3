import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { OperationOf } from '../recipe'
import { adjust, adjustTable } from './adjust'
import {
  channelMeans,
  fromSharp,
  isOpaque,
  leaksMemory,
  loadPhoto,
  maxAbsDiff,
  runOperation,
  toSharp,
} from './test-helpers'

let cv: OpenCv
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
})

const settings = (values: Partial<OperationOf<'adjust'>>): OperationOf<'adjust'> => ({
  op: 'adjust',
  brightness: 0,
  contrast: 0,
  gamma: 1,
  ...values,
})

const meanLevel = (means: number[]) => means.reduce((a, b) => a + b) / means.length

describe(adjust, () => {
  it.each([
    [20, 30],
    [-40, -50],
    [0, 100],
    [100, 0],
    [-100, 60],
    [35, -80],
  ])(
    'matches sharp’s linear(a, b) within one level for brightness %i, contrast %i',
    async (brightness, contrast) => {
      const photo = await loadPhoto('fruits.jpg', 256)
      const a = 1 + contrast / 100
      const b = brightness * 1.27 + 128 * (1 - a)
      const ours = runOperation(cv, adjust, photo, settings({ brightness, contrast }))
      const reference = await fromSharp(toSharp(photo).linear(a, b))
      expect(maxAbsDiff(ours, reference)).toBeLessThanOrEqual(1)
      expect(isOpaque(ours)).toBe(true)
    },
  )

  it('returns its source Mat for the neutral settings', async () => {
    const photo = await loadPhoto('fruits.jpg', 64)
    const src = cv.matFromImageData(photo as ImageData)
    try {
      const context = { cv, scale: 1, orientation: 1, upright: true }
      expect(adjust(src, settings({}), context)).toBe(src)
    } finally {
      src.delete()
    }
  })

  it('builds the identity table for gamma 1 with no brightness or contrast', () => {
    expect([...adjustTable(settings({}))]).toEqual(Array.from({ length: 256 }, (_, v) => v))
  })

  it('brightens mid-tones for gamma above 1, keeps 0 and 255, and stays monotonic', async () => {
    const table = adjustTable(settings({ gamma: 2 }))
    expect(table[0]).toBe(0)
    expect(table[255]).toBe(255)
    // 255 · (64 / 255)^(1/2) = 127.75
    expect(table[64]).toBe(128)
    for (let v = 1; v < 256; v++) expect(table[v]).toBeGreaterThanOrEqual(table[v - 1]!)

    const photo = await loadPhoto('chelsea.png', 256)
    const before = meanLevel(channelMeans(photo))
    const brighter = meanLevel(
      channelMeans(runOperation(cv, adjust, photo, settings({ gamma: 2 }))),
    )
    const darker = meanLevel(
      channelMeans(runOperation(cv, adjust, photo, settings({ gamma: 0.5 }))),
    )
    expect(brighter).toBeGreaterThan(before + 20)
    expect(darker).toBeLessThan(before - 20)
  })

  it('applies gamma before contrast and brightness', () => {
    // γ 2 takes 64 to 127.75; slope 1.5 then gives 1.5 · (127.75 − 128) + 128 + 1.27 · 10 = 140.3
    const table = adjustTable(settings({ gamma: 2, contrast: 50, brightness: 10 }))
    expect(table[64]).toBe(140)
  })

  it('frees the Mats it allocates', async () => {
    const photo = await loadPhoto('fruits.jpg', 256)
    expect(
      leaksMemory(cv, () =>
        runOperation(cv, adjust, photo, settings({ brightness: 10, contrast: 20, gamma: 1.5 })),
      ),
    ).toBe(false)
  })
})
