import Dexie, { type EntityTable, type Table, type Transaction } from 'dexie'
import type { ResultOf, TaskId } from '../../models'
import type { Recipe } from '../../models/_transform/recipe'
import type { ExifSummary, ImageFormat, Inspected } from '../../workers/import/types'
import { outboxMiddleware } from './sync/outbox'

/** One image in the library: everything the library view lists, without the pixels. */
export interface ImageRecord {
  /** `crypto.randomUUID()`; also the key of the image's original and thumbnail blobs. */
  id: string
  /** SHA-256 of the original's bytes, lowercase hex; unique across the library, trash included. */
  hash: string
  name: string
  mime: Inspected['mime']
  format: ImageFormat
  bytes: number
  /** Pixel size as displayed, after EXIF orientation. */
  width: number
  height: number
  /** EXIF orientation 1–8. */
  orientation: number
  exif: ExifSummary
  /** Normalised by `normaliseTags`: trimmed, lower-case, unique, 1–40 characters each. */
  tags: string[]
  /** Epoch ms. */
  addedAt: number
  /** Epoch ms of the last change to this record. */
  updatedAt: number
  /**
   * `exif.takenAt` as a sort key: the camera's wall-clock time read as if it were UTC, any zone
   * offset ignored (see `parseTakenAt`). Not a real instant; only for ordering.
   */
  takenAt?: number
  /** Epoch ms when the image was moved to the trash; absent while it is in the library. */
  deletedAt?: number
  thumbnailWidth: number
  thumbnailHeight: number
}

/** A blob stored apart from its `ImageRecord`, under the same id, so listing never reads it. */
export interface BlobRecord {
  id: string
  blob: Blob
}

/** One task's stored output for one image; re-running the task replaces it. */
export interface ResultRecord<Id extends TaskId = TaskId> {
  imageId: string
  task: Id
  /** `manifest.version` of the task that produced it. */
  version: string
  /** Where the models ran: `js` for tasks without a model. */
  provider: 'webgpu' | 'wasm' | 'js'
  threads: number
  /** Pre-processing, inference and post-processing, without decoding or model loading. */
  durationMs: number
  /** Decoding the image for the task. */
  decodeMs: number
  /** Epoch ms. */
  createdAt: number
  /** Size of the image the task saw; coordinates in `output` are in its pixels. */
  imageSize: { width: number; height: number }
  /** Which pixels were analysed: the original, or the saved edited version. */
  source: ImageSource
  /** The edit's revision that was analysed, when `source` is `edited`. */
  editRevision?: number
  output: ResultOf<Id>
}

/** Which version of an image: the original as imported, or its saved edit. */
export type ImageSource = 'original' | 'edited'

/**
 * An image's saved edit: the recipe of operations, applied to the original (which never
 * changes). The rendered pixels are in `edited` under the image's id.
 */
export interface EditRecord {
  imageId: string
  operations: Recipe
  /** 1 for the first save; each save of this image's edit adds one. */
  revision: number
  /** Epoch ms. */
  savedAt: number
  /** Size and type of the rendered edited version. */
  width: number
  height: number
  mime: 'image/jpeg' | 'image/png'
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed'

/** One image × task waiting in, running in, or finished by the analysis queue. */
export interface JobRecord {
  /** Auto-increment: the queue runs jobs in this order. */
  id?: number
  imageId: string
  task: TaskId
  status: JobStatus
  /** Which pixels to analyse; absent means the original. */
  source?: ImageSource
  /** Jobs enqueued while the queue was busy share its batch, so progress covers them all. */
  batch: number
  /** Epoch ms. */
  createdAt: number
  finishedAt?: number
  durationMs?: number
  /** Why a failed job failed: the error's name and its user-facing message. */
  error?: { name: string; message: string }
}

/** A record kind that syncs, as the gateway names it. */
export type SyncKind = 'image' | 'result' | 'recipe'

/**
 * A local change the gateway has not acknowledged yet, one per record (later changes to the same
 * record replace it). Written by the outbox middleware in the same transaction as the change.
 */
export interface OutboxEntry {
  kind: SyncKind
  /** The record's id on the gateway: the image id, or `<imageId>:<task>` for a result. */
  key: string
  /** Epoch ms of the latest change. */
  at: number
  /** Fixed when the change is first pushed, so a retried push is recognised as the same change. */
  changeId?: string
}

/** What this device knows of a record's version on the gateway. */
export interface SyncedRecord {
  kind: SyncKind
  key: string
  /** The gateway's sequence number of the version this device has. */
  seq: number
  /** The device that wrote that version. */
  deviceId: string
  updatedAt: number
  /** Set when another device's version replaced this device's, or the other way round. */
  note?: { kind: 'edited-elsewhere' | 'replaced-elsewhere'; at: number }
  /** An image that arrived from another device with the bytes of an image already here. */
  duplicateOf?: string
}

/** The device's sync settings and progress (one row, key `sync`). */
export interface SyncStateRecord {
  key: 'sync'
  deviceId: string
  /** The account this library syncs with; a different account starts over with a full push. */
  userId?: string
  enabled: boolean
  /**
   * What this device sends: `all` (image files, edited versions, records and results), `edited`
   * (records and results, plus the edited version of each image that has a saved edit; no
   * original, thumbnail or GPS position) or `none` (records and results without any image file or
   * GPS position). Absent means `all`.
   */
  files?: 'all' | 'edited' | 'none'
  /** The gateway's cursor after the last pull. */
  cursor: number
  lastSyncedAt?: number
}

/** One step of the schema history. */
export interface SchemaVersion {
  version: number
  /** Dexie store specs of the tables this version adds or changes (`null` drops a table). */
  stores: Record<string, string | null>
  /** Rewrites rows written by older versions; runs once, inside the version-change transaction. */
  upgrade?: (tx: Transaction) => PromiseLike<unknown> | void
}

/**
 * The schema history, oldest first. Never edit a version that has shipped: browsers already hold
 * databases at that version and would not notice. To change the schema, append the next version
 * with only the tables that change and, when existing rows need rewriting, an `upgrade`, e.g.
 *
 * ```ts
 * {
 *   version: 2,
 *   stores: { images: 'id, &hash, *tags, addedAt, takenAt, deletedAt, rating' },
 *   upgrade: (tx) =>
 *     tx.table('images').toCollection().modify((image) => {
 *       image.rating = 0
 *     }),
 * },
 * ```
 *
 * then extend `ImageRecord` and add a test to db.test.ts that writes with the previous version's
 * definition and reopens with `SightlineDb`.
 */
export const schemaVersions: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: {
      // `&hash` is unique so that two imports of the same bytes cannot both succeed; `deletedAt`
      // is indexed for `purgeTrash` (records without it are left out of the index).
      images: 'id, &hash, *tags, addedAt, takenAt, deletedAt',
      originals: 'id',
      thumbnails: 'id',
    },
  },
  {
    version: 2,
    stores: {
      results: '[imageId+task], imageId, task',
      // `[batch+status]` counts a batch's progress without reading its jobs.
      jobs: '++id, status, imageId, batch, [batch+status]',
    },
  },
  {
    version: 3,
    stores: {
      outbox: '[kind+key], at',
      syncRecords: '[kind+key]',
      syncState: 'key',
    },
  },
  {
    version: 4,
    stores: {
      edits: 'imageId',
      edited: 'id',
    },
  },
]

export const defaultDbName = 'sightline'

/** The library's IndexedDB database. */
export class SightlineDb extends Dexie {
  declare images: EntityTable<ImageRecord, 'id'>
  declare originals: EntityTable<BlobRecord, 'id'>
  declare thumbnails: EntityTable<BlobRecord, 'id'>
  declare results: Table<ResultRecord, [string, TaskId]>
  declare jobs: EntityTable<JobRecord, 'id'>
  declare outbox: Table<OutboxEntry, [SyncKind, string]>
  declare syncRecords: Table<SyncedRecord, [SyncKind, string]>
  declare syncState: Table<SyncStateRecord, string>
  declare edits: EntityTable<EditRecord, 'imageId'>
  declare edited: EntityTable<BlobRecord, 'id'>

  constructor(name: string = defaultDbName) {
    super(name)
    for (const { version, stores, upgrade } of schemaVersions) {
      const declared = this.version(version).stores(stores)
      if (upgrade) declared.upgrade(upgrade)
    }
    this.use(outboxMiddleware)
  }
}

/** A new connection to the database called `name`; tests pass a unique name each. */
export function createDb(name: string): SightlineDb {
  return new SightlineDb(name)
}

const openDbs = new Map<string, SightlineDb>()

/** The app's shared connection to the database called `name`, created on first use. */
export function getOrCreateDb(name: string = defaultDbName): SightlineDb {
  let db = openDbs.get(name)
  if (!db) {
    db = createDb(name)
    openDbs.set(name, db)
  }
  return db
}
