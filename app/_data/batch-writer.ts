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

  const flush = () => {
    clearTimeout(timer)
    timer = undefined
    const batch = queued
    queued = []
    if (batch.length > 0) {
      written = written.then(() =>
        addImages(db, batch).then(
          (results) => batch.forEach((item, i) => item.resolve(results[i]!)),
          (err: unknown) => batch.forEach((item) => item.reject(err)),
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
