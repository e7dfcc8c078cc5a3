import sharp from 'sharp'
import type { OpenCv } from '../../_shared/opencv'
import { fixture } from '../../_testing/load-image'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { measureSkew } from './deskew'

let cv: OpenCv
beforeAll(async () => {
  cv = (await loadOpenCv()).cv
})

/**
 * `name` turned clockwise by `degrees` with sharp (white fill), then cropped to the largest
 * centred rectangle of the same shape that holds no fill: the fill's straight edges would
 * otherwise give the angle away.
 */
async function rotated(name: string, degrees: number): Promise<RgbaImage> {
  const { width = 0, height = 0 } = await sharp(fixture(name)).metadata()
  const radians = (Math.abs(degrees) * Math.PI) / 180
  const [cos, sin] = [Math.cos(radians), Math.sin(radians)]
  const fit = Math.min(width / (width * cos + height * sin), height / (width * sin + height * cos))
  const [w, h] = [Math.floor(width * fit) - 2, Math.floor(height * fit) - 2]
  const turned = await sharp(fixture(name))
    .rotate(degrees, { background: '#fff' })
    .png()
    .toBuffer({ resolveWithObject: true })
  const { data, info } = await sharp(turned.data)
    .extract({
      left: Math.floor((turned.info.width - w) / 2),
      top: Math.floor((turned.info.height - h) / 2),
      width: w,
      height: h,
    })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  }
}

describe(measureSkew, () => {
  it('measures the slight tilt of a photographed page', async () => {
    // page.png's text lines sit 1.45 px lower 260 px to the right (line centres at x = 60 and
    // 320: 74.0 → 75.4, 92.0 → 93.3, 109.0 → 110.6), a 0.32° clockwise tilt.
    const skew = measureSkew(cv, await rotated('page.png', 0))
    expect(Math.abs(skew - -0.32)).toBeLessThanOrEqual(0.25)
  })

  it('undoes a known rotation of a photographed page within 0.5°', async () => {
    const own = measureSkew(cv, await rotated('page.png', 0))
    for (const degrees of [-12, -5, -1, 2, 7, 14]) {
      const skew = measureSkew(cv, await rotated('page.png', degrees))
      expect(Math.abs(skew - (own - degrees)), `rotated ${degrees}°`).toBeLessThanOrEqual(0.5)
    }
  })

  it('measures 0 on rendered text, and undoes its rotation', async () => {
    expect(Math.abs(measureSkew(cv, await rotated('chinese-text.png', 0)))).toBeLessThanOrEqual(0.1)
    for (const degrees of [-4, 3]) {
      const skew = measureSkew(cv, await rotated('chinese-text.png', degrees))
      expect(Math.abs(skew + degrees), `rotated ${degrees}°`).toBeLessThanOrEqual(0.5)
    }
  })

  it('returns 0 for an image without ink', () => {
    const blank = { data: new Uint8ClampedArray(64 * 48 * 4).fill(255), width: 64, height: 48 }
    expect(measureSkew(cv, blank)).toBe(0)
  })
})
