import type { z } from 'zod'
import { recipeSchema, type Operation } from '../../../models/_transform/recipe'
import type { imageData, recipeData, resultData } from '../../../server/routes/record-data'
import { toJsonValue } from '../../_lib/analysis-export'
import type { EditRecord, ImageRecord, ResultRecord, SyncKind } from '../db'

export type ImageData = z.infer<typeof imageData>
export type ResultData = z.infer<typeof resultData>
export type RecipeData = z.infer<typeof recipeData>
export type OperationData = RecipeData['operations'][number]

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

/** Which of an edit's files are on the gateway (SHA-256 hex). */
export interface EditFiles {
  edited?: string
}

/**
 * An operation as it syncs: its parameters apart from its name, so the gateway can check the
 * shape without knowing each operation.
 */
export function operationToData(operation: Operation): OperationData {
  const { op, ...params } = operation
  return { op, params }
}

/** The flat operation of a synced one; not validated (see `dataToEdit`). */
export function dataToOperation({ op, params }: OperationData): unknown {
  return { ...params, op }
}

/** An image's saved edit as it syncs (`recipe` on the gateway), plus where its files are. */
export function editToData(edit: EditRecord, files: EditFiles): RecipeData {
  return { ...edit, operations: edit.operations.map(operationToData), files }
}

/** Why a pulled recipe cannot be used on this device (from a newer version, or damaged). */
export class InvalidRecipeError extends Error {
  override readonly name = 'InvalidRecipeError'
}

/**
 * The local edit for a pulled recipe whose id is `id`. Throws InvalidRecipeError when its
 * operations are not ones this version of the app knows, with valid parameters.
 */
export function dataToEdit(id: string, data: RecipeData): EditRecord {
  if (data.imageId !== id) {
    throw new InvalidRecipeError(`The recipe ${id} names another image (${data.imageId})`)
  }
  const parsed = recipeSchema.safeParse(data.operations.map(dataToOperation))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InvalidRecipeError(
      `The recipe of image ${id} has an invalid operation at ${issue?.path.map(String).join('.') ?? '?'}: ${issue?.message ?? 'unknown'}`,
    )
  }
  const { files: _files, operations: _operations, ...rest } = data
  return { ...rest, operations: parsed.data }
}

/** The primary key of the local row behind a gateway id. */
export function localKey(kind: SyncKind, key: string): string | [string, string] {
  if (kind !== 'result') return key
  const split = key.indexOf(':')
  return [key.slice(0, split), key.slice(split + 1)]
}
