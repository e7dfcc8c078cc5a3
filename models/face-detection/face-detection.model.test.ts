import { fixture, loadImage } from '../_testing/load-image'
import { createNodeContext } from '../_testing/node-context'
import type { TaskContext } from '../types'
import task from '.'
import { manifest, scoreFloor, type Options } from './manifest'
import type { Face, KeypointName } from './postprocess'

let ctx: TaskContext
beforeAll(async () => {
  ctx = await createNodeContext(manifest)
})

async function detect(name: string, options: Partial<Options> = {}): Promise<Face[]> {
  const image = await loadImage(fixture(name))
  return (await task.analyze(image, { ...manifest.defaultOptions, ...options }, ctx)).faces
}
/** What the UI shows at the default confidence threshold. */
const shown = (faces: Face[]) => faces.filter((f) => f.score >= manifest.defaultOptions.minScore)
const at = (face: Face, name: KeypointName) => face.keypoints.find((k) => k.name === name)!
const isInside = (face: Face, x: number, y: number) =>
  x >= face.box.x &&
  x <= face.box.x + face.box.width &&
  y >= face.box.y &&
  y <= face.box.y + face.box.height

describe('face detection on photos', () => {
  it('finds the one face in astronaut.jpg, upper middle, with its keypoints in place', async () => {
    const faces = shown(await detect('astronaut.jpg', { mesh: false }))
    expect(faces).toHaveLength(1)
    const [face] = faces as [Face]
    expect(face.score).toBeGreaterThan(0.8)
    const { x, y, width, height } = face.box
    // 512×512 photo; her face is about a fifth of the width, above the middle.
    expect(x + width / 2).toBeGreaterThan(512 * 0.3)
    expect(x + width / 2).toBeLessThan(512 * 0.6)
    expect(y + height / 2).toBeGreaterThan(512 * 0.1)
    expect(y + height / 2).toBeLessThan(512 * 0.4)
    expect(width).toBeGreaterThan(60)
    expect(width).toBeLessThan(180)
    for (const k of face.keypoints) expect(isInside(face, k.x, k.y), k.name).toBe(true)
    expect(at(face, 'rightEye').y).toBeLessThan(at(face, 'mouthCenter').y)
    expect(at(face, 'leftEye').y).toBeLessThan(at(face, 'mouthCenter').y)
    // The subject's right eye is on the image's left.
    expect(at(face, 'rightEye').x).toBeLessThan(at(face, 'leftEye').x)
    expect(face.mesh).toBeUndefined()
  })

  it('finds a face among the footballers in messi5.jpg', async () => {
    expect(shown(await detect('messi5.jpg', { mesh: false })).length).toBeGreaterThanOrEqual(1)
  })

  it('shows no face in horses.jpg or dog.jpg at the default threshold', async () => {
    expect(shown(await detect('horses.jpg', { mesh: false }))).toEqual([])
    expect(shown(await detect('dog.jpg', { mesh: false }))).toEqual([])
  })

  it('keeps weaker candidates down to the score floor for the confidence slider', async () => {
    // The dog's face scores about 0.65: kept, but hidden at the default 0.75.
    const faces = await detect('dog.jpg', { mesh: false })
    expect(faces.length).toBeGreaterThan(0)
    for (const face of faces) expect(face.score).toBeGreaterThanOrEqual(scoreFloor)
  })
})

describe('face mesh on photos', () => {
  it('fits 468 points to the astronaut, inside her face box, eyes on the detector eyes', async () => {
    const [face] = shown(await detect('astronaut.jpg')) as [Face]
    const mesh = face.mesh!
    expect(mesh).toHaveLength(468 * 3)
    expect(face.meshScore).toBeGreaterThan(0.9)
    let inside = 0
    for (let i = 0; i < 468; i++) if (isInside(face, mesh[i * 3]!, mesh[i * 3 + 1]!)) inside++
    expect(inside / 468).toBeGreaterThan(0.9)
    // MediaPipe mesh indices: eye corners 33 and 133 (right eye), 362 and 263 (left eye), nose tip 1.
    const mean = (a: number, b: number): [number, number] => [
      (mesh[a * 3]! + mesh[b * 3]!) / 2,
      (mesh[a * 3 + 1]! + mesh[b * 3 + 1]!) / 2,
    ]
    const near = ([x, y]: [number, number], name: KeypointName) =>
      Math.hypot(x - at(face, name).x, y - at(face, name).y) / face.box.width
    expect(near(mean(33, 133), 'rightEye')).toBeLessThan(0.06)
    expect(near(mean(362, 263), 'leftEye')).toBeLessThan(0.06)
    expect(near(mean(1, 1), 'noseTip')).toBeLessThan(0.08)
  })

  it('gives a low presence score where the detector mistakes a cat for a face', async () => {
    const faces = await detect('chelsea.png')
    expect(faces.length).toBeGreaterThan(0)
    for (const face of faces) expect(face.meshScore).toBeLessThan(0.1)
  })
})
