/** An axis-aligned box in pixels: top-left corner and size. */
export interface Box {
  x: number
  y: number
  width: number
  height: number
}

export interface Scored {
  box: Box
  score: number
}

/** Intersection over union of two boxes, 0–1. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  if (w <= 0 || h <= 0) return 0
  const inter = w * h
  return inter / (a.width * a.height + b.width * b.height - inter)
}

/** Greedy non-maximum suppression: best first, dropping any box overlapping a kept one above `iouThreshold`. */
export function nms<T extends Scored>(items: readonly T[], iouThreshold: number): T[] {
  const sorted = [...items].sort((a, b) => b.score - a.score)
  const kept: T[] = []
  for (const item of sorted) {
    if (kept.every((k) => iou(k.box, item.box) <= iouThreshold)) kept.push(item)
  }
  return kept
}

/**
 * Weighted NMS (MediaPipe's "WEIGHTED" overlap mode): each cluster of boxes overlapping the best
 * one above `iouThreshold` becomes one detection whose coordinates (and extra points) are the
 * score-weighted mean of the cluster, keeping the best score.
 */
export function weightedNms<T extends Scored & { points: readonly number[] }>(
  items: readonly T[],
  iouThreshold: number,
): T[] {
  let rest = [...items].sort((a, b) => b.score - a.score)
  const out: T[] = []
  while (rest.length > 0) {
    const best = rest[0]!
    const cluster = rest.filter((item) => iou(best.box, item.box) > iouThreshold)
    rest = rest.filter((item) => iou(best.box, item.box) <= iouThreshold)
    if (cluster.length === 0) cluster.push(best)
    const total = cluster.reduce((sum, item) => sum + item.score, 0)
    const mean = (pick: (item: T) => number) =>
      cluster.reduce((sum, item) => sum + pick(item) * item.score, 0) / total
    out.push({
      ...best,
      box: {
        x: mean((item) => item.box.x),
        y: mean((item) => item.box.y),
        width: mean((item) => item.box.width),
        height: mean((item) => item.box.height),
      },
      points: best.points.map((_, i) => mean((item) => item.points[i]!)),
    })
  }
  return out
}
