import { crop, letterbox, resize, toTensor } from './image'

const solid = (width: number, height: number, rgba: [number, number, number, number]) => {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < data.length; i += 4) data.set(rgba, i)
  return { data, width, height }
}

/** A horizontal ramp: red = x scaled to 0–255. */
const ramp = (width: number, height: number) => {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([Math.round((x * 255) / (width - 1)), 0, 0, 255], (y * width + x) * 4)
    }
  }
  return { data, width, height }
}

describe(resize, () => {
  it('keeps a solid colour solid at any size', () => {
    const out = resize(solid(37, 23, [10, 200, 30, 255]), 100, 7)
    expect(out.width).toBe(100)
    expect(out.height).toBe(7)
    expect(new Set(out.data)).toEqual(new Set([10, 200, 30, 255]))
  })

  it('keeps a ramp monotonic when shrinking by more than 2×', () => {
    const out = resize(ramp(400, 4), 50, 1)
    const reds = Array.from({ length: 50 }, (_, x) => out.data[x * 4]!)
    for (let x = 1; x < reds.length; x++) expect(reds[x]!).toBeGreaterThanOrEqual(reds[x - 1]!)
    expect(reds[0]!).toBeLessThan(10)
    expect(reds[49]!).toBeGreaterThan(245)
  })
})

describe(letterbox, () => {
  it('centres a wide image and reports scale and padding', () => {
    const { image, scale, padX, padY } = letterbox(solid(200, 100, [255, 255, 255, 255]), 100)
    expect(scale).toBe(0.5)
    expect(padX).toBe(0)
    expect(padY).toBe(25)
    expect(image.data[(10 * 100 + 50) * 4]).toBe(0)
    expect(image.data[(50 * 100 + 50) * 4]).toBe(255)
  })
})

describe(toTensor, () => {
  const image = {
    data: new Uint8ClampedArray([255, 0, 51, 255, 0, 102, 0, 255]),
    width: 2,
    height: 1,
  }

  it('lays out planes for NCHW', () => {
    const t = toTensor(image, { layout: 'nchw', scale: 1 / 255 })
    expect(t.dims).toEqual([1, 3, 1, 2])
    expect(Array.from(t.data).map((v) => Math.round(v * 1000) / 1000)).toEqual([
      1, 0, 0, 0.4, 0.2, 0,
    ])
  })

  it('interleaves channels for NHWC and applies mean and std', () => {
    const t = toTensor(image, {
      layout: 'nhwc',
      mean: [127.5, 127.5, 127.5],
      std: [127.5, 127.5, 127.5],
    })
    expect(t.dims).toEqual([1, 1, 2, 3])
    expect(Array.from(t.data).map((v) => Math.round(v * 100) / 100)).toEqual([
      1, -1, -0.6, -1, -0.2, -1,
    ])
  })
})

describe(crop, () => {
  it('fills the part outside the image with black', () => {
    const out = crop(solid(4, 4, [9, 9, 9, 255]), 2, 2, 4, 4)
    expect(out.data[0]).toBe(9)
    expect(out.data[(3 * 4 + 3) * 4]).toBe(0)
  })
})
