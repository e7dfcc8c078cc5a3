import type { z } from 'zod'
import type { imageData, resultData } from '../../../server/routes/record-data'
import { toJsonValue } from '../../_lib/analysis-export'
import type { ImageRecord, ResultRecord, SyncKind } from '../db'

export type ImageData = z.infer<typeof imageData>
export type ResultData = z.infer<typeof resultData>

/** Which of an image's files are on the gateway (SHA-256 hex). */
export interface ImageFiles {
  original?: string
  thumbnail?: string
}

/** An image record as it syncs: everything but the trash state, plus where its files are. */
export function imageToData(image: ImageRecord, files: ImageFiles): ImageData {
  const { id: _id, deletedAt: _deletedAt, ...rest } = image
  return { ...rest, exif: { ...image.exif }, files }
}

/**
 * The local record for a pulled image; `local` keeps what only this device knows (the trash, and a
 * GPS position the sender left out).
 */
export function dataToImage(id: string, data: ImageData, local?: ImageRecord): ImageRecord {
  const { files: _files, ...rest } = data
  const image = { ...rest, id } as ImageRecord
  if (local?.deletedAt !== undefined) image.deletedAt = local.deletedAt
  // A device that sends no files sends no GPS position either; one read here stays.
  if (local?.exif.gps && !image.exif.gps && local.hash === image.hash) {
    image.exif = { ...image.exif, gps: local.exif.gps }
  }
  return image
}

export function resultToData(result: ResultRecord): ResultData {
  return { ...result, output: toJsonValue(result.output) } as ResultData
}

export function dataToResult(data: ResultData): ResultRecord {
  return { ...data, output: fromJsonValue(data.output) } as ResultRecord
}

/** The inverse of `toJsonValue`: base64 byte arrays become Uint8Arrays again. */
export function fromJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJsonValue)
  if (value && typeof value === 'object') {
    const { encoding, bytes } = value as { encoding?: unknown; bytes?: unknown }
    if (encoding === 'base64' && typeof bytes === 'string' && Object.keys(value).length === 2) {
      return Uint8Array.from(atob(bytes), (char) => char.charCodeAt(0))
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJsonValue(v)]))
  }
  return value
}

/** The primary key of the local row behind a gateway id. */
export function localKey(kind: SyncKind, key: string): string | [string, string] {
  if (kind === 'image') return key
  const split = key.indexOf(':')
  return [key.slice(0, split), key.slice(split + 1)]
}
