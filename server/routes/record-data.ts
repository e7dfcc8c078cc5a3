import { z } from '@hono/zod-openapi'
import type { RecordKind } from '../db/records'
import { ApiError } from '../errors'
import { sha256, uuid } from './schemas'

const epochMs = z.number().int().nonnegative()
const size = z.number().int().positive().max(1_000_000)

/** An image's metadata as it syncs; `files` lists which of its files are on the gateway. */
export const imageData = z
  .object({
    hash: sha256.describe("SHA-256 of the original file's bytes"),
    name: z.string().min(1).max(255),
    mime: z.string().max(64),
    format: z.string().max(16),
    bytes: z.number().int().nonnegative(),
    width: size,
    height: size,
    orientation: z.number().int().min(1).max(8),
    exif: z.record(z.string(), z.unknown()),
    tags: z.array(z.string().min(1).max(40)).max(200),
    addedAt: epochMs,
    updatedAt: epochMs,
    takenAt: epochMs.optional(),
    thumbnailWidth: size,
    thumbnailHeight: size,
    files: z.object({ original: sha256.optional(), thumbnail: sha256.optional() }),
  })
  .openapi('ImageData')

/** One task's output for one image (`id` is `<imageId>:<task>`). */
export const resultData = z
  .object({
    imageId: uuid,
    task: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
    version: z.string().max(32),
    provider: z.enum(['webgpu', 'wasm', 'js']),
    threads: z.number().int().min(0).max(1024),
    durationMs: z.number().nonnegative(),
    decodeMs: z.number().nonnegative(),
    createdAt: epochMs,
    imageSize: z.object({ width: size, height: size }),
    source: z.string().max(32),
    output: z.unknown(),
  })
  .openapi('ResultData')

/**
 * An image's saved edit (the transformation studio). The gateway checks the shape and size of the
 * operations only; the app validates their parameters when it applies one.
 */
export const recipeData = z
  .object({
    imageId: uuid,
    operations: z
      .array(
        z.object({
          op: z.string().min(1).max(64),
          params: z.record(z.string(), z.unknown()),
        }),
      )
      .max(200)
      .describe('Applied in order to the original, each as `{ op, params }`'),
    revision: z.number().int().min(1).describe('1 for the first save; each save adds one'),
    savedAt: epochMs,
    width: size.describe('Pixel width of the rendered edited version'),
    height: size.describe('Pixel height of the rendered edited version'),
    mime: z.enum(['image/jpeg', 'image/png']).describe('Type of the rendered edited version'),
    files: z
      .object({ edited: sha256.optional() })
      .describe('The rendered edited version, when the device that saved it sends files'),
  })
  .openapi('RecipeData')

export const recordData = { image: imageData, result: resultData, recipe: recipeData } as const

/** Largest record accepted, as JSON text (a result with a mask is about 100 KB). */
export const maxRecordBytes = 4 * 1024 * 1024

/**
 * A validated record as the store keeps it: its JSON text and the files it points at. Throws 413
 * (`what` names the record in the message) past `maxRecordBytes`.
 */
export function storedForm(
  kind: RecordKind,
  data: unknown,
  what: string,
): { json: string; blobRefs: string[] } {
  const json = JSON.stringify(data)
  if (Buffer.byteLength(json) > maxRecordBytes) {
    throw new ApiError(413, 'record-too-large', `${what} is larger than 4 MiB`)
  }
  return { json, blobRefs: blobRefsOf(kind, data) }
}

/** The files a record points at: they must be the user's before the record is accepted. */
function blobRefsOf(kind: RecordKind, data: unknown): string[] {
  if (kind === 'image') {
    const { files } = data as z.infer<typeof imageData>
    return [files.original, files.thumbnail].filter((sha): sha is string => sha !== undefined)
  }
  if (kind === 'recipe') {
    const { files } = data as z.infer<typeof recipeData>
    return files.edited === undefined ? [] : [files.edited]
  }
  return []
}

/** Whether a record id fits its kind: a UUID, or `<uuid>:<task>` for results. */
export function isValidId(kind: RecordKind, id: string, data?: unknown): boolean {
  if (kind === 'result') {
    const match = /^([0-9a-f-]{36}):([a-z][a-z0-9-]{0,63})$/.exec(id)
    if (!match || !uuid.safeParse(match[1]).success) return false
    if (data === undefined) return true
    const result = data as z.infer<typeof resultData>
    return result.imageId === match[1] && result.task === match[2]
  }
  return uuid.safeParse(id).success
}
