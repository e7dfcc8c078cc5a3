import type { Box } from '../_shared/boxes'
import type { OpenCv } from '../_shared/opencv'
import { TaskOutputError } from '../errors'
import type { TensorLike } from '../types'
import type { DetectionMeta } from './preprocess'

/** A point in image pixels: [x, y]. */
export type Point = [number, number]

/** A text region found by the detector. */
export interface Region {
  /** Four corners clockwise from top-left, in image pixels. */
  polygon: Point[]
  /** Mean text probability inside the region before it was expanded, 0–1. */
  score: number
}

/** One line of text read from the image. */
export interface Line {
  text: string
  /** Recognition confidence: mean probability of the characters read, 0–1. */
  score: number
  /** Four corners clockwise from top-left, in image pixels. */
  polygon: Point[]
  /** Axis-aligned bounds of `polygon`, in image pixels. */
  box: Box
  /** Detection confidence of the region, 0–1. */
  detScore: number
  /** Index of the visual row the line sits on, top to bottom (lines side by side share one). */
  row: number
}

export interface TextResult {
  /** Lines in reading order: rows top to bottom, left to right within a row. */
  lines: Line[]
  /** The lines' text: rows joined with '\n', lines within a row with a space. */
  text: string
}

// DBPostProcess settings of PaddleOCR's PP-OCRv4 inference (tools/infer/utility.py): det_db_thresh,
// det_db_unclip_ratio, max_candidates and min_size.
const binaryThreshold = 0.3
const unclipRatio = 1.5
const maxCandidates = 1000
const minSide = 3

/**
 * DB post-processing (PaddleOCR DBPostProcess, score mode "fast"): threshold the probability map,
 * take each contour's minimum-area rectangle, keep those whose mean probability reaches
 * `minBoxScore`, grow them by area × 1.5 / perimeter on every side (what pyclipper's round offset
 * gives for a rectangle, once its minimum-area rectangle is taken again) and map them to image
 * pixels.
 */
export function extractRegions(
  cv: OpenCv,
  map: TensorLike,
  meta: DetectionMeta,
  minBoxScore: number,
): Region[] {
  const { inputWidth: width, inputHeight: height } = meta
  if (
    !(map.data instanceof Float32Array) ||
    map.dims.length !== 4 ||
    map.dims[0] !== 1 ||
    map.dims[1] !== 1 ||
    map.dims[2] !== height ||
    map.dims[3] !== width
  ) {
    throw new TaskOutputError(
      `text-recognition: expected a float32 probability map [1,1,${height},${width}], got ` +
        `${map.data.constructor.name} [${map.dims.join(',')}]`,
    )
  }
  const probs = map.data
  const bitmap = new cv.Mat(height, width, cv.CV_8UC1)
  const contours = new cv.MatVector()
  const hierarchy = new cv.Mat()
  try {
    const bits = bitmap.data
    for (let i = 0; i < probs.length; i++) bits[i] = probs[i]! > binaryThreshold ? 255 : 0
    cv.findContours(bitmap, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE)
    const regions: Region[] = []
    const scaleX = meta.width / width
    const scaleY = meta.height / height
    for (let i = 0; i < Math.min(contours.size(), maxCandidates); i++) {
      const contour = contours.get(i)
      let rect: Rotated
      try {
        rect = cv.minAreaRect(contour)
      } finally {
        contour.delete()
      }
      if (Math.min(rect.size.width, rect.size.height) < minSide) continue
      const score = meanInside(probs, width, height, corners(rect))
      if (score < minBoxScore) continue
      const { width: w, height: h } = rect.size
      const grow = (w * h * unclipRatio) / (2 * (w + h))
      const grown = { ...rect, size: { width: w + 2 * grow, height: h + 2 * grow } }
      if (Math.min(grown.size.width, grown.size.height) < minSide + 2) continue
      const polygon = corners(grown).map(([x, y]): Point => [
        round1(clamp(x * scaleX, 0, meta.width)),
        round1(clamp(y * scaleY, 0, meta.height)),
      ])
      regions.push({ polygon, score })
    }
    return regions
  } finally {
    bitmap.delete()
    contours.delete()
    hierarchy.delete()
  }
}

/** A rotated rectangle as opencv's minAreaRect returns it (angle in degrees, clockwise). */
export interface Rotated {
  center: { x: number; y: number }
  size: { width: number; height: number }
  angle: number
}

/**
 * Corners of a rotated rectangle ordered as PaddleOCR's get_mini_boxes: of the two leftmost
 * corners the upper is first and the lower last; of the two rightmost the upper is second.
 */
export function corners({ center, size, angle }: Rotated): Point[] {
  const a = (angle * Math.PI) / 180
  const ux: Point = [(Math.cos(a) * size.width) / 2, (Math.sin(a) * size.width) / 2]
  const uy: Point = [(-Math.sin(a) * size.height) / 2, (Math.cos(a) * size.height) / 2]
  const points = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ].map(([sx, sy]): Point => [
    center.x + sx! * ux[0] + sy! * uy[0],
    center.y + sx! * ux[1] + sy! * uy[1],
  ])
  points.sort((p, q) => p[0] - q[0])
  const [l0, l1, r0, r1] = points as [Point, Point, Point, Point]
  const [topLeft, bottomLeft] = l1[1] > l0[1] ? [l0, l1] : [l1, l0]
  const [topRight, bottomRight] = r1[1] > r0[1] ? [r0, r1] : [r1, r0]
  return [topLeft, topRight, bottomRight, bottomLeft]
}

/**
 * Mean of the map over the pixels inside a convex quadrilateral whose corners are truncated to
 * whole pixels (PaddleOCR box_score_fast fills the polygon with int32 corners).
 */
export function meanInside(
  map: Float32Array,
  width: number,
  height: number,
  polygon: readonly Point[],
): number {
  const pts = polygon.map(([x, y]): Point => [Math.trunc(x), Math.trunc(y)])
  const xs = pts.map((p) => p[0])
  const ys = pts.map((p) => p[1])
  const x0 = clamp(Math.min(...xs), 0, width - 1)
  const x1 = clamp(Math.max(...xs), 0, width - 1)
  const y0 = clamp(Math.min(...ys), 0, height - 1)
  const y1 = clamp(Math.max(...ys), 0, height - 1)
  let sum = 0
  let count = 0
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!isInsideConvex(pts, x, y)) continue
      sum += map[y * width + x]!
      count++
    }
  }
  return count === 0 ? 0 : sum / count
}

/** Whether (x, y) is inside or on the edge of a convex polygon given in either winding. */
function isInsideConvex(polygon: readonly Point[], x: number, y: number): boolean {
  let sign = 0
  for (let i = 0; i < polygon.length; i++) {
    const [ax, ay] = polygon[i]!
    const [bx, by] = polygon[(i + 1) % polygon.length]!
    const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
    if (cross === 0) continue
    if (sign === 0) sign = Math.sign(cross)
    else if (Math.sign(cross) !== sign) return false
  }
  return true
}

/** ppocr_keys_v1.txt → characters by class index minus 1 (one per line). */
export function parseKeys(text: string): string[] {
  const keys = text.split('\n').map((line) => line.replace(/\r$/, ''))
  if (keys.at(-1) === '') keys.pop()
  return keys
}

/**
 * Greedy CTC decoding of recognizer output f32[N,T,C] (PaddleOCR CTCLabelDecode with
 * use_space_char): per step the most probable class; repeats merge, class 0 is the blank,
 * 1…keys.length are the keys and keys.length + 1 is a space. The score is the mean probability of
 * the characters kept (0 when none are).
 */
export function ctcDecode(
  output: TensorLike,
  keys: readonly string[],
): { text: string; score: number }[] {
  const [batch, steps, classes] = output.dims
  if (
    !(output.data instanceof Float32Array) ||
    output.dims.length !== 3 ||
    classes !== keys.length + 2
  ) {
    throw new TaskOutputError(
      `text-recognition: expected float32 recognizer output [N,T,${keys.length + 2}], got ` +
        `${output.data.constructor.name} [${output.dims.join(',')}]`,
    )
  }
  const probs = output.data
  const results: { text: string; score: number }[] = []
  for (let n = 0; n < batch!; n++) {
    let text = ''
    let sum = 0
    let count = 0
    let previous = -1
    for (let t = 0; t < steps!; t++) {
      const offset = (n * steps! + t) * classes
      let best = 0
      for (let c = 1; c < classes; c++) if (probs[offset + c]! > probs[offset + best]!) best = c
      if (best !== 0 && best !== previous) {
        text += best === classes - 1 ? ' ' : keys[best - 1]
        sum += probs[offset + best]!
        count++
      }
      previous = best
    }
    results.push({ text, score: count === 0 ? 0 : sum / count })
  }
  return results
}

/** Axis-aligned bounds of a polygon. */
export function boundingBox(polygon: readonly Point[]): Box {
  const xs = polygon.map((p) => p[0])
  const ys = polygon.map((p) => p[1])
  const x = Math.min(...xs)
  const y = Math.min(...ys)
  return { x, y, width: round1(Math.max(...xs) - x), height: round1(Math.max(...ys) - y) }
}

/**
 * Puts lines in reading order and numbers their rows. A line joins the row whose nearest member,
 * extended along its own slope, passes within half a line height of the line's centre, so slightly
 * skewed baselines stay one row. Rows are ordered by where they cross x = 0, lines in a row by x.
 */
export function readingOrder<T extends { polygon: readonly Point[] }>(
  lines: readonly T[],
): (T & { row: number })[] {
  const geometry = lines.map((line) => {
    const [p0, p1, p2, p3] = line.polygon as [Point, Point, Point, Point]
    const cx = (p0[0] + p1[0] + p2[0] + p3[0]) / 4
    const cy = (p0[1] + p1[1] + p2[1] + p3[1]) / 4
    const dx = p1[0] - p0[0] + (p2[0] - p3[0])
    const dy = p1[1] - p0[1] + (p2[1] - p3[1])
    // Slopes steeper than 1:2 are vertical or rotated text, whose rows are meaningless.
    const slope = dx > 0 ? clamp(dy / dx, -0.5, 0.5) : 0
    const height =
      (Math.hypot(p3[0] - p0[0], p3[1] - p0[1]) + Math.hypot(p2[0] - p1[0], p2[1] - p1[1])) / 2
    return { line, cx, cy, slope, height }
  })
  type Item = (typeof geometry)[number]
  const rows: Item[][] = []
  for (const item of [...geometry].sort((a, b) => a.cy - b.cy)) {
    let bestRow: Item[] | undefined
    let bestOffset = Infinity
    for (const row of rows) {
      const nearest = row.reduce((a, b) =>
        Math.abs(b.cx - item.cx) < Math.abs(a.cx - item.cx) ? b : a,
      )
      const slope = (nearest.slope + item.slope) / 2
      const offset = Math.abs(nearest.cy + slope * (item.cx - nearest.cx) - item.cy)
      if (offset < Math.min(nearest.height, item.height) / 2 && offset < bestOffset) {
        bestRow = row
        bestOffset = offset
      }
    }
    if (bestRow) bestRow.push(item)
    else rows.push([item])
  }
  const crossing = (row: Item[]) =>
    row.reduce((sum, item) => sum + item.cy - item.slope * item.cx, 0) / row.length
  return rows
    .map((row) => ({ row: row.sort((a, b) => a.cx - b.cx), y: crossing(row) }))
    .sort((a, b) => a.y - b.y)
    .flatMap(({ row }, index) => row.map((item) => ({ ...item.line, row: index })))
}

/** The lines' text: lines on one row joined with a space, rows with '\n'. */
export function joinText(lines: readonly Pick<Line, 'text' | 'row'>[]): string {
  let text = ''
  lines.forEach((line, i) => {
    if (i > 0) text += line.row === lines[i - 1]!.row ? ' ' : '\n'
    text += line.text
  })
  return text
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))
const round1 = (v: number) => Math.round(v * 10) / 10
