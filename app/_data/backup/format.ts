import { z } from 'zod'
import { taskIds } from '../../../models'
import { recipeSchema } from '../../../models/_transform/recipe'
import { imageFormats, type ImageFormat } from '../../../workers/import-client'

/**
 * The library backup, format version 1: a ZIP archive holding
 *
 * - `sightline-backup.json`: the manifest below;
 * - `originals/<image id>` and `thumbnails/<image id>`: the stored files, byte for byte;
 * - `results/<image id>.json`: that image's `ResultRecord`s, for images that have results;
 * - `edited/<image id>`: the rendered edited version, for images with a saved edit.
 *
 * Results live in one file per image, so a library of segmentation masks never becomes one JSON
 * text too large for a browser's strings. JSON here goes through `toBackupJson`, which keeps
 * typed arrays, non-finite numbers and −0. Readers ignore fields they do not know; a change an
 * older reader must not ignore bumps `version`.
 */
export const backupFormat = 'sightline-backup'
export const backupVersion = 1
export const manifestPath = 'sightline-backup.json'
export const originalPath = (imageId: string) => `originals/${imageId}`
export const thumbnailPath = (imageId: string) => `thumbnails/${imageId}`
export const resultsPath = (imageId: string) => `results/${imageId}.json`
export const editedPath = (imageId: string) => `edited/${imageId}`

/** `sightline-library-YYYY-MM-DD.zip`, with the local date. */
export function backupFileName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `sightline-library-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}.zip`
}

const count = z.number().int().nonnegative()
const pixels = z.number().int().positive()
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a lowercase hex SHA-256')
const mimeType = z.string().max(127)
const taskId = z
  .enum(taskIds as [string, ...string[]])
  .transform((id) => id as (typeof taskIds)[number])

const gps = z.object({
  latitude: z.number(),
  longitude: z.number(),
  altitude: z.number().optional(),
})

export const exifSchema = z.object({
  make: z.string().optional(),
  model: z.string().optional(),
  lens: z.string().optional(),
  takenAt: z.string().optional(),
  gps: gps.optional(),
  iso: z.number().optional(),
  exposureTimeS: z.number().optional(),
  fNumber: z.number().optional(),
  focalLengthMm: z.number().optional(),
  software: z.string().optional(),
})

const formats = Object.keys(imageFormats) as [ImageFormat, ...ImageFormat[]]
const mimes = Object.values(imageFormats) as [
  (typeof imageFormats)[ImageFormat],
  ...(typeof imageFormats)[ImageFormat][],
]

export const imageRecordSchema = z.object({
  id: z.uuid(),
  hash: sha256,
  name: z.string().min(1),
  mime: z.enum(mimes),
  format: z.enum(formats),
  bytes: count,
  width: pixels,
  height: pixels,
  orientation: z.number().int().min(1).max(8),
  exif: exifSchema,
  tags: z.array(z.string()),
  addedAt: z.number(),
  updatedAt: z.number(),
  takenAt: z.number().optional(),
  deletedAt: z.number().optional(),
  thumbnailWidth: pixels,
  thumbnailHeight: pixels,
})

export const resultRecordSchema = z.object({
  imageId: z.uuid(),
  task: taskId,
  version: z.string(),
  provider: z.enum(['webgpu', 'wasm', 'js']),
  threads: count,
  durationMs: z.number().nonnegative(),
  decodeMs: z.number().nonnegative(),
  createdAt: z.number(),
  imageSize: z.object({ width: pixels, height: pixels }),
  source: z.enum(['original', 'edited']),
  editRevision: z.number().int().positive().optional(),
  output: z.unknown().refine((output) => output !== undefined, 'A result needs its output'),
})

/** An image's saved edit (`EditRecord`); its rendered pixels are the image's `edited` file. */
export const editRecordSchema = z.object({
  imageId: z.uuid(),
  operations: recipeSchema,
  revision: z.number().int().positive(),
  savedAt: z.number(),
  width: pixels,
  height: pixels,
  mime: z.enum(['image/jpeg', 'image/png']),
})

/** One image in the manifest: its record, which of its files the archive holds, its results. */
export const backupImageSchema = z.object({
  record: imageRecordSchema,
  /** MIME type of each file the archive holds; a file this device did not have is absent. */
  files: z.object({
    original: mimeType.optional(),
    thumbnail: mimeType.optional(),
    /** The rendered edited version, present only with the image's entry in `recipes`. */
    edited: mimeType.optional(),
  }),
  /** Tasks whose results are in `results/<id>.json`, in that file's order. */
  results: z.array(taskId),
})

export const manifestSchema = z.object({
  format: z.literal(backupFormat),
  version: z.literal(backupVersion),
  /** The app that wrote it, e.g. `sightline@0.1.0`. */
  app: z.string(),
  exportedAt: z.iso.datetime(),
  images: z.array(backupImageSchema),
  /**
   * The saved edits, one per edited image of `images`. Readers from before edits existed refuse
   * a backup whose `recipes` is not empty, saying to update, so edits did not need a new version.
   */
  recipes: z.array(editRecordSchema),
})

export type BackupImage = z.infer<typeof backupImageSchema>
export type BackupEdit = z.infer<typeof editRecordSchema>
export type BackupManifest = z.infer<typeof manifestSchema>

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array

const typedArrays = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const satisfies Record<string, { new (buffer: ArrayBuffer): TypedArray }>

type TypedArrayName = keyof typeof typedArrays

/**
 * JSON text for records, keeping what plain JSON loses: typed arrays become
 * `{ "$typedArray": "<name>", "base64": "<bytes>" }` (platform byte order, little-endian on every
 * browser we know) and NaN, ±Infinity and −0 become `{ "$number": "<text>" }`.
 */
export function toBackupJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) {
      return { $number: Object.is(v, -0) ? '-0' : String(v) }
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView) && v.constructor.name in typedArrays) {
      return {
        $typedArray: v.constructor.name,
        base64: toBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)),
      }
    }
    return v
  })
}

/** The inverse of `toBackupJson`; throws SyntaxError for text that is not JSON. */
export function fromBackupJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v
    const keys = Object.keys(v)
    const tagged = v as { $number?: unknown; $typedArray?: unknown; base64?: unknown }
    if (keys.length === 1 && typeof tagged.$number === 'string') {
      return tagged.$number === '-0' ? -0 : Number(tagged.$number)
    }
    if (
      keys.length === 2 &&
      typeof tagged.$typedArray === 'string' &&
      typeof tagged.base64 === 'string' &&
      Object.hasOwn(typedArrays, tagged.$typedArray)
    ) {
      const bytes = fromBase64(tagged.base64)
      const Type = typedArrays[tagged.$typedArray as TypedArrayName]
      if (bytes.byteLength % Type.BYTES_PER_ELEMENT !== 0) {
        throw new SyntaxError(`${bytes.byteLength} bytes cannot be a ${tagged.$typedArray}`)
      }
      return new Type(bytes.buffer)
    }
    return v
  })
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
