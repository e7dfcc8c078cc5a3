import sharp from 'sharp'
import type { OpenCv } from '../../_shared/opencv'
import { fixture, loadImage } from '../../_testing/load-image'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { findPage, orderCorners, type FoundPage } from './find-page'

/**
 * The sudoku grid's outline in sudoku.jpg (558 × 563): the outer edge of its thick border line,
 * in px from the image's top-left edge. Measured by following that edge (half-way between paper
 * and line) along each border from 6 to 50 px off each corner, fitting a line to each run
 * (residuals ≤ 0.25 px) and intersecting them; checked by eye on 4× crops. The paper is bent, so
 * the top border sags by about 10 px in the middle; the corners are where the borders meet.
 */
const sudokuCorners: [number, number][] = [
  [72.3, 84.4],
  [492.2, 68.4],
  [521.0, 522.0],
  [34.3, 516.8],
]

let cv: OpenCv
let sudoku: RgbaImage
const horses = loadImage(fixture('horses.jpg'))
beforeAll(async () => {
  cv = (await loadOpenCv()).cv
  sudoku = await loadImage(fixture('sudoku.jpg'))
})

/** Distance, in px of an image `width` × `height`, from each found corner to the expected one. */
function cornerErrors(
  page: FoundPage | null,
  expected: [number, number][],
  width: number,
  height: number,
): number[] {
  if (!page) throw new Error('No page found')
  return page.corners.map(([x, y], i) => {
    const [ex, ey] = expected[i]!
    return Math.hypot(x * width - ex, y * height - ey)
  })
}

async function decode(input: sharp.Sharp): Promise<RgbaImage> {
  const { data, info } = await input.ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  }
}

describe(findPage, () => {
  it('finds the grid in a photographed sudoku within 2 px of each corner', () => {
    const page = findPage(cv, sudoku)
    // Measured: 1.1, 1.1, 0.7 and 0.9 px.
    for (const error of cornerErrors(page, sudokuCorners, 558, 563)) {
      expect(error).toBeLessThanOrEqual(2)
    }
    expect(page!.confidence).toBeGreaterThan(0.8)
  })

  it('finds the same corners in a larger copy, searched at a reduced size', async () => {
    const large = await decode(sharp(fixture('sudoku.jpg')).resize(1116, 1126))
    const scaled = sudokuCorners.map(([x, y]): [number, number] => [x * 2, y * 2])
    // The search runs at 800 px, so one of its pixels is 1.4 px here. Measured: 0.4–1.9 px.
    for (const error of cornerErrors(findPage(cv, large), scaled, 1116, 1126)) {
      expect(error).toBeLessThanOrEqual(4)
    }
  })

  it('keeps the corners in order when the photo is turned a quarter', async () => {
    const turned = await decode(sharp(fixture('sudoku.jpg')).rotate(90))
    // Turning clockwise takes (x, y) to (563 − y, x): the old bottom-left becomes the top-left.
    const moved = sudokuCorners.map(([x, y]): [number, number] => [563 - y, x])
    const expected = [moved[3]!, moved[0]!, moved[1]!, moved[2]!]
    for (const error of cornerErrors(findPage(cv, turned), expected, 563, 558)) {
      expect(error).toBeLessThanOrEqual(2)
    }
  })

  it('finds no page in photos without one', async () => {
    expect(findPage(cv, await horses)).toBeNull()
    expect(findPage(cv, await loadImage(fixture('rocket.jpg')))).toBeNull()
  })

  it('rates an outline through clutter low', async () => {
    // Grass and fences trace a large quadrilateral in horses.jpg, but no edge follows its sides.
    const page = findPage(cv, await horses, { minConfidence: 0 })
    expect(page).not.toBeNull()
    expect(page!.confidence).toBeLessThan(0.3)
  })

  it('finds no page smaller than minArea', () => {
    // The grid covers 62 % of the photo.
    expect(findPage(cv, sudoku, { minArea: 0.7 })).toBeNull()
    expect(findPage(cv, sudoku, { minArea: 0.6 })).not.toBeNull()
  })
})

describe(orderCorners, () => {
  it('orders corners clockwise from the top-left, whatever order they come in', () => {
    const tl: [number, number] = [20, 10]
    const tr: [number, number] = [90, 30]
    const br: [number, number] = [70, 100]
    const bl: [number, number] = [5, 80]
    expect(orderCorners(br, tl, bl, tr)).toEqual([tl, tr, br, bl])
    expect(orderCorners(bl, br, tr, tl)).toEqual([tl, tr, br, bl])
  })

  it('starts from the corner nearest the top-left when the quadrilateral is turned 45°', () => {
    const left: [number, number] = [0, 52]
    const top: [number, number] = [55, 0]
    const right: [number, number] = [100, 55]
    const bottom: [number, number] = [45, 100]
    expect(orderCorners(top, bottom, left, right)).toEqual([left, top, right, bottom])
  })
})
