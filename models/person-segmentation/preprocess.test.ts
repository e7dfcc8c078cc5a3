import { preprocess } from './preprocess'

describe(preprocess, () => {
  it('stretches the whole image to 256×256 NHWC RGB 0–1', () => {
    // 512×128: left half red, right half blue; stretching keeps the halves at x < 128 and x ≥ 128.
    const data = new Uint8ClampedArray(512 * 128 * 4)
    for (let i = 0; i < 512 * 128; i++) {
      const x = i % 512
      data.set(x < 256 ? [255, 0, 0, 255] : [0, 0, 255, 255], i * 4)
    }
    const { feeds, meta } = preprocess({ data, width: 512, height: 128 })
    const input = feeds.input_1!
    expect(input.dims).toEqual([1, 256, 256, 3])
    const pixel = (x: number, y: number) => [
      ...input.data.subarray((y * 256 + x) * 3, (y * 256 + x) * 3 + 3),
    ]
    expect(pixel(10, 0)).toEqual([1, 0, 0])
    expect(pixel(10, 255)).toEqual([1, 0, 0])
    expect(pixel(200, 128)).toEqual([0, 0, 1])
    expect(meta).toEqual({ width: 512, height: 128 })
  })
})
