import type { OpenCv } from '../../_shared/opencv'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import type { OperationOf } from '../recipe'
import { morphology } from './morphology'
import {
  fromSharp,
  inner,
  isOpaque,
  leaksMemory,
  loadPhoto,
  maxAbsDiff,
  runOperation,
  toSharp,
} from './test-helpers'

let cv: OpenCv
let photo: RgbaImage
let binary: RgbaImage
beforeAll(async () => {
  ;({ cv } = await loadOpenCv())
  photo = await loadPhoto('chelsea.png', 256)
  binary = await fromSharp(toSharp(await loadPhoto('camera.png', 256)).threshold(100))
})

type Kind = OperationOf<'morphology'>['kind']
const morph = (image: RgbaImage, kind: Kind, size: number, scale = 1) =>
  runOperation(cv, morphology, image, { op: 'morphology', kind, size }, { scale })

/** Top-left corners of `count` blocks of `side`×`side` pixels that are all `value`. */
function uniformBlocks(image: RgbaImage, value: number, side: number, count: number) {
  const found: { x: number; y: number }[] = []
  for (let y = 0; y + side <= image.height && found.length < count; y += side) {
    for (let x = 0; x + side <= image.width && found.length < count; x += side) {
      let uniform = true
      for (let dy = 0; dy < side && uniform; dy++) {
        for (let dx = 0; dx < side && uniform; dx++) {
          uniform = image.data[((y + dy) * image.width + x + dx) * 4] === value
        }
      }
      if (uniform) found.push({ x, y })
    }
  }
  return found
}

/** A copy of `image` with 2×2 squares of `value` at each block's centre. */
function withSquares(image: RgbaImage, blocks: { x: number; y: number }[], value: number) {
  const data = new Uint8ClampedArray(image.data)
  for (const { x, y } of blocks) {
    for (const [dx, dy] of [
      [3, 3],
      [4, 3],
      [3, 4],
      [4, 4],
    ] as const) {
      data.fill(
        value,
        ((y + dy) * image.width + x + dx) * 4,
        ((y + dy) * image.width + x + dx) * 4 + 3,
      )
    }
  }
  return { ...image, data }
}

const valueAt = (image: RgbaImage, x: number, y: number) => image.data[(y * image.width + x) * 4]

describe(morphology, () => {
  it.each([1, 2])(
    'matches sharp’s dilate and erode with a %i-px radius on a binarised photo',
    async (radius) => {
      // sharp names them for black shapes on white: its dilate shrinks white, its erode grows it.
      const size = 2 * radius + 1
      const opened = await fromSharp(
        toSharp(await fromSharp(toSharp(binary).dilate(radius))).erode(radius),
      )
      const closed = await fromSharp(
        toSharp(await fromSharp(toSharp(binary).erode(radius))).dilate(radius),
      )
      expect(maxAbsDiff(inner(morph(binary, 'open', size), size), inner(opened, size))).toBe(0)
      expect(maxAbsDiff(inner(morph(binary, 'close', size), size), inner(closed, size))).toBe(0)
    },
  )

  it('opening removes white specks smaller than the kernel; closing fills such holes', () => {
    const blackBlocks = uniformBlocks(binary, 0, 8, 5)
    const whiteBlocks = uniformBlocks(binary, 255, 8, 5)
    expect(blackBlocks).toHaveLength(5)
    expect(whiteBlocks).toHaveLength(5)
    const specks = withSquares(binary, blackBlocks, 255)
    const holes = withSquares(binary, whiteBlocks, 0)
    const opened = morph(specks, 'open', 3)
    const closed = morph(holes, 'close', 3)
    for (const { x, y } of blackBlocks) expect(valueAt(opened, x + 3, y + 3)).toBe(0)
    for (const { x, y } of whiteBlocks) expect(valueAt(closed, x + 4, y + 4)).toBe(255)
    expect(isOpaque(opened)).toBe(true)
  })

  it.each([3, 4, 7])(
    'with a %i-px kernel, opening only darkens, closing only brightens, and both are idempotent',
    (size) => {
      // An even kernel's anchor is off-centre: if the second step did not mirror it, the image
      // would shift by a pixel and opening would brighten some pixels.
      const opened = morph(photo, 'open', size)
      const closed = morph(photo, 'close', size)
      for (let p = 0; p < photo.data.length; p += 4) {
        for (let c = 0; c < 3; c++) {
          if (opened.data[p + c]! > photo.data[p + c]!) throw new Error(`open brightened ${p / 4}`)
          if (closed.data[p + c]! < photo.data[p + c]!) throw new Error(`close darkened ${p / 4}`)
        }
      }
      expect(maxAbsDiff(opened, photo)).toBeGreaterThan(20)
      expect(maxAbsDiff(morph(opened, 'open', size), opened)).toBe(0)
      expect(maxAbsDiff(morph(closed, 'close', size), closed)).toBe(0)
    },
  )

  it('scales the kernel with the preview, and a 1-px kernel returns its source Mat', () => {
    expect(maxAbsDiff(morph(photo, 'open', 10, 0.5), morph(photo, 'open', 5))).toBe(0)
    const src = cv.matFromImageData(photo as ImageData)
    try {
      const context = { cv, scale: 0.4, orientation: 1, upright: true }
      expect(morphology(src, { op: 'morphology', kind: 'close', size: 3 }, context)).toBe(src)
    } finally {
      src.delete()
    }
  })

  it('frees the Mats it allocates', () => {
    expect(
      leaksMemory(cv, () =>
        runOperation(cv, morphology, photo, { op: 'morphology', kind: 'open', size: 4 }),
      ),
    ).toBe(false)
  })
})
