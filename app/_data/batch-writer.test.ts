import 'fake-indexeddb/auto'
import { readFileSync } from 'node:fs'
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
})
