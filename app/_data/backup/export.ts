import type { SightlineDb } from '../db'
import {
  backupFileName,
  backupFormat,
  backupVersion,
  editedPath,
  manifestPath,
  originalPath,
  resultsPath,
  thumbnailPath,
  toBackupJson,
  type BackupEdit,
  type BackupImage,
  type BackupManifest,
} from './format'
import type { BackupProgress } from './progress'
import { createZipWriter, type ZipWriterOptions } from './zip'

export interface ExportOptions {
  /** The app writing the backup, e.g. `sightline@0.1.0`. */
  app: string
  now?: Date
  onProgress?: (progress: BackupProgress) => void
  zip?: ZipWriterOptions
}

export interface ExportedBackup {
  blob: Blob
  fileName: string
  images: number
  results: number
  /** Saved edits packed. */
  edits: number
}

const encoder = new TextEncoder()

/**
 * Packs the whole library, trash included, into a backup archive (see format.ts). The archive is
 * a Blob made of the stored Blobs themselves, so only one image is read into memory at a time
 * (for its CRC). Each image is read in one transaction, so its record, files, results and edit
 * agree.
 */
export async function exportLibrary(
  signal: AbortSignal,
  db: SightlineDb,
  { app, now = new Date(), onProgress, zip: zipOptions }: ExportOptions,
): Promise<ExportedBackup> {
  signal.throwIfAborted()
  const listed = await db.images.orderBy('addedAt').toArray()
  const ids = listed.map((image) => image.id)
  const listedIds = new Set(ids)
  let totalBytes = listed.reduce((sum, image) => sum + image.bytes, 0)
  await db.edited.each(({ id, blob }) => {
    if (listedIds.has(id)) totalBytes += blob.size
  })
  const progress: BackupProgress = {
    phase: 'packing',
    doneBytes: 0,
    totalBytes,
    doneImages: 0,
    totalImages: ids.length,
  }
  onProgress?.({ ...progress })

  const zip = createZipWriter(zipOptions)
  const images: BackupImage[] = []
  const recipes: BackupEdit[] = []
  let resultCount = 0
  for (const id of ids) {
    signal.throwIfAborted()
    const stored = await db.transaction(
      'r',
      [db.images, db.originals, db.thumbnails, db.results, db.edits, db.edited],
      async () => ({
        record: await db.images.get(id),
        original: await db.originals.get(id),
        thumbnail: await db.thumbnails.get(id),
        results: await db.results.where('imageId').equals(id).toArray(),
        edit: await db.edits.get(id),
        edited: await db.edited.get(id),
      }),
    )
    // Deleted for good while the export ran.
    if (!stored.record) continue
    const { record, original, thumbnail, results, edit, edited } = stored
    const files: BackupImage['files'] = {}
    if (original) {
      await zip.add(originalPath(id), original.blob, record.addedAt)
      files.original = original.blob.type
    }
    if (thumbnail) {
      await zip.add(thumbnailPath(id), thumbnail.blob, record.addedAt)
      files.thumbnail = thumbnail.blob.type
    }
    if (results.length > 0) {
      const newest = Math.max(...results.map((result) => result.createdAt))
      await zip.add(resultsPath(id), encoder.encode(toBackupJson(results)), newest)
    }
    if (edit) {
      if (edited) {
        await zip.add(editedPath(id), edited.blob, edit.savedAt)
        files.edited = edited.blob.type
      }
      recipes.push(edit)
    }
    images.push({ record, files, results: results.map((result) => result.task) })
    resultCount += results.length
    progress.doneImages++
    progress.doneBytes = Math.min(
      totalBytes,
      progress.doneBytes + record.bytes + (edited?.blob.size ?? 0),
    )
    onProgress?.({ ...progress })
  }

  const manifest: BackupManifest = {
    format: backupFormat,
    version: backupVersion,
    app,
    exportedAt: now.toISOString(),
    images,
    recipes,
  }
  // Last in the archive, so it lists exactly what was packed; readers find it by name.
  await zip.add(manifestPath, encoder.encode(toBackupJson(manifest)), now.getTime())
  signal.throwIfAborted()
  return {
    blob: zip.finish(),
    fileName: backupFileName(now),
    images: images.length,
    results: resultCount,
    edits: recipes.length,
  }
}
