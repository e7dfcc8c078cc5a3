import 'fake-indexeddb/auto'
import { readFileSync } from 'node:fs'
import Dexie, { type DBCoreTable } from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import type { Inspected } from '../../workers/import/types'
import { createDb, type SightlineDb } from './db'
import {
  addImage,
  addImages,
  addTags,
  allTags,
  getOriginal,
  getThumbnail,
  listImages,
  normaliseName,
  normaliseTags,
  parseTakenAt,
  purgeTrash,
  removeTags,
  renameImage,
  restoreImages,
  trashImages,
} from './images'

const opened: SightlineDb[] = []
function freshDb(): SightlineDb {
  const db = createDb(`images-test-${crypto.randomUUID()}`)
  opened.push(db)
  return db
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.delete()))
})

function fixture(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)))
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** A blob's bytes as base64, which vitest compares far faster than large byte arrays. */
async function base64Of(blob: Blob | Uint8Array | undefined): Promise<string | undefined> {
  if (blob === undefined) return undefined
  const bytes = blob instanceof Blob ? new Uint8Array(await blob.arrayBuffer()) : blob
  return Buffer.from(bytes).toString('base64')
}

/** A real photo as the import worker would hand it over (sizes are not the photo's own). */
async function photo(fileName: string, fileType = 'image/jpeg') {
  const bytes = fixture(fileName)
  const file = new File([bytes], fileName, { type: fileType })
  const thumbnail = new Blob([fixture('squirrel.webp')], { type: 'image/webp' })
  const inspected: Inspected = {
    hash: await sha256(bytes),
    format: 'jpg',
    mime: 'image/jpeg',
    width: 640,
    height: 480,
    orientation: 1,
    exif: { make: 'Canon', takenAt: '2021-03-04T12:34:56' },
    thumbnail,
    thumbnailWidth: 384,
    thumbnailHeight: 288,
  }
  return { bytes, file, inspected }
}

async function added(db: SightlineDb, fileName: string, now = 1_000) {
  const { file, inspected } = await photo(fileName)
  const result = await addImage(db, file, inspected, now)
  if (result.status !== 'added') throw new Error(`expected ${fileName} to be added`)
  return result.record
}

async function counts(db: SightlineDb) {
  return {
    images: await db.images.count(),
    originals: await db.originals.count(),
    thumbnails: await db.thumbnails.count(),
  }
}

/** Makes every write to `table` fail with `error()`, as the browser does when storage is full. */
function failWrites(db: SightlineDb, table: string, error: () => unknown): void {
  db.use({
    stack: 'dbcore',
    name: 'fail-writes',
    create: (down) => ({
      ...down,
      table: (name: string): DBCoreTable => {
        const real = down.table(name)
        return name === table ? { ...real, mutate: () => Promise.reject(error()) } : real
      },
    }),
  })
}

const quotaExceeded = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError')

describe(addImages, () => {
  it('stores a batch in input order and refuses a duplicate inside it', async () => {
    const db = freshDb()
    const butterfly = await photo('butterfly.jpg')
    const rocket = await photo('rocket.jpg')

    const results = await addImages(db, [butterfly, rocket, butterfly], 2_000)

    expect(results.map((r) => r.status)).toEqual(['added', 'added', 'duplicate'])
    expect(results[2]).toMatchObject({ existing: { name: 'butterfly.jpg', addedAt: 2_000 } })
    expect(await counts(db)).toEqual({ images: 2, originals: 2, thumbnails: 2 })
  })

  it('writes nothing of the batch when storage runs out part-way', async () => {
    const db = freshDb()
    failWrites(db, 'thumbnails', quotaExceeded)
    const batch = [await photo('butterfly.jpg'), await photo('rocket.jpg')]

    await expect(addImages(db, batch)).rejects.toMatchObject({ name: 'StorageFullError' })
    expect(await counts(db)).toEqual({ images: 0, originals: 0, thumbnails: 0 })
  })
})

describe(addImage, () => {
  it('stores the record, the original and the thumbnail', async () => {
    const db = freshDb()
    const { bytes, file, inspected } = await photo('butterfly.jpg')

    const result = await addImage(db, file, inspected, 1_000)

    expect(result.status).toBe('added')
    if (result.status !== 'added') return
    expect(result.record).toMatchObject({
      hash: inspected.hash,
      name: 'butterfly.jpg',
      mime: 'image/jpeg',
      format: 'jpg',
      bytes: bytes.length,
      width: 640,
      height: 480,
      tags: [],
      addedAt: 1_000,
      updatedAt: 1_000,
      takenAt: Date.UTC(2021, 2, 4, 12, 34, 56),
      thumbnailWidth: 384,
      thumbnailHeight: 288,
    })
    expect(result.record.deletedAt).toBeUndefined()
    expect(await listImages(db)).toEqual([result.record])
    expect(await base64Of(await getOriginal(db, result.record.id))).toBe(await base64Of(bytes))
    expect(await base64Of(await getThumbnail(db, result.record.id))).toBe(
      await base64Of(fixture('squirrel.webp')),
    )
  })

  it('stores the original with the detected MIME type when the browser gave none', async () => {
    const db = freshDb()
    const { file, inspected } = await photo('fruits.jpg', '')

    const result = await addImage(db, file, inspected)

    if (result.status !== 'added') throw new Error('not added')
    expect((await getOriginal(db, result.record.id))?.type).toBe('image/jpeg')
  })

  it('leaves takenAt out when the EXIF time is missing or invalid', async () => {
    const db = freshDb()
    const { file, inspected } = await photo('rocket.jpg')

    const result = await addImage(db, file, { ...inspected, exif: { takenAt: '0000-00-00' } })

    if (result.status !== 'added') throw new Error('not added')
    expect(result.record).not.toHaveProperty('takenAt')
  })

  it('reports the same bytes again as a duplicate and stores nothing more', async () => {
    const db = freshDb()
    const first = await added(db, 'butterfly.jpg')
    const { file, inspected } = await photo('butterfly.jpg')

    const again = await addImage(db, new File([file], 'copy.jpg'), inspected, 2_000)

    expect(again).toEqual({ status: 'duplicate', existing: first })
    expect(await counts(db)).toEqual({ images: 1, originals: 1, thumbnails: 1 })
  })

  it('gives one added and one duplicate for concurrent imports of the same bytes', async () => {
    const db = freshDb()
    const { file, inspected } = await photo('squirrel.jpg')

    const results = await Promise.all([
      addImage(db, file, inspected),
      addImage(db, file, inspected),
    ])

    expect(results.map((r) => r.status).sort()).toEqual(['added', 'duplicate'])
    expect(await counts(db)).toEqual({ images: 1, originals: 1, thumbnails: 1 })
  })

  it('gives one added and one duplicate across two connections, as from two tabs', async () => {
    const db = freshDb()
    const otherTab = createDb(db.name)
    const { file, inspected } = await photo('squirrel.jpg')

    const results = await Promise.all([
      addImage(db, file, inspected),
      addImage(otherTab, file, inspected),
    ])
    otherTab.close()

    expect(results.map((r) => r.status).sort()).toEqual(['added', 'duplicate'])
    expect(await counts(db)).toEqual({ images: 1, originals: 1, thumbnails: 1 })
  })

  it('takes the same bytes out of the trash instead of storing them again', async () => {
    const db = freshDb()
    const first = await added(db, 'butterfly.jpg', 1_000)
    await trashImages(db, [first.id], 2_000)
    const { file, inspected } = await photo('butterfly.jpg')

    const again = await addImage(db, file, inspected, 3_000)

    expect(again).toEqual({ status: 'restored', record: { ...first, updatedAt: 3_000 } })
    expect(await listImages(db)).toEqual([{ ...first, updatedAt: 3_000 }])
    expect(await counts(db)).toEqual({ images: 1, originals: 1, thumbnails: 1 })
  })

  it('throws StorageFullError and writes nothing when storage is full', async () => {
    const db = freshDb()
    failWrites(db, 'thumbnails', quotaExceeded)
    const { file, inspected } = await photo('butterfly.jpg')

    const adding = addImage(db, file, inspected)

    await expect(adding).rejects.toMatchObject({
      name: 'StorageFullError',
      message: expect.stringMatching(/storage is full.*delete/i),
      cause: expect.anything(),
    })
    expect(await counts(db)).toEqual({ images: 0, originals: 0, thumbnails: 0 })
  })

  it('recognises a full storage that Dexie reports as an abort wrapping the quota error', async () => {
    const db = freshDb()
    failWrites(db, 'originals', () => new Dexie.AbortError('Transaction aborted', quotaExceeded()))
    const { file, inspected } = await photo('butterfly.jpg')

    await expect(addImage(db, file, inspected)).rejects.toMatchObject({ name: 'StorageFullError' })
    expect(await counts(db)).toEqual({ images: 0, originals: 0, thumbnails: 0 })
  })

  it('passes other failures through unchanged', async () => {
    const db = freshDb()
    const failure = new Error('disk on fire')
    failWrites(db, 'thumbnails', () => failure)
    const { file, inspected } = await photo('butterfly.jpg')

    await expect(addImage(db, file, inspected)).rejects.toBe(failure)
    expect(await counts(db)).toEqual({ images: 0, originals: 0, thumbnails: 0 })
  })
})

describe(listImages, () => {
  it('leaves out images in the trash', async () => {
    const db = freshDb()
    const kept = await added(db, 'butterfly.jpg')
    const trashed = await added(db, 'fruits.jpg')
    await trashImages(db, [trashed.id])

    expect(await listImages(db)).toEqual([kept])
  })
})

describe(renameImage, () => {
  it('stores the trimmed name and the time of the change', async () => {
    const db = freshDb()
    const image = await added(db, 'butterfly.jpg', 1_000)

    const renamed = await renameImage(db, image.id, '  Meadow 2.jpg ', 5_000)

    expect(renamed).toEqual({ ...image, name: 'Meadow 2.jpg', updatedAt: 5_000 })
    expect(await db.images.get(image.id)).toEqual(renamed)
  })

  it.each([
    ['an empty name', '   '],
    ['a name over 255 characters', 'a'.repeat(256)],
    ['a name with a slash', 'a/b.jpg'],
  ])('refuses %s with InvalidNameError', async (_case, name) => {
    const db = freshDb()
    const image = await added(db, 'butterfly.jpg')

    await expect(renameImage(db, image.id, name)).rejects.toMatchObject({
      name: 'InvalidNameError',
    })
    expect(await db.images.get(image.id)).toEqual(image)
  })

  it('resolves to undefined for an unknown image', async () => {
    expect(await renameImage(freshDb(), 'nope', 'x.jpg')).toBeUndefined()
  })

  it('maps a full storage to StorageFullError', async () => {
    const db = freshDb()
    const image = await added(db, 'butterfly.jpg')
    failWrites(db, 'images', quotaExceeded)
    db.close()
    await db.open()

    await expect(renameImage(db, image.id, 'x.jpg')).rejects.toMatchObject({
      name: 'StorageFullError',
    })
  })
})

describe(normaliseName, () => {
  it('accepts 255 characters', () => {
    expect(normaliseName('a'.repeat(255))).toHaveLength(255)
  })
})

describe(normaliseTags, () => {
  it('trims, lower-cases, drops empty tags and repeats', () => {
    expect(normaliseTags([' Beach', 'beach ', '', '  ', 'SUN', 'Cafe\u0301'])).toEqual([
      'beach',
      'sun',
      'caf\u00e9',
    ])
  })

  it('refuses a tag over 40 characters with InvalidTagError', () => {
    expect(() => normaliseTags(['a'.repeat(40)])).not.toThrow()
    expect(() => normaliseTags(['a'.repeat(41)])).toThrow(
      expect.objectContaining({ name: 'InvalidTagError' }),
    )
  })
})

describe(addTags, () => {
  it('adds normalised tags once and counts the images that changed', async () => {
    const db = freshDb()
    const a = await added(db, 'butterfly.jpg')
    const b = await added(db, 'fruits.jpg')
    await addTags(db, [a.id], ['beach'])

    const changed = await addTags(db, [a.id, b.id, 'unknown'], [' Beach ', 'SUN', 'sun'], 9_000)

    expect(changed).toBe(2)
    expect(await db.images.get(a.id)).toMatchObject({ tags: ['beach', 'sun'], updatedAt: 9_000 })
    expect(await db.images.get(b.id)).toMatchObject({ tags: ['beach', 'sun'], updatedAt: 9_000 })
  })

  it('leaves images that already carry the tags untouched', async () => {
    const db = freshDb()
    const image = await added(db, 'butterfly.jpg', 1_000)
    await addTags(db, [image.id], ['sun'], 2_000)

    expect(await addTags(db, [image.id], ['Sun'], 3_000)).toBe(0)
    expect(await db.images.get(image.id)).toMatchObject({ updatedAt: 2_000 })
  })
})

describe(removeTags, () => {
  it('removes the tags, matched after normalising', async () => {
    const db = freshDb()
    const image = await added(db, 'butterfly.jpg')
    await addTags(db, [image.id], ['beach', 'sun', 'dog'])

    expect(await removeTags(db, [image.id], ['SUN ', 'cat'], 4_000)).toBe(1)
    expect(await db.images.get(image.id)).toMatchObject({
      tags: ['beach', 'dog'],
      updatedAt: 4_000,
    })
  })
})

describe(allTags, () => {
  it('lists each tag once with its count, sorted, leaving out the trash', async () => {
    const db = freshDb()
    const a = await added(db, 'butterfly.jpg')
    const b = await added(db, 'fruits.jpg')
    const trashed = await added(db, 'rocket.jpg')
    await addTags(db, [a.id, b.id], ['sun'])
    await addTags(db, [a.id], ['beach', 'trip 10', 'trip 9'])
    await addTags(db, [trashed.id], ['space', 'sun'])
    await trashImages(db, [trashed.id])

    expect(await allTags(db)).toEqual([
      { tag: 'beach', count: 1 },
      { tag: 'sun', count: 2 },
      { tag: 'trip 9', count: 1 },
      { tag: 'trip 10', count: 1 },
    ])
  })
})

describe(trashImages, () => {
  it('marks images as deleted and keeps the first deletion time', async () => {
    const db = freshDb()
    const image = await added(db, 'butterfly.jpg')

    expect(await trashImages(db, [image.id], 2_000)).toBe(1)
    expect(await trashImages(db, [image.id], 3_000)).toBe(0)
    expect(await db.images.get(image.id)).toMatchObject({ deletedAt: 2_000 })
  })
})

describe(restoreImages, () => {
  it('takes images out of the trash', async () => {
    const db = freshDb()
    const a = await added(db, 'butterfly.jpg')
    const b = await added(db, 'fruits.jpg')
    await trashImages(db, [a.id, b.id], 2_000)

    expect(await restoreImages(db, [a.id, 'unknown'], 3_000)).toBe(1)
    expect(await listImages(db)).toEqual([{ ...a, updatedAt: 3_000 }])
    expect(await db.images.get(a.id)).not.toHaveProperty('deletedAt')
  })
})

describe(purgeTrash, () => {
  it('deletes images trashed longer ago than the window, with their blobs', async () => {
    const db = freshDb()
    const old = await added(db, 'butterfly.jpg')
    const recent = await added(db, 'fruits.jpg')
    const kept = await added(db, 'rocket.jpg')
    await trashImages(db, [old.id], 1_000)
    await trashImages(db, [recent.id], 9_000)

    const purged = await purgeTrash(db, 5_000, 10_000)

    expect(purged).toEqual([old.id])
    expect((await db.images.toArray()).map((image) => image.id).sort()).toEqual(
      [recent.id, kept.id].sort(),
    )
    expect(await getOriginal(db, old.id)).toBeUndefined()
    expect(await getThumbnail(db, old.id)).toBeUndefined()
    expect(await counts(db)).toEqual({ images: 2, originals: 2, thumbnails: 2 })
  })

  it('deletes nothing when the trash is empty', async () => {
    const db = freshDb()
    await added(db, 'butterfly.jpg')

    expect(await purgeTrash(db, 0, 10_000)).toEqual([])
    expect(await counts(db)).toEqual({ images: 1, originals: 1, thumbnails: 1 })
  })
})

describe(parseTakenAt, () => {
  it('reads the wall-clock time as if it were UTC', () => {
    expect(parseTakenAt('2021-03-04T12:34:56')).toBe(Date.UTC(2021, 2, 4, 12, 34, 56))
    expect(parseTakenAt('2021-03-04 12:34')).toBe(Date.UTC(2021, 2, 4, 12, 34))
    expect(parseTakenAt('2021-03-04')).toBe(Date.UTC(2021, 2, 4))
  })

  it('keeps milliseconds and ignores a zone offset', () => {
    expect(parseTakenAt('2021-03-04T12:34:56.5')).toBe(Date.UTC(2021, 2, 4, 12, 34, 56, 500))
    expect(parseTakenAt('2021-03-04T12:34:56.123456+09:00')).toBe(
      Date.UTC(2021, 2, 4, 12, 34, 56, 123),
    )
    expect(parseTakenAt('2021-03-04T12:34:56Z')).toBe(Date.UTC(2021, 2, 4, 12, 34, 56))
  })

  it.each(['', 'yesterday', '0000-00-00T00:00:00', '2021-02-30T10:00:00', '2021-03-04T24:00:00'])(
    'gives undefined for %j',
    (text) => {
      expect(parseTakenAt(text)).toBeUndefined()
    },
  )
})
