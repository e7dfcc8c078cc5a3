import { preprocess } from './preprocess'

describe(preprocess, () => {
  it('letterboxes to 416×416 and writes B, G, R planes normalised with NanoDet’s mean and std', () => {
    // 832×416 pure red: half size, 104 rows of black padding above and below.
    const data = new Uint8ClampedArray(832 * 416 * 4)
    for (let i = 0; i < 832 * 416; i++) data.set([255, 0, 0, 255], i * 4)
    const { feeds, meta } = preprocess({ data, width: 832, height: 416 })
    const input = feeds.input_1!
    expect(input.dims).toEqual([1, 3, 416, 416])
    const plane = 416 * 416
    const at = (c: number, x: number, y: number) => input.data[c * plane + y * 416 + x]!
    // Inside: B = 0, G = 0, R = 255.
    expect(at(0, 200, 208)).toBeCloseTo((0 - 103.53) / 57.375, 5)
    expect(at(1, 200, 208)).toBeCloseTo((0 - 116.28) / 57.12, 5)
    expect(at(2, 200, 208)).toBeCloseTo((255 - 123.675) / 58.395, 5)
    // Padding: black.
    expect(at(2, 200, 50)).toBeCloseTo((0 - 123.675) / 58.395, 5)
    expect(meta).toEqual({ scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 104, width: 832, height: 416 })
  })
})
