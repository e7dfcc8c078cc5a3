import type { RgbaImage } from '../types'
import { deltaE76, rgbToLab } from './colour-space'
import { dominantColours, nearestCssColour } from './dominant-colours'
import { mulberry32 } from './random'

type Rgb = [number, number, number]

/** An image whose first `count` pixels are `first` and the rest `second`. */
function twoColours(width: number, height: number, first: Rgb, second: Rgb, count: number) {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < width * height; i++) data.set([...(i < count ? first : second), 255], i * 4)
  return { data, width, height }
}

function shuffled(image: RgbaImage, seed: number): RgbaImage {
  const random = mulberry32(seed)
  const pixels = Array.from({ length: image.width * image.height }, (_, i) =>
    image.data.subarray(i * 4, i * 4 + 4),
  )
  for (let i = pixels.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[pixels[i], pixels[j]] = [pixels[j]!, pixels[i]!]
  }
  const data = new Uint8ClampedArray(image.data.length)
  pixels.forEach((pixel, i) => data.set(pixel, i * 4))
  return { data, width: image.width, height: image.height }
}

/** Noisy patches of a few colours, so k-means has real work to do. */
const patchColours: Rgb[] = [
  [200, 40, 40],
  [30, 120, 200],
  [240, 230, 200],
  [20, 20, 20],
]

function patches(seed: number): RgbaImage {
  const random = mulberry32(seed)
  const width = 120
  const height = 80
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = patchColours[(x >= 60 ? 1 : 0) + (y >= 40 ? 2 : 0)]!
      data.set([...base.map((v) => v + (random() - 0.5) * 30), 255], (y * width + x) * 4)
    }
  }
  return { data, width, height }
}

describe(dominantColours, () => {
  it('finds both colours of a two-colour image with their shares', () => {
    const image = twoColours(100, 50, [255, 0, 0], [0, 0, 255], 1250)
    const colours = dominantColours(image, { k: 5 })
    expect(colours.map((c) => c.hex)).toEqual(['#0000ff', '#ff0000'])
    expect(colours.map((c) => c.share)).toEqual([0.75, 0.25])
    expect(colours.map((c) => c.name)).toEqual(['blue', 'red'])
    expect(colours[1]!.rgb).toEqual([255, 0, 0])
    expect(colours[1]!.lab[0]).toBeCloseTo(53.24, 2)
  })

  it('returns the mean colour for k = 1', () => {
    const image = twoColours(10, 10, [100, 100, 100], [110, 110, 110], 50)
    const [only, ...rest] = dominantColours(image, { k: 1 })
    expect(rest).toEqual([])
    expect(only!.share).toBe(1)
    expect(only!.rgb[0]).toBeGreaterThan(100)
    expect(only!.rgb[0]).toBeLessThan(110)
  })

  it('merges clusters closer than mergeDeltaE', () => {
    // 100 and 108 fall in different 5-bit bins and are ≈ 2.7 ΔE00 apart.
    const image = twoColours(10, 10, [100, 100, 100], [108, 108, 108], 50)
    expect(dominantColours(image, { k: 5 })).toHaveLength(1)
    expect(dominantColours(image, { k: 5, mergeDeltaE: 0.5 })).toHaveLength(2)
  })

  it('recovers noisy patches, shares summing to 1, largest first', () => {
    const colours = dominantColours(patches(1), { k: 4 })
    expect(colours).toHaveLength(4)
    expect(colours.reduce((sum, c) => sum + c.share, 0)).toBeCloseTo(1, 3)
    for (const c of colours) expect(c.share).toBeCloseTo(0.25, 2)
    for (const base of patchColours) {
      const lab = rgbToLab(...base)
      expect(colours.some((c) => deltaE76(c.lab, lab) < 2)).toBe(true)
    }
  })

  it('gives the same answer every run and for any pixel order', () => {
    const image = patches(2)
    const first = dominantColours(image, { k: 5 })
    expect(dominantColours(image, { k: 5 })).toEqual(first)
    expect(dominantColours(shuffled(image, 3), { k: 5 })).toEqual(first)
  })
})

describe(nearestCssColour, () => {
  it.each([
    [[255, 0, 0], 'red'],
    [[255, 255, 255], 'white'],
    [[0, 0, 0], 'black'],
    [[0, 0, 255], 'blue'],
    [[0, 255, 0], 'lime'],
    [[255, 255, 0], 'yellow'],
    [[0, 128, 0], 'green'],
    [[128, 128, 128], 'gray'],
    [[102, 51, 153], 'rebeccapurple'],
  ] as [Rgb, string][])('names %j %s', (rgb, name) => {
    expect(nearestCssColour(rgbToLab(...rgb))).toBe(name)
  })

  it('names a near colour by its closest neighbour', () => {
    expect(nearestCssColour(rgbToLab(250, 5, 5))).toBe('red')
    expect(nearestCssColour(rgbToLab(250, 128, 114))).toBe('salmon')
  })
})
