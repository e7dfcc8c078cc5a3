import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { blur } from './blur'
import { denoise, oddAtLeast } from './denoise'
import {
  addGaussianNoise,
  gradientMagnitude,
  isOpaque,
  leaksMemory,
  loadPhoto,
  luma,
  psnr,
  runOperation,
} from './test-helpers'

let cv: OpenCv
let clean: RgbaImage
let noisy: RgbaImage
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
  clean = await loadPhoto('chelsea.png', 320)
  noisy = addGaussianNoise(clean, 15)
})

describe(denoise, () => {
  it('brings a noisy photo at least 3 dB closer to the clean one with the defaults', () => {
    const out = runOperation(cv, denoise, noisy, { op: 'denoise', strength: 30, diameter: 9 })
    expect(psnr(clean, out)).toBeGreaterThan(psnr(clean, noisy) + 3)
    expect(isOpaque(out)).toBe(true)
  })

  it('smooths flat areas as much as a Gaussian blur while keeping edges sharper', () => {
    // Flat: the clean photo's gradient is under 2 levels/px; edges: over 25.
    const gradient = gradientMagnitude(clean)
    const flat = [...gradient.keys()].filter((i) => gradient[i]! > 0 && gradient[i]! < 2)
    const edges = [...gradient.keys()].filter((i) => gradient[i]! > 25)
    const cleanLuma = luma(clean)
    const flatNoise = (image: RgbaImage) => {
      const y = luma(image)
      return Math.sqrt(flat.reduce((sum, i) => sum + (y[i]! - cleanLuma[i]!) ** 2, 0) / flat.length)
    }
    const edgeStrength = (image: RgbaImage) => {
      const g = gradientMagnitude(image)
      return edges.reduce((sum, i) => sum + g[i]!, 0) / edges.length
    }
    const bilateral = runOperation(cv, denoise, noisy, { op: 'denoise', strength: 50, diameter: 9 })
    const gaussian = runOperation(cv, blur, noisy, { op: 'blur', radius: 0.7 })
    expect(flatNoise(bilateral)).toBeLessThanOrEqual(flatNoise(gaussian))
    expect(flatNoise(bilateral)).toBeLessThan(flatNoise(noisy) / 2)
    expect(edgeStrength(bilateral)).toBeGreaterThan(edgeStrength(gaussian) * 1.1)
  })

  it('returns its source Mat when the scaled diameter is under 2 px', async () => {
    const src = cv.matFromImageData(noisy as ImageData)
    try {
      const context = { cv, scale: 0.2, orientation: 1, upright: true }
      expect(denoise(src, { op: 'denoise', strength: 30, diameter: 5 }, context)).toBe(src)
    } finally {
      src.delete()
    }
  })

  it('frees the Mats it allocates', () => {
    expect(
      leaksMemory(cv, () =>
        runOperation(cv, denoise, noisy, { op: 'denoise', strength: 30, diameter: 9 }),
      ),
    ).toBe(false)
  })
})

describe(oddAtLeast, () => {
  it('rounds to the nearest odd integer, not below the minimum', () => {
    expect(oddAtLeast(9, 1)).toBe(9)
    expect(oddAtLeast(4.5, 1)).toBe(5)
    expect(oddAtLeast(4, 3)).toBe(5)
    expect(oddAtLeast(1.9, 1)).toBe(1)
    expect(oddAtLeast(0.3, 1)).toBe(1)
    expect(oddAtLeast(2, 3)).toBe(3)
    expect(oddAtLeast(62, 3)).toBe(63)
  })
})
