import type { RgbaImage } from '../types'
import { alphaOf, blurBackground, boxBlur, cutout, resizeMask } from './compose'
import type { Mask } from './postprocess'

/** A 256×256 mask: 255 in the centred square [64, 192)², 0 elsewhere. */
function squareMask(): Mask {
  const data = new Uint8Array(256 * 256)
  for (let y = 64; y < 192; y++) data.fill(255, y * 256 + 64, y * 256 + 192)
  return { width: 256, height: 256, data }
}

/** An opaque image: left half black, right half white (a sharp vertical edge at x = width / 2). */
function edgeImage(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      data.fill(x < width / 2 ? 0 : 255, o, o + 3)
      data[o + 3] = 255
    }
  }
  return { data, width, height }
}

const at = (values: ArrayLike<number>, width: number, x: number, y: number) => values[y * width + x]

describe(resizeMask, () => {
  it('keeps a centred square in place when upsampling 2×', () => {
    const big = resizeMask(squareMask(), 512, 512)
    expect(at(big, 512, 256, 256)).toBe(255)
    expect(at(big, 512, 129, 129)).toBe(255)
    expect(at(big, 512, 382, 382)).toBe(255)
    expect(at(big, 512, 126, 256)).toBe(0)
    expect(at(big, 512, 385, 256)).toBe(0)
    expect(at(big, 512, 256, 126)).toBe(0)
    expect(at(big, 512, 256, 385)).toBe(0)
    // The edge sits half-way between rows 127 and 128, as the square's edge at mask row 64 does.
    expect(at(big, 512, 127, 256)! + at(big, 512, 128, 256)!).toBeCloseTo(255, -1)
  })

  it('stretches to a non-square image', () => {
    const wide = resizeMask(squareMask(), 1024, 256)
    expect(at(wide, 1024, 512, 128)).toBe(255)
    expect(at(wide, 1024, 250, 128)).toBe(0)
    expect(at(wide, 1024, 262, 128)).toBe(255)
    expect(at(wide, 1024, 512, 60)).toBe(0)
  })
})

describe(cutout, () => {
  it('makes the background transparent and keeps the person opaque and unchanged', () => {
    const image = edgeImage(512, 512)
    const out = cutout(image, squareMask())
    expect(out.data[(10 * 512 + 10) * 4 + 3]).toBe(0)
    expect(out.data[(500 * 512 + 500) * 4 + 3]).toBe(0)
    const centre = (256 * 512 + 300) * 4
    expect(out.data[centre + 3]).toBe(255)
    expect([...out.data.subarray(centre, centre + 3)]).toEqual([255, 255, 255])
  })

  it('ramps alpha smoothly across the edge', () => {
    const alpha = alphaOf(edgeImage(2048, 2048), squareMask())
    const row = Array.from({ length: 40 }, (_, i) => at(alpha, 2048, 492 + i, 1024)!)
    expect(row[0]).toBe(0)
    expect(row.at(-1)).toBe(255)
    expect(row.filter((v) => v > 0 && v < 255).length).toBeGreaterThan(2)
    for (let i = 1; i < row.length; i++) expect(row[i]).toBeGreaterThanOrEqual(row[i - 1]!)
  })

  it('gives a hard edge when feather is 0', () => {
    const alpha = alphaOf(edgeImage(512, 512), squareMask(), { feather: 0 })
    expect(new Set(alpha)).toEqual(new Set([0, 255]))
  })
})

describe(boxBlur, () => {
  it('leaves a flat image unchanged and keeps alpha', () => {
    const data = new Uint8ClampedArray(16 * 16 * 4).fill(77)
    const out = boxBlur({ data, width: 16, height: 16 }, 3)
    expect(new Set(out.data)).toEqual(new Set([77]))
  })

  it('spreads a sharp edge over about the blur width', () => {
    const out = boxBlur(edgeImage(64, 8), 2)
    const red = (x: number) => out.data[(4 * 64 + x) * 4]!
    expect(red(20)).toBe(0)
    expect(red(44)).toBe(255)
    expect(red(31)).toBeGreaterThan(40)
    expect(red(32)).toBeLessThan(215)
  })
})

describe(blurBackground, () => {
  it('leaves person pixels unchanged and blurs a sharp edge in the background', () => {
    // The edge at x = 256 crosses the masked square (x, y in 128…383) and the background above it.
    const image = edgeImage(512, 512)
    const out = blurBackground(image, squareMask(), 8)
    for (let y = 140; y < 372; y += 7) {
      for (let x = 140; x < 372; x++) {
        const o = (y * 512 + x) * 4
        expect(out.data[o]).toBe(image.data[o])
      }
    }
    const background = (x: number) => out.data[(40 * 512 + x) * 4]!
    expect(background(254)).toBeGreaterThan(60)
    expect(background(257)).toBeLessThan(195)
    expect(background(200)).toBe(0)
    expect(out.data[(40 * 512 + 254) * 4 + 3]).toBe(255)
  })
})
