import type { TaskId } from '../../../models'
import type { EditRecord, ImageRecord, SightlineDb, SyncedRecord } from '../db'
import { write } from '../write'
import { downloadFile, sha256Hex } from './files'
import { call, type GatewayClient } from './gateway'
import {
  dataToEdit,
  dataToImage,
  dataToResult,
  InvalidRecipeError,
  localKey,
  type ImageData,
  type RecipeData,
  type ResultData,
} from './protocol'

type Pulled = {
  kind: 'image' | 'result' | 'recipe'
  id: string
  seq: number
  deleted: boolean
  data: unknown
  deviceId: string
  updatedAt: number
}

/** Files fetched for one change; `keepEdited` when the edited version here is already the one. */
interface Got {
  original?: Blob
  thumbnail?: Blob
  edited?: Blob
  keepEdited?: boolean
}

/** By `<kind>:<id>` (an image and its recipe share the id). */
type Files = Map<string, Got>

const fileKey = (change: Pulled) => `${change.kind}:${change.id}`

/** Images and edits whose files are fetched before one transaction applies them (bounds memory). */
const imagesPerStep = 4

/**
 * Applies every change the gateway has after this device's cursor, in the gateway's order. An
 * image's files (and an edit's edited version) are downloaded before its record is written, so
 * the library never lists an image it cannot show. Records with an unpushed local change are left
 * alone: the local change is pushed next and, arriving later, wins. A recipe whose operations this
 * version of the app cannot use is skipped with a warning.
 */
export async function pullChanges(
  signal: AbortSignal,
  db: SightlineDb,
  api: GatewayClient,
  deviceId: string,
  onProgress?: (applied: number) => void,
): Promise<number> {
  let applied = 0
  for (;;) {
    signal.throwIfAborted()
    const state = await db.syncState.get('sync')
    if (!state) return applied
    const page = await call(() =>
      api.rpc.sync.pull.$get(
        { query: { since: String(state.cursor), limit: '200' } },
        { init: { signal } },
      ),
    )
    let start = 0
    while (start < page.changes.length) {
      const step: Pulled[] = []
      let downloads = 0
      while (start < page.changes.length && downloads < imagesPerStep) {
        const change = page.changes[start++] as Pulled
        step.push(change)
        if (change.kind !== 'result' && !change.deleted) downloads++
      }
      const files = await fetchFiles(signal, db, api, step)
      await apply(db, deviceId, step, files)
      applied += step.length
      onProgress?.(applied)
    }
    if (!page.hasMore) return applied
  }
}

async function fetchFiles(
  signal: AbortSignal,
  db: SightlineDb,
  api: GatewayClient,
  step: Pulled[],
): Promise<Files> {
  const files: Files = new Map()
  for (const change of step) {
    if (change.kind === 'result' || change.deleted) continue
    const known = await db.syncRecords.get([change.kind, change.id])
    if (known && known.seq >= change.seq) continue
    // Left alone by `apply`: a pending local change.
    if (await db.outbox.get([change.kind, change.id])) continue
    if (change.kind === 'recipe') {
      const got = await fetchEdited(signal, db, api, change)
      if (got) files.set(fileKey(change), got)
      continue
    }
    const data = change.data as ImageData
    // Also left alone: the same file under another id here.
    const twin = await db.images.where('hash').equals(data.hash).first()
    if (twin && twin.id !== change.id) continue
    const local = await db.images.get(change.id)
    const got: { original?: Blob; thumbnail?: Blob } = {}
    if (data.files.thumbnail && !(local && (await db.thumbnails.get(change.id)))) {
      got.thumbnail = await downloadFile(signal, api, data.files.thumbnail, 'image/webp')
    }
    if (
      data.files.original &&
      !(local?.hash === data.hash && (await db.originals.get(change.id)))
    ) {
      got.original = await downloadFile(signal, api, data.files.original, data.mime)
    }
    files.set(fileKey(change), got)
  }
  return files
}

/** The edited version a pulled recipe points at, unless this device has it already. */
async function fetchEdited(
  signal: AbortSignal,
  db: SightlineDb,
  api: GatewayClient,
  change: Pulled,
): Promise<Got | undefined> {
  const data = change.data as RecipeData
  if (!data.files.edited || !usableEdit(change)) return undefined
  if ((await db.syncRecords.get(['image', change.id]))?.duplicateOf) return undefined
  const local = await db.edited.get(change.id)
  if (local && (await sha256Hex(local.blob)) === data.files.edited) return { keepEdited: true }
  return { edited: await downloadFile(signal, api, data.files.edited, data.mime) }
}

function usableEdit(change: Pulled): boolean {
  try {
    dataToEdit(change.id, change.data as RecipeData)
    return true
  } catch (error) {
    if (error instanceof InvalidRecipeError) return false
    throw error
  }
}

async function apply(
  db: SightlineDb,
  deviceId: string,
  step: Pulled[],
  files: Files,
): Promise<void> {
  const tables = [
    db.images,
    db.originals,
    db.thumbnails,
    db.results,
    db.jobs,
    db.edits,
    db.edited,
    db.outbox,
    db.syncRecords,
    db.syncState,
  ]
  await write(db, tables, async () => {
    const pendingBefore = new Set((await db.outbox.toCollection().primaryKeys()).map(String))
    for (const change of step) {
      const known = await db.syncRecords.get([change.kind, change.id])
      // Our own push, or a version already applied.
      if (known && known.seq >= change.seq) continue
      const next: SyncedRecord = {
        kind: change.kind,
        key: change.id,
        seq: change.seq,
        deviceId: change.deviceId,
        updatedAt: change.updatedAt,
      }
      // A local change waits to be pushed. Its push names the version it was made on (`baseSeq`),
      // so this one is not recorded as seen: the gateway then reports that the push replaced it.
      if (pendingBefore.has(String([change.kind, change.id]))) continue
      if (known?.note) next.note = known.note
      if (change.kind === 'image') {
        await applyImage(db, deviceId, change, next, files.get(fileKey(change)))
      } else if (change.kind === 'recipe') {
        await applyRecipe(db, deviceId, change, next, files.get(fileKey(change)))
      } else {
        const imageId = change.id.slice(0, change.id.indexOf(':'))
        const image = await db.syncRecords.get(['image', imageId])
        if (!image?.duplicateOf) {
          const key = localKey('result', change.id) as [string, TaskId]
          if (change.deleted) await db.results.delete(key)
          else await db.results.put(dataToResult(change.data as ResultData))
        }
      }
      await db.syncRecords.put(next)
    }
    // The writes above went through the outbox middleware; they came from the gateway and must
    // not be pushed back.
    const echoes = (await db.outbox.toCollection().primaryKeys()).filter(
      (key) => !pendingBefore.has(String(key)),
    )
    await db.outbox.bulkDelete(echoes)
    const state = await db.syncState.get('sync')
    const last = step.at(-1)
    if (state && last) {
      await db.syncState.put({ ...state, cursor: Math.max(state.cursor, last.seq) })
    }
  })
}

async function applyImage(
  db: SightlineDb,
  deviceId: string,
  change: Pulled,
  next: SyncedRecord,
  got: Got = {},
): Promise<void> {
  const local = await db.images.get(change.id)
  if (change.deleted) {
    if (!local) return
    // The results and the edit stay, as on the gateway: an image put in the trash elsewhere may
    // come back, and its results and edit are only deleted (each with its own change) when that
    // trash is emptied.
    await Promise.all([
      db.images.delete(change.id),
      db.originals.delete(change.id),
      db.thumbnails.delete(change.id),
      db.jobs.where('imageId').equals(change.id).delete(),
    ])
    delete next.note
    return
  }
  const data = change.data as ImageData
  const twin = await db.images.where('hash').equals(data.hash).first()
  if (twin && twin.id !== change.id) {
    // The same file was imported on two devices; this one keeps its own record. Results that
    // came before the image (it was edited after them) were for the other record: drop them.
    next.duplicateOf = twin.id
    await db.results.where('imageId').equals(change.id).delete()
    await Promise.all([db.edits.delete(change.id), db.edited.delete(change.id)])
    return
  }
  const image: ImageRecord = dataToImage(change.id, data, local)
  await db.images.put(image)
  if (got.original) await db.originals.put({ id: change.id, blob: got.original })
  if (got.thumbnail) await db.thumbnails.put({ id: change.id, blob: got.thumbnail })
  if (local && change.deviceId !== deviceId) {
    next.note = { kind: 'edited-elsewhere', at: change.updatedAt }
  }
}

async function applyRecipe(
  db: SightlineDb,
  deviceId: string,
  change: Pulled,
  next: SyncedRecord,
  got: Got = {},
): Promise<void> {
  // The edit of an image that is a duplicate here was made on the other record.
  if ((await db.syncRecords.get(['image', change.id]))?.duplicateOf) return
  const local = await db.edits.get(change.id)
  if (change.deleted) {
    await Promise.all([db.edits.delete(change.id), db.edited.delete(change.id)])
    delete next.note
    return
  }
  let edit: EditRecord
  try {
    edit = dataToEdit(change.id, change.data as RecipeData)
  } catch (error) {
    if (!(error instanceof InvalidRecipeError)) throw error
    // Seen but not applied: the local edit, if any, stays as it is.
    console.warn(`Skipped an edit from the server: ${error.message}`)
    return
  }
  await db.edits.put(edit)
  const sameSave = local?.revision === edit.revision && local.savedAt === edit.savedAt
  if (got.edited) await db.edited.put({ id: change.id, blob: got.edited })
  // Without the sender's edited version, one here of another save would not match the recipe.
  else if (!got.keepEdited && !sameSave) await db.edited.delete(change.id)
  if (local && change.deviceId !== deviceId) {
    next.note = { kind: 'edited-elsewhere', at: change.updatedAt }
  }
}
