import 'fake-indexeddb/auto'
import type { DBCoreTable } from 'dexie'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAnalysisRunner, type AnalysisRunner } from './analysis-runner'
import { enqueue } from './analysis'
import { createDb, type SightlineDb } from './db'

const opened: { db: SightlineDb; runner?: AnalysisRunner }[] = []
afterEach(async () => {
  for (const { db, runner } of opened.splice(0)) {
    runner?.dispose()
    await db.delete()
  }
})

/** A database whose job writes the browser refuses while `full.on`, as it does when storage is full. */
function dbWithFullSwitch() {
  const full = { on: false }
  const db = createDb(`runner-test-${crypto.randomUUID()}`)
  db.use({
    stack: 'dbcore',
    name: 'full-storage',
    create: (down) => ({
      ...down,
      table: (name: string): DBCoreTable => {
        const real = down.table(name)
        if (name !== 'jobs') return real
        return {
          ...real,
          mutate: (request) =>
            full.on
              ? Promise.reject(
                  new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
                )
              : real.mutate(request),
        }
      },
    }),
  })
  const entry: (typeof opened)[number] = { db }
  opened.push(entry)
  return { db, full, entry }
}

describe('analysis runner with storage full', () => {
  it('pauses and says so instead of failing jobs, and goes on after resume', async () => {
    const { db, full, entry } = dbWithFullSwitch()
    // An image that is no longer stored: its job fails without loading a model.
    await enqueue(db, ['gone'], ['image-properties'])
    full.on = true
    const onStorageFull = vi.fn()
    const runner = createAnalysisRunner(db, 1, false, onStorageFull)
    entry.runner = runner

    await vi.waitFor(() => expect(onStorageFull).toHaveBeenCalledTimes(1))
    expect((await db.jobs.toArray()).map((job) => job.status)).toEqual(['queued'])

    full.on = false
    runner.resume()
    await vi.waitFor(async () =>
      expect((await db.jobs.toArray()).map((job) => [job.status, job.error?.message])).toEqual([
        ['failed', 'The image is no longer in the library.'],
      ]),
    )
    expect(onStorageFull).toHaveBeenCalledTimes(1)
  })
})
