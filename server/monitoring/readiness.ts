import { statfs } from 'node:fs/promises'
import type { BlobStore } from '../blobs/types'
import { isMigrated, type Store } from '../db'
import type { Config } from '../env'

export interface Check {
  ok: boolean
  detail?: string
}

export interface Readiness {
  ok: boolean
  checks: { database: Check; migrations: Check; blobStore: Check; disk: Check }
  /** Free bytes on the data disk, when the disk check could read them. */
  freeBytes?: number
}

/** Free bytes on the disk that holds the data folder. */
export async function freeBytes(dataDir: string): Promise<number> {
  const { bavail, bsize } = await statfs(dataDir)
  return bavail * bsize
}

async function probe(run: () => Promise<boolean | Check>): Promise<Check> {
  try {
    const result = await run()
    if (typeof result === 'object') return result
    return result ? { ok: true } : { ok: false, detail: 'not yet' }
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.name : 'error' }
  }
}

/** What `/api/ready` answers and the readiness alert watches. */
export async function checkReadiness(deps: {
  store: Store
  blobStore: BlobStore
  config: Config
}): Promise<Readiness> {
  const { store, blobStore, config } = deps
  let free: number | undefined
  const checks = {
    database: await probe(async () => (await store.db.execute('SELECT 1')).rows.length === 1),
    migrations: await probe(() => isMigrated(store.db)),
    blobStore: await probe(async () => {
      await blobStore.check()
      return true
    }),
    disk: await probe(async () => {
      const bytes = await freeBytes(config.dataDir)
      free = bytes
      return {
        ok: bytes >= config.minFreeBytes,
        detail: `${Math.floor(bytes / 1024 / 1024)} MiB free`,
      }
    }),
  }
  return { ok: Object.values(checks).every((item) => item.ok), checks, freeBytes: free }
}
