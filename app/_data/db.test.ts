import 'fake-indexeddb/auto'
import Dexie from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createDb,
  defaultDbName,
  getOrCreateDb,
  schemaVersions,
  SightlineDb,
  type ImageRecord,
} from './db'

// The schema as version 1 shipped it. Databases in browsers were created from this; it must never
// change, so it is written out here rather than read from `schemaVersions`.
const version1Stores = {
  images: 'id, &hash, *tags, addedAt, takenAt, deletedAt',
  originals: 'id',
  thumbnails: 'id',
}

const names: string[] = []
function uniqueName(): string {
  const name = `db-test-${crypto.randomUUID()}`
  names.push(name)
  return name
}
afterEach(async () => {
  await Promise.all(names.splice(0).map((name) => Dexie.delete(name)))
})

const image: ImageRecord = {
  id: 'b7c1b5a4-0000-4000-8000-000000000001',
  hash: 'ab'.repeat(32),
  name: 'beach.jpg',
  mime: 'image/jpeg',
  format: 'jpg',
  bytes: 3,
  width: 4000,
  height: 3000,
  orientation: 1,
  exif: { make: 'Canon', takenAt: '2021-03-04T12:34:56' },
  tags: ['beach', 'sun'],
  addedAt: 1_000,
  updatedAt: 1_000,
  takenAt: Date.UTC(2021, 2, 4, 12, 34, 56),
  thumbnailWidth: 384,
  thumbnailHeight: 288,
}
const originalBytes = new Uint8Array([0xff, 0xd8, 0xff])

describe(SightlineDb, () => {
  it('keeps records and blobs across close and reopen', async () => {
    const name = uniqueName()
    const db = createDb(name)
    await db.images.add(image)
    await db.originals.add({ id: image.id, blob: new Blob([originalBytes]) })
    db.close()

    const reopened = createDb(name)
    const original = await reopened.originals.get(image.id)
    expect(await reopened.images.get(image.id)).toEqual(image)
    expect(new Uint8Array(await original!.blob.arrayBuffer())).toEqual(originalBytes)
    expect(await reopened.images.where('tags').equals('sun').primaryKeys()).toEqual([image.id])
    reopened.close()
  })

  it('opens a database written by version 1 and finds its records by every index', async () => {
    const name = uniqueName()
    const version1 = new Dexie(name)
    version1.version(1).stores(version1Stores)
    await version1.table('images').add(image)
    await version1.table('thumbnails').add({ id: image.id, blob: new Blob([originalBytes]) })
    version1.close()

    const db = createDb(name)
    await db.open()
    expect(db.verno).toBe(schemaVersions.at(-1)!.version)
    expect(await db.images.get({ hash: image.hash })).toEqual(image)
    expect(await db.images.where('tags').equals('beach').count()).toBe(1)
    expect(await db.images.orderBy('takenAt').primaryKeys()).toEqual([image.id])
    expect(await db.thumbnails.count()).toBe(1)
    db.close()
  })

  it('opens a version 3 database with its jobs and results, and stores edits beside them', async () => {
    const name = uniqueName()
    const version3 = new Dexie(name)
    for (const { version, stores } of schemaVersions.filter((step) => step.version <= 3)) {
      version3.version(version).stores(stores)
    }
    await version3.table('images').add(image)
    await version3.table('jobs').add({ imageId: image.id, task: 'face-detection', status: 'done' })
    version3.close()

    const db = createDb(name)
    await db.open()
    expect(await db.jobs.where('imageId').equals(image.id).count()).toBe(1)
    await db.edits.put({
      imageId: image.id,
      operations: [{ op: 'auto-orient' }, { op: 'grayscale' }],
      revision: 1,
      savedAt: 5,
      width: 4000,
      height: 3000,
      mime: 'image/jpeg',
    })
    await db.edited.put({ id: image.id, blob: new Blob([originalBytes]) })
    expect((await db.edits.get(image.id))?.operations).toHaveLength(2)
    expect(await db.edited.count()).toBe(1)
    db.close()
  })

  it('enforces one record per hash', async () => {
    const db = createDb(uniqueName())
    await db.images.add(image)

    await expect(db.images.add({ ...image, id: 'other' })).rejects.toMatchObject({
      name: 'ConstraintError',
    })
    db.close()
  })
})

describe('schemaVersions', () => {
  it('starts with version 1 as shipped', () => {
    expect(schemaVersions[0]).toEqual({ version: 1, stores: version1Stores })
  })

  it('lists versions in increasing order', () => {
    const versions = schemaVersions.map((step) => step.version)
    expect(versions).toEqual([...versions].sort((a, b) => a - b))
    expect(new Set(versions).size).toBe(versions.length)
  })
})

describe(getOrCreateDb, () => {
  it('shares one connection per database name', () => {
    const name = uniqueName()
    expect(getOrCreateDb(name)).toBe(getOrCreateDb(name))
    expect(getOrCreateDb(name)).not.toBe(createDb(name))
    expect(getOrCreateDb(name).name).toBe(name)
    getOrCreateDb(name).close()
  })

  it('names the app database sightline', () => {
    expect(defaultDbName).toBe('sightline')
  })
})
