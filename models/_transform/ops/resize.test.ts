import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { resize, resizedSize } from './resize'
import {
  fromSharp,
  inner,
  isOpaque,
  loadPhoto,
  maxAbsDiff,
  meanAbsDiff,
  runOperation,
  toSharp,
} from './test-helpers'

let cv: OpenCv
let photo: RgbaImage
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
  photo = await loadPhoto('astronaut.jpg', 160) // 160×160
})

const resized = (image: RgbaImage, longSide: number, scale = 1) =>
  runOperation(cv, resize, image, { op: 'resize', longSide }, { scale })

/** Each output pixel the rounded mean of a 2×2 block: what area averaging gives at half size. */
function halveByBlocks(image: RgbaImage): RgbaImage {
  const width = image.width / 2
  const height = image.height / 2
  const data = new Uint8ClampedArray(width * height * 4)
  const at = (x: number, y: number, c: number) => image.data[(y * image.width + x) * 4 + c]!
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        const sum =
          at(2 * x, 2 * y, c) +
          at(2 * x + 1, 2 * y, c) +
          at(2 * x, 2 * y + 1, c) +
          at(2 * x + 1, 2 * y + 1, c)
        data[(y * width + x) * 4 + c] = Math.round(sum / 4)
      }
    }
  }
  return { data, width, height }
}

describe(resizedSize, () => {
  it('sets the long side and keeps the aspect, rounded', () => {
    expect(resizedSize(200, 144, 100)).toEqual({ width: 100, height: 72 })
    expect(resizedSize(144, 200, 73)).toEqual({ width: 53, height: 73 })
    expect(resizedSize(640, 427, 1000)).toEqual({ width: 1000, height: 667 })
  })

  it('keeps at least one pixel on the short side', () => {
    expect(resizedSize(1000, 10, 16)).toEqual({ width: 16, height: 1 })
  })

  it('enlarges at most 4×', () => {
    expect(resizedSize(200, 144, 16_384)).toEqual({ width: 800, height: 576 })
  })
})

describe(resize, () => {
  it('halves by averaging each 2×2 block (area interpolation)', () => {
    const out = resized(photo, 80)
    expect([out.width, out.height]).toEqual([80, 80])
    expect(maxAbsDiff(out, halveByBlocks(photo))).toBeLessThanOrEqual(1)
  })

  // Area averaging is softer than libvips' cubic reduce: a mean of 1.5–1.6 here, where a
  // nearest-neighbour shrink is 6–8 away.
  it.each([100, 73])('shrinks to a %i px long side close to sharp’s resize', async (longSide) => {
    const out = resized(photo, longSide)
    const expected = await fromSharp(
      toSharp(photo).resize(longSide, longSide, { fit: 'fill', kernel: 'cubic' }),
    )
    expect([out.width, out.height]).toEqual([longSide, longSide])
    expect(meanAbsDiff(out, expected)).toBeLessThan(2.5)
  })

  // sharp's upsizing samples half an output pixel off the pixel centres, so the reference is
  // libvips' bicubic affine with centres aligned: a mean of 0.9–1.1 inside (OpenCV's cubic is a
  // little sharper than Catmull-Rom), where libvips' own bilinear is 1.8–2.0 away.
  it.each([200, 320, 640])('enlarges bicubically to %i px as libvips does', async (longSide) => {
    const out = resized(photo, longSide)
    const factor = longSide / photo.width
    const expected = await fromSharp(
      toSharp(photo).affine(
        [
          [factor, 0],
          [0, factor],
        ],
        { interpolator: 'bicubic', odx: (factor - 1) / 2, ody: (factor - 1) / 2 },
      ),
    )
    expect([out.width, out.height]).toEqual([longSide, longSide])
    expect([expected.width, expected.height]).toEqual([longSide, longSide])
    expect(meanAbsDiff(inner(out, 8), inner(expected, 8))).toBeLessThan(1.3)
    expect(isOpaque(out)).toBe(true)
  })

  it('enlarges no more than 4×', () => {
    const out = resized(photo, 16_384)
    expect([out.width, out.height]).toEqual([640, 640])
  })

  it('scales the long side with the preview', () => {
    const out = resized(photo, 160, 0.5)
    expect([out.width, out.height]).toEqual([80, 80])
  })

  it('returns its source when the size does not change', () => {
    const src = cv.matFromImageData(photo as ImageData)
    try {
      const context = { cv, scale: 1, orientation: 1, upright: true }
      expect(resize(src, { op: 'resize', longSide: 160 }, context)).toBe(src)
    } finally {
      src.delete()
    }
  })
})
