import type { Box } from '../_shared/boxes'
import { fixture, loadImage } from '../_testing/load-image'
import { createNodeContext } from '../_testing/node-context'
import type { RgbaImage, TaskContext } from '../types'
import task from '.'
import { manifest, scoreFloor } from './manifest'
import type { DetectedObject, Result } from './postprocess'

let ctx: TaskContext
const images: Record<string, RgbaImage> = {}
const results: Record<string, Result> = {}
const latencyMs: number[] = []

beforeAll(async () => {
  ctx = await createNodeContext(manifest)
  for (const name of ['dog.jpg', 'horses.jpg', 'astronaut.jpg', 'rocket.jpg']) {
    images[name] = await loadImage(fixture(name))
    results[name] = await task.analyze(images[name], manifest.defaultOptions, ctx)
  }
  // Warm now: time a few more runs of the whole analysis (letterbox, model, decode, NMS).
  for (let i = 0; i < 3; i++) {
    const start = performance.now()
    await task.analyze(images['dog.jpg']!, manifest.defaultOptions, ctx)
    latencyMs.push(performance.now() - start)
  }
})

afterAll(() => {
  const sorted = [...latencyMs].sort((a, b) => a - b)
  console.warn(
    `object-detection latency (onnxruntime-node): analyze dog.jpg median ` +
      `${sorted[sorted.length >> 1]!.toFixed(0)} ms over ${sorted.length} warm runs`,
  )
})

/** What the UI shows at the default confidence threshold. */
const shown = (name: string, label: string) =>
  results[name]!.objects.filter(
    (o) => o.label === label && o.score >= manifest.defaultOptions.minScore,
  )
const centre = (box: Box) => [box.x + box.width / 2, box.y + box.height / 2] as const
const contains = (outer: Box, inner: Box) =>
  inner.x >= outer.x - 2 &&
  inner.y >= outer.y - 2 &&
  inner.x + inner.width <= outer.x + outer.width + 2 &&
  inner.y + inner.height <= outer.y + outer.height + 2

describe('object detection on photos', () => {
  it('finds the dog in the lower left of dog.jpg', () => {
    const [dog, ...more] = shown('dog.jpg', 'dog') as [DetectedObject]
    expect(more).toEqual([])
    // 768×576: the dog sits left of centre, from the middle to the bottom.
    const [cx, cy] = centre(dog.box)
    expect(cx).toBeLessThan(768 / 2)
    expect(cy).toBeGreaterThan(576 / 2)
    expect(dog.box.height).toBeGreaterThan(576 * 0.4)
    expect(dog.box.y + dog.box.height).toBeGreaterThan(576 * 0.85)
  })

  it('finds the bicycle across the middle of dog.jpg and the vehicle at the top right', () => {
    const [bicycle] = shown('dog.jpg', 'bicycle') as [DetectedObject]
    expect(bicycle).toBeDefined()
    expect(bicycle.box.width).toBeGreaterThan(768 * 0.45)
    expect(centre(bicycle.box)[1]).toBeGreaterThan(576 * 0.3)
    expect(centre(bicycle.box)[1]).toBeLessThan(576 * 0.65)
    // A pickup truck: the model calls it car (≈ 0.52) ahead of truck (≈ 0.37).
    const vehicles = [...shown('dog.jpg', 'car'), ...shown('dog.jpg', 'truck')]
    expect(vehicles.length).toBeGreaterThanOrEqual(1)
    const [vx, vy] = centre(vehicles[0]!.box)
    expect(vx).toBeGreaterThan(768 * 0.55)
    expect(vy).toBeLessThan(576 * 0.35)
  })

  it('tags dog.jpg with dog, bicycle and car, best first', () => {
    expect(results['dog.jpg']!.tags).toEqual(['dog', 'bicycle', 'car'])
  })

  it('finds at least two horses in horses.jpg, in the lower half', () => {
    const horses = shown('horses.jpg', 'horse')
    expect(horses.length).toBeGreaterThanOrEqual(2)
    for (const horse of horses) expect(centre(horse.box)[1]).toBeGreaterThan(512 * 0.4)
    expect(results['horses.jpg']!.tags).toContain('horse')
  })

  it('finds the astronaut as one person box over most of astronaut.jpg', () => {
    const people = shown('astronaut.jpg', 'person')
    expect(people).toHaveLength(1)
    // Her face (about x 170–290, y 40–180 of 512×512) lies inside the box.
    expect(contains(people[0]!.box, { x: 170, y: 40, width: 120, height: 140 })).toBe(true)
    expect(results['astronaut.jpg']!.tags).toEqual(['person'])
  })

  it('shows nothing on rocket.jpg (no COCO object) and keeps every candidate above the floor', () => {
    const { objects, tags } = results['rocket.jpg']!
    expect(objects.filter((o) => o.score >= manifest.defaultOptions.minScore)).toEqual([])
    expect(tags).toEqual([])
    for (const name of Object.keys(results)) {
      for (const o of results[name]!.objects) expect(o.score).toBeGreaterThanOrEqual(scoreFloor)
    }
  })

  it('keeps boxes inside the image, rounded to 0.1 px', () => {
    for (const [name, { objects }] of Object.entries(results)) {
      const { width, height } = images[name]!
      for (const { box } of objects) {
        expect(box.x).toBeGreaterThanOrEqual(0)
        expect(box.y).toBeGreaterThanOrEqual(0)
        expect(box.x + box.width).toBeLessThanOrEqual(width + 0.1)
        expect(box.y + box.height).toBeLessThanOrEqual(height + 0.1)
        expect(Math.round(box.x * 10)).toBeCloseTo(box.x * 10, 6)
      }
    }
  })
})
