import 'fake-indexeddb/auto'
import Dexie, { type DBCoreTable } from 'dexie'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDb, type ImageRecord, type SightlineDb } from './db'
import { watchWrites, write, type WriteOutcome } from './write'

const opened: SightlineDb[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.delete()))
})

/** A database whose writes to `table` fail with `error()`, as the browser's do when it is full. */
function dbFailingWrites(table: string, error: () => unknown): SightlineDb {
  const db = createDb(`write-test-${crypto.randomUUID()}`)
  opened.push(db)
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
  return db
}

const quotaExceeded = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError')
function recordOf(id: string): ImageRecord {
  return {
    id,
    hash: id,
    name: `${id}.jpg`,
    mime: 'image/jpeg',
    format: 'jpg',
    bytes: 1,
    width: 1,
    height: 1,
    orientation: 1,
    exif: {},
    tags: [],
    addedAt: 0,
    updatedAt: 0,
    thumbnailWidth: 1,
    thumbnailHeight: 1,
  }
}

/** The outcomes `write` reports while `run` goes on. */
async function outcomesOf(run: () => Promise<unknown>): Promise<WriteOutcome[]> {
  const seen: WriteOutcome[] = []
  const stop = watchWrites((outcome) => seen.push(outcome))
  try {
    await run().catch(() => {})
  } finally {
    stop()
  }
  return seen
}

describe(write, () => {
  it('maps a QuotaExceededError to StorageFullError, keeping what was stored before', async () => {
    const db = dbFailingWrites('originals', quotaExceeded)
    await write(db, [db.images], () => db.images.add(recordOf('kept')))

    const writing = write(db, [db.images, db.originals], async () => {
      await db.images.add(recordOf('lost'))
      await db.originals.add({ id: 'lost', blob: new Blob(['x']) })
    })

    await expect(writing).rejects.toMatchObject({
      name: 'StorageFullError',
      message: expect.stringMatching(/storage is full/i),
      cause: expect.anything(),
    })
    expect(await db.images.toCollection().primaryKeys()).toEqual(['kept'])
  })

  it('recognises the quota error inside the AbortError Dexie wraps it in', async () => {
    const db = dbFailingWrites('images', () => new Dexie.AbortError('aborted', quotaExceeded()))

    await expect(write(db, [db.images], () => db.images.add(recordOf('a')))).rejects.toMatchObject({
      name: 'StorageFullError',
    })
  })

  it('tells watchers that a write stored, or that storage was full', async () => {
    const db = dbFailingWrites('originals', quotaExceeded)

    expect(
      await outcomesOf(() => write(db, [db.images], () => db.images.add(recordOf('a')))),
    ).toEqual(['stored'])
    expect(
      await outcomesOf(() =>
        write(db, [db.originals], () => db.originals.add({ id: 'a', blob: new Blob(['x']) })),
      ),
    ).toEqual(['full'])
  })

  it('passes other failures through without telling watchers', async () => {
    const failure = new Error('disk on fire')
    const db = dbFailingWrites('images', () => failure)
    let rejection: unknown

    const seen = await outcomesOf(() =>
      write(db, [db.images], () => db.images.add(recordOf('a'))).catch((err: unknown) => {
        rejection = err
      }),
    )

    expect(rejection).toBe(failure)
    expect(seen).toEqual([])
  })

  it('keeps a stored write stored when a watcher throws', async () => {
    const db = dbFailingWrites('nothing', quotaExceeded)
    const stop = watchWrites(() => {
      throw new Error('watcher bug')
    })
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      await expect(write(db, [db.images], () => db.images.add(recordOf('a')))).resolves.toBe('a')
      expect(await db.images.count()).toBe(1)
      expect(logged).toHaveBeenCalledOnce()
    } finally {
      logged.mockRestore()
      stop()
    }
  })
})
