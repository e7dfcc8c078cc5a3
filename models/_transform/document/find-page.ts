import type { Mat, OpenCv } from '../../_shared/opencv'
import { withMats } from '../../_shared/opencv'
import type { RgbaImage } from '../../types'
import type { Point } from '../recipe'
import { workingGray } from './working-gray'

/** Four corners: top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point, Point, Point, Point]

/** A page found in a photo. */
export interface FoundPage {
  /** Top-left, top-right, bottom-right, bottom-left, normalised to the photo (0–1). */
  corners: Quad
  /**
   * 0–1: on the outline's weakest side, the share of points that lie on one smooth edge (a
   * straight or gently bent line of edge pixels). A sheet's or a printed frame's outline scores
   * near 1; an outline through scattered edges (grass, text, clutter) scores low.
   */
  confidence: number
}

export interface FindPageOptions {
  /** Smallest page, as a share of the photo's area. */
  minArea?: number
  /** Outlines with a lower confidence are not pages. */
  minConfidence?: number
}

/** Long side, in px, of the copy the page is searched in. */
const workingSide = 800

/**
 * Finds the page in a photo: of the convex quadrilaterals that outlines in the photo trace (edges,
 * and dark lines such as a printed frame) and that cover at least `minArea` of it, the largest
 * whose sides follow edges. Null when none does.
 */
export function findPage(
  cv: OpenCv,
  image: RgbaImage,
  { minArea = 0.2, minConfidence = 0.5 }: FindPageOptions = {},
): FoundPage | null {
  return withMats(cv, 4, (gray, edges, outlines, dark) => {
    workingGray(cv, image, gray, workingSide)
    cv.GaussianBlur(gray, gray, new cv.Size(5, 5), 0)
    cv.Canny(gray, edges, 30, 90)
    // Closing one-pixel gaps lets a page's edge become one contour.
    const kernel = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(3, 3))
    try {
      cv.dilate(edges, outlines, kernel)
    } finally {
      kernel.delete()
    }
    // Dark lines (a printed frame or grid) and dark surroundings, against the local mean.
    const block = 2 * Math.floor(Math.max(gray.cols, gray.rows) / 40) + 1
    cv.adaptiveThreshold(gray, dark, 255, cv.ADAPTIVE_THRESH_MEAN_C, cv.THRESH_BINARY_INV, block, 5)

    const { cols: width, rows: height } = gray
    const edgeMap: EdgeMap = { data: edges.data, width, height }
    // How far a side may stray from its chord: a bent sheet sags by a few per cent.
    const reach = Math.max(3, Math.round(0.025 * Math.max(width, height)))
    const seen = new Set<string>()
    const pages: { quad: Corners; area: number; confidence: number }[] = []
    for (const quad of [
      ...quadCandidates(cv, outlines, minArea),
      ...quadCandidates(cv, dark, minArea),
    ]) {
      const key = quad.join(' ')
      // Corners may lie off the photo (a page cut by the frame), within a recipe's range.
      const inRange = quad.every(
        ([x, y]) =>
          x >= -0.5 * width && x <= 1.5 * width && y >= -0.5 * height && y <= 1.5 * height,
      )
      if (seen.has(key) || !inRange) continue
      seen.add(key)
      const confidence = outlineSupport(edgeMap, quad, reach)
      if (confidence >= minConfidence) pages.push({ quad, area: polygonArea(quad), confidence })
    }
    // Larger pages win, but a cleanly traced outline beats a slightly larger ragged one.
    const score = (page: (typeof pages)[number]) => page.area * page.confidence ** 2
    let best = pages.reduce<(typeof pages)[number] | undefined>(
      (a, b) => (a && score(a) >= score(b) ? a : b),
      undefined,
    )
    if (!best) return null
    // The same outline traced along a thick line's inner and outer edge: the outer is the page.
    const near = 0.02 * Math.max(width, height)
    for (const page of pages) {
      const same = page.quad.every(
        ([x, y], i) => Math.hypot(x - best!.quad[i]![0], y - best!.quad[i]![1]) <= near,
      )
      if (same && page.area > best.area) best = page
    }
    // Contour points are pixel indices; normalised coordinates measure from the image's edge.
    const corners = best.quad.map(([x, y]): Point => [(x + 0.5) / width, (y + 0.5) / height])
    return { corners: corners as Quad, confidence: best.confidence }
  })
}

type Xy = readonly [number, number]
type Corners = [Xy, Xy, Xy, Xy]

/** Convex quadrilaterals that the contours of a binary image trace, in its pixel coordinates. */
function quadCandidates(cv: OpenCv, binary: Mat, minArea: number): Corners[] {
  const minPixels = minArea * binary.cols * binary.rows
  const quads: Corners[] = []
  const contours = new cv.MatVector()
  const hierarchy = new cv.Mat()
  try {
    cv.findContours(binary, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE)
    for (let i = 0; i < contours.size(); i++) {
      const contour = contours.get(i)
      const hull = new cv.Mat()
      const approx = new cv.Mat()
      try {
        cv.convexHull(contour, hull)
        if (cv.contourArea(hull) < minPixels) continue
        // The contour itself when it is a clean quadrilateral; its hull when bits stick into it.
        for (const curve of [contour, hull]) {
          const perimeter = cv.arcLength(curve, true)
          for (const epsilon of [0.01, 0.02]) {
            cv.approxPolyDP(curve, approx, epsilon * perimeter, true)
            if (
              approx.rows === 4 &&
              cv.isContourConvex(approx) &&
              cv.contourArea(approx) >= minPixels
            ) {
              const [x0 = 0, y0 = 0, x1 = 0, y1 = 0, x2 = 0, y2 = 0, x3 = 0, y3 = 0] =
                approx.data32S
              quads.push(orderCorners([x0, y0], [x1, y1], [x2, y2], [x3, y3]))
              break
            }
          }
        }
        // Where other edges run into the page's outline, the outline is a polygon with more
        // corners; its four longest straight runs are still the page's sides.
        cv.approxPolyDP(contour, approx, 0.01 * cv.arcLength(contour, true), true)
        const sides = longestSides(Array.from(approx.data32S), 4)
        const quad = sides && intersectSides(sides)
        if (quad && polygonArea(quad) >= minPixels && isConvex(quad)) quads.push(quad)
      } finally {
        contour.delete()
        hull.delete()
        approx.delete()
      }
    }
  } finally {
    contours.delete()
    hierarchy.delete()
  }
  return quads
}

/**
 * The four corners of a convex quadrilateral as top-left, top-right, bottom-right, bottom-left:
 * clockwise on screen, starting from the corner nearest the image's top-left.
 */
export function orderCorners<P extends Xy>(...points: [P, P, P, P]): [P, P, P, P] {
  const cx = (points[0][0] + points[1][0] + points[2][0] + points[3][0]) / 4
  const cy = (points[0][1] + points[1][1] + points[2][1] + points[3][1]) / 4
  const angle = ([x, y]: Xy) => Math.atan2(y - cy, x - cx)
  // y points down, so increasing angle runs clockwise on screen.
  const sorted = [...points].sort((a, b) => angle(a) - angle(b))
  const sums = sorted.map(([x, y]) => x + y)
  const first = sums.indexOf(Math.min(...sums))
  return [0, 1, 2, 3].map((i) => sorted[(first + i) % 4]!) as [P, P, P, P]
}

type Segment = readonly [Xy, Xy]

/**
 * The `count` longest sides of a closed polygon (flat x, y pairs), in their order around it,
 * after joining neighbouring sides that run within 12° of each other.
 */
function longestSides(flat: number[], count: number): Segment[] | undefined {
  const points: Xy[] = []
  for (let i = 0; i + 1 < flat.length; i += 2) points.push([flat[i]!, flat[i + 1]!])
  const direction = (a: Xy, b: Xy) => Math.atan2(b[1] - a[1], b[0] - a[0])
  let merged = true
  while (merged && points.length > count) {
    merged = false
    for (let i = 0; i < points.length; i++) {
      const prev = points[(i + points.length - 1) % points.length]!
      const next = points[(i + 1) % points.length]!
      let turn = Math.abs(direction(prev, points[i]!) - direction(points[i]!, next))
      turn = Math.min(turn, 2 * Math.PI - turn)
      if (turn < (12 * Math.PI) / 180) {
        points.splice(i, 1)
        merged = true
        break
      }
    }
  }
  if (points.length < count) return undefined
  const segments = points.map((p, i): Segment => [p, points[(i + 1) % points.length]!])
  const length = ([a, b]: Segment) => Math.hypot(b[0] - a[0], b[1] - a[1])
  const longest = segments
    .map((segment, index) => ({ segment, index, length: length(segment) }))
    .sort((a, b) => b.length - a.length)
    .slice(0, count)
    .sort((a, b) => a.index - b.index)
  return longest.map(({ segment }) => segment)
}

/** Corners where each side's line meets the next one's, ordered; undefined if two are parallel. */
function intersectSides(sides: Segment[]): Corners | undefined {
  const corners: Xy[] = []
  for (let i = 0; i < 4; i++) {
    const [[x1, y1], [x2, y2]] = sides[i]!
    const [[x3, y3], [x4, y4]] = sides[(i + 1) % 4]!
    const det = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
    if (Math.abs(det) < 1e-9) return undefined
    const a = x1 * y2 - y1 * x2
    const b = x3 * y4 - y3 * x4
    corners.push([(a * (x3 - x4) - (x1 - x2) * b) / det, (a * (y3 - y4) - (y1 - y2) * b) / det])
  }
  return orderCorners(corners[0]!, corners[1]!, corners[2]!, corners[3]!)
}

function isConvex(quad: Corners): boolean {
  let sign = 0
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = quad[i]!
    const [bx, by] = quad[(i + 1) % 4]!
    const [cx, cy] = quad[(i + 2) % 4]!
    const cross = (bx - ax) * (cy - by) - (by - ay) * (cx - bx)
    if (cross === 0 || (sign !== 0 && Math.sign(cross) !== sign)) return false
    sign = Math.sign(cross)
  }
  return true
}

function polygonArea(points: readonly Xy[]): number {
  let twice = 0
  points.forEach(([x0, y0], i) => {
    const [x1, y1] = points[(i + 1) % points.length]!
    twice += x0 * y1 - x1 * y0
  })
  return Math.abs(twice) / 2
}

interface EdgeMap {
  data: Uint8Array
  width: number
  height: number
}

/** The support of the outline's weakest side (see `sideSupport`). */
function outlineSupport(edges: EdgeMap, quad: Corners, reach: number): number {
  const cx = (quad[0][0] + quad[1][0] + quad[2][0] + quad[3][0]) / 4
  const cy = (quad[0][1] + quad[1][1] + quad[2][1] + quad[3][1]) / 4
  let weakest = 1
  for (let side = 0; side < 4 && weakest > 0; side++) {
    const from = quad[side]!
    const to = quad[(side + 1) % 4]!
    const length = Math.hypot(to[0] - from[0], to[1] - from[1])
    let normal: Xy = [(to[1] - from[1]) / length, -(to[0] - from[0]) / length]
    const outward = [(from[0] + to[0]) / 2 - cx, (from[1] + to[1]) / 2 - cy] as const
    if (normal[0] * outward[0] + normal[1] * outward[1] < 0) normal = [-normal[0], -normal[1]]
    weakest = Math.min(weakest, sideSupport(edges, from, to, normal, reach))
  }
  return weakest
}

/** How close, in px, an edge pixel must be to a side's curve to support it. */
const inlierDistance = 1.5

/**
 * Share of sample points along the side from `from` to `to` with an edge pixel on one smooth
 * curve: the edge pixels' offsets along the outward normal (within `reach`) are fitted with a
 * quadratic by RANSAC, as a photographed sheet bends a little. Scattered edges fit no curve.
 */
function sideSupport(edges: EdgeMap, from: Xy, to: Xy, normal: Xy, reach: number): number {
  const length = Math.hypot(to[0] - from[0], to[1] - from[1])
  const count = Math.max(9, Math.round(length / 2))
  const ts: number[] = []
  const offsets: number[][] = []
  for (let i = 0; i < count; i++) {
    // The ends are left out: corners are rounded, and the next side's edge runs there.
    const t = 0.03 + (0.94 * i) / (count - 1)
    const px = from[0] + (to[0] - from[0]) * t
    const py = from[1] + (to[1] - from[1]) * t
    const found: number[] = []
    for (let k = -reach; k <= reach; k++) {
      const x = Math.round(px + k * normal[0])
      const y = Math.round(py + k * normal[1])
      if (x >= 0 && y >= 0 && x < edges.width && y < edges.height) {
        if (edges.data[y * edges.width + x]! > 0) found.push(k)
      }
    }
    ts.push(t)
    offsets.push(found)
  }

  const inliersOf = (curve: Curve) => {
    const xs: number[] = []
    const ys: number[] = []
    ts.forEach((t, i) => {
      const expected = curve[0] + curve[1] * t + curve[2] * t * t
      let nearest = Infinity
      for (const k of offsets[i]!) {
        if (Math.abs(k - expected) < Math.abs(nearest - expected)) nearest = k
      }
      if (Math.abs(nearest - expected) <= inlierDistance) {
        xs.push(t)
        ys.push(nearest)
      }
    })
    return { xs, ys }
  }

  // A fixed seed gives the same answer on every run.
  let random = 0x9e3779b9
  const pick = (n: number) => {
    random = (Math.imul(random, 1664525) + 1013904223) >>> 0
    return random % n
  }
  const third = Math.floor(count / 3)
  let best: Curve | undefined
  let most = 0
  for (let iteration = 0; iteration < 100; iteration++) {
    // One edge pixel from each third of the side defines a candidate curve.
    const samples = [pick(third), third + pick(third), 2 * third + pick(count - 2 * third)]
    const chosen = samples.map((i) => offsets[i]!)
    if (chosen.some((found) => found.length === 0)) continue
    const curve = interpolate(
      samples.map((i) => ts[i]!),
      chosen.map((found) => found[pick(found.length)]!),
    )
    const inliers = inliersOf(curve).xs.length
    if (inliers > most) [best, most] = [curve, inliers]
  }
  // Least squares over the inliers settles the curve onto the edge.
  for (let round = 0; round < 2 && best; round++) {
    const { xs, ys } = inliersOf(best)
    best = leastSquares(xs, ys) ?? best
    most = Math.max(most, inliersOf(best).xs.length)
  }
  return most / count
}

/** a + b·t + c·t² */
type Curve = readonly [number, number, number]

/** The quadratic through three points with distinct t (Lagrange form, expanded). */
function interpolate([t0, t1, t2]: number[], [y0, y1, y2]: number[]): Curve {
  const w0 = y0! / ((t0! - t1!) * (t0! - t2!))
  const w1 = y1! / ((t1! - t0!) * (t1! - t2!))
  const w2 = y2! / ((t2! - t0!) * (t2! - t1!))
  return [
    w0 * t1! * t2! + w1 * t0! * t2! + w2 * t0! * t1!,
    -(w0 * (t1! + t2!) + w1 * (t0! + t2!) + w2 * (t0! + t1!)),
    w0 + w1 + w2,
  ]
}

/** Least-squares quadratic through the points (Cramer's rule on the normal equations). */
function leastSquares(ts: number[], ys: number[]): Curve | undefined {
  if (ts.length < 3) return undefined
  // Sums of t⁰…t⁴ and of y·t⁰…y·t².
  const s = [0, 0, 0, 0, 0]
  const r = [0, 0, 0]
  ts.forEach((t, i) => {
    let power = 1
    for (let p = 0; p < 5; p++) {
      s[p]! += power
      if (p < 3) r[p]! += power * ys[i]!
      power *= t
    }
  })
  const [s0, s1, s2, s3, s4] = s as [number, number, number, number, number]
  const [r0, r1, r2] = r as [number, number, number]
  const det = determinant(s0, s1, s2, s1, s2, s3, s2, s3, s4)
  if (Math.abs(det) < 1e-12) return undefined
  return [
    determinant(r0, s1, s2, r1, s2, s3, r2, s3, s4) / det,
    determinant(s0, r0, s2, s1, r1, s3, s2, r2, s4) / det,
    determinant(s0, s1, r0, s1, s2, r1, s2, s3, r2) / det,
  ]
}

/** Determinant of the 3 × 3 matrix given row by row. */
function determinant(
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
  g: number,
  h: number,
  i: number,
): number {
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
}
