import { Zip, ZipPassThrough } from 'fflate'
import type { Gps, ExifSummary } from '../../workers/import/types'
import type { ImageRecord } from '../_data/db'
import { ArchiveTooLargeError } from '../../models/errors'

export interface ZipEntry {
  name: string
  blob: Blob
  /** Epoch ms stored as the file's time in the archive; the time of zipping when absent. */
  modifiedAt?: number
}

// fflate writes classic ZIP without ZIP64: offsets and sizes are 32-bit, the entry count 16-bit.
const maxArchiveBytes = 0xffff_ffff
const maxEntries = 0xffff
// Local header (30) + data descriptor (16) + central directory record (46), each with the name
// once, and the end record (22); see APPNOTE.TXT 4.3.
const headerBytesPerEntry = 30 + 16 + 46
const endRecordBytes = 22

/**
 * Packs files into a ZIP archive, stored without compression (photos are compressed already).
 * Names are made safe for common file systems and unique, case ignored (`a.jpg`, `a (2).jpg`).
 * `onProgress` hears the bytes packed so far out of the total.
 */
export async function zipImages(
  entries: readonly ZipEntry[],
  onProgress?: (doneBytes: number, totalBytes: number) => void,
): Promise<Blob> {
  const names = uniqueNames(entries.map((entry) => safeFileName(entry.name)))
  const encoder = new TextEncoder()
  let totalBytes = 0
  let archiveBytes = endRecordBytes
  entries.forEach((entry, i) => {
    totalBytes += entry.blob.size
    archiveBytes += entry.blob.size + headerBytesPerEntry + 2 * encoder.encode(names[i]).length
  })
  if (entries.length > maxEntries || archiveBytes > maxArchiveBytes) {
    throw new ArchiveTooLargeError(
      `${entries.length} files of ${formatGb(totalBytes)} do not fit in one ZIP archive, which ` +
        `holds at most ${maxEntries} files and ${formatGb(maxArchiveBytes)}. Download fewer at once.`,
    )
  }

  // Pass-through entries are written synchronously: every chunk, and any error, has reached this
  // callback by the time `push` or `end` returns.
  const chunks: Uint8Array[] = []
  let failure: Error | null = null
  const zip = new Zip((err, chunk) => {
    if (err) failure ??= err
    else chunks.push(chunk)
  })
  let doneBytes = 0
  for (const [i, entry] of entries.entries()) {
    const file = new ZipPassThrough(names[i]!)
    if (entry.modifiedAt !== undefined && isDosTime(entry.modifiedAt)) {
      file.mtime = entry.modifiedAt
    }
    zip.add(file)
    const reader = entry.blob.stream().getReader()
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        file.push(read.value)
        doneBytes += read.value.byteLength
        onProgress?.(doneBytes, totalBytes)
      }
    } finally {
      reader.releaseLock()
    }
    file.push(new Uint8Array(0), true)
  }
  zip.end()
  if (failure) throw failure
  return new Blob(chunks as BlobPart[], { type: 'application/zip' })
}

const exifFieldOrder: Record<keyof ExifSummary, true> = {
  make: true,
  model: true,
  lens: true,
  takenAt: true,
  gps: true,
  iso: true,
  exposureTimeS: true,
  fNumber: true,
  focalLengthMm: true,
  software: true,
}
const gpsFieldOrder: Record<keyof Gps, true> = { latitude: true, longitude: true, altitude: true }

/**
 * The records as a JSON document (`format`, `version`, `images`) for people and other tools:
 * fields in a fixed order, times as ISO 8601 UTC, no pixels.
 */
export function metadataJson(records: readonly ImageRecord[]): Blob {
  const images = records.map((image) => ({
    id: image.id,
    name: image.name,
    format: image.format,
    mime: image.mime,
    bytes: image.bytes,
    width: image.width,
    height: image.height,
    orientation: image.orientation,
    sha256: image.hash,
    tags: image.tags,
    addedAt: new Date(image.addedAt).toISOString(),
    updatedAt: new Date(image.updatedAt).toISOString(),
    deletedAt: image.deletedAt === undefined ? undefined : new Date(image.deletedAt).toISOString(),
    exif: orderedExif(image.exif),
  }))
  const metadata = { format: 'sightline-metadata', version: 1, images }
  return new Blob([JSON.stringify(metadata, null, 2) + '\n'], { type: 'application/json' })
}

/** Offers `blob` to the user as a download called `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  try {
    const anchor = document.createElement('a')
    anchor.href = url
    anchor.download = filename
    anchor.click()
  } finally {
    // Revoking at once can cancel the download in some browsers; a tick later is enough.
    setTimeout(() => URL.revokeObjectURL(url), 0)
  }
}

function orderedExif(exif: ExifSummary): ExifSummary {
  const ordered: Record<string, unknown> = {}
  for (const key of Object.keys(exifFieldOrder) as (keyof ExifSummary)[]) {
    const value = exif[key]
    if (value === undefined) continue
    ordered[key] = key === 'gps' ? pick(value as Gps, gpsFieldOrder) : value
  }
  return ordered as ExifSummary
}

function pick<T extends object>(value: T, order: Record<keyof T, true>): T {
  const picked: Partial<T> = {}
  for (const key of Object.keys(order) as (keyof T)[]) {
    if (value[key] !== undefined) picked[key] = value[key]
  }
  return picked as T
}

const reservedWindowsName = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i
// eslint-disable-next-line no-control-regex -- control characters are among those replaced
const unsafeCharacters = /[\u0000-\u001f\u007f"*/:<>?\\|]/g

/**
 * `name` made safe to extract on Windows, macOS and Linux: path separators, characters Windows
 * refuses and control characters become `_`, leading dots (hidden files, `..`) become `_`,
 * trailing dots and spaces go, and reserved device names get a `_` prefix.
 */
export function safeFileName(name: string): string {
  const safe = name
    .replace(unsafeCharacters, '_')
    .trim()
    .replace(/^\.+/, (dots) => '_'.repeat(dots.length))
    .replace(/[. ]+$/, '')
  if (safe === '') return 'image'
  return reservedWindowsName.test(safe) ? `_${safe}` : safe
}

/** Suffixes repeated names, case ignored, as `name (2).ext`, `name (3).ext`, …, in order. */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>()
  const nextSuffix = new Map<string, number>()
  return names.map((name) => {
    const key = name.toLowerCase()
    let unique = name
    if (taken.has(key)) {
      const dot = name.lastIndexOf('.')
      const stem = dot > 0 ? name.slice(0, dot) : name
      const extension = dot > 0 ? name.slice(dot) : ''
      let suffix = nextSuffix.get(key) ?? 2
      do {
        unique = `${stem} (${suffix++})${extension}`
      } while (taken.has(unique.toLowerCase()))
      nextSuffix.set(key, suffix)
    }
    taken.add(unique.toLowerCase())
    return unique
  })
}

/** Whether an epoch-ms time fits a ZIP's MS-DOS date, which covers local years 1980–2099. */
function isDosTime(epochMs: number): boolean {
  const year = new Date(epochMs).getFullYear()
  return year >= 1980 && year <= 2099
}

function formatGb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`
}
