import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { rotate } from './rotate'
import {
  fromSharp,
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
  photo = await loadPhoto('butterfly.jpg', 200) // 200×144
})

const turn = (degrees: number, fill: 'black' | 'white' = 'black') =>
  runOperation(cv, rotate, photo, { op: 'rotate', degrees, fill })

/**
 * libvips' bilinear rotation about the image centre, on the canvas vips_rotate would give.
 * vips_rotate itself places the turned image by its rounded bounding-box corner (pixel
 * corners at integers), up to about a pixel away from a rotation about the centre, so we
 * ask vips_affine for the same rotation with the centre at the canvas centre instead.
 */
async function libvipsAboutCentre(degrees: number, background: string): Promise<RgbaImage> {
  const radians = (degrees * Math.PI) / 180
  const [cos, sin] = [Math.cos(radians), Math.sin(radians)]
  const { width: w, height: h } = photo
  const corners = [
    [0, 0],
    [w, 0],
    [0, h],
    [w, h],
  ].map(([x, y]) => [cos * x! - sin * y!, sin * x! + cos * y!] as const)
  const xs = corners.map(([x]) => x)
  const ys = corners.map(([, y]) => y)
  // vips_affine's output area: the corners' bounding box, rounded to nearest; odx and ody then
  // move the image inside it.
  const [left, top] = [Math.round(Math.min(...xs)), Math.round(Math.min(...ys))]
  const width = Math.round(Math.max(...xs) - Math.min(...xs))
  const height = Math.round(Math.max(...ys) - Math.min(...ys))
  const [cx, cy] = [(w - 1) / 2, (h - 1) / 2]
  return fromSharp(
    toSharp(photo).affine(
      [
        [cos, -sin],
        [sin, cos],
      ],
      {
        background,
        odx: (width - 1) / 2 - (cos * cx - sin * cy) + left,
        ody: (height - 1) / 2 - (sin * cx + cos * cy) + top,
      },
    ),
  )
}

describe(rotate, () => {
  it.each([90, 180, 270, -90, -270])('turns %i° exactly as sharp does', async (degrees) => {
    const out = turn(degrees)
    const expected = await fromSharp(toSharp(photo).rotate(degrees))
    expect([out.width, out.height]).toEqual([expected.width, expected.height])
    expect(maxAbsDiff(out, expected)).toBe(0)
  })

  it.each([0, 360, -360])('returns the image unchanged for %i°', (degrees) => {
    expect(maxAbsDiff(turn(degrees), photo)).toBe(0)
  })

  // Both sample bilinearly, rounding differently (libvips in fixed point): here a mean of
  // 0.1–0.3 and a max of 4 levels, new corners and edges included. A rotation about a centre
  // half a pixel off gives a mean over 5 on this photo.
  it.each([30, 45, -17.5, 100, 1])(
    'turns %f° clockwise onto a canvas that fits, as libvips does',
    async (degrees) => {
      const out = turn(degrees, 'white')
      const sharpRotate = await fromSharp(toSharp(photo).rotate(degrees, { background: '#fff' }))
      expect(Math.abs(out.width - sharpRotate.width)).toBeLessThanOrEqual(1)
      expect(Math.abs(out.height - sharpRotate.height)).toBeLessThanOrEqual(1)

      const expected = await libvipsAboutCentre(degrees, '#fff')
      expect([expected.width, expected.height]).toEqual([out.width, out.height])
      expect(meanAbsDiff(out, expected)).toBeLessThan(0.5)
      expect(maxAbsDiff(out, expected)).toBeLessThanOrEqual(6)
    },
  )

  it('fills the new corners with the chosen colour, opaque', () => {
    for (const [fill, value] of [
      ['black', 0],
      ['white', 255],
    ] as const) {
      const out = turn(30, fill)
      expect(isOpaque(out)).toBe(true)
      expect([...out.data.subarray(0, 3)]).toEqual([value, value, value])
      const last = out.data.length - 4
      expect([...out.data.subarray(last, last + 3)]).toEqual([value, value, value])
    }
  })
})
