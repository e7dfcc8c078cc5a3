import type { Grey } from './grey'
import { laplacianVariance } from './sharpness'

const grey = (width: number, height: number, value: (x: number, y: number) => number): Grey => {
  const data = new Float32Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y)
  return { data, width, height }
}

describe(laplacianVariance, () => {
  it('is 0 on a flat image', () => {
    expect(laplacianVariance(grey(40, 30, () => 128))).toBe(0)
  })

  it('is 0 on a linear ramp, which has no curvature', () => {
    expect(laplacianVariance(grey(40, 30, (x, y) => 2 * x + y))).toBeCloseTo(0, 6)
  })

  it('is (4 × 255)² on a one-pixel black and white checkerboard', () => {
    const board = grey(40, 30, (x, y) => ((x + y) % 2) * 255)
    expect(laplacianVariance(board)).toBe(1020 ** 2)
  })

  it('drops when the same edges are smoothed', () => {
    const hard = grey(40, 30, (x) => (x < 20 ? 0 : 255))
    const soft = grey(40, 30, (x) => 255 / (1 + Math.exp(-(x - 19.5) / 2)))
    expect(laplacianVariance(soft)).toBeLessThan(laplacianVariance(hard) / 10)
  })

  it('is 0 for an image too small to have interior pixels', () => {
    expect(laplacianVariance(grey(2, 10, (x) => x * 255))).toBe(0)
  })
})
