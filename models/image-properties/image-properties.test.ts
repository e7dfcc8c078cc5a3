import sharp from 'sharp'
import { fixture, loadImage } from '../_testing/load-image'
import type { RgbaImage, TaskContext } from '../types'
import task from '.'
import { isNearDuplicate, hammingDistance } from './phash'

// Model-free: analyze never touches the context.
const ctx: TaskContext = {
  run: () => Promise.reject(new Error('image-properties runs no model')),
  text: () => Promise.reject(new Error('image-properties reads no file')),
}
const analyze = (image: RgbaImage, colourCount = 5) => task.analyze(image, { colourCount }, ctx)

/** Decodes a sharp pipeline (a derived copy of a fixture) as loadImage does. */
async function decode(pipeline: sharp.Sharp): Promise<RgbaImage> {
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  }
}

function expectFinite(value: unknown, path = 'result'): void {
  if (typeof value === 'number') expect(Number.isFinite(value), path).toBe(true)
  else if (Array.isArray(value)) value.forEach((v, i) => expectFinite(v, `${path}[${i}]`))
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) expectFinite(v, `${path}.${key}`)
  }
}

const photos = [
  'astronaut.jpg',
  'butterfly.jpg',
  'camera.png',
  'chelsea.png',
  'dog.jpg',
  'fruits.jpg',
  'horses.jpg',
  'messi5.jpg',
  'page.png',
  'portrait.jpg',
  'rocket.jpg',
  'squirrel.jpg',
  'text.png',
]

describe('image-properties on fixture photos', () => {
  it.each(photos)('%s: every number is finite and the result survives JSON', async (name) => {
    const image = await loadImage(fixture(name))
    const result = await analyze(image)
    expectFinite(result)
    expect(JSON.parse(JSON.stringify(result))).toEqual(result)
    expect([result.width, result.height]).toEqual([image.width, image.height])
    expect(result.colours.length).toBeGreaterThan(0)
    expect(result.colours.reduce((sum, c) => sum + c.share, 0)).toBeCloseTo(1, 3)
    expect(result.exposure.verdict).toBe('ok')
    expect(result.sharpness.blurry).toBe(false)
  })

  it('scores a Gaussian-blurred fruits.jpg far less sharp, and only it blurry', async () => {
    const sharpOne = await analyze(await loadImage(fixture('fruits.jpg')))
    const blurred = await analyze(await decode(sharp(fixture('fruits.jpg')).blur(3)))
    expect(blurred.sharpness.score).toBeLessThan(sharpOne.sharpness.score / 10)
    expect(sharpOne.sharpness.blurry).toBe(false)
    expect(blurred.sharpness.blurry).toBe(true)
    expect(blurred.noise.sigma).toBeLessThan(sharpOne.noise.sigma)
  })

  it('finds rocket.jpg resized and re-encoded a near duplicate, and chelsea.png not', async () => {
    const original = await analyze(await loadImage(fixture('rocket.jpg')))
    const copy = await analyze(
      await decode(
        sharp(await sharp(fixture('rocket.jpg')).resize(320).jpeg({ quality: 70 }).toBuffer()),
      ),
    )
    const cat = await analyze(await loadImage(fixture('chelsea.png')))
    expect(copy.width).toBe(320)
    expect(isNearDuplicate(original.phash, copy.phash)).toBe(true)
    expect(hammingDistance(original.phash, copy.phash)).toBeLessThanOrEqual(4)
    expect(isNearDuplicate(original.phash, cat.phash)).toBe(false)
  })

  it('calls a darkened copy under-exposed and a brightened one over-exposed', async () => {
    const dark = await analyze(await decode(sharp(fixture('fruits.jpg')).linear(0.2)))
    const bright = await analyze(await decode(sharp(fixture('dog.jpg')).linear(2)))
    expect(dark.exposure.verdict).toBe('under')
    expect(dark.brightness).toBeLessThan(0.1)
    expect(bright.exposure.verdict).toBe('over')
    expect(bright.exposure.highlightsClipped).toBeGreaterThan(0.3)
  })

  it('gives the grey camera.png dominant colours without chroma', async () => {
    const { colours } = await analyze(await loadImage(fixture('camera.png')))
    for (const { lab, rgb } of colours) {
      expect(Math.hypot(lab[1], lab[2])).toBeLessThan(0.5)
      expect(new Set(rgb).size).toBe(1)
    }
  })

  it('names the warm colours of chelsea.png', async () => {
    const { colours } = await analyze(await loadImage(fixture('chelsea.png')))
    for (const { lab } of colours) {
      // Tabby fur: orange-brown hues, a* and b* both positive.
      expect(lab[1]).toBeGreaterThan(0)
      expect(lab[2]).toBeGreaterThan(0)
    }
  })
})

describe('image-properties input checks', () => {
  const solid = (width: number, height: number) => ({
    data: new Uint8ClampedArray(width * height * 4).fill(200),
    width,
    height,
  })

  it('rejects images smaller than 3×3 with UnsupportedInputError', async () => {
    await expect(analyze(solid(2, 5))).rejects.toMatchObject({
      name: 'UnsupportedInputError',
      message: expect.stringContaining('2×5'),
    })
  })

  it('rejects a colourCount outside 1–16', async () => {
    await expect(analyze(solid(8, 8), 0)).rejects.toThrow(/colourCount .* got 0/)
    await expect(analyze(solid(8, 8), 2.5)).rejects.toThrow(RangeError)
  })

  it('measures a flat image as one colour, no contrast, no sharpness and no noise', async () => {
    const result = await analyze(solid(30, 20))
    expect(result.colours).toEqual([
      { hex: '#c8c8c8', rgb: [200, 200, 200], lab: [80.6, 0, 0], share: 1, name: 'silver' },
    ])
    expect(result.contrast).toBe(0)
    expect(result.sharpness).toEqual({ score: 0, blurry: true })
    expect(result.noise.sigma).toBe(0)
    expect(result.aspectRatio).toBe(1.5)
    expect(result.megapixels).toBe(0.001)
  })
})
