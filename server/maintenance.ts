import type { BlobStore } from './blobs/types'
import type { Staging } from './blobs/staging'
import type { Store } from './db'
import type { Logger } from './lib/log'

/** How long the per-minute monitoring history is kept. */
const historyMs = 30 * 24 * 60 * 60 * 1000
/** How long resolved alerts stay in the history. */
const alertsMs = 90 * 24 * 60 * 60 * 1000

export interface Housekeeping {
  /** Deletes files nobody keeps any more; returns how many. */
  collectOrphans(): Promise<number>
  /** Expired sessions, abandoned uploads, unreferenced files: everything, once. */
  sweep(): Promise<{ sessions: number; uploads: number; released: number; files: number }>
}

export function createHousekeeping(deps: {
  store: Store
  blobStore: BlobStore
  staging: Staging
  log: Logger
  withLock: <T>(key: string, task: () => Promise<T>) => Promise<T>
}): Housekeeping {
  const { store, blobStore, staging, log, withLock } = deps

  async function collectOrphans(): Promise<number> {
    let removed = 0
    for (const sha256 of await store.blobs.orphans()) {
      // Under the file's lock, so an upload of the same bytes cannot land in between.
      await withLock(sha256, async () => {
        if (await store.blobs.forgetOrphan(sha256)) {
          await blobStore.remove(sha256)
          removed++
        }
      })
    }
    return removed
  }

  return {
    collectOrphans,
    async sweep() {
      const sessions = await store.sessions.purgeExpired()
      const stale = await store.blobs.staleUploads()
      for (const id of stale) {
        await store.blobs.removeUpload(id)
        await staging.remove(id)
      }
      const released = await store.blobs.releaseUnreferenced()
      const files = await collectOrphans()
      const history = await store.monitoring.prune(Date.now() - historyMs)
      const alerts = await store.alerts.prune(Date.now() - alertsMs)
      const summary = { sessions, uploads: stale.length, released, files }
      log.info({ ...summary, history, alerts }, 'housekeeping')
      return summary
    },
  }
}
