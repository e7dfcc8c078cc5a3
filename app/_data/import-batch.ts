import { hasName, isImportRefusal } from '../../models/errors'
import { inspectFile, importPoolSize } from '../../workers/import-client'
import type { SightlineDb } from './db'
import { createBatchWriter } from './batch-writer'
import type { AddResult } from './images'

export interface ImportIssue {
  name: string
  message: string
}

export interface ImportProgress {
  total: number
  done: number
  bytesTotal: number
  bytesDone: number
  startedAt: number
  added: number
  duplicates: ImportIssue[]
  failed: ImportIssue[]
  /** Files that are plainly not images (by type and extension); never sent to the decoder. */
  skipped: ImportIssue[]
}

export interface ImportReport extends ImportProgress {
  finishedAt: number
  cancelled: boolean
  /** Set when the batch stopped early for a reason that would fail every remaining file. */
  stoppedBy?: string
  /** Images not stored because storage ran out: refused by the browser, or never started. */
  notStored: ImportIssue[]
}

const imageExtensions = /\.(jpe?g|jfif|png|webp|gif|bmp|avif|heic|heif|tiff?)$/i

/** True when a file looks like an image by its MIME type or, when that is empty, its extension. */
export function isLikelyImage(file: { name: string; type: string }): boolean {
  return file.type.startsWith('image/') || imageExtensions.test(file.name)
}

/**
 * Imports files into the library: each is inspected in a worker (limits, decode, EXIF,
 * thumbnail, hash) and stored unless the same bytes are already there. A refused file is
 * reported and the batch goes on; storage running out stops it, since every later file
 * would fail the same way. Aborting stops dispatch at once; files already inspected are still
 * stored, and nothing stored is taken back.
 */
export async function importBatch(
  signal: AbortSignal,
  db: SightlineDb,
  files: readonly File[],
  onProgress: (progress: ImportProgress) => void,
  /** Called with each image as it is stored (new or taken out of the trash). */
  onStored: (id: string) => void = () => {},
): Promise<ImportReport> {
  const images = files.filter(isLikelyImage)
  const progress: ImportProgress = {
    total: images.length,
    done: 0,
    bytesTotal: images.reduce((sum, f) => sum + f.size, 0),
    bytesDone: 0,
    startedAt: Date.now(),
    added: 0,
    duplicates: [],
    failed: [],
    skipped: files
      .filter((f) => !isLikelyImage(f))
      .map((f) => ({
        name: f.name,
        message: `${f.name} is not an image file, so it was skipped.`,
      })),
  }
  onProgress({ ...progress })

  let next = 0
  let stoppedBy: string | undefined
  const notStored: ImportIssue[] = []
  const stop = new AbortController()
  const writer = createBatchWriter(db)
  const writes: Promise<void>[] = []
  const settle = (file: File, outcome: Promise<AddResult>) =>
    outcome
      .then(
        (result) => {
          if (result.status === 'duplicate') {
            progress.duplicates.push({
              name: file.name,
              message: `${file.name} is already in your library as ${result.existing.name}.`,
            })
          } else {
            progress.added++
            onStored(result.record.id)
          }
        },
        (err: unknown) => {
          if (hasName(err, 'StorageFullError')) {
            stoppedBy = err.message
            stop.abort()
            notStored.push({
              name: file.name,
              message: `${file.name} was not stored: storage is full.`,
            })
            return
          }
          progress.failed.push({ name: file.name, message: describeFailure(file, err) })
        },
      )
      .finally(() => {
        progress.done++
        progress.bytesDone += file.size
        onProgress({ ...progress })
      })

  const lane = async () => {
    while (next < images.length && !signal.aborted && !stop.signal.aborted) {
      const file = images[next++]!
      try {
        const inspected = await inspectFile(signal, file)
        writes.push(settle(file, writer.add({ file, inspected })))
      } catch (err) {
        if (signal.aborted && hasName(err, 'AbortError')) return
        writes.push(settle(file, Promise.reject(err)))
      }
    }
  }
  // One lane more than there are workers, so a worker never idles while a result is handed over.
  await Promise.all(Array.from({ length: importPoolSize() + 1 }, lane))
  await writer.flush()
  await Promise.all(writes)
  if (stoppedBy) {
    for (const file of images.slice(next)) {
      notStored.push({
        name: file.name,
        message: `${file.name} was not imported: the import stopped when storage was full.`,
      })
    }
  }

  return {
    ...progress,
    finishedAt: Date.now(),
    cancelled: signal.aborted,
    ...(stoppedBy ? { stoppedBy } : {}),
    notStored,
  }
}

function describeFailure(file: File, err: unknown): string {
  if (isImportRefusal(err)) return err.message
  console.error(err)
  const name = err instanceof Error ? err.name : 'Error'
  return `${file.name} could not be imported because of an unexpected error (${name}). Try again; if it keeps failing, the file may be damaged.`
}

/** Milliseconds left, estimated from bytes done so far; undefined until there is a basis. */
export function estimateRemainingMs(progress: ImportProgress, now: number): number | undefined {
  const elapsed = now - progress.startedAt
  if (progress.bytesDone === 0 || elapsed < 500) return undefined
  return (elapsed / progress.bytesDone) * (progress.bytesTotal - progress.bytesDone)
}
