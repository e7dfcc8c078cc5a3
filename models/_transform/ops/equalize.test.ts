import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { equalize } from './equalize'
import {
  cdfDistanceFromUniform,
  chroma,
  isGrey,
  isOpaque,
  leaksMemory,
  loadPhoto,
  lumaRange,
  mapRgb,
  maxAbsDiff,
  meanAbsDiffOf,
  runOperation,
} from './test-helpers'

let cv: OpenCv
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
})

/**
 * Textbook histogram equalisation of a grey image (Gonzalez & Woods; Wikipedia "Histogram
 * equalization"): v ↦ round((cdf(v) − cdf_min) / (N − cdf_min) · 255).
 */
function equalizeGrey(image: RgbaImage): RgbaImage {
  const n = image.data.length / 4
  const counts = new Array<number>(256).fill(0)
  for (let p = 0; p < image.data.length; p += 4) counts[image.data[p]!]!++
  const cdf: number[] = []
  counts.reduce((sum, count, v) => (cdf[v] = sum + count), 0)
  const cdfMin = cdf.find((c) => c > 0)!
  return mapRgb(image, (v) => {
    const out = Math.round(((cdf[v]! - cdfMin) / (n - cdfMin)) * 255)
    return [out, out, out]
  })
}

describe(equalize, () => {
  it('matches textbook histogram equalisation on a grey photo within one level', async () => {
    const photo = await loadPhoto('camera.png')
    const out = runOperation(cv, equalize, photo, { op: 'equalize' })
    expect(isGrey(out)).toBe(true)
    expect(maxAbsDiff(out, equalizeGrey(photo))).toBeLessThanOrEqual(1)
  })

  it('flattens the luma histogram of a dull colour photo and stretches it to 0–255', async () => {
    const photo = await loadPhoto('chelsea.png')
    const dull = mapRgb(photo, (r, g, b) => [r / 2 + 40, g / 2 + 40, b / 2 + 40])
    const out = runOperation(cv, equalize, dull, { op: 'equalize' })
    expect([out.width, out.height]).toEqual([photo.width, photo.height])
    expect(isOpaque(out)).toBe(true)
    expect(cdfDistanceFromUniform(dull)).toBeGreaterThan(0.4)
    expect(cdfDistanceFromUniform(out)).toBeLessThan(0.05)
    const [min, max] = lumaRange(out)
    expect(min).toBeLessThan(3)
    expect(max).toBeGreaterThan(250)
  })

  it('keeps the colours: chroma moves by under a level on average', async () => {
    const photo = await loadPhoto('chelsea.png')
    const dull = mapRgb(photo, (r, g, b) => [r / 2 + 40, g / 2 + 40, b / 2 + 40])
    const out = runOperation(cv, equalize, dull, { op: 'equalize' })
    expect(meanAbsDiffOf(chroma(out), chroma(dull))).toBeLessThan(1)
  })

  it('frees the Mats it allocates', async () => {
    const photo = await loadPhoto('chelsea.png', 256)
    expect(leaksMemory(cv, () => runOperation(cv, equalize, photo, { op: 'equalize' }))).toBe(false)
  })
})
