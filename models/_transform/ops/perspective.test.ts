import sharp from 'sharp'
import type { Mat, OpenCv } from '../../_shared/opencv'
import { fixture, loadImage } from '../../_testing/load-image'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import type { Point } from '../recipe'
import { perspective, perspectiveSize } from './perspective'

type Corners = [Point, Point, Point, Point]

let cv: OpenCv
beforeAll(async () => {
  cv = (await loadOpenCv()).cv
})

const context = () => ({ cv, scale: 1, orientation: 1, upright: true })

function run(image: RgbaImage, corners: Corners): RgbaImage {
  const src = cv.matFromImageData(image as ImageData)
  let out: Mat | undefined
  try {
    out = perspective(src, { op: 'perspective', corners }, context())
    return { data: new Uint8ClampedArray(out.data), width: out.cols, height: out.rows }
  } finally {
    if (out !== src) out?.delete()
    src.delete()
  }
}

/** Mean absolute RGB difference, leaving out `margin` px along each border. */
function meanDifference(a: RgbaImage, b: RgbaImage, margin: number): number {
  let sum = 0
  let count = 0
  for (let y = margin; y < a.height - margin; y++) {
    for (let x = margin; x < a.width - margin; x++) {
      const i = (y * a.width + x) * 4
      for (let c = 0; c < 3; c++) sum += Math.abs(a.data[i + c]! - b.data[i + c]!)
      count += 3
    }
  }
  return sum / count
}

describe(perspective, () => {
  it('returns the image unchanged when the corners are the full frame', async () => {
    const photo = await loadImage(fixture('fruits.jpg'))
    const before = new Uint8ClampedArray(photo.data)
    const out = run(photo, [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ])
    expect([out.width, out.height]).toEqual([photo.width, photo.height])
    let worst = 0
    for (let i = 0; i < out.data.length; i++) {
      worst = Math.max(worst, Math.abs(out.data[i]! - photo.data[i]!))
    }
    expect(worst).toBeLessThanOrEqual(1)
    expect(Buffer.compare(Buffer.from(photo.data), Buffer.from(before))).toBe(0)
  })

  it('recovers a photo that was warped onto a quadrilateral', async () => {
    // Blurred so that what is compared is where pixels land, not how much two bilinear
    // resamplings soften fine detail.
    const photo = await blurred(fixture('butterfly.jpg'), 1.5)
    const { width, height } = photo
    // A canvas with the photo warped onto a quadrilateral whose longer top edge and longer left
    // edge keep the photo's width and height, so the rectified output has the photo's size.
    const canvas = { width: 640, height: 520 }
    const quad: [number, number][] = [
      [60, 50],
      [60 + width, 50],
      [535, 395],
      [60, 50 + height],
    ]
    const warped = warp(photo, quad, canvas)
    const corners = quad.map(([x, y]) => [x / canvas.width, y / canvas.height]) as Corners
    const out = run(warped, corners)
    expect([out.width, out.height]).toEqual([width, height])
    // Measured 0.97; landing half a pixel off gives 4.5.
    expect(meanDifference(out, photo, 8)).toBeLessThan(2)
  })
})

describe(perspectiveSize, () => {
  it('takes the longer of the opposite edges, in the current image’s pixels', () => {
    const corners: Corners = [
      [0.1, 0.1],
      [0.9, 0.1],
      [0.7, 0.9],
      [0.2, 0.8],
    ]
    // Top: 800 px; bottom: hypot(500, 50) = 502.5. Left: hypot(100, 350) = 364.0; right:
    // hypot(200, 400) = 447.2.
    expect(perspectiveSize(corners, 1000, 500)).toEqual({ width: 800, height: 447 })
  })

  it('gives at least one pixel each way when the corners collapse', () => {
    const point: Point = [0.5, 0.5]
    expect(perspectiveSize([point, point, point, point], 100, 100)).toEqual({
      width: 1,
      height: 1,
    })
  })
})

/**
 * Warps `photo` so its outer edges land on `quad` (px from the canvas's top-left edge), on a
 * grey canvas, independently of the operation: straight from pixel-centre coordinates.
 */
function warp(
  photo: RgbaImage,
  quad: [number, number][],
  canvas: { width: number; height: number },
): RgbaImage {
  const { width: w, height: h } = photo
  const from = [-0.5, -0.5, w - 0.5, -0.5, w - 0.5, h - 0.5, -0.5, h - 0.5]
  const to = quad.flatMap(([x, y]) => [x - 0.5, y - 0.5])
  const src = cv.matFromImageData(photo as ImageData)
  const fromMat = cv.matFromArray(4, 1, cv.CV_32FC2, from)
  const toMat = cv.matFromArray(4, 1, cv.CV_32FC2, to)
  const transform = cv.getPerspectiveTransform(fromMat, toMat)
  const out = new cv.Mat()
  try {
    cv.warpPerspective(
      src,
      out,
      transform,
      new cv.Size(canvas.width, canvas.height),
      cv.INTER_LINEAR,
      cv.BORDER_CONSTANT,
      new cv.Scalar(128, 128, 128, 255),
    )
    return { data: new Uint8ClampedArray(out.data), width: out.cols, height: out.rows }
  } finally {
    for (const mat of [src, fromMat, toMat, transform, out]) mat.delete()
  }
}

async function blurred(path: string, sigma: number): Promise<RgbaImage> {
  const { data, info } = await sharp(path)
    .blur(sigma)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  }
}
