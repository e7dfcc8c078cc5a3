import type { ImageFormat } from '../../workers/import/types'
import type { ImageRecord } from './db'

export type SortKey = 'addedAt' | 'takenAt' | 'name' | 'bytes'
export type SortDirection = 'asc' | 'desc'

export interface ImageFilter {
  /** Images must carry every one of these; matched case-insensitively. */
  tags?: readonly string[]
  /** Images must be in one of these formats; empty or absent means any format. */
  formats?: readonly ImageFormat[]
  /** Images whose name contains this, ignoring case and surrounding spaces. */
  text?: string
}

const nameCollator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'accent' })

/**
 * A sorted copy of `records`. Names sort as people expect (`img2` before `img10`, case ignored);
 * images without a capture time come last in either direction; ties keep their input order.
 */
export function sortImages(
  records: readonly ImageRecord[],
  by: SortKey,
  dir: SortDirection,
): ImageRecord[] {
  const sign = dir === 'asc' ? 1 : -1
  const sorted = records.slice()
  switch (by) {
    case 'name':
      return sorted.sort((a, b) => sign * nameCollator.compare(a.name, b.name))
    case 'takenAt':
      return sorted.sort((a, b) => {
        if (a.takenAt === undefined) return b.takenAt === undefined ? 0 : 1
        if (b.takenAt === undefined) return -1
        return sign * (a.takenAt - b.takenAt)
      })
    case 'addedAt':
    case 'bytes':
      return sorted.sort((a, b) => sign * (a[by] - b[by]))
  }
}

/** The records that pass every criterion of `filter`, in their input order. */
export function filterImages(records: readonly ImageRecord[], filter: ImageFilter): ImageRecord[] {
  const tags = (filter.tags ?? []).map((tag) => tag.trim().toLowerCase()).filter(Boolean)
  const formats = filter.formats?.length ? new Set(filter.formats) : undefined
  // NFC on both sides: names of files from macOS often arrive decomposed (NFD).
  const text = (filter.text ?? '').trim().normalize('NFC').toLowerCase()
  return records.filter(
    (image) =>
      (formats === undefined || formats.has(image.format)) &&
      tags.every((tag) => image.tags.includes(tag)) &&
      (text === '' || image.name.normalize('NFC').toLowerCase().includes(text)),
  )
}
