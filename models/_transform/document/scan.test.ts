import type { OpenCv } from '../../_shared/opencv'
import { fixture, loadImage } from '../../_testing/load-image'
import { loadOpenCv } from '../../_testing/node-context'
import type { RgbaImage } from '../../types'
import { applyRecipe } from '../apply'
import { recipeSchema } from '../recipe'
import { measureSkew } from './deskew'
import { findPage, type Quad } from './find-page'
import { scanRecipe } from './scan'

const corners: Quad = [
  [0.1, 0.2],
  [0.9, 0.1],
  [0.95, 0.9],
  [0.05, 0.85],
]

/**
 * Where the page's outer line lies in from one border of `image`: the depths (px) at which the
 * grey profile inward from the border, averaged over the stretch from `from` to `to` (shares of
 * the border's length), stays darker than half-way from the paper (its level 8–15 px in) to the
 * darkest point. The first depth is the line's outer edge, the last its inner edge.
 */
function lineDepths(
  image: RgbaImage,
  side: 'top' | 'right' | 'bottom' | 'left',
  from: number,
  to: number,
): [outer: number, inner: number] {
  const { width, height, data } = image
  const grey = (x: number, y: number) => {
    const i = (y * width + x) * 4
    return (data[i]! + data[i + 1]! + data[i + 2]!) / 3
  }
  const along = side === 'top' || side === 'bottom' ? width : height
  const at = (s: number, depth: number) =>
    side === 'top'
      ? grey(s, depth)
      : side === 'bottom'
        ? grey(s, height - 1 - depth)
        : side === 'left'
          ? grey(depth, s)
          : grey(width - 1 - depth, s)
  const profile = new Array<number>(16).fill(0)
  const [first, last] = [Math.round(from * (along - 1)), Math.round(to * (along - 1))]
  for (let s = first; s <= last; s++) {
    for (let depth = 0; depth < 16; depth++) profile[depth]! += at(s, depth) / (last - first + 1)
  }
  const paper = profile.slice(8).sort((a, b) => a - b)[4]!
  const darkest = Math.min(...profile)
  const half = (paper + darkest) / 2
  let [outer, inner] = [profile.indexOf(darkest), profile.indexOf(darkest)]
  while (outer > 0 && profile[outer - 1]! <= half) outer--
  while (inner < 15 && profile[inner + 1]! <= half) inner++
  return [outer, inner]
}

/**
 * The page's line starts within 4 px of the border, and at least its first two pixels of
 * thickness are in the scan (the line is 3–5 px thick). Corners 3.5 px off either way fail this.
 */
function expectLineAtBorder(
  image: RgbaImage,
  side: 'top' | 'right' | 'bottom' | 'left',
  from: number,
  to: number,
) {
  const [outer, inner] = lineDepths(image, side, from, to)
  expect(outer, `${side} ${from}–${to}: outer edge`).toBeLessThanOrEqual(4)
  expect(inner, `${side} ${from}–${to}: inner edge`).toBeGreaterThanOrEqual(1)
}

describe(scanRecipe, () => {
  it('rectifies, levels with a white fill, then thresholds', () => {
    const recipe = scanRecipe({ corners, deskewDegrees: -1.5, binarize: true })
    expect(recipe).toEqual([
      { op: 'perspective', corners },
      { op: 'rotate', degrees: -1.5, fill: 'white' },
      { op: 'threshold', blockSize: 31, offset: 10 },
    ])
    expect(recipeSchema.parse(recipe)).toEqual(recipe)
  })

  it('leaves out a deskew under 0.1° and the threshold when not binarizing', () => {
    expect(scanRecipe({ corners, deskewDegrees: 0.09, binarize: false })).toEqual([
      { op: 'perspective', corners },
    ])
    expect(scanRecipe({ corners, deskewDegrees: -0.1, binarize: false })).toHaveLength(2)
  })

  let cv: OpenCv
  let photo: RgbaImage
  beforeAll(async () => {
    cv = (await loadOpenCv()).cv
    photo = await loadImage(fixture('sudoku.jpg'))
  })

  it('brings the page’s edges to within 4 px of the scan’s borders', () => {
    const page = findPage(cv, photo)
    if (!page) throw new Error('No page found')
    const flat = applyRecipe(
      cv,
      photo,
      scanRecipe({ corners: page.corners, deskewDegrees: 0, binarize: false }),
      { orientation: 1 },
    )
    const deskewDegrees = measureSkew(cv, flat)
    // The grid's lines are level once the perspective is undone.
    expect(Math.abs(deskewDegrees)).toBeLessThan(0.5)
    const scan = applyRecipe(
      cv,
      photo,
      scanRecipe({ corners: page.corners, deskewDegrees, binarize: false }),
      { orientation: 1 },
    )
    // The grid is about 450 px square in the photo.
    expect(scan.width).toBeGreaterThan(440)
    expect(scan.height).toBeGreaterThan(440)
    for (const side of ['top', 'right', 'bottom', 'left'] as const) {
      // Near both ends of every border.
      expectLineAtBorder(scan, side, 0.03, 0.1)
      expectLineAtBorder(scan, side, 0.9, 0.97)
    }
    // All along the straight borders. The paper is bent along the top, whose middle sags about
    // 10 px in the photo; a perspective transform cannot straighten that.
    for (const side of ['right', 'bottom', 'left'] as const) {
      expectLineAtBorder(scan, side, 0.03, 0.97)
    }
  })

  it('binarizes the scan to black ink on white', () => {
    const page = findPage(cv, photo)
    if (!page) throw new Error('No page found')
    const scan = applyRecipe(
      cv,
      photo,
      scanRecipe({ corners: page.corners, deskewDegrees: 0, binarize: true }),
      { orientation: 1 },
    )
    let black = 0
    let other = 0
    for (let i = 0; i < scan.data.length; i += 4) {
      const [r, g, b, a] = scan.data.subarray(i, i + 4)
      if ((r !== 0 && r !== 255) || g !== r || b !== r || a !== 255) other++
      if (r === 0) black++
    }
    expect(other).toBe(0)
    // Grid lines and digits: about a sixth of the page is ink (measured 0.18).
    const share = black / (scan.width * scan.height)
    expect(share).toBeGreaterThan(0.03)
    expect(share).toBeLessThan(0.3)
  })
})
