import 'fake-indexeddb/auto'
import { readFileSync } from 'node:fs'
import type { DBCoreKeyRange, DBCoreTable } from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import type { Inspected } from '../../workers/import/types'
import { createBatchWriter } from './batch-writer'
import { createDb, type SightlineDb } from './db'

const opened: SightlineDb[] = []
afterEach(() => opened.splice(0).forEach((db) => db.close()))

/** A database that counts its read-write transactions. */
function countingDb() {
  const db = createDb(`batch-writer-${crypto.randomUUID()}`)
  opened.push(db)
  const counter = { writes: 0 }
  db.use({
    stack: 'dbcore',
    name: 'count-transactions',
    create: (down) => ({
      ...down,
      transaction: (tables, mode, options) => {
        if (mode === 'readwrite') counter.writes++
        return down.transaction(tables, mode, options)
      },
    }),
  })
  return { db, counter }
}

/**
 * Lets the originals table hold at most `room` rows, counting the ones the transaction added, and
 * refuses more with the QuotaExceededError the browser raises when storage is full.
 */
function withRoomFor(db: SightlineDb, room: number): void {
  const any = { type: 3, lower: undefined, upper: undefined } as unknown as DBCoreKeyRange
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
            const query = { index: real.schema.primaryKey, range: any }
            const stored = await real.count({ trans: req.trans, query })
            if (req.type === 'add' && stored + req.values.length > room) {
              throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
            }
            return real.mutate(req)
          },
        }
      },
    }),
  })
}

const photo = readFileSync(new URL('../../fixtures/chelsea.png', import.meta.url))

/** Distinct files from one real photo (the hash is what makes them distinct to the library). */
function imported(i: number) {
  const file = new File([photo], `chelsea-${i}.png`, { type: 'image/png' })
  const inspected: Inspected = {
    hash: i.toString(16).padStart(64, '0'),
    format: 'png',
    mime: 'image/png',
    width: 451,
    height: 300,
    orientation: 1,
    exif: {},
    thumbnail: new Blob([photo], { type: 'image/png' }),
    thumbnailWidth: 384,
    thumbnailHeight: 255,
  }
  return { file, inspected }
}

describe(createBatchWriter, () => {
  it('writes files queued close together in one transaction', async () => {
    const { db, counter } = countingDb()
    await db.open()
    const writer = createBatchWriter(db, { intervalMs: 50, maxItems: 100 })

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => writer.add(imported(i))))

    expect(results.every((r) => r.status === 'added')).toBe(true)
    expect(await db.images.count()).toBe(20)
    expect(counter.writes).toBe(1)
  })

  it('starts a new batch when one is full, keeping the order', async () => {
    const { db, counter } = countingDb()
    await db.open()
    const writer = createBatchWriter(db, { intervalMs: 1_000, maxItems: 4 })

    const pending = Array.from({ length: 10 }, (_, i) => writer.add(imported(i)))
    await Promise.all(pending.slice(0, 8))
    expect(counter.writes).toBe(2)
    await writer.flush()
    const results = await Promise.all(pending)

    expect(counter.writes).toBe(3)
    expect(results.map((r) => (r.status === 'added' ? r.record.name : r.status))).toEqual(
      Array.from({ length: 10 }, (_, i) => `chelsea-${i}.png`),
    )
  })

  it('rejects every file of a batch that failed, and goes on with the next', async () => {
    const { db } = countingDb()
    const writer = createBatchWriter(db, { intervalMs: 10 })
    db.close()

    await expect(writer.add(imported(1))).rejects.toMatchObject({ name: 'DatabaseClosedError' })

    await db.open()
    await expect(writer.add(imported(2))).resolves.toMatchObject({ status: 'added' })
  })

  it('stores the files of a batch that fit when storage runs out, and refuses the rest', async () => {
    const { db, counter } = countingDb()
    withRoomFor(db, 3)
    await db.open()
    const writer = createBatchWriter(db, { intervalMs: 1_000, maxItems: 100 })

    const pending = Array.from({ length: 5 }, (_, i) => writer.add(imported(i)))
    await writer.flush()
    const outcomes = await Promise.allSettled(pending)

    expect(
      outcomes.map((o) => (o.status === 'fulfilled' ? o.value.status : o.reason.name)),
    ).toEqual(['added', 'added', 'added', 'StorageFullError', 'StorageFullError'])
    // The batch, then one file at a time until one did not fit; the last one is not tried.
    expect(counter.writes).toBe(1 + 4)
    expect((await db.images.toArray()).map((image) => image.name).sort()).toEqual([
      'chelsea-0.png',
      'chelsea-1.png',
      'chelsea-2.png',
    ])
    expect(await db.thumbnails.count()).toBe(3)
  })

  it('refuses the whole batch at once when another error fails it', async () => {
    const { db, counter } = countingDb()
    const failure = new Error('disk on fire')
    db.use({
      stack: 'dbcore',
      name: 'fail-thumbnails',
      create: (down) => ({
        ...down,
        table: (name: string): DBCoreTable => {
          const real = down.table(name)
          return name === 'thumbnails' ? { ...real, mutate: () => Promise.reject(failure) } : real
        },
      }),
    })
    await db.open()
    const writer = createBatchWriter(db, { intervalMs: 1_000 })

    const pending = [writer.add(imported(1)), writer.add(imported(2))]
    await writer.flush()

    for (const outcome of await Promise.allSettled(pending)) {
      expect(outcome).toEqual({ status: 'rejected', reason: failure })
    }
    expect(counter.writes).toBe(1)
    expect(await db.images.count()).toBe(0)
  })
})
