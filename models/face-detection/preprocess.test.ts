import type { RgbaImage } from '../types'
import { postprocessMesh } from './postprocess'
import {
  cropToImage,
  meshCrop,
  meshSize,
  preprocess,
  preprocessMesh,
  type Crop,
} from './preprocess'

/** An RGBA image filled by `colour(x, y)` → [r, g, b]. */
function makeImage(
  width: number,
  height: number,
  colour: (x: number, y: number) => [number, number, number],
): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([...colour(x, y), 255], (y * width + x) * 4)
  }
  return { data, width, height }
}

describe(preprocess, () => {
  it('letterboxes to 256×256 NHWC scaled to −1…1 and records the mapping', () => {
    const { feeds, meta } = preprocess(makeImage(512, 256, () => [255, 0, 255]))
    const input = feeds['input:0']!
    expect(input.dims).toEqual([1, 256, 256, 3])
    expect(meta).toEqual({ scale: 0.5, padX: 0, padY: 64 })
    const pixel = (x: number, y: number) =>
      Array.from(input.data.slice((y * 256 + x) * 3, (y * 256 + x) * 3 + 3))
    expect(pixel(10, 128)).toEqual([1, -1, 1])
    expect(pixel(10, 10)).toEqual([-1, -1, -1])
  })
})

describe(meshCrop, () => {
  it('centres a square 1.5× the longer box side on the box', () => {
    const crop = meshCrop(
      { x: 100, y: 50, width: 40, height: 60 },
      { x: 110, y: 70 },
      { x: 130, y: 70 },
    )
    expect(crop).toEqual({ centerX: 120, centerY: 80, size: 90, angle: 0 })
  })

  it('turns the crop by the angle of the line from the right eye to the left eye', () => {
    const box = { x: 0, y: 0, width: 10, height: 10 }
    expect(meshCrop(box, { x: 5, y: 0 }, { x: 5, y: 10 }).angle).toBeCloseTo(Math.PI / 2)
    expect(meshCrop(box, { x: 0, y: 0 }, { x: 10, y: -10 }).angle).toBeCloseTo(-Math.PI / 4)
  })
})

describe(cropToImage, () => {
  it('maps the crop centre to the crop centre and corners by the crop scale', () => {
    const crop: Crop = { centerX: 50, centerY: 40, size: 20, angle: 0 }
    expect(cropToImage(crop, 192, 96, 96)).toEqual([50, 40])
    expect(cropToImage(crop, 192, 0, 0)).toEqual([40, 30])
  })
})

describe(preprocessMesh, () => {
  // Left half red, right half blue.
  const halves = makeImage(200, 100, (x) => (x < 100 ? [255, 0, 0] : [0, 0, 255]))
  const rgbAt = (data: ArrayLike<number>, n: number, u: number, v: number) => {
    const o = n * meshSize * meshSize * 3 + (v * meshSize + u) * 3
    return [data[o]!, data[o + 1]!, data[o + 2]!].map((c) => Math.round(c * 100) / 100)
  }

  it('samples a batch of upright and turned crops as f32[N,192,192,3] in 0–1', () => {
    const upright: Crop = { centerX: 100, centerY: 50, size: 80, angle: 0 }
    const halfTurn: Crop = { ...upright, angle: Math.PI }
    const { data, dims } = preprocessMesh(halves, [upright, halfTurn])
    expect(dims).toEqual([2, 192, 192, 3])
    expect(rgbAt(data, 0, 20, 96)).toEqual([1, 0, 0])
    expect(rgbAt(data, 0, 170, 96)).toEqual([0, 0, 1])
    expect(rgbAt(data, 1, 20, 96)).toEqual([0, 0, 1])
    expect(rgbAt(data, 1, 170, 96)).toEqual([1, 0, 0])
  })

  it('fills the part of a crop outside the image with black', () => {
    const { data } = preprocessMesh(halves, [{ centerX: 10, centerY: 50, size: 80, angle: 0 }])
    expect(rgbAt(data, 0, 5, 96)).toEqual([0, 0, 0])
    expect(rgbAt(data, 0, 150, 96)).toEqual([1, 0, 0])
  })

  it('averages large crops instead of aliasing', () => {
    // One-pixel stripes, crop 4× the mesh input, centred so that one sample per output pixel
    // would land on a black pixel centre every time; averaging gives mid grey.
    const stripes = makeImage(800, 800, (x) => (x % 2 ? [255, 255, 255] : [0, 0, 0]))
    const { data } = preprocessMesh(stripes, [
      { centerX: 400.5, centerY: 400, size: 768, angle: 0 },
    ])
    for (const u of [50, 51, 52]) expect(rgbAt(data, 0, u, 50)[0]).toBeCloseTo(0.5, 2)
  })
})

describe('mesh crop round trip', () => {
  it('brings a point seen in a turned crop back to where it is in the image', () => {
    const spot = { x: 130, y: 70 }
    const image = makeImage(200, 160, (x, y) =>
      Math.hypot(x + 0.5 - spot.x, y + 0.5 - spot.y) < 2 ? [255, 255, 255] : [0, 0, 0],
    )
    const crop: Crop = { centerX: 110, centerY: 80, size: 96, angle: 0.6 }
    const { data } = preprocessMesh(image, [crop])
    // Where the spot lands in the crop: the brightness-weighted centroid, in crop pixels.
    let [sum, sumU, sumV] = [0, 0, 0]
    for (let v = 0; v < meshSize; v++) {
      for (let u = 0; u < meshSize; u++) {
        const value = data[(v * meshSize + u) * 3]!
        sum += value
        sumU += value * (u + 0.5)
        sumV += value * (v + 0.5)
      }
    }
    const mesh = new Float32Array(1404)
    mesh.set([sumU / sum, sumV / sum, 0])
    const [result] = postprocessMesh(
      {
        mesh: { data: mesh, dims: [1, 1404] },
        presence: { data: Float32Array.of(1), dims: [1, 1] },
      },
      [crop],
    )
    expect(Math.hypot(result!.mesh[0]! - spot.x, result!.mesh[1]! - spot.y)).toBeLessThan(0.3)
  })
})
