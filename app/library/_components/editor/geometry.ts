import type { OperationOf, Point, Rect } from '../../../../models/_transform/recipe'

/** Pixel dimensions of the image an editor overlay is laid over. */
export interface ImageSize {
  width: number
  height: number
}

/** One of a crop box's eight resize handles, named by compass direction. */
export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w'

export const handles = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'] as const satisfies Handle[]

/** A perspective quadrilateral: top-left, top-right, bottom-right, bottom-left. */
export type Corners = OperationOf<'perspective'>['corners']

/** What a crop must keep while it is moved or resized. */
export interface CropConstraints {
  /** Width / height in image pixels, or null for a free crop. */
  aspect: number | null
  imageSize: ImageSize
}

/** Smallest crop side, as a fraction of the image side. */
export const minCropSide = 0.02
/** Crop box step per arrow key press, as a fraction of the image side. */
export const cropKeyStep = 0.01
/** Corner step per arrow key press, as a fraction of the image side (Shift: the large one). */
export const cornerKeyStep = 0.005
export const cornerKeyStepLarge = 0.02
/** Compare slider step per arrow key press, in percent. */
export const sliderKeyStep = 2
const sliderPageStep = 10

/** `value` limited to min–max; when min > max the maximum wins. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

/**
 * The crop aspect in normalised units (normalised width / normalised height), or null for
 * free: an image-pixel aspect of 1 on a 2:1 image is 0.5 here.
 */
export function normalisedAspect({ aspect, imageSize }: CropConstraints): number | null {
  if (aspect === null) return null
  const value = (aspect * imageSize.height) / imageSize.width
  return Number.isFinite(value) && value > 0 ? value : null
}

/**
 * Smallest width a crop of normalised aspect `a` may have so that both sides are at least
 * `minCropSide`. For an aspect so extreme that the largest crop is thinner, the caller's limits
 * win (see `clamp`).
 */
function minWidthFor(a: number): number {
  return Math.max(minCropSide, minCropSide * a)
}

/** `rect` made valid: every side at least `minCropSide` and at most 1, the whole box inside 0–1. */
export function clampRect(rect: Rect): Rect {
  const width = clamp(rect.width, minCropSide, 1)
  const height = clamp(rect.height, minCropSide, 1)
  return {
    x: clamp(rect.x, 0, 1 - width),
    y: clamp(rect.y, 0, 1 - height),
    width,
    height,
  }
}

/** `rect` moved by (dx, dy) normalised units, stopping at the image border; its size is kept. */
export function moveRect(rect: Rect, dx: number, dy: number): Rect {
  const r = clampRect(rect)
  return { ...r, x: clamp(r.x + dx, 0, 1 - r.width), y: clamp(r.y + dy, 0, 1 - r.height) }
}

/**
 * `start` resized by dragging `handle` by (dx, dy) normalised units: the opposite edge or corner
 * stays put, the box stays inside the image and at least `minCropSide` on a side, and with an
 * aspect the box keeps it (an edge handle grows the other side about its centre; a corner handle
 * takes the smallest box of the aspect that reaches the pointer).
 */
export function resizeRect(
  start: Rect,
  handle: Handle,
  dx: number,
  dy: number,
  constraints: CropConstraints,
): Rect {
  const r = clampRect(start)
  const left = r.x
  const top = r.y
  const right = r.x + r.width
  const bottom = r.y + r.height
  const east = handle.includes('e')
  const west = handle.includes('w')
  const north = handle.includes('n')
  const south = handle.includes('s')
  const a = normalisedAspect(constraints)

  if (a === null) {
    const l = west ? clamp(left + dx, 0, right - minCropSide) : left
    const rr = east ? clamp(right + dx, left + minCropSide, 1) : right
    const t = north ? clamp(top + dy, 0, bottom - minCropSide) : top
    const b = south ? clamp(bottom + dy, top + minCropSide, 1) : bottom
    return { x: l, y: t, width: rr - l, height: b - t }
  }

  const horizontal = east || west
  const vertical = north || south
  const pointerWidth = east ? r.width + dx : west ? r.width - dx : r.width
  const pointerHeight = south ? r.height + dy : north ? r.height - dy : r.height
  let width =
    horizontal && vertical
      ? Math.max(pointerWidth, pointerHeight * a)
      : horizontal
        ? pointerWidth
        : pointerHeight * a
  const roomWidth = horizontal ? (east ? 1 - left : right) : 1
  const roomHeight = vertical ? (south ? 1 - top : bottom) : 1
  width = clamp(width, minWidthFor(a), Math.min(roomWidth, roomHeight * a))
  const height = width / a
  return {
    x: horizontal
      ? east
        ? left
        : right - width
      : clamp(left + (r.width - width) / 2, 0, 1 - width),
    y: vertical
      ? south
        ? top
        : bottom - height
      : clamp(top + (r.height - height) / 2, 0, 1 - height),
    width,
    height,
  }
}

/** The largest rectangle of `aspect` (width / height in image pixels; null: the whole image), centred. */
export function fitRectToAspect(imageSize: ImageSize, aspect: number | null): Rect {
  const a = normalisedAspect({ aspect, imageSize })
  if (a === null) return { x: 0, y: 0, width: 1, height: 1 }
  const width = Math.min(1, a)
  const height = width / a
  return { x: (1 - width) / 2, y: (1 - height) / 2, width, height }
}

/** The unit direction of an arrow key (y grows downwards), or null for any other key. */
export function arrowDirection(key: string): [number, number] | null {
  switch (key) {
    case 'ArrowLeft':
      return [-1, 0]
    case 'ArrowRight':
      return [1, 0]
    case 'ArrowUp':
      return [0, -1]
    case 'ArrowDown':
      return [0, 1]
    default:
      return null
  }
}

/**
 * The crop after an arrow key: the box moves by `cropKeyStep`, or with Shift its bottom-right
 * corner does (keeping the aspect); null for keys that do nothing.
 */
export function nudgeRect(
  rect: Rect,
  key: string,
  shift: boolean,
  constraints: CropConstraints,
): Rect | null {
  const direction = arrowDirection(key)
  if (!direction) return null
  const dx = direction[0] * cropKeyStep
  const dy = direction[1] * cropKeyStep
  if (!shift) return moveRect(rect, dx, dy)
  const a = normalisedAspect(constraints)
  // With an aspect, the key's axis drives and the other side follows, so shrinking works too.
  if (a === null) return resizeRect(rect, 'se', dx, dy, constraints)
  return dx !== 0
    ? resizeRect(rect, 'se', dx, dx / a, constraints)
    : resizeRect(rect, 'se', dy * a, dy, constraints)
}

/** `point` limited to the image (0–1 on both axes). */
export function clampPoint(point: Point): Point {
  return [clamp(point[0], 0, 1), clamp(point[1], 0, 1)]
}

/** `point` moved by (dx, dy) normalised units and kept inside the image. */
export function movePoint(point: Point, dx: number, dy: number): Point {
  return clampPoint([point[0] + dx, point[1] + dy])
}

/**
 * A corner after an arrow key: moved by `cornerKeyStep` (Shift: `cornerKeyStepLarge`) and kept
 * inside the image; null for keys that do nothing.
 */
export function nudgePoint(point: Point, key: string, shift: boolean): Point | null {
  const direction = arrowDirection(key)
  if (!direction) return null
  const step = shift ? cornerKeyStepLarge : cornerKeyStep
  return movePoint(point, direction[0] * step, direction[1] * step)
}

/** `corners` with the one at `index` replaced. */
export function replaceCorner(corners: Corners, index: number, point: Point): Corners {
  return corners.map((corner, i) => (i === index ? point : corner)) as Corners
}

/**
 * The compare slider position (percent, 0–100) after a key: arrows step by `sliderKeyStep`,
 * Page Up/Down by 10, Home and End jump to the ends; null for keys that do nothing.
 */
export function nudgePercent(value: number, key: string): number | null {
  const steps: Record<string, number> = {
    ArrowLeft: -sliderKeyStep,
    ArrowDown: -sliderKeyStep,
    ArrowRight: sliderKeyStep,
    ArrowUp: sliderKeyStep,
    PageDown: -sliderPageStep,
    PageUp: sliderPageStep,
    Home: -Infinity,
    End: Infinity,
  }
  const step = steps[key]
  return step === undefined ? null : clamp(value + step, 0, 100)
}
