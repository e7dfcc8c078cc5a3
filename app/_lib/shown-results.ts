import type { ResultOf } from '../../models'
import { isShownFace } from '../../models/face-detection/visible'

/** An item of a stored result, with its index there (which names its overlay shape and list row). */
export interface Indexed<T> {
  item: T
  index: number
}

const kept = <T>(items: readonly T[], keep: (item: T) => boolean): Indexed<T>[] =>
  items.flatMap((item, index) => (keep(item) ? [{ item, index }] : []))

// What the overlay, the lists and the annotated export show at a confidence floor (0–1): one
// rule each, so the three always agree.

export const shownObjects = (output: ResultOf<'object-detection'>, minScore: number) =>
  kept(output.objects, (object) => object.score >= minScore)

export const shownFaces = (output: ResultOf<'face-detection'>, minScore: number) =>
  kept(output.faces, (face) => isShownFace(face, minScore))

export const shownLines = (output: ResultOf<'text-recognition'>, minScore: number) =>
  kept(output.lines, (line) => line.score >= minScore)
