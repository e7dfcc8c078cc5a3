import type { Recipe } from '../../models/_transform/recipe'
import type { EditRecord, SightlineDb } from './db'
import { write } from './write'

/** A rendered edited version, ready to store. */
export interface Rendered {
  blob: Blob
  width: number
  height: number
}

/**
 * Saves `operations` as the image's edit with its rendered pixels, as the next revision; the
 * original is untouched. Returns the stored record.
 */
export function saveEdit(
  db: SightlineDb,
  imageId: string,
  operations: Recipe,
  rendered: Rendered,
  now = Date.now(),
): Promise<EditRecord> {
  return write(db, [db.edits, db.edited], async () => {
    const previous = await db.edits.get(imageId)
    const record: EditRecord = {
      imageId,
      operations,
      revision: (previous?.revision ?? 0) + 1,
      savedAt: now,
      width: rendered.width,
      height: rendered.height,
      mime: rendered.blob.type === 'image/png' ? 'image/png' : 'image/jpeg',
    }
    await db.edits.put(record)
    await db.edited.put({ id: imageId, blob: rendered.blob })
    return record
  })
}

/** What `removeEdits` took away, so an undo can put it back. */
export interface RemovedEdit {
  record: EditRecord
  blob?: Blob
}

/** Drops the edits of `imageIds` (back to the originals); returns what was removed. */
export function removeEdits(db: SightlineDb, imageIds: readonly string[]): Promise<RemovedEdit[]> {
  return write(db, [db.edits, db.edited], async () => {
    const records = await db.edits.bulkGet([...imageIds])
    const blobs = await db.edited.bulkGet([...imageIds])
    await db.edits.bulkDelete([...imageIds])
    await db.edited.bulkDelete([...imageIds])
    return records.flatMap((record, i) => (record ? [{ record, blob: blobs[i]?.blob }] : []))
  })
}

/** Puts back edits that `removeEdits` (or a batch that replaced them) took away. */
export function restoreEdits(db: SightlineDb, removed: readonly RemovedEdit[]): Promise<void> {
  return write(db, [db.edits, db.edited], async () => {
    for (const { record, blob } of removed) {
      await db.edits.put(record)
      if (blob) await db.edited.put({ id: record.imageId, blob })
      else await db.edited.delete(record.imageId)
    }
  })
}

export function getEdit(db: SightlineDb, imageId: string): Promise<EditRecord | undefined> {
  return db.edits.get(imageId)
}

/** The stored rendering of the image's edit, if there is one. */
export async function getEditedBlob(db: SightlineDb, imageId: string): Promise<Blob | undefined> {
  return (await db.edited.get(imageId))?.blob
}
