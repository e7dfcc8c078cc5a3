import 'fake-indexeddb/auto'
import Dexie, { liveQuery } from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import { createDb, type ImageRecord, type ResultRecord } from '../db'
import { removeEdits, saveEdit } from '../edits'
import { addTags, purgeTrash, renameImage, trashImages } from '../images'

const names: string[] = []
function freshDb() {
  const name = `outbox-test-${crypto.randomUUID()}`
  names.push(name)
  return createDb(name)
}
afterEach(async () => {
  await Promise.all(names.splice(0).map((name) => Dexie.delete(name)))
})

const image = (id: string, hash: string): ImageRecord => ({
  id,
  hash,
  name: `${id}.jpg`,
  mime: 'image/jpeg',
  format: 'jpg',
  bytes: 3,
  width: 40,
  height: 30,
  orientation: 1,
  exif: {},
  tags: [],
  addedAt: 1,
  updatedAt: 1,
  thumbnailWidth: 40,
  thumbnailHeight: 30,
})

const result = (imageId: string): ResultRecord =>
  ({
    imageId,
    task: 'image-properties',
    version: '1.0.0',
    provider: 'js',
    threads: 1,
    durationMs: 1,
    decodeMs: 1,
    createdAt: 1,
    imageSize: { width: 40, height: 30 },
    source: 'original',
    output: {},
  }) as unknown as ResultRecord

describe('outboxMiddleware', () => {
  it('records puts, updates and deletes of synced tables, one entry per record', async () => {
    const db = freshDb()
    await db.images.bulkAdd([image('a', 'aa'), image('b', 'bb')])
    await renameImage(db, 'a', 'new name.jpg')
    await addTags(db, ['a'], ['beach'])
    await db.results.put(result('a'))
    const entries = await db.outbox.toArray()
    expect(entries.map((e) => [e.kind, e.key]).sort()).toEqual([
      ['image', 'a'],
      ['image', 'b'],
      ['result', 'a:image-properties'],
    ])
  })

  it('records deletions made through collections and ranges', async () => {
    const db = freshDb()
    await db.images.bulkAdd([image('a', 'aa'), image('b', 'bb')])
    await db.results.put(result('a'))
    await db.outbox.clear()
    await trashImages(db, ['a'], 1000)
    await purgeTrash(db, 0, 5000)
    await db.images.clear()
    const entries = await db.outbox.toArray()
    expect(entries.map((e) => `${e.kind}:${e.key}`).sort()).toEqual([
      'image:a',
      'image:b',
      'result:a:image-properties',
    ])
  })

  it("records an image's saved and removed edit as its recipe, under the image's id", async () => {
    const db = freshDb()
    await db.images.bulkAdd([image('a', 'aa'), image('b', 'bb')])
    await db.outbox.clear()
    const rendered = { blob: new Blob(['edited'], { type: 'image/jpeg' }), width: 30, height: 40 }
    await saveEdit(db, 'a', [{ op: 'rotate', degrees: 90, fill: 'black' }], rendered)
    expect(await db.outbox.toArray()).toEqual([
      { kind: 'recipe', key: 'a', at: expect.any(Number) as number },
    ])
    await db.outbox.clear()
    await removeEdits(db, ['a', 'b'])
    // Only the edit that was there: image b had none, so there is nothing to delete for it.
    expect((await db.outbox.toArray()).map((e) => `${e.kind}:${e.key}`)).toEqual(['recipe:a'])
  })

  it('records no deletion of a row that was not there', async () => {
    const db = freshDb()
    await db.images.add(image('a', 'aa'))
    await db.outbox.clear()
    await db.images.bulkDelete(['a', 'missing'])
    await db.results.delete(['a', 'image-properties'])
    await db.edits.bulkDelete(['a', 'missing'])
    expect((await db.outbox.toArray()).map((e) => `${e.kind}:${e.key}`)).toEqual(['image:a'])
  })

  it('writes nothing when the change fails, and leaves other tables alone', async () => {
    const db = freshDb()
    await db.images.add(image('a', 'aa'))
    await db.outbox.clear()
    await expect(db.images.add(image('c', 'aa'))).rejects.toThrow()
    await db.thumbnails.put({ id: 'a', blob: new Blob(['x']) })
    await db.jobs.add({
      imageId: 'a',
      task: 'image-properties',
      status: 'queued',
      batch: 1,
      createdAt: 1,
    })
    expect(await db.outbox.count()).toBe(0)
  })

  it('lets live queries see new outbox entries', async () => {
    const db = freshDb()
    const counts: number[] = []
    const subscription = liveQuery(() => db.outbox.count()).subscribe((n) => counts.push(n))
    await new Promise((resolve) => setTimeout(resolve, 50))
    await db.images.add(image('a', 'aa'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    subscription.unsubscribe()
    expect(counts.at(-1)).toBe(1)
  })
})
