import sharp from 'sharp'
import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import type { RedactionRegion } from '../recipe'
import { redact, uprightToStored } from './redact'
import {
  cropImage,
  fromSharp,
  laplacianVariance,
  loadPhoto,
  maxAbsDiff,
  meanAbsDiff,
  runOperation,
  toSharp,
  type PixelRect,
} from './test-helpers'

let cv: OpenCv
let photo: RgbaImage
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
  photo = await loadPhoto('astronaut.jpg', 256) // 256×256, upright
})

/** Eileen Collins' face in astronaut.jpg, hair to chin. */
const face: RedactionRegion = {
  x: 0.33,
  y: 0.12,
  width: 0.22,
  height: 0.25,
  kind: 'face',
  enabled: true,
  label: 'Face 1',
}
/** The flag, top left. */
const flag: RedactionRegion = { ...face, x: 0.02, y: 0.3, label: 'Flag' }

/** Pixels a normalised rect covers in a 256×256 image, rounded outwards as redact does. */
const covered = ({ x, y, width, height }: RedactionRegion): PixelRect => {
  const [x0, y0] = [Math.floor(x * 256), Math.floor(y * 256)]
  return {
    x: x0,
    y: y0,
    width: Math.ceil((x + width) * 256) - x0,
    height: Math.ceil((y + height) * 256) - y0,
  }
}

/** Whether `a` and `b` are byte-identical outside `rects`. */
function sameOutside(a: RgbaImage, b: RgbaImage, rects: PixelRect[]): boolean {
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const inside = rects.some(
        (r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height,
      )
      if (inside) continue
      for (let c = 0; c < 4; c++) {
        const i = (y * a.width + x) * 4 + c
        if (a.data[i] !== b.data[i]) return false
      }
    }
  }
  return true
}

const distinctColours = (image: RgbaImage) => {
  const seen = new Set<number>()
  const view = new DataView(image.data.buffer, image.data.byteOffset, image.data.byteLength)
  for (let p = 0; p < image.data.length; p += 4) seen.add(view.getUint32(p))
  return seen.size
}

describe(uprightToStored, () => {
  it('maps a rect of the upright image into the stored pixels of a 90° clockwise camera', () => {
    // Orientation 6: stored pixels are turned 90° anticlockwise; upright's top-left strip is
    // the stored image's bottom-left strip.
    expect(uprightToStored({ x: 0, y: 0, width: 0.25, height: 1 }, 6)).toEqual({
      x: 0,
      y: 0.75,
      width: 1,
      height: 0.25,
    })
  })

  // A 40×30 upright image with a 10×15 px rect at (4, 6): draw the mapped rect on stored pixels,
  // tag them with the orientation and let sharp turn them upright; the rect must come back.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('round-trips through sharp for orientation %i', async (n) => {
    const [width, height] = [40, 30]
    const rect = { x: 4 / width, y: 6 / height, width: 10 / width, height: 15 / height }
    const turned = n >= 5
    const stored = { width: turned ? height : width, height: turned ? width : height }
    const mapped = uprightToStored(rect, n)
    const pixels = Buffer.alloc(stored.width * stored.height)
    for (let y = 0; y < stored.height; y++) {
      for (let x = 0; x < stored.width; x++) {
        const [u, v] = [(x + 0.5) / stored.width, (y + 0.5) / stored.height]
        const inside =
          u > mapped.x &&
          u < mapped.x + mapped.width &&
          v > mapped.y &&
          v < mapped.y + mapped.height
        pixels[y * stored.width + x] = inside ? 255 : 0
      }
    }
    const tagged = await sharp(pixels, { raw: { ...stored, channels: 1 } })
      .withMetadata({ orientation: n })
      .png()
      .toBuffer()
    const { data, info } = await sharp(tagged).rotate().raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height]).toEqual([width, height])
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inside = x >= 4 && x < 14 && y >= 6 && y < 21
        expect(data[(y * width + x) * info.channels], `(${x}, ${y})`).toBe(inside ? 255 : 0)
      }
    }
  })
})

describe(redact, () => {
  const run = (
    image: RgbaImage,
    style: 'blur' | 'pixelate',
    regions: RedactionRegion[],
    context: { orientation?: number; upright?: boolean } = {},
  ) => runOperation(cv, redact, image, { op: 'redact', style, regions }, context)

  it('blurs the face beyond recognition and leaves every other pixel as it was', () => {
    const out = run(photo, 'blur', [face])
    const rect = covered(face)
    expect(sameOutside(out, photo, [rect])).toBe(true)
    const [before, after] = [cropImage(photo, rect), cropImage(out, rect)]
    // The fine detail of eyes, mouth and hair is gone: the Laplacian variance falls about 2000×.
    expect(laplacianVariance(after)).toBeLessThan(laplacianVariance(before) / 200)
    expect(meanAbsDiff(after, before)).toBeGreaterThan(10)
  })

  it('pixelates the face into about 8 blocks across, leaving the rest as it was', () => {
    const out = run(photo, 'pixelate', [face])
    const rect = covered(face)
    expect(sameOutside(out, photo, [rect])).toBe(true)
    const after = cropImage(out, rect)
    // 57×65 px in blocks of about 8 px: 7 × 8 blocks, at most 56 colours, where the photo has
    // thousands.
    expect(distinctColours(cropImage(photo, rect))).toBeGreaterThan(1000)
    expect(distinctColours(after)).toBeLessThanOrEqual(56)
    expect(distinctColours(after)).toBeGreaterThan(30)
    expect(meanAbsDiff(after, cropImage(photo, rect))).toBeGreaterThan(10)
  })

  it('leaves disabled regions untouched', () => {
    const out = run(photo, 'blur', [face, { ...flag, enabled: false }])
    expect(sameOutside(out, photo, [covered(face)])).toBe(true)
    expect(
      maxAbsDiff(cropImage(out, covered(face)), cropImage(photo, covered(face))),
    ).toBeGreaterThan(0)
  })

  it('returns its source when no region is enabled', () => {
    const src = cv.matFromImageData(photo as ImageData)
    try {
      const context = { cv, scale: 1, orientation: 1, upright: true }
      const operation = {
        op: 'redact' as const,
        style: 'blur' as const,
        regions: [{ ...face, enabled: false }],
      }
      expect(redact(src, operation, context)).toBe(src)
    } finally {
      src.delete()
    }
  })

  it('redacts several regions, each in place', () => {
    const out = run(photo, 'pixelate', [face, flag])
    expect(sameOutside(out, photo, [covered(face), covered(flag)])).toBe(true)
    for (const region of [face, flag]) {
      const rect = covered(region)
      expect(meanAbsDiff(cropImage(out, rect), cropImage(photo, rect))).toBeGreaterThan(5)
    }
  })

  /** Orientation 6: the camera stored the photo turned 90° anticlockwise. */
  const storedTurned = () => fromSharp(toSharp(photo).rotate(-90))

  it.each(['blur', 'pixelate'] as const)(
    '%s lands on the face in stored pixels that auto-orient has not turned yet',
    async (style) => {
      const out = run(await storedTurned(), style, [face], { orientation: 6, upright: false })
      const upright = await fromSharp(toSharp(out).rotate(90))
      const rect = covered(face)
      expect(sameOutside(upright, photo, [rect])).toBe(true)
      expect(meanAbsDiff(cropImage(upright, rect), cropImage(photo, rect))).toBeGreaterThan(10)
    },
  )

  it('blurs stored pixels as it blurs upright ones', async () => {
    const out = run(await storedTurned(), 'blur', [face], { orientation: 6, upright: false })
    const upright = await fromSharp(toSharp(out).rotate(90))
    // Up to rounding in the separable filter, which runs rows first in either frame.
    expect(maxAbsDiff(upright, run(photo, 'blur', [face]))).toBeLessThanOrEqual(1)
  })
})
