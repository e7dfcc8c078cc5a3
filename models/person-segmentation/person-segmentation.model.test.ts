import { fixture, loadImage } from '../_testing/load-image'
import { createNodeContext } from '../_testing/node-context'
import type { RgbaImage, TaskContext } from '../types'
import task from '.'
import { blurBackground, cutout } from './compose'
import { manifest } from './manifest'
import type { Result } from './postprocess'

let ctx: TaskContext
const images: Record<string, RgbaImage> = {}
const results: Record<string, Result> = {}
const latencyMs: number[] = []

beforeAll(async () => {
  ctx = await createNodeContext(manifest)
  for (const name of ['astronaut.jpg', 'dog.jpg', 'horses.jpg', 'rocket.jpg']) {
    images[name] = await loadImage(fixture(name))
    results[name] = await task.analyze(images[name], manifest.defaultOptions, ctx)
  }
  for (let i = 0; i < 3; i++) {
    const start = performance.now()
    await task.analyze(images['astronaut.jpg']!, manifest.defaultOptions, ctx)
    latencyMs.push(performance.now() - start)
  }
})

afterAll(() => {
  const sorted = [...latencyMs].sort((a, b) => a - b)
  console.warn(
    `person-segmentation latency (onnxruntime-node): analyze astronaut.jpg median ` +
      `${sorted[sorted.length >> 1]!.toFixed(0)} ms over ${sorted.length} warm runs`,
  )
})

describe('person segmentation on photos', () => {
  it('covers the astronaut: between 15 % and 90 % of the image, her face inside the box', () => {
    const { coverage, box, mask } = results['astronaut.jpg']!
    expect(coverage).toBeGreaterThan(0.15)
    expect(coverage).toBeLessThan(0.9)
    expect(mask.width * mask.height).toBe(mask.data.length)
    // Her face: about x 170–290, y 40–180 of 512×512.
    expect(box).toBeDefined()
    expect(box!.x).toBeLessThanOrEqual(170)
    expect(box!.y).toBeLessThanOrEqual(40)
    expect(box!.x + box!.width).toBeGreaterThanOrEqual(290)
    expect(box!.y + box!.height).toBeGreaterThanOrEqual(180)
  })

  it('marks her face as person and the sky-blue corner above the flag as background', () => {
    const { mask } = results['astronaut.jpg']!
    const at = (x: number, y: number) => mask.data[Math.floor(y / 2) * 256 + Math.floor(x / 2)]!
    expect(at(230, 110)).toBeGreaterThan(200)
    expect(at(480, 20)).toBeLessThan(50)
  })

  it('gives low coverage on photos without people', () => {
    // Selfie flags part of the sitting dog (about 8 %) and of the white horse (about 2 %).
    expect(results['dog.jpg']!.coverage).toBeLessThan(0.15)
    expect(results['horses.jpg']!.coverage).toBeLessThan(0.05)
    expect(results['rocket.jpg']!.coverage).toBe(0)
    expect(results['rocket.jpg']!.box).toBeUndefined()
  })

  it('cuts out and blurs around the astronaut', () => {
    const image = images['astronaut.jpg']!
    const { mask } = results['astronaut.jpg']!
    const cut = cutout(image, mask)
    const alpha = (x: number, y: number) => cut.data[(y * 512 + x) * 4 + 3]
    expect(alpha(230, 110)).toBe(255)
    expect(alpha(480, 20)).toBe(0)
    const blurred = blurBackground(image, mask, 8)
    const face = (110 * 512 + 230) * 4
    expect([...blurred.data.subarray(face, face + 4)]).toEqual([
      ...image.data.subarray(face, face + 4),
    ])
    // Most background pixels (the flag, the shuttle, the helmet's edge) change.
    let background = 0
    let changed = 0
    for (let i = 0; i < 512 * 512; i++) {
      if (cut.data[i * 4 + 3] !== 0) continue
      background++
      if (Math.abs(blurred.data[i * 4]! - image.data[i * 4]!) > 2) changed++
    }
    expect(changed / background).toBeGreaterThan(0.3)
  })
})
