import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { threshold } from './threshold'
import {
  cropImage,
  isBinary,
  isOpaque,
  leaksMemory,
  loadPhoto,
  luma,
  maxAbsDiff,
  runOperation,
  whiteFraction,
} from './test-helpers'

let cv: OpenCv
let page: RgbaImage
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
  page = await loadPhoto('page.png')
})

const scan = (blockSize: number, offset: number, scale = 1) =>
  runOperation(cv, threshold, page, { op: 'threshold', blockSize, offset }, { scale })

/**
 * The definition, in plain JS: white where the grey level is above the mean of the
 * `blockSize`² box around it (edges repeated outward), rounded to a level as OpenCV keeps it in
 * 8 bits, minus `offset`. Grey is OpenCV's Rec. 601 luma.
 */
function meanThreshold(image: RgbaImage, blockSize: number, offset: number): Uint8Array {
  const { width, height } = image
  const grey = luma(image).map(Math.round)
  const half = (blockSize - 1) / 2
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v))
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0
      for (let dy = -half; dy <= half; dy++) {
        for (let dx = -half; dx <= half; dx++) {
          sum += grey[clamp(y + dy, height) * width + clamp(x + dx, width)]!
        }
      }
      out[y * width + x] =
        grey[y * width + x]! > Math.round(sum / blockSize ** 2) - offset ? 255 : 0
    }
  }
  return out
}

describe(threshold, () => {
  it('matches the local-mean definition on every pixel', () => {
    const out = scan(15, 5)
    const expected = meanThreshold(page, 15, 5)
    let differing = 0
    for (let i = 0; i < expected.length; i++) if (out.data[i * 4] !== expected[i]) differing++
    expect(differing).toBe(0)
  })

  it('turns a photographed page into black and white with alpha 255', () => {
    const out = scan(31, 10)
    expect(isBinary(out)).toBe(true)
    expect(isOpaque(out)).toBe(true)
    expect([out.width, out.height]).toEqual([384, 191])
  })

  it('makes the paper white', () => {
    const out = scan(31, 10)
    // Right of the title, and right of the paragraph's last line (fixtures/page.png).
    expect(whiteFraction(out, { x: 300, y: 0, width: 84, height: 30 })).toBeGreaterThan(0.95)
    expect(whiteFraction(out, { x: 230, y: 130, width: 154, height: 20 })).toBeGreaterThan(0.95)
  })

  it('keeps the printed text black', () => {
    // The title and paragraph, above the shadow in the bottom-left corner.
    const text = { x: 0, y: 0, width: 384, height: 140 }
    const before = cropImage(page, text)
    const after = cropImage(scan(31, 10), text)
    const levels = luma(before)
    const dark = [...levels.keys()].filter((i) => levels[i]! < 80)
    const black = dark.filter((i) => after.data[i * 4] === 0)
    expect(dark.length).toBeGreaterThan(2000)
    expect(black.length / dark.length).toBeGreaterThan(0.98)
  })

  it('keeps more white as the offset grows', () => {
    const fractions = [-10, 0, 10, 30].map((offset) => whiteFraction(scan(31, offset)))
    for (let i = 1; i < fractions.length; i++) {
      expect(fractions[i]).toBeGreaterThan(fractions[i - 1]!)
    }
  })

  it('scales the block size with the preview', () => {
    expect(maxAbsDiff(scan(62, 10, 0.5), scan(31, 10))).toBe(0)
    expect(maxAbsDiff(scan(31, 10, 0.5), scan(15, 10))).toBe(0)
    expect(maxAbsDiff(scan(31, 10, 0.5), scan(31, 10))).toBeGreaterThan(0)
  })

  it('frees the Mats it allocates', () => {
    expect(
      leaksMemory(cv, () =>
        runOperation(cv, threshold, page, { op: 'threshold', blockSize: 31, offset: 10 }),
      ),
    ).toBe(false)
  })
})
