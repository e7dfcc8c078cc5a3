import { liveQuery } from 'dexie'
import { StorageFullError } from '../../models/errors'
import { analyze } from '../../workers/inference-client'
import { claimNextJob, completeJob, failJob, requeueInterrupted } from './analysis'
import type { JobRecord, SightlineDb } from './db'
import { endModelDownload, reportModelDownload } from './model-downloads'
import { getEdit, getEditedBlob } from './edits'
import { getOriginal } from './images'

const cancelled = 'cancelled by the user'

export interface AnalysisRunner {
  pause(): void
  resume(): void
  /** Aborts running jobs; they are removed, as the queued ones are by `cancelQueued`. */
  abortRunning(): void
  dispose(): void
}

/**
 * Works through the job queue in IndexedDB: claims the oldest queued job, analyses the image's
 * original in the worker pool, stores the result. A failure marks that job failed and the queue
 * goes on. Jobs a closed tab left running are queued again at start.
 */
export function createAnalysisRunner(
  db: SightlineDb,
  concurrency: number,
  startPaused: boolean,
  onStorageFull: () => void = () => {},
): AnalysisRunner {
  let paused = startPaused
  let disposed = false
  let pumping = false
  const active = new Map<number, AbortController>()

  /**
   * With storage full no result can be stored, and no job marked failed: pause, leaving the job
   * `running` until `resume` queues it again. Whether `error` was that.
   */
  function pauseWhenFull(error: unknown): boolean {
    if (!(error instanceof StorageFullError)) return false
    if (!paused) {
      paused = true
      onStorageFull()
    }
    return true
  }

  async function pump() {
    if (pumping) return
    pumping = true
    try {
      while (!paused && !disposed && active.size < concurrency) {
        const job = await claimNextJob(db)
        if (!job) return
        void runJob(job)
      }
    } catch (error) {
      if (!pauseWhenFull(error)) console.error('The analysis queue stopped', error)
    } finally {
      pumping = false
    }
  }

  async function runJob(job: JobRecord) {
    const controller = new AbortController()
    active.set(job.id!, controller)
    try {
      const pixels = await pixelsFor(db, job)
      if (!pixels) {
        await failJob(db, job, new Error('The image is no longer in the library.'))
        return
      }
      const run = await analyze(
        controller.signal,
        job.task,
        { id: pixels.key, original: pixels.blob },
        {},
        reportModelDownload,
      )
      await completeJob(db, job, {
        version: run.version,
        provider: run.provider,
        threads: run.threads,
        durationMs: Math.round(run.durationMs),
        decodeMs: Math.round(run.decodeMs),
        createdAt: Date.now(),
        imageSize: run.imageSize,
        source: pixels.source,
        ...(pixels.revision ? { editRevision: pixels.revision } : {}),
        output: run.result,
      })
    } catch (error) {
      try {
        if (pauseWhenFull(error)) return
        if (controller.signal.reason === cancelled) await db.jobs.delete(job.id!)
        else if (controller.signal.aborted) await db.jobs.update(job.id!, { status: 'queued' })
        else await failJob(db, job, error)
      } catch (failure) {
        if (!pauseWhenFull(failure)) console.error('Could not record the end of a job', failure)
      }
    } finally {
      endModelDownload(job.task)
      active.delete(job.id!)
      if (!disposed) void pump()
    }
  }

  const started = requeueInterrupted(db)
    .catch((error: unknown) => {
      // Storage full: they are queued again on resume.
      if (!pauseWhenFull(error)) console.error('Could not queue interrupted jobs again', error)
    })
    .then(() =>
      liveQuery(() => db.jobs.where('status').equals('queued').count()).subscribe({
        next: (queued) => {
          if (queued > 0) void pump()
        },
        error: (error: unknown) => console.error('The analysis queue stopped watching jobs', error),
      }),
    )

  return {
    pause() {
      paused = true
    },
    resume() {
      paused = false
      // Jobs left `running` when storage was full.
      void db.jobs
        .where('status')
        .equals('running')
        .filter((job) => !active.has(job.id!))
        .modify({ status: 'queued' })
        .catch(pauseWhenFull)
        .finally(() => void pump())
    },
    abortRunning() {
      for (const controller of active.values()) controller.abort(cancelled)
    },
    dispose() {
      disposed = true
      for (const controller of active.values()) controller.abort()
      void started.then((subscription) => subscription.unsubscribe())
    },
  }
}

/**
 * What a job analyses: the saved edited version when it asks for one and there is one, else
 * the original. `key` names the pixels for the worker's decode cache.
 */
async function pixelsFor(db: SightlineDb, job: JobRecord) {
  if (job.source === 'edited') {
    const [edit, blob] = await Promise.all([
      getEdit(db, job.imageId),
      getEditedBlob(db, job.imageId),
    ])
    if (edit && blob) {
      return {
        blob,
        source: 'edited' as const,
        revision: edit.revision,
        key: `${job.imageId}:edited:${edit.revision}`,
      }
    }
  }
  const blob = await getOriginal(db, job.imageId)
  return blob ? { blob, source: 'original' as const, key: job.imageId } : undefined
}
