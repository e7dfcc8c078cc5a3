import { z } from 'zod'
import { hasName } from '../../../models/errors'
import { operationSchema } from '../../../models/_transform/recipe'
import type { EditRecord, ImageRecord, ResultRecord, SightlineDb } from '../db'
import { write } from '../write'
import { BackupFormatError, BackupVersionError } from './errors'
import {
  backupFormat,
  backupVersion,
  editedPath,
  fromBackupJson,
  manifestPath,
  manifestSchema,
  originalPath,
  resultRecordSchema,
  resultsPath,
  thumbnailPath,
  type BackupEdit,
  type BackupImage,
} from './format'
import type { BackupProgress } from './progress'
import { entryBlob, readEntry, readZipDirectory, type ZipEntry } from './zip'

export interface ImportReport {
  /** Names of the images added to the library. */
  added: string[]
  /** Names of the images whose bytes were in the library already (trash included); left alone. */
  alreadyThere: string[]
  /** Images not added, with why. */
  failed: { name: string; reason: string }[]
  /** Results restored with the added images. */
  results: number
  /** Saved edits restored with the added images. */
  edits: number
  /** Why the import stopped before the end, for the user; the images it did not reach are in `failed`. */
  stopped?: string
}

export interface ImportOptions {
  onProgress?: (progress: BackupProgress) => void
  /** Most images, and most bytes of originals and edited versions, written in one transaction. */
  batchImages?: number
  batchBytes?: number
}

/** An image of the backup with its entries in the archive. */
interface Planned {
  image: BackupImage
  original?: ZipEntry
  thumbnail?: ZipEntry
  results?: ZipEntry
  edit?: BackupEdit
  edited?: ZipEntry
}

/**
 * Restores a backup archive (see format.ts) into the library. The whole file is checked first
 * (manifest, edits, every entry's presence and size, every original's SHA-256, the other files'
 * checksums, results' shape), so a damaged or foreign file throws BackupFormatError or
 * BackupVersionError and changes nothing. Images whose bytes are already in the library are
 * left alone, their own edits too. Each image is then written with its files, results and edit
 * in the same transaction; when storage runs out, the import stops, keeps what it wrote, and
 * says so in `stopped`.
 * Aborting rejects with the signal's reason and keeps the images written before.
 */
export async function importBackup(
  signal: AbortSignal,
  db: SightlineDb,
  archive: Blob,
  { onProgress, batchImages = 16, batchBytes = 64 * 1024 * 1024 }: ImportOptions = {},
): Promise<ImportReport> {
  signal.throwIfAborted()
  const entries = await readZipDirectory(archive)
  const plan = planImages(await readManifest(archive, entries), entries)
  await checkFiles(signal, archive, plan, onProgress)
  return restore(signal, db, archive, plan, { onProgress, batchImages, batchBytes })
}

async function readManifest(archive: Blob, entries: Map<string, ZipEntry>) {
  const entry = entries.get(manifestPath)
  if (!entry) {
    throw new BackupFormatError(
      `This ZIP archive is not a Sightline library backup: it has no ${manifestPath}.`,
    )
  }
  let raw: unknown
  try {
    raw = fromBackupJson(
      new TextDecoder('utf-8', { fatal: true }).decode(await readEntry(archive, entry)),
    )
  } catch (cause) {
    if (cause instanceof BackupFormatError) throw cause
    throw new BackupFormatError(`The backup's ${manifestPath} is not valid JSON.`, { cause })
  }
  const { format, version, recipes } = (raw ?? {}) as Record<string, unknown>
  if (format !== backupFormat) {
    throw new BackupFormatError(
      `This ZIP archive is not a Sightline library backup: its ${manifestPath} is of format ` +
        `${JSON.stringify(format ?? null)}, not "${backupFormat}".`,
    )
  }
  if (typeof version === 'number' && version > backupVersion) {
    throw new BackupVersionError(
      `This backup was made by a newer version of Sightline (backup format ${version}); this ` +
        `version reads format ${backupVersion}. Update Sightline, then import it again.`,
    )
  }
  // A newer Sightline may add operations without a new backup version.
  const unknown = unknownOperations(recipes)
  if (unknown.length > 0) {
    throw new BackupVersionError(
      `This backup holds edits made with operations this version of Sightline does not know ` +
        `(${unknown.join(', ')}). Update Sightline, then import it again.`,
    )
  }
  const parsed = manifestSchema.safeParse(raw)
  if (!parsed.success) throw invalid(manifestPath, parsed.error)
  return parsed.data
}

const knownOperations = new Set<string>(operationSchema.options.map(({ shape }) => shape.op.value))

/** The `op`s of the manifest's recipes, before validation, that this version does not know. */
function unknownOperations(recipes: unknown): string[] {
  if (!Array.isArray(recipes)) return []
  const unknown = new Set<string>()
  for (const recipe of recipes as unknown[]) {
    const operations = (recipe as { operations?: unknown } | null)?.operations
    if (!Array.isArray(operations)) continue
    for (const operation of operations as unknown[]) {
      const op = (operation as { op?: unknown } | null)?.op
      if (typeof op === 'string' && !knownOperations.has(op)) unknown.add(JSON.stringify(op))
    }
  }
  return [...unknown]
}

/** Pairs each image with its entries and edit; checks what can be checked without reading files. */
function planImages(
  manifest: z.infer<typeof manifestSchema>,
  entries: Map<string, ZipEntry>,
): Planned[] {
  const imageIds = new Set(manifest.images.map(({ record }) => record.id))
  const edits = new Map<string, BackupEdit>()
  for (const edit of manifest.recipes) {
    if (!imageIds.has(edit.imageId)) {
      throw damaged(`it holds an edit of image ${edit.imageId}, which is not among its images`)
    }
    if (edits.has(edit.imageId)) throw damaged(`the image ${edit.imageId} has two edits`)
    edits.set(edit.imageId, edit)
  }
  const ids = new Set<string>()
  const hashes = new Set<string>()
  return manifest.images.map((image) => {
    const { record, files, results } = image
    const what = `"${record.name}"`
    if (ids.has(record.id)) throw damaged(`the image id ${record.id} appears twice`)
    if (hashes.has(record.hash)) throw damaged(`${what} appears twice`)
    ids.add(record.id)
    hashes.add(record.hash)
    const entry = (path: string, declared: boolean) => {
      const found = entries.get(path)
      if (declared && !found) throw damaged(`${path}, a file of ${what}, is missing`)
      return declared ? found : undefined
    }
    const planned: Planned = {
      image,
      original: entry(originalPath(record.id), files.original !== undefined),
      thumbnail: entry(thumbnailPath(record.id), files.thumbnail !== undefined),
      results: entry(resultsPath(record.id), results.length > 0),
      edit: edits.get(record.id),
      edited: entry(editedPath(record.id), files.edited !== undefined),
    }
    if (planned.edited && !planned.edit) {
      throw damaged(`${what} has an edited version but no edit`)
    }
    if (planned.edited?.bytes === 0) throw damaged(`the edited version of ${what} is empty`)
    if (planned.original && planned.original.bytes !== record.bytes) {
      throw damaged(
        `the original of ${what} is ${planned.original.bytes} bytes instead of ${record.bytes}`,
      )
    }
    if (new Set(results).size !== results.length) {
      throw damaged(`${what} lists the same task's results twice`)
    }
    return planned
  })
}

/** Reads every file of the backup once, checking it, before anything is written. */
async function checkFiles(
  signal: AbortSignal,
  archive: Blob,
  plan: Planned[],
  onProgress?: (progress: BackupProgress) => void,
): Promise<void> {
  const sizeOf = (p: Planned) =>
    (p.original?.bytes ?? 0) +
    (p.thumbnail?.bytes ?? 0) +
    (p.results?.bytes ?? 0) +
    (p.edited?.bytes ?? 0)
  const progress: BackupProgress = {
    phase: 'checking',
    doneBytes: 0,
    totalBytes: plan.reduce((sum, p) => sum + sizeOf(p), 0),
    doneImages: 0,
    totalImages: plan.length,
  }
  onProgress?.({ ...progress })
  for (const planned of plan) {
    signal.throwIfAborted()
    const { record } = planned.image
    if (planned.original) {
      // SHA-256 checks the original better than its CRC, so the CRC is not computed.
      const bytes = await readEntry(archive, planned.original, { crc: false })
      if ((await sha256Hex(bytes)) !== record.hash) {
        throw damaged(`the original of "${record.name}" does not match its SHA-256 checksum`)
      }
    }
    if (planned.thumbnail) await readEntry(archive, planned.thumbnail)
    if (planned.results) await readResults(archive, planned)
    if (planned.edited) await readEntry(archive, planned.edited)
    progress.doneImages++
    progress.doneBytes += sizeOf(planned)
    onProgress?.({ ...progress })
  }
}

const resultsSchema = z.array(resultRecordSchema)

async function readResults(archive: Blob, planned: Planned): Promise<ResultRecord[]> {
  const { record, results: tasks } = planned.image
  const path = resultsPath(record.id)
  let raw: unknown
  try {
    raw = fromBackupJson(
      new TextDecoder('utf-8', { fatal: true }).decode(await readEntry(archive, planned.results!)),
    )
  } catch (cause) {
    if (cause instanceof BackupFormatError) throw cause
    throw damaged(`${path} is not valid JSON`, cause)
  }
  const parsed = resultsSchema.safeParse(raw)
  if (!parsed.success) throw invalid(path, parsed.error)
  const results = parsed.data as ResultRecord[]
  const found = results.map((result) => result.task)
  if (results.some((result) => result.imageId !== record.id)) {
    throw damaged(`${path} holds results of another image`)
  }
  if (found.join() !== tasks.join()) {
    throw damaged(
      `${path} holds results of ${found.join(', ') || 'no task'}, not ${tasks.join(', ')}`,
    )
  }
  return results
}

interface Ready {
  record: ImageRecord
  original?: Blob
  thumbnail?: Blob
  results: ResultRecord[]
  edit?: EditRecord
  edited?: Blob
}

/** Bytes a restore step holds in memory and writes: the original and the edited version. */
const pixelBytes = (p: Planned) => (p.original?.bytes ?? 0) + (p.edited?.bytes ?? 0)

async function restore(
  signal: AbortSignal,
  db: SightlineDb,
  archive: Blob,
  plan: Planned[],
  options: Required<Pick<ImportOptions, 'batchImages' | 'batchBytes'>> & ImportOptions,
): Promise<ImportReport> {
  const report: ImportReport = { added: [], alreadyThere: [], failed: [], results: 0, edits: 0 }
  const progress: BackupProgress = {
    phase: 'restoring',
    doneBytes: 0,
    totalBytes: plan.reduce((sum, p) => sum + pixelBytes(p), 0),
    doneImages: 0,
    totalImages: plan.length,
  }
  options.onProgress?.({ ...progress })
  let next = 0
  while (next < plan.length) {
    signal.throwIfAborted()
    const batch: Planned[] = []
    let bytes = 0
    while (
      next < plan.length &&
      batch.length < options.batchImages &&
      (batch.length === 0 || bytes + pixelBytes(plan[next]!) <= options.batchBytes)
    ) {
      bytes += pixelBytes(plan[next]!)
      batch.push(plan[next++]!)
    }
    // Read before the transaction: awaiting anything but the database inside it would end it.
    const ready = await Promise.all(batch.map((planned) => prepare(archive, planned)))
    let outcomes: ('added' | 'already-there')[]
    try {
      outcomes = await write(
        db,
        [db.images, db.originals, db.thumbnails, db.results, db.edits, db.edited],
        async () => {
          const done: ('added' | 'already-there')[] = []
          for (const item of ready) done.push(await restoreOne(db, item))
          return done
        },
      )
    } catch (err) {
      if (!hasName(err, 'StorageFullError')) throw err
      report.stopped = err.message
      for (const { image } of plan.slice(next - batch.length)) {
        report.failed.push({ name: image.record.name, reason: 'Browser storage is full.' })
      }
      return report
    }
    outcomes.forEach((outcome, i) => {
      const { record, results, edit } = ready[i]!
      if (outcome === 'added') {
        report.added.push(record.name)
        report.results += results.length
        if (edit) report.edits++
      } else {
        report.alreadyThere.push(record.name)
      }
    })
    progress.doneImages += batch.length
    progress.doneBytes += bytes
    options.onProgress?.({ ...progress })
  }
  return report
}

async function prepare(archive: Blob, planned: Planned): Promise<Ready> {
  const { record, files } = planned.image
  return {
    record: record as ImageRecord,
    original: planned.original && (await entryBlob(archive, planned.original, files.original!)),
    thumbnail: planned.thumbnail && (await entryBlob(archive, planned.thumbnail, files.thumbnail!)),
    results: planned.results ? await readResults(archive, planned) : [],
    edit: planned.edit,
    edited: planned.edited && (await entryBlob(archive, planned.edited, files.edited!)),
  }
}

/** Writes one image inside the caller's transaction, unless its bytes are already there. */
async function restoreOne(db: SightlineDb, item: Ready): Promise<'added' | 'already-there'> {
  if (await db.images.where('hash').equals(item.record.hash).first()) return 'already-there'
  // Another image took this id (ids are random, so only a hand-made file does this): the
  // restored image gets a new one.
  const id = (await db.images.get(item.record.id)) ? crypto.randomUUID() : item.record.id
  await db.images.add({ ...item.record, id })
  if (item.original) await db.originals.put({ id, blob: item.original })
  if (item.thumbnail) await db.thumbnails.put({ id, blob: item.thumbnail })
  if (item.results.length > 0) {
    await db.results.bulkPut(item.results.map((result) => ({ ...result, imageId: id })))
  }
  if (item.edit) await db.edits.put({ ...item.edit, imageId: id })
  if (item.edited) await db.edited.put({ id, blob: item.edited })
  return 'added'
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

function damaged(why: string, cause?: unknown): BackupFormatError {
  return new BackupFormatError(`This backup is damaged: ${why}.`, { cause })
}

function invalid(path: string, error: z.ZodError): BackupFormatError {
  const issue = error.issues[0]
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
  return new BackupFormatError(
    `This backup is damaged: ${path} is not as Sightline writes it (${issue?.message ?? 'invalid'}${where}).`,
    { cause: error },
  )
}
