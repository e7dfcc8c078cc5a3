import { hasName } from '../../models/errors'
import type { SightlineDb } from './db'
import { addImages, type AddResult, type Imported } from './images'

export interface BatchWriter {
  /** Queues one file for storing; settles when its batch has been written (or failed). */
  add(item: Imported): Promise<AddResult>
  /** Writes whatever is queued now; resolves when every batch so far has been written. */
  flush(): Promise<void>
}

/**
 * Groups imported files into one transaction per `intervalMs` (or per `maxItems`), so a live view
 * of the library re-reads it a few times a second rather than once per image: with thousands of
 * images, a refresh per image made big imports slow down as the library grew.
 *
 * When storage runs out part-way through a batch, the whole transaction is undone; the batch is
 * then written again one file at a time, so the files that fit are still stored, and the rest
 * are refused with the StorageFullError.
 */
export function createBatchWriter(
  db: SightlineDb,
  { intervalMs = 250, maxItems = 50 }: { intervalMs?: number; maxItems?: number } = {},
): BatchWriter {
  type Queued = Imported & { resolve(result: AddResult): void; reject(reason: unknown): void }
  let queued: Queued[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  // Batches are written one after another, in the order they were queued.
  let written: Promise<void> = Promise.resolve()

  const writeOneByOne = async (batch: Queued[]) => {
    let full: unknown
    for (const item of batch) {
      // Once one file did not fit, the next ones would only fail too: refuse them unwritten.
      if (full) {
        item.reject(full)
        continue
      }
      try {
        const [result] = await addImages(db, [item])
        item.resolve(result!)
      } catch (err) {
        if (hasName(err, 'StorageFullError')) full = err
        item.reject(err)
      }
    }
  }

  const flush = () => {
    clearTimeout(timer)
    timer = undefined
    const batch = queued
    queued = []
    if (batch.length > 0) {
      written = written.then(() =>
        addImages(db, batch).then(
          (results) => batch.forEach((item, i) => item.resolve(results[i]!)),
          (err: unknown) =>
            hasName(err, 'StorageFullError') && batch.length > 1
              ? writeOneByOne(batch)
              : batch.forEach((item) => item.reject(err)),
        ),
      )
    }
    return written
  }

  return {
    add: (item) =>
      new Promise<AddResult>((resolve, reject) => {
        queued.push({ ...item, resolve, reject })
        if (queued.length >= maxItems) void flush()
        else timer ??= setTimeout(flush, intervalMs)
      }),
    flush,
  }
}
