import type { ResultOf } from '..'
import type { Box } from '../_shared/boxes'
import { isShownFace } from '../face-detection/visible'
import type { RedactionRegion } from './recipe'

/** One stored analysis result, as the redaction picks regions from it. */
export interface RedactionSource<Id extends 'face-detection' | 'text-recognition'> {
  output: ResultOf<Id>
  /** Size of the image the task saw (the upright original, maybe scaled); `output` is in its pixels. */
  imageSize: { width: number; height: number }
  /** Confidence floor (0–1) as the analysis panel applies it; every stored item when omitted. */
  minScore?: number
}

/** Detector boxes hug the face; this much of the box's size is added on each side to cover hair and chin. */
const facePadding = 0.1
const maxLabelLength = 60

/**
 * The faces and text lines of stored analysis results as redaction regions, normalised to the
 * upright image and all enabled. Labels keep the analysis panel's numbering ("Face 2 (97%)").
 */
export function redactionRegions({
  faces,
  text,
}: {
  faces?: RedactionSource<'face-detection'>
  text?: RedactionSource<'text-recognition'>
}): RedactionRegion[] {
  const regions: RedactionRegion[] = []
  faces?.output.faces.forEach((face, index) => {
    if (!isShownFace(face, faces.minScore ?? 0)) return
    const rect = normalise(face.box, faces.imageSize, facePadding)
    const label = `Face ${index + 1} (${Math.round(face.score * 100)}%)`
    if (rect) regions.push({ ...rect, kind: 'face', enabled: true, label })
  })
  text?.output.lines.forEach((line) => {
    if (line.score < (text.minScore ?? 0)) return
    const rect = normalise(line.box, text.imageSize, 0)
    if (rect) regions.push({ ...rect, kind: 'text', enabled: true, label: textLabel(line.text) })
  })
  return regions
}

/** A pixel box grown by `padding` × its size on each side, in 0–1 of the image; undefined if it lies outside. */
function normalise(box: Box, size: { width: number; height: number }, padding: number) {
  const clamp = (v: number) => Math.min(Math.max(v, 0), 1)
  const [padX, padY] = [box.width * padding, box.height * padding]
  const x0 = clamp((box.x - padX) / size.width)
  const y0 = clamp((box.y - padY) / size.height)
  const x1 = clamp((box.x + box.width + padX) / size.width)
  const y1 = clamp((box.y + box.height + padY) / size.height)
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined
}

function textLabel(text: string): string {
  const characters = Array.from(text.replace(/\s+/g, ' ').trim())
  if (characters.length === 0) return 'Text'
  if (characters.length <= maxLabelLength) return characters.join('')
  return `${characters.slice(0, maxLabelLength - 1).join('')}…`
}
