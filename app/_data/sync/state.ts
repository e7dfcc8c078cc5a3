import type { SightlineDb, SyncStateRecord } from '../db'
import { resultKey } from './outbox'

/** The device's sync row, created (with a new device id, sync off) on first use. */
export async function readSyncState(db: SightlineDb): Promise<SyncStateRecord> {
  const found = await db.syncState.get('sync')
  if (found) return found
  const fresh: SyncStateRecord = {
    key: 'sync',
    deviceId: crypto.randomUUID(),
    enabled: false,
    cursor: 0,
  }
  // Another tab may have created it meanwhile; whichever row landed first is the device's.
  await db.syncState.add(fresh).catch(() => undefined)
  return (await db.syncState.get('sync')) ?? fresh
}

/**
 * Turns sync on for `userId`. A library that synced with another account (or never synced) starts
 * over: every local record is queued for a push and the cursor goes back to the beginning.
 */
export async function enableSync(db: SightlineDb, userId: string): Promise<void> {
  const state = await readSyncState(db)
  const sameAccount = state.userId === userId
  await db.transaction(
    'rw',
    [db.syncState, db.outbox, db.syncRecords, db.images, db.results, db.edits],
    async () => {
      if (!sameAccount) {
        await db.syncRecords.clear()
        const at = Date.now()
        const images = await db.images.toCollection().primaryKeys()
        const results = await db.results.toCollection().primaryKeys()
        const edits = await db.edits.toCollection().primaryKeys()
        await db.outbox.bulkPut([
          ...images.map((key) => ({ kind: 'image' as const, key, at })),
          ...results.map(([imageId, task]) => ({
            kind: 'result' as const,
            key: resultKey(imageId, task),
            at,
          })),
          ...edits.map((key) => ({ kind: 'recipe' as const, key, at })),
        ])
      }
      await db.syncState.put({
        ...state,
        userId,
        enabled: true,
        cursor: sameAccount ? state.cursor : 0,
      })
    },
  )
}

/** Turns sync off; local data and pending changes stay, for when it is turned on again. */
export async function disableSync(db: SightlineDb): Promise<void> {
  const state = await readSyncState(db)
  await db.syncState.put({ ...state, enabled: false })
}

/** Which image files this device sends; see `SyncStateRecord.files`. */
export type SyncedFiles = NonNullable<SyncStateRecord['files']>

/**
 * Chooses which image files this device sends: all, only edited versions, or none. Every image
 * and edit is queued again so that the gateway's copy matches the choice (files no longer pointed
 * at are released there).
 */
export async function setSyncedFiles(db: SightlineDb, files: SyncedFiles): Promise<void> {
  await db.transaction('rw', [db.syncState, db.outbox, db.images, db.edits], async () => {
    const state = await readSyncState(db)
    if ((state.files ?? 'all') === files) return
    await db.syncState.put({ ...state, files })
    const at = Date.now()
    const images = await db.images.toCollection().primaryKeys()
    const edits = await db.edits.toCollection().primaryKeys()
    await db.outbox.bulkPut([
      ...images.map((key) => ({ kind: 'image' as const, key, at })),
      ...edits.map((key) => ({ kind: 'recipe' as const, key, at })),
    ])
  })
}
