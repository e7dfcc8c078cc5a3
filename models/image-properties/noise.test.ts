import type { Grey } from './grey'
import { immerkaerSigma } from './noise'
import { mulberry32 } from './random'

/** Standard normal samples by Box–Muller from a seeded PRNG. */
function gaussian(seed: number) {
  const random = mulberry32(seed)
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

const grey = (width: number, height: number, value: (x: number, y: number) => number): Grey => {
  const data = new Float32Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y)
  return { data, width, height }
}

describe(immerkaerSigma, () => {
  it('is 0 on a flat image', () => {
    expect(immerkaerSigma(grey(64, 48, () => 90))).toBe(0)
  })

  it('ignores smooth shading (planes and ramps)', () => {
    expect(immerkaerSigma(grey(64, 48, (x, y) => 20 + 1.5 * x + 0.7 * y))).toBeCloseTo(0, 4)
  })

  it.each([2, 5, 10, 20])('recovers added Gaussian noise of σ = %d within 15 %%', (sigma) => {
    const normal = gaussian(sigma)
    // Quantised to whole grey levels and clipped to 0–255, as 8-bit pixels are.
    const noisy = grey(256, 256, () =>
      Math.min(255, Math.max(0, Math.round(128 + sigma * normal()))),
    )
    const estimate = immerkaerSigma(noisy)
    expect(Math.abs(estimate - sigma) / sigma).toBeLessThan(0.15)
  })

  it('reads noise on top of a ramp as well as on a flat image', () => {
    const normal = gaussian(7)
    const noisy = grey(256, 256, (x) => 40 + 0.6 * x + 8 * normal())
    expect(immerkaerSigma(noisy)).toBeCloseTo(8, 0)
  })
})
