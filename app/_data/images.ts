import { InvalidNameError, InvalidTagError } from '../../models/errors'
import type { Inspected } from '../../workers/import/types'
import type { ImageRecord, SightlineDb } from './db'
import { write } from './write'

export type AddResult =
  | { status: 'added'; record: ImageRecord }
  /** The same bytes were in the trash: the old record is back, only its times changed. */
  | { status: 'restored'; record: ImageRecord }
  | { status: 'duplicate'; existing: ImageRecord }

export interface TagCount {
  tag: string
  /** Images outside the trash that carry the tag. */
  count: number
}

export const maxNameLength = 255
export const maxTagLength = 40

export interface Imported {
  file: Blob & { name: string }
  inspected: Inspected
}

/**
 * Stores an imported file, its thumbnail and its record in one transaction; the same bytes are
 * stored once, and importing bytes that are in the trash takes them out of it.
 */
export async function addImage(
  db: SightlineDb,
  file: Blob & { name: string },
  inspected: Inspected,
  now = Date.now(),
): Promise<AddResult> {
  const [result] = await addImages(db, [{ file, inspected }], now)
  return result!
}

/**
 * `addImage` for many files in one transaction, results in input order. A batch import writes
 * this way so that live views of the library refresh once per batch, not once per image.
 */
export function addImages(
  db: SightlineDb,
  items: readonly Imported[],
  now = Date.now(),
): Promise<AddResult[]> {
  return write(db, [db.images, db.originals, db.thumbnails], async () => {
    const results: AddResult[] = []
    for (const { file, inspected } of items) results.push(await addOne(db, file, inspected, now))
    return results
  })
}

async function addOne(
  db: SightlineDb,
  file: Blob & { name: string },
  inspected: Inspected,
  now: number,
): Promise<AddResult> {
  const record: ImageRecord = {
    id: crypto.randomUUID(),
    hash: inspected.hash,
    name: file.name.trim() || `image.${inspected.format}`,
    mime: inspected.mime,
    format: inspected.format,
    bytes: file.size,
    width: inspected.width,
    height: inspected.height,
    orientation: inspected.orientation,
    exif: inspected.exif,
    tags: [],
    addedAt: now,
    updatedAt: now,
    thumbnailWidth: inspected.thumbnailWidth,
    thumbnailHeight: inspected.thumbnailHeight,
  }
  const takenAt =
    inspected.exif.takenAt === undefined ? undefined : parseTakenAt(inspected.exif.takenAt)
  if (takenAt !== undefined) record.takenAt = takenAt
  // The browser's sniffed type can be empty or wrong; the stored blob carries the detected one.
  // `new Blob([file])` references the file's bytes rather than copying them.
  const original = file.type === inspected.mime ? file : new Blob([file], { type: inspected.mime })

  // Add first and let the unique hash index decide, so that concurrent imports of the same
  // bytes (from another tab, say) give one 'added' and one 'duplicate'. Catching the failed
  // add keeps the transaction alive.
  try {
    await db.images.add(record)
  } catch (err) {
    if (!isConstraintError(err)) throw err
    const existing = await db.images.get({ hash: record.hash })
    if (!existing) throw err
    if (existing.deletedAt === undefined) return { status: 'duplicate', existing }
    const restored = withoutDeletedAt(existing, now)
    await db.images.put(restored)
    return { status: 'restored', record: restored }
  }
  await db.originals.add({ id: record.id, blob: original })
  await db.thumbnails.add({ id: record.id, blob: inspected.thumbnail })
  return { status: 'added', record }
}

/** Every image outside the trash, in no particular order. */
export function listImages(db: SightlineDb): Promise<ImageRecord[]> {
  return db.images.filter((image) => image.deletedAt === undefined).toArray()
}

/** Renames an image; resolves to the updated record, or undefined when there is no such image. */
export async function renameImage(
  db: SightlineDb,
  id: string,
  name: string,
  now = Date.now(),
): Promise<ImageRecord | undefined> {
  const valid = normaliseName(name)
  return write(db, [db.images], async () => {
    const image = await db.images.get(id)
    if (!image) return undefined
    const renamed = { ...image, name: valid, updatedAt: now }
    await db.images.put(renamed)
    return renamed
  })
}

/** Adds tags to images; resolves to the number of images that changed. */
export async function addTags(
  db: SightlineDb,
  ids: readonly string[],
  tags: readonly string[],
  now = Date.now(),
): Promise<number> {
  const added = normaliseTags(tags)
  return updateImages(db, ids, now, (image) => {
    const missing = added.filter((tag) => !image.tags.includes(tag))
    return missing.length > 0 ? { tags: [...image.tags, ...missing] } : undefined
  })
}

/** Removes tags from images; resolves to the number of images that changed. */
export async function removeTags(
  db: SightlineDb,
  ids: readonly string[],
  tags: readonly string[],
  now = Date.now(),
): Promise<number> {
  const removed = new Set(normaliseTags(tags))
  return updateImages(db, ids, now, (image) => {
    const kept = image.tags.filter((tag) => !removed.has(tag))
    return kept.length < image.tags.length ? { tags: kept } : undefined
  })
}

const tagCollator = new Intl.Collator(undefined, { numeric: true })

/** Every tag on images outside the trash, with how many carry it, sorted by tag. */
export async function allTags(db: SightlineDb): Promise<TagCount[]> {
  const counts = new Map<string, number>()
  await db.images.each((image) => {
    if (image.deletedAt !== undefined) return
    for (const tag of image.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1)
  })
  return [...counts]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => tagCollator.compare(a.tag, b.tag))
}

/** Moves images to the trash; resolves to the number moved (those already there are left alone). */
export function trashImages(
  db: SightlineDb,
  ids: readonly string[],
  now = Date.now(),
): Promise<number> {
  return updateImages(db, ids, now, (image) =>
    image.deletedAt === undefined ? { deletedAt: now } : undefined,
  )
}

/** Takes images out of the trash; resolves to the number restored. */
export function restoreImages(
  db: SightlineDb,
  ids: readonly string[],
  now = Date.now(),
): Promise<number> {
  return write(db, [db.images], async () => {
    const restored: ImageRecord[] = []
    for (const image of await db.images.bulkGet([...ids])) {
      if (image?.deletedAt !== undefined) restored.push(withoutDeletedAt(image, now))
    }
    await db.images.bulkPut(restored)
    return restored.length
  })
}

/**
 * Deletes, with their blobs, the images that went to the trash more than `olderThanMs` before
 * `now`; resolves to their ids.
 */
export function purgeTrash(
  db: SightlineDb,
  olderThanMs: number,
  now = Date.now(),
): Promise<string[]> {
  const tables = [db.images, db.originals, db.thumbnails, db.results, db.jobs, db.edits, db.edited]
  return write(db, tables, async () => {
    const ids = await db.images
      .where('deletedAt')
      .below(now - olderThanMs)
      .primaryKeys()
    await Promise.all([
      db.images.bulkDelete(ids),
      db.originals.bulkDelete(ids),
      db.thumbnails.bulkDelete(ids),
      db.results.where('imageId').anyOf(ids).delete(),
      db.jobs.where('imageId').anyOf(ids).delete(),
      db.edits.bulkDelete(ids),
      db.edited.bulkDelete(ids),
    ])
    return ids
  })
}

/** The file as imported, or undefined when there is no such image. */
export async function getOriginal(db: SightlineDb, id: string): Promise<Blob | undefined> {
  return (await db.originals.get(id))?.blob
}

/** The image's thumbnail, or undefined when there is no such image. */
export async function getThumbnail(db: SightlineDb, id: string): Promise<Blob | undefined> {
  return (await db.thumbnails.get(id))?.blob
}

/** Trims a new image name, or throws InvalidNameError when it cannot be a file name. */
export function normaliseName(name: string): string {
  const trimmed = name.trim()
  if (trimmed === '') throw new InvalidNameError('The name is empty. Type at least one character.')
  if (trimmed.length > maxNameLength) {
    throw new InvalidNameError(
      `The name is ${trimmed.length} characters long. Use at most ${maxNameLength}.`,
    )
  }
  if (trimmed.includes('/')) {
    throw new InvalidNameError(`The name "${trimmed}" contains "/". Use another character.`)
  }
  return trimmed
}

/**
 * Trims, lower-cases (and NFC-normalises) tags and drops empty ones and repeats; throws
 * InvalidTagError for a tag longer than `maxTagLength`.
 */
export function normaliseTags(tags: readonly string[]): string[] {
  const normalised = new Set<string>()
  for (const raw of tags) {
    const tag = raw.trim().normalize('NFC').toLowerCase()
    if (tag === '') continue
    if (tag.length > maxTagLength) {
      throw new InvalidTagError(
        `The tag "${tag}" is ${tag.length} characters long. Use at most ${maxTagLength}.`,
      )
    }
    normalised.add(tag)
  }
  return [...normalised]
}

const takenAtPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/

/**
 * Reads an ISO 8601 `exif.takenAt` as a sort key: the wall-clock fields as if they were UTC, any
 * zone offset ignored, so the order matches the times shown and does not depend on the browser's
 * zone. Undefined when the text is not such a date (cameras write `0000:00:00` when unset).
 */
export function parseTakenAt(takenAt: string): number | undefined {
  const match = takenAtPattern.exec(takenAt.trim())
  if (!match) return undefined
  const field = (group: number) => Number(match[group] ?? 0)
  const year = field(1)
  const month = field(2)
  const day = field(3)
  const hour = field(4)
  const minute = field(5)
  const second = field(6)
  const ms = Number((match[7] ?? '').slice(0, 3).padEnd(3, '0'))
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, ms)
  const fieldsKept =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  return fieldsKept ? date.getTime() : undefined
}

/**
 * Applies `change` to each existing image in one transaction, stamping `updatedAt` on those it
 * changes (a change of undefined leaves the image alone); resolves to how many changed.
 */
function updateImages(
  db: SightlineDb,
  ids: readonly string[],
  now: number,
  change: (image: ImageRecord) => Partial<ImageRecord> | undefined,
): Promise<number> {
  return write(db, [db.images], async () => {
    const updated: ImageRecord[] = []
    for (const image of await db.images.bulkGet([...ids])) {
      const changes = image && change(image)
      if (changes) updated.push({ ...image, ...changes, updatedAt: now })
    }
    await db.images.bulkPut(updated)
    return updated.length
  })
}

function withoutDeletedAt(image: ImageRecord, now: number): ImageRecord {
  const restored = { ...image, updatedAt: now }
  delete restored.deletedAt
  return restored
}

function isConstraintError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConstraintError'
}
