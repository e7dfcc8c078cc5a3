import { loadOpenCv } from '../_testing/node-context'
import type { OpenCv } from '../_shared/opencv'
import type { RgbaImage } from '../types'
import {
  cropLines,
  detectionInput,
  detectionSize,
  planBatches,
  recognitionInput,
  recognitionWidths,
  rotateAnticlockwise,
} from './preprocess'

const solid = (width: number, height: number, rgba: [number, number, number, number]) => {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < data.length; i += 4) data.set(rgba, i)
  return { data, width, height }
}

/** Each pixel's red = x, green = y, so crops can be traced back to where they came from. */
const coordinates = (width: number, height: number): RgbaImage => {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x, y, 0, 255], (y * width + x) * 4)
  }
  return { data, width, height }
}

describe(detectionSize, () => {
  it('scales the long side down to maxSide and rounds sides to multiples of 32', () => {
    // 3000 × 0.24 = 720 = 22.5 × 32: halves round up.
    expect(detectionSize(4000, 3000, 960)).toEqual({ width: 960, height: 736 })
    expect(detectionSize(3000, 4000, 960)).toEqual({ width: 736, height: 960 })
    expect(detectionSize(1000, 500, 960)).toEqual({ width: 960, height: 480 })
  })

  it('never scales up, but gives each side at least 32 px', () => {
    expect(detectionSize(384, 191, 960)).toEqual({ width: 384, height: 192 })
    expect(detectionSize(448, 172, 960)).toEqual({ width: 448, height: 160 })
    expect(detectionSize(10, 5, 960)).toEqual({ width: 32, height: 32 })
  })
})

describe(detectionInput, () => {
  it('lays out B, G, R planes normalised by the ImageNet mean and std', () => {
    const { input, meta } = detectionInput(solid(40, 20, [255, 128, 0, 255]), 960)
    expect(input.dims).toEqual([1, 3, 32, 32])
    expect(meta).toEqual({ width: 40, height: 20, inputWidth: 32, inputHeight: 32 })
    const plane = 32 * 32
    expect(input.data[0]).toBeCloseTo((0 - 0.485 * 255) / (0.229 * 255), 4)
    expect(input.data[plane]).toBeCloseTo((128 - 0.456 * 255) / (0.224 * 255), 4)
    expect(input.data[2 * plane + plane - 1]).toBeCloseTo((255 - 0.406 * 255) / (0.225 * 255), 4)
  })
})

describe(recognitionWidths, () => {
  it('makes a batch at least 320 px wide and scales each crop to height 48', () => {
    const { inputWidth, widths } = recognitionWidths([
      { width: 100, height: 20 },
      { width: 10, height: 20 },
    ])
    expect(inputWidth).toBe(320)
    expect(widths).toEqual([240, 24])
  })

  it('widens the batch to fit its widest crop', () => {
    const { inputWidth, widths } = recognitionWidths([
      { width: 300, height: 24 },
      { width: 30, height: 24 },
    ])
    expect(inputWidth).toBe(600)
    expect(widths).toEqual([600, 60])
  })

  it('rounds a crop width up, but never past the batch width', () => {
    const { inputWidth, widths } = recognitionWidths([{ width: 700, height: 101 }])
    // 48 × 700 / 101 = 332.67: the batch is 332 wide and the crop fills it.
    expect(inputWidth).toBe(332)
    expect(widths).toEqual([332])
  })
})

describe(planBatches, () => {
  const crop = (ratio: number) => ({ width: ratio * 10, height: 10 })

  it('sorts crops by aspect ratio and batches up to six', () => {
    const sizes = [5, 1, 3, 2, 6, 4, 0.5].map(crop)
    expect(planBatches(sizes)).toEqual([[6, 1, 3, 2, 5, 0], [4]])
  })

  it('keeps the padded batch within 1920 px of width in all', () => {
    // Ratio 16 pads every crop of its batch to 768 px: two fit in 1920, three do not.
    const sizes = [16, 16, 16, 2].map(crop)
    expect(planBatches(sizes)).toEqual([
      [3, 0],
      [1, 2],
    ])
    // A crop wider than the budget gets a batch of its own.
    expect(planBatches([crop(50), crop(1)])).toEqual([[1], [0]])
  })
})

describe(recognitionInput, () => {
  it('normalises to x/127.5 − 1 in BGR order and pads with zero', () => {
    const input = recognitionInput([
      solid(24, 12, [255, 0, 51, 255]),
      solid(12, 12, [0, 0, 0, 255]),
    ])
    expect(input.dims).toEqual([2, 3, 48, 320])
    const plane = 48 * 320
    const at = (n: number, ch: number, y: number, x: number) =>
      input.data[n * 3 * plane + ch * plane + y * 320 + x]!
    expect(at(0, 0, 10, 5)).toBeCloseTo(51 / 127.5 - 1, 5)
    expect(at(0, 1, 10, 5)).toBeCloseTo(-1, 5)
    expect(at(0, 2, 10, 5)).toBeCloseTo(1, 5)
    // The first crop is 96 px wide at height 48, the second 48 px.
    expect(at(0, 2, 47, 95)).toBeCloseTo(1, 5)
    expect(at(0, 2, 47, 96)).toBe(0)
    expect(at(1, 0, 0, 47)).toBeCloseTo(-1, 5)
    expect(at(1, 0, 0, 48)).toBe(0)
  })
})

describe(rotateAnticlockwise, () => {
  it('turns the top-right pixel into the top-left one', () => {
    const image = coordinates(3, 2)
    const turned = rotateAnticlockwise(image)
    expect([turned.width, turned.height]).toEqual([2, 3])
    const redGreen = (x: number, y: number) => {
      const i = (y * turned.width + x) * 4
      return [turned.data[i], turned.data[i + 1]]
    }
    expect(redGreen(0, 0)).toEqual([2, 0])
    expect(redGreen(1, 0)).toEqual([2, 1])
    expect(redGreen(0, 2)).toEqual([0, 0])
  })
})

describe(cropLines, () => {
  let cv: OpenCv
  beforeAll(async () => {
    cv = (await loadOpenCv()).cv
  })

  it('cuts an upright quadrilateral out pixel for pixel', () => {
    const [crop] = cropLines(cv, coordinates(64, 48), [
      [
        [10, 20],
        [40, 20],
        [40, 30],
        [10, 30],
      ],
    ])
    expect([crop!.width, crop!.height]).toEqual([30, 10])
    expect([crop!.data[0], crop!.data[1]]).toEqual([10, 20])
    const last = (9 * 30 + 29) * 4
    expect([crop!.data[last], crop!.data[last + 1]]).toEqual([39, 29])
  })

  it('straightens a tilted quadrilateral', () => {
    // A 40×10 rectangle turned 30° clockwise about (32, 32).
    const c = Math.cos(Math.PI / 6)
    const s = Math.sin(Math.PI / 6)
    const corner = (dx: number, dy: number): [number, number] => [
      32 + dx * c - dy * s,
      32 + dx * s + dy * c,
    ]
    const [crop] = cropLines(cv, coordinates(64, 64), [
      [corner(-20, -5), corner(20, -5), corner(20, 5), corner(-20, 5)],
    ])
    expect([crop!.width, crop!.height]).toEqual([40, 10])
    const [x, y] = corner(-20 + 0.5, -5 + 0.5)
    expect(crop!.data[0]).toBeCloseTo(x, -0.5)
    expect(crop!.data[1]).toBeCloseTo(y, -0.5)
  })

  it('turns crops at least 1.5× taller than wide anticlockwise', () => {
    const [crop] = cropLines(cv, coordinates(64, 64), [
      [
        [5, 5],
        [15, 5],
        [15, 35],
        [5, 35],
      ],
    ])
    expect([crop!.width, crop!.height]).toEqual([30, 10])
    // The source's top-right pixel (14, 5) is now the top-left one.
    expect([crop!.data[0], crop!.data[1]]).toEqual([14, 5])
  })
})
