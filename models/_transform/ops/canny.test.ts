import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { canny } from './canny'
import {
  gradientMagnitude,
  isBinary,
  isOpaque,
  leaksMemory,
  loadPhoto,
  runOperation,
} from './test-helpers'

let cv: OpenCv
let photo: RgbaImage
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
  photo = await loadPhoto('fruits.jpg', 384)
})

const edgesOf = (low: number, high: number) =>
  runOperation(cv, canny, photo, { op: 'canny', low, high })

const isEdge = (image: RgbaImage, i: number) => image.data[i * 4] === 255

describe(canny, () => {
  it('draws white edges on black with alpha 255', () => {
    const edges = edgesOf(50, 150)
    expect(isBinary(edges)).toBe(true)
    expect(isOpaque(edges)).toBe(true)
    expect([edges.width, edges.height]).toEqual([photo.width, photo.height])
  })

  it('puts edges where the photo has strong gradients', () => {
    const edges = edgesOf(50, 150)
    const gradient = gradientMagnitude(photo)
    let onEdges = 0
    let count = 0
    let overall = 0
    gradient.forEach((g, i) => {
      overall += g
      if (isEdge(edges, i)) {
        onEdges += g
        count++
      }
    })
    expect(count / gradient.length).toBeGreaterThan(0.02)
    expect(onEdges / count).toBeGreaterThan((2.5 * overall) / gradient.length)

    // Nearly every pixel of the steepest gradients has an edge within a pixel.
    const { width } = photo
    const steep = [...gradient.keys()].filter((i) => gradient[i]! > 40)
    const near = steep.filter((i) =>
      [-width - 1, -width, -width + 1, -1, 0, 1, width - 1, width, width + 1].some((d) =>
        isEdge(edges, i + d),
      ),
    )
    expect(steep.length).toBeGreaterThan(500)
    expect(near.length / steep.length).toBeGreaterThan(0.98)
  })

  it('finds more edges with lower thresholds, keeping every edge it found before', () => {
    const strict = edgesOf(100, 250)
    const normal = edgesOf(50, 150)
    const loose = edgesOf(20, 60)
    const count = (image: RgbaImage) => image.data.filter((v, i) => i % 4 === 0 && v === 255).length
    expect(count(normal)).toBeGreaterThan(count(strict) * 1.5)
    expect(count(loose)).toBeGreaterThan(count(normal) * 1.5)
    for (let i = 0; i < photo.width * photo.height; i++) {
      if (isEdge(strict, i) && !isEdge(normal, i)) throw new Error(`Edge lost at pixel ${i}`)
      if (isEdge(normal, i) && !isEdge(loose, i)) throw new Error(`Edge lost at pixel ${i}`)
    }
  })

  it('frees the Mats it allocates', () => {
    expect(
      leaksMemory(cv, () => runOperation(cv, canny, photo, { op: 'canny', low: 50, high: 150 })),
    ).toBe(false)
  })
})
