import type { TaskId } from '../../../models'
import type { OutboxEntry, SightlineDb, SyncedRecord } from '../db'
import { sha256Hex, uploadFile } from './files'
import { call, GatewayError, type GatewayClient } from './gateway'
import { editToData, imageToData, localKey, resultToData, type EditFiles } from './protocol'
import type { SyncedFiles } from './state'

type Change = {
  kind: OutboxEntry['kind']
  id: string
  changeId: string
  baseSeq: number | null
  deleted: boolean
  data?: unknown
}

/** Largest push body we build (the gateway takes 16 MiB). */
const maxPushBytes = 6 * 1024 * 1024

export interface PushProgress {
  pending: number
  sent: number
}

/**
 * Sends every change in the outbox, oldest first: an image's files (and an edit's edited version)
 * go up before its record, as far as the device's files setting allows. An entry leaves the
 * outbox only when the gateway has acknowledged exactly the change it holds.
 */
export async function pushChanges(
  signal: AbortSignal,
  db: SightlineDb,
  api: GatewayClient,
  deviceId: string,
  onProgress?: (progress: PushProgress) => void,
): Promise<number> {
  let sent = 0
  for (;;) {
    signal.throwIfAborted()
    const entries = await claimBatch(db)
    if (entries.length === 0) return sent
    onProgress?.({ pending: await db.outbox.count(), sent })
    const changes: Change[] = []
    let bytes = 0
    const files = (await db.syncState.get('sync'))?.files ?? 'all'
    for (const entry of entries) {
      const change = await buildChange(signal, db, api, entry, files)
      const size = JSON.stringify(change).length
      if (changes.length > 0 && bytes + size > maxPushBytes) break
      changes.push(change)
      bytes += size
    }
    const { outcomes } = await call(() =>
      api.rpc.sync.push.$post({ json: { deviceId, changes } }, { init: { signal } }),
    )
    await settle(db, deviceId, changes, outcomes)
    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected')
    if (rejected.length > 0) {
      throw new GatewayError(409, 'rejected', rejected[0]?.detail ?? 'The server refused a change')
    }
    sent += changes.length
  }
}

/** The oldest outbox entries, each given a change id that stays with it until acknowledged. */
function claimBatch(db: SightlineDb): Promise<Required<OutboxEntry>[]> {
  return db.transaction('rw', db.outbox, async () => {
    const entries = await db.outbox.orderBy('at').limit(100).toArray()
    const fresh = entries.filter((entry) => !entry.changeId)
    for (const entry of fresh) entry.changeId = crypto.randomUUID()
    await db.outbox.bulkPut(fresh)
    return entries as Required<OutboxEntry>[]
  })
}

async function buildChange(
  signal: AbortSignal,
  db: SightlineDb,
  api: GatewayClient,
  entry: Required<OutboxEntry>,
  files: SyncedFiles,
): Promise<Change> {
  const known = await db.syncRecords.get([entry.kind, entry.key])
  const base = {
    kind: entry.kind,
    id: entry.key,
    changeId: entry.changeId,
    baseSeq: known?.seq ?? null,
  }
  if (entry.kind === 'image') {
    const image = await db.images.get(entry.key)
    if (!image || image.deletedAt !== undefined) return { ...base, deleted: true }
    // `edited` sends no original and no thumbnail of any image: an edited image's only picture
    // that leaves the device is its edited version, sent with its recipe.
    if (files !== 'all') {
      const { gps: _gps, ...exif } = image.exif
      return { ...base, deleted: false, data: imageToData({ ...image, exif }, {}) }
    }
    const original = await db.originals.get(image.id)
    const thumbnail = await db.thumbnails.get(image.id)
    const sent: { original?: string; thumbnail?: string } = {}
    if (thumbnail) {
      sent.thumbnail = await sha256Hex(thumbnail.blob)
      await uploadFile(signal, api, thumbnail.blob, sent.thumbnail)
    }
    if (original) {
      await uploadFile(signal, api, original.blob, image.hash)
      sent.original = image.hash
    }
    return { ...base, deleted: false, data: imageToData(image, sent) }
  }
  if (entry.kind === 'recipe') {
    // Read together, so the edited version is the one of this save.
    const [edit, edited] = await db.transaction('r', [db.edits, db.edited], () =>
      Promise.all([db.edits.get(entry.key), db.edited.get(entry.key)]),
    )
    if (!edit) return { ...base, deleted: true }
    const sent: EditFiles = {}
    if (edited && files !== 'none') {
      sent.edited = await sha256Hex(edited.blob)
      await uploadFile(signal, api, edited.blob, sent.edited)
    }
    return { ...base, deleted: false, data: editToData(edit, sent) }
  }
  const result = await db.results.get(localKey('result', entry.key) as [string, TaskId])
  if (!result) return { ...base, deleted: true }
  return { ...base, deleted: false, data: resultToData(result) }
}

/** Clears acknowledged entries and remembers the versions the gateway now has. */
async function settle(
  db: SightlineDb,
  deviceId: string,
  changes: Change[],
  outcomes: {
    kind: string
    id: string
    status: string
    seq?: number
    overwrote?: unknown
  }[],
): Promise<void> {
  await db.transaction('rw', [db.outbox, db.syncRecords], async () => {
    for (const [index, outcome] of outcomes.entries()) {
      const change = changes[index]
      if (!change || outcome.status === 'rejected' || outcome.seq === undefined) continue
      const entry = await db.outbox.get([change.kind, change.id])
      // A newer local change replaced the entry while this one was in flight: keep it.
      if (entry?.changeId === change.changeId) await db.outbox.delete([change.kind, change.id])
      const record: SyncedRecord = {
        kind: change.kind,
        key: change.id,
        seq: outcome.seq,
        deviceId,
        updatedAt: Date.now(),
      }
      if (outcome.overwrote) record.note = { kind: 'replaced-elsewhere', at: Date.now() }
      await db.syncRecords.put(record)
    }
  })
}
