import type { TaskId } from '../../models'
import type { ImageSource, JobRecord, ResultRecord, SightlineDb } from './db'
import { normaliseTags } from './images'
import { write } from './write'

export interface QueueCounts {
  queued: number
  running: number
  done: number
  failed: number
}

/**
 * Adds a job per image × task, skipping pairs already waiting or running. Jobs join the batch in
 * progress, or start a new one when the queue is idle. `source` says which version to analyse
 * (an image without a saved edit falls back to its original). Resolves to the number added.
 */
export function enqueue(
  db: SightlineDb,
  imageIds: readonly string[],
  tasks: readonly TaskId[],
  now = Date.now(),
  source: ImageSource = 'original',
): Promise<number> {
  return write(db, [db.jobs], async () => {
    // Reads only these images' jobs, so queueing stays cheap while thousands wait.
    const existing = await db.jobs
      .where('imageId')
      .anyOf([...imageIds])
      .toArray()
    const waiting = new Set(
      existing
        .filter((job) => job.status === 'queued' || job.status === 'running')
        .map((job) => `${job.imageId}\n${job.task}`),
    )
    const busy = (await db.jobs.where('status').anyOf('queued', 'running').count()) > 0
    const last = await db.jobs.orderBy('id').last()
    const batch = busy && last ? last.batch : (last?.batch ?? 0) + 1
    const added: JobRecord[] = []
    for (const imageId of imageIds) {
      for (const task of tasks) {
        if (waiting.has(`${imageId}\n${task}`)) continue
        const job: JobRecord = { imageId, task, status: 'queued', batch, createdAt: now }
        if (source === 'edited') job.source = 'edited'
        added.push(job)
      }
    }
    await db.jobs.bulkAdd(added)
    return added.length
  })
}

/** Marks the oldest queued job as running and returns it; undefined when nothing waits. */
export function claimNextJob(db: SightlineDb): Promise<JobRecord | undefined> {
  return write(db, [db.jobs], async () => {
    const job = await db.jobs.where('status').equals('queued').first()
    if (!job) return undefined
    const running = { ...job, status: 'running' as const }
    await db.jobs.put(running)
    return running
  })
}

/**
 * Stores a finished job's result and marks the job done, in one transaction. An image deleted
 * meanwhile gets no result. Object detection's tags are added to the image's tags.
 */
export function completeJob(
  db: SightlineDb,
  job: JobRecord,
  result: Omit<ResultRecord, 'imageId' | 'task'>,
  now = Date.now(),
): Promise<void> {
  return write(db, [db.jobs, db.results, db.images], async () => {
    const image = await db.images.get(job.imageId)
    if (image) {
      await db.results.put({ ...result, imageId: job.imageId, task: job.task } as ResultRecord)
      const derived = derivedTags(job.task, result.output)
      const missing = derived.filter((tag) => !image.tags.includes(tag))
      if (missing.length > 0) {
        await db.images.put({ ...image, tags: [...image.tags, ...missing], updatedAt: now })
      }
    }
    await db.jobs.update(job.id!, {
      status: 'done',
      finishedAt: now,
      durationMs: result.durationMs,
    })
  })
}

function derivedTags(task: TaskId, output: unknown): string[] {
  if (task !== 'object-detection') return []
  const tags = (output as { tags?: unknown }).tags
  return Array.isArray(tags) ? normaliseTags(tags.filter((tag) => typeof tag === 'string')) : []
}

/** Marks a job failed with the error's name and message, so the queue can show why. */
export function failJob(
  db: SightlineDb,
  job: JobRecord,
  error: unknown,
  now = Date.now(),
): Promise<void> {
  const { name, message } =
    error instanceof Error ? error : { name: 'Error', message: String(error) }
  return write(db, [db.jobs], async () => {
    await db.jobs.update(job.id!, { status: 'failed', finishedAt: now, error: { name, message } })
  })
}

/** Puts jobs left running by a closed tab back in the queue; resolves to how many. */
export function requeueInterrupted(db: SightlineDb): Promise<number> {
  return write(db, [db.jobs], () =>
    db.jobs.where('status').equals('running').modify({ status: 'queued' }),
  )
}

/** Removes every queued job (running ones finish); resolves to how many. */
export function cancelQueued(db: SightlineDb): Promise<number> {
  return write(db, [db.jobs], () => db.jobs.where('status').equals('queued').delete())
}

/** Queues failed jobs again, in a new batch when the queue is idle. */
export async function retryFailed(db: SightlineDb, now = Date.now()): Promise<number> {
  const failed = await db.jobs.where('status').equals('failed').toArray()
  await write(db, [db.jobs], () => db.jobs.bulkDelete(failed.map((job) => job.id!)))
  const byTask = new Map<TaskId, string[]>()
  for (const job of failed) byTask.set(job.task, [...(byTask.get(job.task) ?? []), job.imageId])
  let added = 0
  for (const [task, ids] of byTask) added += await enqueue(db, ids, [task], now)
  return added
}

/** Forgets done and failed jobs once nothing is queued or running; the results stay. */
export function clearFinished(db: SightlineDb): Promise<number> {
  return write(db, [db.jobs], async () => {
    const busy = await db.jobs.where('status').anyOf('queued', 'running').count()
    if (busy > 0) return 0
    return db.jobs.where('status').anyOf('done', 'failed').delete()
  })
}

/** Every stored result for one image, by task. */
export async function resultsFor(
  db: SightlineDb,
  imageId: string,
): Promise<Partial<{ [Id in TaskId]: ResultRecord<Id> }>> {
  const rows = await db.results.where('imageId').equals(imageId).toArray()
  return Object.fromEntries(rows.map((row) => [row.task, row]))
}

export interface BatchProgress extends QueueCounts {
  batch: number
  total: number
  /** Epoch ms the batch's first job was queued. */
  startedAt: number
  /** Milliseconds left at the batch's pace so far; undefined until a job has finished. */
  remainingMs?: number
}

/**
 * Progress of the latest batch, or undefined when the queue has never run. Counts come from the
 * `[batch+status]` index, so this stays cheap with thousands of jobs in a batch.
 */
export async function latestBatchProgress(
  db: SightlineDb,
  now = Date.now(),
): Promise<BatchProgress | undefined> {
  const last = await db.jobs.orderBy('id').last()
  if (!last) return undefined
  const first = await db.jobs.where('batch').equals(last.batch).first()
  const count = (status: JobRecord['status']) =>
    db.jobs.where('[batch+status]').equals([last.batch, status]).count()
  const [queued, running, done, failed] = await Promise.all(
    (['queued', 'running', 'done', 'failed'] as const).map(count),
  )
  return progressOf(
    last.batch,
    { queued: queued!, running: running!, done: done!, failed: failed! },
    first?.createdAt ?? last.createdAt,
    now,
  )
}

function progressOf(
  batch: number,
  counts: QueueCounts,
  startedAt: number,
  now: number,
): BatchProgress {
  const finished = counts.done + counts.failed
  const remaining = counts.queued + counts.running
  const elapsed = now - startedAt
  return {
    ...counts,
    batch,
    total: finished + remaining,
    startedAt,
    remainingMs: finished > 0 && elapsed > 0 ? (elapsed / finished) * remaining : undefined,
  }
}
