import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import type { TaskId } from '../../models'
import {
  cancelQueued,
  type QueueCounts,
  claimNextJob,
  clearFinished,
  completeJob,
  enqueue,
  failJob,
  latestBatchProgress,
  requeueInterrupted,
  resultsFor,
  retryFailed,
} from './analysis'
import { createDb, type ImageRecord, type ResultRecord, type SightlineDb } from './db'

const opened: SightlineDb[] = []
function freshDb(): SightlineDb {
  const db = createDb(`analysis-test-${crypto.randomUUID()}`)
  opened.push(db)
  return db
}
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})

/** How many jobs are in each state. */
async function queueCounts(db: SightlineDb): Promise<QueueCounts> {
  const counts: QueueCounts = { queued: 0, running: 0, done: 0, failed: 0 }
  await db.jobs.each((job) => counts[job.status]++)
  return counts
}

const objects = 'object-detection' as TaskId
const faces = 'face-detection' as TaskId

async function addImage(db: SightlineDb, id: string, tags: string[] = []): Promise<void> {
  const record: ImageRecord = {
    id,
    hash: id,
    name: `${id}.jpg`,
    mime: 'image/jpeg',
    format: 'jpg',
    bytes: 1,
    width: 10,
    height: 10,
    orientation: 1,
    exif: {},
    tags,
    addedAt: 0,
    updatedAt: 0,
    thumbnailWidth: 10,
    thumbnailHeight: 10,
  }
  await db.images.add(record)
}

const run = (output: unknown): Omit<ResultRecord, 'imageId' | 'task'> =>
  ({
    version: '1.0.0',
    provider: 'wasm',
    threads: 2,
    durationMs: 12,
    decodeMs: 3,
    createdAt: 5,
    imageSize: { width: 10, height: 10 },
    source: 'original',
    output,
  }) as Omit<ResultRecord, 'imageId' | 'task'>

describe(enqueue, () => {
  it('adds one job per image and task, and skips pairs already waiting', async () => {
    const db = freshDb()
    expect(await enqueue(db, ['a', 'b'], [objects, faces])).toBe(4)
    expect(await enqueue(db, ['a', 'c'], [objects])).toBe(1)
    expect(await queueCounts(db)).toEqual({ queued: 5, running: 0, done: 0, failed: 0 })
  })

  it('joins the busy batch, and starts a new batch once the queue is idle', async () => {
    const db = freshDb()
    await addImage(db, 'a')
    await enqueue(db, ['a'], [objects])
    await enqueue(db, ['b'], [objects])
    const first = await claimNextJob(db)
    await completeJob(db, first!, run({ objects: [], tags: [] }))
    const second = await claimNextJob(db)
    await failJob(db, second!, new Error('x'))
    await enqueue(db, ['c'], [objects])
    const batches = (await db.jobs.toArray()).map((job) => job.batch)
    expect(batches).toEqual([1, 1, 2])
  })
})

describe(claimNextJob, () => {
  it('hands out queued jobs oldest first, once each', async () => {
    const db = freshDb()
    await enqueue(db, ['a'], [objects])
    await enqueue(db, ['b'], [objects])
    expect((await claimNextJob(db))?.imageId).toBe('a')
    expect((await claimNextJob(db))?.imageId).toBe('b')
    expect(await claimNextJob(db)).toBeUndefined()
    expect((await queueCounts(db)).running).toBe(2)
  })
})

describe(completeJob, () => {
  it('stores the result, marks the job done and adds detected labels to the tags', async () => {
    const db = freshDb()
    await addImage(db, 'a', ['holiday'])
    await enqueue(db, ['a'], [objects])
    const job = await claimNextJob(db)
    await completeJob(db, job!, run({ objects: [], tags: ['dog', 'Bicycle'] }), 99)
    expect((await db.images.get('a'))?.tags).toEqual(['holiday', 'dog', 'bicycle'])
    const results = await resultsFor(db, 'a')
    expect(results[objects]?.durationMs).toBe(12)
    expect((await db.jobs.get(job!.id!))?.status).toBe('done')
  })

  it('drops the result of an image deleted while it ran', async () => {
    const db = freshDb()
    await enqueue(db, ['gone'], [faces])
    const job = await claimNextJob(db)
    await completeJob(db, job!, run({ faces: [] }))
    expect(await db.results.count()).toBe(0)
    expect((await queueCounts(db)).done).toBe(1)
  })
})

describe(failJob, () => {
  it('keeps the error name and message for the user', async () => {
    const db = freshDb()
    await enqueue(db, ['a'], [faces])
    const job = await claimNextJob(db)
    const error = new Error('The model failed its integrity check.')
    error.name = 'ModelLoadError'
    await failJob(db, job!, error)
    expect((await db.jobs.get(job!.id!))?.error).toEqual({
      name: 'ModelLoadError',
      message: 'The model failed its integrity check.',
    })
  })
})

describe(requeueInterrupted, () => {
  it('puts jobs left running back in the queue', async () => {
    const db = freshDb()
    await enqueue(db, ['a', 'b'], [faces])
    await claimNextJob(db)
    expect(await requeueInterrupted(db)).toBe(1)
    expect(await queueCounts(db)).toEqual({ queued: 2, running: 0, done: 0, failed: 0 })
  })
})

describe(cancelQueued, () => {
  it('removes queued jobs and leaves the running one', async () => {
    const db = freshDb()
    await enqueue(db, ['a', 'b', 'c'], [faces])
    await claimNextJob(db)
    expect(await cancelQueued(db)).toBe(2)
    expect(await queueCounts(db)).toEqual({ queued: 0, running: 1, done: 0, failed: 0 })
  })
})

describe(retryFailed, () => {
  it('queues failed jobs again', async () => {
    const db = freshDb()
    await enqueue(db, ['a'], [faces])
    await failJob(db, (await claimNextJob(db))!, new Error('boom'))
    expect(await retryFailed(db)).toBe(1)
    expect(await queueCounts(db)).toEqual({ queued: 1, running: 0, done: 0, failed: 0 })
  })
})

describe(clearFinished, () => {
  it('forgets finished jobs only when the queue is idle', async () => {
    const db = freshDb()
    await addImage(db, 'a')
    await enqueue(db, ['a', 'b'], [faces])
    await completeJob(db, (await claimNextJob(db))!, run({ faces: [] }))
    expect(await clearFinished(db)).toBe(0)
    await failJob(db, (await claimNextJob(db))!, new Error('boom'))
    expect(await clearFinished(db)).toBe(2)
    expect(await resultsFor(db, 'a')).toHaveProperty('face-detection')
  })
})

describe(latestBatchProgress, () => {
  it('counts states and estimates time left from the pace so far', async () => {
    const db = freshDb()
    await addImage(db, 'a')
    await enqueue(db, ['a', 'b', 'c'], [faces], 1_000)
    await enqueue(db, ['d'], [faces], 2_000)
    await completeJob(db, (await claimNextJob(db))!, run({ faces: [] }))
    await failJob(db, (await claimNextJob(db))!, new Error('boom'))
    await claimNextJob(db)
    const progress = await latestBatchProgress(db, 5_000)
    // Two finished in 4 s: 2 s each, two left.
    expect(progress).toMatchObject({ total: 4, done: 1, failed: 1, running: 1, queued: 1 })
    expect(progress?.remainingMs).toBe(4_000)
  })

  it('has no estimate before a job finishes', async () => {
    const db = freshDb()
    await enqueue(db, ['a'], [faces], 0)
    await claimNextJob(db)
    expect((await latestBatchProgress(db, 10))?.remainingMs).toBeUndefined()
  })

  it('is undefined before anything was queued', async () => {
    expect(await latestBatchProgress(freshDb())).toBeUndefined()
  })
})
