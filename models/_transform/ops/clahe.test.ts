import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import { clahe, tileGrid } from './clahe'
import {
  chroma,
  cropImage,
  fromSharp,
  isOpaque,
  leaksMemory,
  loadPhoto,
  localContrast,
  mapRgb,
  maxAbsDiff,
  meanAbsDiffOf,
  runOperation,
  toSharp,
} from './test-helpers'

let cv: OpenCv
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
})

const dull = async () => {
  const photo = await loadPhoto('chelsea.png')
  return mapRgb(photo, (r, g, b) => [r / 2 + 20, g / 2 + 20, b / 2 + 20])
}

describe(clahe, () => {
  it('keeps the size of a landscape photo and makes alpha 255', async () => {
    const photo = await loadPhoto('chelsea.png')
    const out = runOperation(cv, clahe, photo, { op: 'clahe', clipLimit: 2, tiles: 8 })
    expect([out.width, out.height]).toEqual([451, 300])
    expect(isOpaque(out)).toBe(true)
  })

  it('cuts a landscape photo into square tiles, the same as a square crop of it', async () => {
    // 480×320 with 8 tiles across 320: 40-px tiles, 12 along 480. The left 320×320 crop has the
    // same first 8 columns of tiles, so left of the last tile's centre (x = 300) the results match.
    const photo = await fromSharp(
      toSharp(await loadPhoto('chelsea.png')).resize(480, 320, { fit: 'fill' }),
    )
    const square = { x: 0, y: 0, width: 320, height: 320 }
    const operation = { op: 'clahe', clipLimit: 3, tiles: 8 } as const
    const whole = runOperation(cv, clahe, photo, operation)
    const crop = runOperation(cv, clahe, cropImage(photo, square), operation)
    const left = { ...square, width: 300 }
    expect(maxAbsDiff(cropImage(whole, left), cropImage(crop, left))).toBe(0)
  })

  it('raises local contrast on a dull photo, more with a higher clip limit', async () => {
    const image = await dull()
    const contrasts = [1, 2, 4].map((clipLimit) =>
      localContrast(runOperation(cv, clahe, image, { op: 'clahe', clipLimit, tiles: 8 })),
    )
    let previous = localContrast(image)
    for (const contrast of contrasts) {
      expect(contrast).toBeGreaterThan(previous * 1.2)
      previous = contrast
    }
  })

  it('keeps the colours: chroma moves by under two levels on average', async () => {
    const image = await dull()
    const out = runOperation(cv, clahe, image, { op: 'clahe', clipLimit: 2, tiles: 8 })
    expect(meanAbsDiffOf(chroma(out), chroma(image))).toBeLessThan(2)
  })

  it('frees the Mats it allocates', async () => {
    const photo = await loadPhoto('chelsea.png', 256)
    expect(
      leaksMemory(cv, () =>
        runOperation(cv, clahe, photo, { op: 'clahe', clipLimit: 2, tiles: 8 }),
      ),
    ).toBe(false)
  })
})

describe(tileGrid, () => {
  it('puts `tiles` tiles across the short side and square-ish tiles along the long one', () => {
    expect(tileGrid(1200, 800, 8)).toEqual({ columns: 12, rows: 8 })
    expect(tileGrid(800, 1200, 8)).toEqual({ columns: 8, rows: 12 })
    expect(tileGrid(451, 300, 8)).toEqual({ columns: 12, rows: 8 })
    expect(tileGrid(500, 500, 4)).toEqual({ columns: 4, rows: 4 })
  })

  it('never makes a tile smaller than a pixel', () => {
    expect(tileGrid(5, 3, 8)).toEqual({ columns: 5, rows: 3 })
    expect(tileGrid(1, 1, 16)).toEqual({ columns: 1, rows: 1 })
  })
})
