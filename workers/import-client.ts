import { wrap, type Remote } from 'comlink'
import type { ImportApi } from './import.worker'
import type { Inspected } from './import/types'

export type { ExifSummary, Gps, ImageFormat, Inspected } from './import/types'
export { formatLabels, imageFormats, importLimits, thumbnailMaxSide } from './import/types'

export interface ImportPoolOptions {
  /** Most workers alive at once; default min(4, max(1, hardwareConcurrency || 2)). */
  size?: number
  /** Files one worker inspects at once. More wait here, so at most size × perWorker files are in memory. */
  perWorker?: number
  /** A worker with nothing to do is terminated after this long. */
  idleTimeoutMs?: number
  createWorker?: () => Worker
}

export interface ImportPool {
  /** Inspects one file in a worker. Aborting rejects at once with `signal.reason`; the worker finishes the file and the result is dropped. */
  inspectFile(signal: AbortSignal, file: File): Promise<Inspected>
  /** Terminates every worker; pending calls reject with an AbortError. */
  dispose(): void
}

interface Slot {
  worker: Worker
  api: Remote<ImportApi>
  running: Set<Job>
  idleTimer?: ReturnType<typeof setTimeout>
}

interface Job {
  file: File
  settled: boolean
  resolve(inspected: Inspected): void
  reject(reason: unknown): void
  cleanup(): void
}

/** A pool of import workers with least-busy dispatch, a bounded queue and idle reaping. */
export function createImportPool(options: ImportPoolOptions = {}): ImportPool {
  const size = options.size ?? defaultPoolSize()
  const perWorker = options.perWorker ?? 2
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000
  const createWorker = options.createWorker ?? createImportWorker
  const slots: Slot[] = []
  const queue: Job[] = []

  function settle(job: Job, finish: () => void) {
    if (job.settled) return
    job.settled = true
    job.cleanup()
    finish()
  }

  function spawn(): Slot {
    const worker = createWorker()
    const slot: Slot = { worker, api: wrap<ImportApi>(worker), running: new Set() }
    // Comlink never rejects a call whose worker died or whose answer cannot be deserialized.
    const onCrash = (event: Event) => crash(slot, event)
    worker.addEventListener('error', onCrash)
    worker.addEventListener('messageerror', onCrash)
    slots.push(slot)
    return slot
  }

  function retire(slot: Slot) {
    clearTimeout(slot.idleTimer)
    const at = slots.indexOf(slot)
    if (at >= 0) slots.splice(at, 1)
    slot.worker.terminate()
  }

  function crash(slot: Slot, event: Event) {
    if (!slots.includes(slot)) return
    retire(slot)
    const detail =
      'message' in event && typeof event.message === 'string' ? event.message : event.type
    const error = new Error(
      `The import worker stopped (${detail}), so the file was not imported.`,
      {
        cause: event,
      },
    )
    for (const job of slot.running) settle(job, () => job.reject(error))
    pump()
  }

  /** The idlest worker with room, or a new one while the pool is not full. */
  function pick(): Slot | undefined {
    let idlest: Slot | undefined
    for (const slot of slots) {
      if (slot.running.size < (idlest?.running.size ?? perWorker)) idlest = slot
    }
    if (idlest?.running.size === 0 || slots.length >= size) return idlest
    return spawn()
  }

  function pump() {
    while (queue.length > 0) {
      const slot = pick()
      const job = slot && queue.shift()
      if (!slot || !job) return
      run(slot, job)
    }
  }

  function run(slot: Slot, job: Job) {
    clearTimeout(slot.idleTimer)
    slot.running.add(job)
    void slot.api
      .inspect(job.file)
      .then(
        (inspected) => settle(job, () => job.resolve(inspected)),
        (error: unknown) => settle(job, () => job.reject(error)),
      )
      .finally(() => {
        // An aborted job still counts as load until its worker is done with it.
        slot.running.delete(job)
        if (slot.running.size === 0 && slots.includes(slot)) {
          slot.idleTimer = setTimeout(() => retire(slot), idleTimeoutMs)
        }
        pump()
      })
  }

  function inspectFile(signal: AbortSignal, file: File): Promise<Inspected> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason)
        return
      }
      const onAbort = () =>
        settle(job, () => {
          const queued = queue.indexOf(job)
          if (queued >= 0) queue.splice(queued, 1)
          reject(signal.reason)
        })
      const job: Job = {
        file,
        settled: false,
        resolve,
        reject,
        cleanup: () => signal.removeEventListener('abort', onAbort),
      }
      signal.addEventListener('abort', onAbort, { once: true })
      queue.push(job)
      pump()
    })
  }

  function dispose() {
    const error = new DOMException('The import workers were shut down.', 'AbortError')
    for (const job of queue.splice(0)) settle(job, () => job.reject(error))
    for (const slot of [...slots]) {
      for (const job of slot.running) settle(job, () => job.reject(error))
      retire(slot)
    }
  }

  return { inspectFile, dispose }
}

let pool: ImportPool | undefined

function getOrCreatePool(): ImportPool {
  pool ??= createImportPool()
  return pool
}

/**
 * Inspects one file in the shared import worker pool: hash, format, size, EXIF and thumbnail, or
 * a refusal named FileTooLargeError, TooManyPixelsError, UnsupportedFormatError or
 * CorruptImageError (match on `err.name`).
 *
 * @example
 * const inspected = await inspectFile(controller.signal, file)
 */
export function inspectFile(signal: AbortSignal, file: File): Promise<Inspected> {
  return getOrCreatePool().inspectFile(signal, file)
}

/** How many workers the shared pool runs at most: callers size their own concurrency by it. */
export function importPoolSize(): number {
  return defaultPoolSize()
}

/** Terminates the shared pool's workers, for example on sign-out or hot reload. */
export function disposeImportWorkers(): void {
  pool?.dispose()
  pool = undefined
}

function createImportWorker(): Worker {
  return new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' })
}

function defaultPoolSize(): number {
  return Math.min(4, Math.max(1, globalThis.navigator?.hardwareConcurrency || 2))
}
