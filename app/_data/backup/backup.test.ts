import 'fake-indexeddb/auto'
import { readFileSync } from 'node:fs'
import type { DBCoreTable } from 'dexie'
import { strToU8, unzipSync, zipSync } from 'fflate'
import sharp from 'sharp'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import imageProperties from '../../../models/image-properties'
import { postprocess as segment } from '../../../models/person-segmentation/postprocess'
import { fixture as fixturePath, loadImage } from '../../../models/_testing/load-image'
import type { RgbaImage, TaskContext } from '../../../models/types'
import type { Recipe } from '../../../models/_transform/recipe'
import type { Inspected } from '../../../workers/import-client'
import { createDb, type ResultRecord, type SightlineDb } from '../db'
import { getEdit, getEditedBlob, saveEdit } from '../edits'
import { addImage, addTags, trashImages } from '../images'
import { write } from '../write'
import { BackupFormatError, BackupVersionError } from './errors'
import { exportLibrary } from './export'
import { fromBackupJson, toBackupJson } from './format'
import { importBackup } from './import'
import type { BackupProgress } from './progress'

const opened: SightlineDb[] = []
function freshDb(): SightlineDb {
  const db = createDb(`backup-test-${crypto.randomUUID()}`)
  opened.push(db)
  return db
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.delete()))
})

const fixture = (name: string) => new Uint8Array(readFileSync(fixturePath(name)))
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Imports a real photo as the import worker would hand it over. */
async function addPhoto(db: SightlineDb, name: string, now: number, exif = {}) {
  const bytes = fixture(name)
  const inspected: Inspected = {
    hash: await sha256(bytes),
    format: 'jpg',
    mime: 'image/jpeg',
    width: 640,
    height: 480,
    orientation: 1,
    exif,
    thumbnail: new Blob([fixture('squirrel.webp')], { type: 'image/webp' }),
    thumbnailWidth: 384,
    thumbnailHeight: 288,
  }
  const result = await addImage(db, new File([bytes], name, { type: 'image/jpeg' }), inspected, now)
  if (result.status !== 'added') throw new Error(`${name} was not added`)
  return result.record
}

async function storeResult(db: SightlineDb, result: ResultRecord) {
  await write(db, [db.results], () => db.results.put(result))
}

/**
 * `name` rendered by libvips as the editor would save an edit of it: `change` applies the
 * recipe's operations and picks the encoding.
 */
async function rendered(
  name: string,
  change: (image: ReturnType<typeof sharp>) => ReturnType<typeof sharp>,
  type: 'image/jpeg' | 'image/png',
) {
  const { data, info } = await change(sharp(fixturePath(name))).toBuffer({
    resolveWithObject: true,
  })
  return {
    blob: new Blob([new Uint8Array(data)], { type }),
    width: info.width,
    height: info.height,
  }
}

async function decoded(blob: Blob): Promise<RgbaImage> {
  const { data, info } = await sharp(new Uint8Array(await blob.arrayBuffer()))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { data: new Uint8ClampedArray(data), width: info.width, height: info.height }
}

const dogRecipe: Recipe = [{ op: 'auto-orient' }, { op: 'rotate', degrees: 90, fill: 'black' }]
// Small renderings keep the tests quick: the edited files are of the size of the originals.
const astronautRecipes: [Recipe, Recipe] = [
  [
    { op: 'flip', axis: 'horizontal' },
    { op: 'resize', longSide: 160 },
  ],
  [{ op: 'flip', axis: 'horizontal' }, { op: 'resize', longSide: 160 }, { op: 'grayscale' }],
]
const ownDogRecipe: Recipe = [{ op: 'resize', longSide: 160 }, { op: 'grayscale' }]

/** The library's pixel work, done once for all tests: analyses and the edits' renderings. */
async function pixels() {
  const astronautGrey = await rendered(
    'astronaut.jpg',
    (image) => image.flop().resize(160).grayscale().png(),
    'image/png',
  )
  return {
    dogProperties: await imageProperties.analyze(
      await loadImage(fixturePath('dog.jpg')),
      imageProperties.manifest.defaultOptions,
      modelFree,
    ),
    dogRotated: await rendered(
      'dog.jpg',
      (image) => image.rotate(90).jpeg({ quality: 90 }),
      'image/jpeg',
    ),
    astronautFlipped: await rendered(
      'astronaut.jpg',
      (image) => image.flop().resize(160).png(),
      'image/png',
    ),
    astronautGrey,
    astronautGreyProperties: await imageProperties.analyze(
      await decoded(astronautGrey.blob),
      imageProperties.manifest.defaultOptions,
      modelFree,
    ),
    ownDogGrey: await rendered(
      'dog.jpg',
      (image) => image.resize(160).grayscale().png(),
      'image/png',
    ),
  }
}
let prepared: Awaited<ReturnType<typeof pixels>>
beforeAll(async () => {
  prepared = await pixels()
})

// image-properties runs no model and reads no file.
const modelFree: TaskContext = {
  run: () => Promise.reject(new Error('no model')),
  text: () => Promise.reject(new Error('no file')),
}

const analysed = (imageId: string, createdAt: number) => ({
  imageId,
  version: '1.0.0',
  provider: 'wasm' as const,
  threads: 2,
  durationMs: 12.5,
  decodeMs: 3.25,
  createdAt,
  imageSize: { width: 640, height: 480 },
  source: 'original' as const,
})

/**
 * A library with what a real one holds: tags, EXIF, a photo in the trash, one whose original
 * stayed on another device, real image-properties results, a segmentation mask (bytes), and
 * saved edits: the dog rotated (JPEG), the astronaut edited twice (PNG, revision 2) and
 * analysed in its edited version.
 */
async function library(): Promise<SightlineDb> {
  const db = freshDb()
  const dog = await addPhoto(db, 'dog.jpg', 1_000, {
    make: 'Canon',
    takenAt: '2021-03-04T12:34:56',
    gps: { latitude: 51.5, longitude: -0.12 },
  })
  const astronaut = await addPhoto(db, 'astronaut.jpg', 2_000)
  const butterfly = await addPhoto(db, 'butterfly.jpg', 3_000)
  const fruits = await addPhoto(db, 'fruits.jpg', 4_000)
  await addTags(db, [dog.id, astronaut.id], ['pets', 'Space'], 5_000)
  await trashImages(db, [butterfly.id], 6_000)
  await db.originals.delete(fruits.id)

  await storeResult(db, {
    ...analysed(dog.id, 7_000),
    task: 'image-properties',
    provider: 'js',
    output: prepared.dogProperties,
  })
  const probabilities = Float32Array.from({ length: 256 * 256 }, (_, i) => (i % 256) / 255)
  const mask = segment(
    { out: { data: probabilities, dims: [1, 256, 256, 1] } },
    { width: 640, height: 480 },
    { threshold: 0.5 },
  )
  await storeResult(db, { ...analysed(dog.id, 8_000), task: 'person-segmentation', output: mask })

  const edits = prepared
  await saveEdit(db, dog.id, dogRecipe, edits.dogRotated, 8_500)
  await saveEdit(db, astronaut.id, astronautRecipes[0], edits.astronautFlipped, 8_600)
  const edit = await saveEdit(db, astronaut.id, astronautRecipes[1], edits.astronautGrey, 8_700)
  await storeResult(db, {
    ...analysed(astronaut.id, 8_800),
    task: 'image-properties',
    provider: 'js',
    imageSize: { width: edit.width, height: edit.height },
    source: 'edited',
    editRevision: edit.revision,
    output: edits.astronautGreyProperties,
  })
  await db.outbox.clear()
  return db
}

/** Everything a backup restores, comparable with toEqual. */
async function contents(db: SightlineDb) {
  const files = async (table: SightlineDb['originals']) =>
    Promise.all(
      (await table.toArray()).map(async ({ id, blob }) => ({
        id,
        type: blob.type,
        bytes: base64(new Uint8Array(await blob.arrayBuffer())),
      })),
    )
  return {
    images: await db.images.orderBy('id').toArray(),
    originals: await files(db.originals),
    thumbnails: await files(db.thumbnails),
    results: await db.results.toArray(),
    edits: await db.edits.orderBy('imageId').toArray(),
    edited: await files(db.edited),
  }
}

async function counts(db: SightlineDb) {
  return {
    images: await db.images.count(),
    originals: await db.originals.count(),
    thumbnails: await db.thumbnails.count(),
    results: await db.results.count(),
    edits: await db.edits.count(),
    edited: await db.edited.count(),
    outbox: await db.outbox.count(),
  }
}

const empty = { images: 0, originals: 0, thumbnails: 0, results: 0, edits: 0, edited: 0, outbox: 0 }
const never = new AbortController().signal

async function exported(db: SightlineDb): Promise<Blob> {
  const { blob } = await exportLibrary(never, db, { app: 'sightline@test', now: new Date(9_000) })
  return blob
}

/** The backup with its files changed by `change`, re-zipped by another tool. */
async function rezipped(
  backup: Blob,
  change: (files: Record<string, Uint8Array>, manifest: Record<string, unknown>) => void,
): Promise<Blob> {
  const files = unzipSync(new Uint8Array(await backup.arrayBuffer()))
  const manifestText = new TextDecoder().decode(files['sightline-backup.json'])
  const manifest = fromBackupJson(manifestText) as Record<string, unknown>
  const before = files['sightline-backup.json']
  change(files, manifest)
  // Unless the change wrote a manifest of its own, the (changed) manifest is written back.
  if (files['sightline-backup.json'] === before) {
    files['sightline-backup.json'] = strToU8(toBackupJson(manifest))
  }
  return new Blob([zipSync(files, { level: 0 })])
}

describe(exportLibrary, () => {
  it('names the file after the date and counts what it packed', async () => {
    const db = await library()
    const backup = await exportLibrary(never, db, {
      app: 'sightline@test',
      now: new Date(2025, 5, 7, 10),
    })
    expect(backup).toMatchObject({
      fileName: 'sightline-library-2025-06-07.zip',
      images: 4,
      results: 3,
      edits: 2,
    })
    expect(backup.blob.type).toBe('application/zip')
    const files = unzipSync(new Uint8Array(await backup.blob.arrayBuffer()))
    const names = Object.keys(files)
    // 3 originals, 4 thumbnails, 2 results files, 2 edited versions, the manifest.
    expect(names).toHaveLength(3 + 4 + 2 + 2 + 1)
    expect(names.at(-1)).toBe('sightline-backup.json')

    const manifest = fromBackupJson(new TextDecoder().decode(files['sightline-backup.json'])) as {
      images: { record: { id: string }; files: { edited?: string } }[]
      recipes: unknown[]
    }
    const edits = await db.edits.toArray()
    expect(manifest.recipes).toEqual(expect.arrayContaining(edits))
    expect(manifest.recipes).toHaveLength(2)
    for (const { imageId, mime } of edits) {
      const image = manifest.images.find(({ record }) => record.id === imageId)!
      expect(image.files.edited).toBe(mime)
      const stored = new Uint8Array(await (await getEditedBlob(db, imageId))!.arrayBuffer())
      expect(files[`edited/${imageId}`]).toEqual(stored)
    }
  })

  it('reports progress image by image and stops when cancelled', async () => {
    const db = await library()
    const seen: BackupProgress[] = []
    await exportLibrary(never, db, { app: 'sightline@test', onProgress: (p) => seen.push(p) })
    expect(seen.at(-1)).toMatchObject({ phase: 'packing', doneImages: 4, totalImages: 4 })
    expect(seen.at(-1)!.doneBytes).toBe(seen.at(-1)!.totalBytes)
    const imageBytes = (await db.images.toArray()).reduce((sum, image) => sum + image.bytes, 0)
    const editedBytes = (await db.edited.toArray()).reduce((sum, { blob }) => sum + blob.size, 0)
    expect(editedBytes).toBeGreaterThan(0)
    expect(seen.at(-1)!.totalBytes).toBe(imageBytes + editedBytes)

    const controller = new AbortController()
    const cancelled = exportLibrary(controller.signal, db, {
      app: 'sightline@test',
      onProgress: ({ doneImages }) => doneImages === 1 && controller.abort(),
    })
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' })
  })
})

describe(importBackup, () => {
  it('restores every record, file, result and edit into an empty library', async () => {
    const source = await library()
    const target = freshDb()

    const report = await importBackup(never, target, await exported(source))

    expect(report).toEqual({
      added: ['dog.jpg', 'astronaut.jpg', 'butterfly.jpg', 'fruits.jpg'],
      alreadyThere: [],
      failed: [],
      results: 3,
      edits: 2,
    })
    expect(await contents(target)).toEqual(await contents(source))
    const dog = (await source.images.orderBy('addedAt').first())!
    expect(await getEdit(target, dog.id)).toEqual({
      imageId: dog.id,
      operations: dogRecipe,
      revision: 1,
      savedAt: 8_500,
      // dog.jpg is 768×576; turned a quarter it is 576×768.
      width: 576,
      height: 768,
      mime: 'image/jpeg',
    })
    const edited = (await getEditedBlob(target, dog.id))!
    expect(edited.type).toBe('image/jpeg')
    expect(new Uint8Array(await edited.arrayBuffer())).toEqual(
      new Uint8Array(await (await getEditedBlob(source, dog.id))!.arrayBuffer()),
    )
    const mask = (await target.results.get([
      (await target.images.get({ hash: await sha256(fixture('dog.jpg')) }))!.id,
      'person-segmentation',
    ]))!.output as { mask: { data: Uint8Array } }
    expect(mask.mask.data).toBeInstanceOf(Uint8Array)
    // Restored images are new here, so sync sends them: 4 images, 3 results and 2 edits.
    expect(await target.outbox.count()).toBe(9)
  })

  it('leaves images already in the library alone and reports them', async () => {
    const backup = await exported(await library())
    const target = freshDb()
    const ownDog = await addPhoto(target, 'dog.jpg', 500)
    const ownEdit = await saveEdit(target, ownDog.id, ownDogRecipe, prepared.ownDogGrey, 600)
    const ownEdited = new Uint8Array(await (await getEditedBlob(target, ownDog.id))!.arrayBuffer())

    const report = await importBackup(never, target, backup)

    expect(report.added).toEqual(['astronaut.jpg', 'butterfly.jpg', 'fruits.jpg'])
    expect(report.alreadyThere).toEqual(['dog.jpg'])
    expect(report.results).toBe(1)
    expect(report.edits).toBe(1)
    expect(await target.images.get(ownDog.id)).toEqual(ownDog)
    expect(await target.results.where('imageId').equals(ownDog.id).count()).toBe(0)
    expect(await getEdit(target, ownDog.id)).toEqual(ownEdit)
    const edited = (await getEditedBlob(target, ownDog.id))!
    expect(edited.type).toBe('image/png')
    expect(new Uint8Array(await edited.arrayBuffer())).toEqual(ownEdited)
    expect(await target.edits.count()).toBe(2)

    const again = await importBackup(never, target, backup)
    expect(again).toEqual({
      added: [],
      alreadyThere: ['dog.jpg', 'astronaut.jpg', 'butterfly.jpg', 'fruits.jpg'],
      failed: [],
      results: 0,
      edits: 0,
    })
    expect(await target.images.count()).toBe(4)
    expect(await target.edits.count()).toBe(2)
  })

  it('gives an image a new id when another image here has its id', async () => {
    const source = await library()
    const dog = (await source.images.orderBy('addedAt').first())!
    const target = freshDb()
    const other = { ...(await addPhoto(target, 'rocket.jpg', 100)) }
    await write(target, [target.images], async () => {
      await target.images.delete(other.id)
      await target.images.add({ ...other, id: dog.id })
    })

    await importBackup(never, target, await exported(source))

    const restored = (await target.images.get({ hash: dog.hash }))!
    expect(restored.id).not.toBe(dog.id)
    expect({ ...restored, id: dog.id }).toEqual(dog)
    expect((await target.images.get(dog.id))!.name).toBe('rocket.jpg')
    expect(await target.results.where('imageId').equals(restored.id).count()).toBe(2)
    expect(await target.originals.get(restored.id)).toBeDefined()
    expect(await getEdit(target, restored.id)).toEqual({
      ...(await getEdit(source, dog.id)),
      imageId: restored.id,
    })
    expect(new Uint8Array(await (await getEditedBlob(target, restored.id))!.arrayBuffer())).toEqual(
      new Uint8Array(await (await getEditedBlob(source, dog.id))!.arrayBuffer()),
    )
    expect(await getEdit(target, dog.id)).toBeUndefined()
    expect(await getEditedBlob(target, dog.id)).toBeUndefined()
  })

  it('checks the whole file, then restores in steps with progress', async () => {
    const source = await library()
    const target = freshDb()
    const seen: BackupProgress[] = []
    await importBackup(never, target, await exported(source), {
      batchImages: 1,
      onProgress: (p) => seen.push(p),
    })
    const phases = seen.map((p) => `${p.phase} ${p.doneImages}/${p.totalImages}`)
    expect(phases).toEqual([
      'checking 0/4',
      'checking 1/4',
      'checking 2/4',
      'checking 3/4',
      'checking 4/4',
      'restoring 0/4',
      'restoring 1/4',
      'restoring 2/4',
      'restoring 3/4',
      'restoring 4/4',
    ])
    expect(seen.at(-1)!.doneBytes).toBe(seen.at(-1)!.totalBytes)
    // Restoring counts the bytes of originals and edited versions.
    const originalBytes = (await source.originals.toArray()).reduce(
      (n, { blob }) => n + blob.size,
      0,
    )
    const editedBytes = (await source.edited.toArray()).reduce((n, { blob }) => n + blob.size, 0)
    expect(seen.at(-1)!.totalBytes).toBe(originalBytes + editedBytes)
  })

  it('stops when cancelled, keeping the images restored before', async () => {
    const target = freshDb()
    const controller = new AbortController()
    const cancelled = importBackup(controller.signal, target, await exported(await library()), {
      batchImages: 1,
      onProgress: (p) => p.phase === 'restoring' && p.doneImages === 2 && controller.abort(),
    })
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' })
    expect(await target.images.count()).toBe(2)
  })

  it('stops when storage is full, keeping whole images and saying what was left', async () => {
    const target = freshDb()
    withRoomForOriginals(target, 1)

    const report = await importBackup(never, target, await exported(await library()), {
      batchImages: 1,
    })

    expect(report.added).toEqual(['dog.jpg'])
    expect(report.failed).toEqual([
      { name: 'astronaut.jpg', reason: 'Browser storage is full.' },
      { name: 'butterfly.jpg', reason: 'Browser storage is full.' },
      { name: 'fruits.jpg', reason: 'Browser storage is full.' },
    ])
    expect(report.stopped).toMatch(/storage is full/)
    expect(report.edits).toBe(1)
    expect(await counts(target)).toMatchObject({
      images: 1,
      originals: 1,
      thumbnails: 1,
      results: 2,
      edits: 1,
      edited: 1,
    })
  })

  const damaged: [string, (backup: Blob) => Promise<Blob>, RegExp][] = [
    ['a photo, not a ZIP archive', async () => new Blob([fixture('dog.jpg')]), /not a ZIP archive/],
    [
      'an archive cut short',
      async (backup) => backup.slice(0, backup.size - 100),
      /not a ZIP archive, or it is damaged/,
    ],
    [
      'a ZIP archive of photos',
      async () => new Blob([zipSync({ 'dog.jpg': fixture('dog.jpg') })]),
      /not a Sightline library backup: it has no sightline-backup\.json/,
    ],
    [
      'a manifest that is not JSON',
      (backup) =>
        rezipped(backup, (files) => {
          files['sightline-backup.json'] = strToU8('{"format": "sightline-backup", ')
        }),
      /sightline-backup\.json is not valid JSON/,
    ],
    [
      'another kind of JSON file',
      (backup) =>
        rezipped(backup, (files) => {
          files['sightline-backup.json'] = strToU8('{"format":"sightline-analysis","images":[]}')
        }),
      /not a Sightline library backup: its sightline-backup\.json is of format "sightline-analysis"/,
    ],
    [
      'a record that is not as Sightline writes it',
      (backup) =>
        rezipped(backup, (_, manifest) => {
          const images = manifest.images as { record: { hash: string } }[]
          images[1]!.record.hash = 'not a hash'
        }),
      /sightline-backup\.json is not as Sightline writes it \(Expected a lowercase hex SHA-256 at images\.1\.record\.hash\)/,
    ],
    [
      'an original changed after export',
      (backup) =>
        rezipped(backup, (files, manifest) => {
          const [, astronaut] = manifest.images as { record: { id: string } }[]
          files[`originals/${astronaut!.record.id}`]![5000]! ^= 0x01
        }),
      /the original of "astronaut\.jpg" does not match its SHA-256 checksum/,
    ],
    [
      'a missing thumbnail',
      (backup) =>
        rezipped(backup, (files, manifest) => {
          const [, , butterfly] = manifest.images as { record: { id: string } }[]
          delete files[`thumbnails/${butterfly!.record.id}`]
        }),
      /thumbnails\/[0-9a-f-]+, a file of "butterfly\.jpg", is missing/,
    ],
    [
      'a missing original',
      (backup) =>
        rezipped(backup, (files, manifest) => {
          const [dog] = manifest.images as { record: { id: string } }[]
          delete files[`originals/${dog!.record.id}`]
        }),
      /originals\/[0-9a-f-]+, a file of "dog\.jpg", is missing/,
    ],
    [
      'results of a task this version does not know',
      (backup) =>
        rezipped(backup, (files, manifest) => {
          const [dog] = manifest.images as { record: { id: string } }[]
          const path = `results/${dog!.record.id}.json`
          const results = fromBackupJson(new TextDecoder().decode(files[path])) as ResultRecord[]
          ;(results[0] as { task: string }).task = 'mind-reading'
          files[path] = strToU8(toBackupJson(results))
        }),
      /results\/[0-9a-f-]+\.json is not as Sightline writes it \(.* at 0\.task\)/,
    ],
    [
      'results of another image',
      (backup) =>
        rezipped(backup, (files, manifest) => {
          const [dog, astronaut] = manifest.images as { record: { id: string } }[]
          files[`results/${astronaut!.record.id}.json`] = files[`results/${dog!.record.id}.json`]!
          ;(manifest.images as { results: string[] }[])[1]!.results = [
            'image-properties',
            'person-segmentation',
          ]
        }),
      /holds results of another image/,
    ],
    [
      'an edit of an image that is not in the backup',
      (backup) =>
        rezipped(backup, (_, manifest) => {
          const [edit] = manifest.recipes as { imageId: string }[]
          edit!.imageId = crypto.randomUUID()
        }),
      /holds an edit of image [0-9a-f-]+, which is not among its images/,
    ],
    [
      'an edit with an operation out of range',
      (backup) =>
        rezipped(backup, (_, manifest) => {
          const recipes = manifest.recipes as { operations: { op: string; degrees?: number }[] }[]
          const rotate = recipes.flatMap((r) => r.operations).find((o) => o.op === 'rotate')!
          rotate.degrees = 720
        }),
      /sightline-backup\.json is not as Sightline writes it \(.* at recipes\.\d+\.operations\.1\.degrees\)/,
    ],
    [
      'an edit with an operation missing its parameters',
      (backup) =>
        rezipped(backup, (_, manifest) => {
          const [edit] = manifest.recipes as { operations: unknown[] }[]
          edit!.operations.push({ op: 'flip' })
        }),
      /sightline-backup\.json is not as Sightline writes it \(.* at recipes\.0\.operations\.\d+\.axis\)/,
    ],
    [
      'an edit without a size',
      (backup) =>
        rezipped(backup, (_, manifest) => {
          const [edit] = manifest.recipes as { width: number }[]
          edit!.width = 0
        }),
      /sightline-backup\.json is not as Sightline writes it \(.* at recipes\.0\.width\)/,
    ],
    [
      'two edits of one image',
      (backup) =>
        rezipped(backup, (_, manifest) => {
          const recipes = manifest.recipes as unknown[]
          recipes.push(structuredClone(recipes[0]))
        }),
      /the image [0-9a-f-]+ has two edits/,
    ],
    [
      'a missing edited version',
      (backup) =>
        rezipped(backup, (files, manifest) => {
          const [dog] = manifest.images as { record: { id: string } }[]
          delete files[`edited/${dog!.record.id}`]
        }),
      /edited\/[0-9a-f-]+, a file of "dog\.jpg", is missing/,
    ],
    [
      'an empty edited version',
      (backup) =>
        rezipped(backup, (files, manifest) => {
          const [dog] = manifest.images as { record: { id: string } }[]
          files[`edited/${dog!.record.id}`] = new Uint8Array(0)
        }),
      /the edited version of "dog\.jpg" is empty/,
    ],
    [
      'an edited version without its edit',
      (backup) =>
        rezipped(backup, (_, manifest) => {
          const [dog] = manifest.images as { record: { id: string } }[]
          const recipes = manifest.recipes as { imageId: string }[]
          manifest.recipes = recipes.filter((edit) => edit.imageId !== dog!.record.id)
        }),
      /"dog\.jpg" has an edited version but no edit/,
    ],
  ]

  it.each(damaged)('refuses %s and writes nothing', async (_, damage, message) => {
    const file = await damage(await exported(await library()))
    const target = freshDb()

    const error = await importBackup(never, target, file).catch((err: unknown) => err)

    expect(error).toBeInstanceOf(BackupFormatError)
    expect((error as Error).message).toMatch(message)
    expect(await counts(target)).toEqual(empty)
  })

  it('still reads a backup that another tool re-zipped', async () => {
    const source = await library()
    const target = freshDb()
    const file = await rezipped(await exported(source), () => {})
    const recompressed = new Blob([
      zipSync(unzipSync(new Uint8Array(await file.arrayBuffer())), { level: 6 }),
    ])
    await importBackup(never, target, recompressed)
    expect(await contents(target)).toEqual(await contents(source))
  })

  it.each([
    [
      'a newer backup format',
      (manifest: Record<string, unknown>) => void (manifest.version = 2),
      /made by a newer version of Sightline \(backup format 2\); this version reads format 1/,
    ],
    [
      'edits made with an operation this version does not know',
      (manifest: Record<string, unknown>) => {
        const [edit] = manifest.recipes as { operations: unknown[] }[]
        edit!.operations.push({ op: 'liquify', strength: 3 })
      },
      /edits made with operations this version of Sightline does not know \("liquify"\)\. Update Sightline/,
    ],
  ])('refuses a backup with %s, saying to update', async (_, change, message) => {
    const file = await rezipped(await exported(await library()), (_, manifest) => change(manifest))
    const target = freshDb()

    const error = await importBackup(never, target, file).catch((err: unknown) => err)

    expect(error).toBeInstanceOf(BackupVersionError)
    expect((error as Error).message).toMatch(message)
    expect(await counts(target)).toEqual(empty)
  })
})

/**
 * Lets the originals table hold at most `room` rows and refuses more with the
 * QuotaExceededError the browser raises when storage is full.
 */
function withRoomForOriginals(db: SightlineDb, room: number): void {
  db.use({
    stack: 'dbcore',
    name: 'small-quota',
    create: (down) => ({
      ...down,
      table: (name: string): DBCoreTable => {
        const real = down.table(name)
        if (name !== 'originals') return real
        return {
          ...real,
          mutate: async (req) => {
            const stored = await real.count({
              trans: req.trans,
              query: { index: real.schema.primaryKey, range: { type: 3 } as never },
            })
            if ((req.type === 'add' || req.type === 'put') && stored + req.values.length > room) {
              throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
            }
            return real.mutate(req)
          },
        }
      },
    }),
  })
}
